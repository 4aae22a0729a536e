#include "api/dynamodb_handlers.h"

#include <cinttypes>
#include <cstdio>
#include <initializer_list>

#include "api/dynamodb_request_fields.h"
#include "api/expression_fields.h"
#include "api/query_handlers.h"
#include "api/service_handlers.h"
#include "api/transaction_handlers.h"
#include "item/api_error.h"
#include "item/json.h"
#include "item/json_shape.h"

namespace strata::api {
namespace {

using simdjson::dom::object;

// Names of the given fields that are present (and not null): features answered with
// "strata: <Field> is not supported yet" until they are implemented.
void CollectPresent(object request, std::initializer_list<std::string_view> fields,
                    std::vector<std::string>* out) {
  for (std::string_view f : fields) {
    if (HasField(request, f)) out->emplace_back(f);
  }
}

// ---- encoding -------------------------------------------------------------------------------

// Epoch milliseconds as a JSON number of seconds with a millisecond fraction.
void WriteEpoch(item::JsonWriter* w, int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%" PRId64 ".%03" PRId64, ms / 1000, ms % 1000);
  w->Raw(buf);
}

void WriteKeySchema(item::JsonWriter* w, const tables::KeyAttribute& hash,
                    const std::optional<tables::KeyAttribute>& range) {
  w->Key("KeySchema");
  w->StartArray();
  w->StartObject();
  w->Key("AttributeName");
  w->String(hash.name);
  w->Key("KeyType");
  w->String("HASH");
  w->EndObject();
  if (range) {
    w->StartObject();
    w->Key("AttributeName");
    w->String(range->name);
    w->Key("KeyType");
    w->String("RANGE");
    w->EndObject();
  }
  w->EndArray();
}

void WriteThroughput(item::JsonWriter* w, const tables::ProvisionedThroughput& pt) {
  w->Key("ProvisionedThroughput");
  w->StartObject();
  if (pt.last_increase_ms != 0) {
    w->Key("LastIncreaseDateTime");
    WriteEpoch(w, pt.last_increase_ms);
  }
  if (pt.last_decrease_ms != 0) {
    w->Key("LastDecreaseDateTime");
    WriteEpoch(w, pt.last_decrease_ms);
  }
  w->Key("NumberOfDecreasesToday");
  w->Int(pt.number_of_decreases_today);
  w->Key("ReadCapacityUnits");
  w->Int(pt.read_capacity_units);
  w->Key("WriteCapacityUnits");
  w->Int(pt.write_capacity_units);
  w->EndObject();
}

// LocalSecondaryIndexes / GlobalSecondaryIndexes of a TableDescription (absent when none).
void WriteIndexes(item::JsonWriter* w, const tables::TableDescription& d, bool global) {
  const tables::TableDef& def = *d.def;
  bool any = false;
  for (size_t i = 0; i < def.indexes.size(); ++i) {
    const tables::IndexDef& index = def.indexes[i];
    if (index.global != global) continue;
    if (!any) {
      w->Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
      w->StartArray();
      any = true;
    }
    w->StartObject();
    w->Key("IndexName");
    w->String(index.name);
    WriteKeySchema(w, index.hash_key, index.range_key);
    w->Key("Projection");
    w->StartObject();
    w->Key("ProjectionType");
    w->String(tables::ProjectionTypeName(index.projection));
    if (index.projection == tables::ProjectionType::kInclude) {
      w->Key("NonKeyAttributes");
      w->StartArray();
      for (const std::string& a : index.non_key_attributes) w->String(a);
      w->EndArray();
    }
    w->EndObject();
    if (global) {
      const bool creating = index.status == tables::IndexStatus::kCreating;
      w->Key("IndexStatus");
      w->String(d.table_status == "DELETING" ? "DELETING" : creating ? "CREATING" : "ACTIVE");
      if (creating) {
        w->Key("Backfilling");
        w->Bool(true);
      }
      WriteThroughput(w, index.throughput);
    }
    w->Key("IndexSizeBytes");
    w->Int(i < d.index_stats.size() ? d.index_stats[i].size_bytes : 0);
    w->Key("ItemCount");
    w->Int(i < d.index_stats.size() ? d.index_stats[i].item_count : 0);
    w->Key("IndexArn");
    w->String(def.Arn() + "/index/" + index.name);
    w->EndObject();
  }
  if (any) w->EndArray();
}

void WriteTableDescription(item::JsonWriter* w, const tables::TableDescription& d) {
  const tables::TableDef& def = *d.def;
  w->StartObject();
  w->Key("AttributeDefinitions");
  w->StartArray();
  for (const tables::AttributeDefinition& a : def.attribute_definitions) {
    w->StartObject();
    w->Key("AttributeName");
    w->String(a.name);
    w->Key("AttributeType");
    w->String(item::AttrTypeName(a.type));
    w->EndObject();
  }
  w->EndArray();
  w->Key("TableName");
  w->String(def.name);
  WriteKeySchema(w, def.hash_key, def.range_key);
  w->Key("TableStatus");
  w->String(d.table_status);
  w->Key("CreationDateTime");
  WriteEpoch(w, def.creation_ms);
  WriteThroughput(w, def.throughput);
  w->Key("TableSizeBytes");
  w->Int(d.table_size_bytes);
  w->Key("ItemCount");
  w->Int(d.item_count);
  w->Key("TableArn");
  w->String(def.Arn());
  w->Key("TableId");
  w->String(def.table_uuid);
  WriteIndexes(w, d, /*global=*/false);
  WriteIndexes(w, d, /*global=*/true);
  // AWS shows the summary once the table has been on demand (created so, or switched).
  if (def.billing_mode == tables::BillingMode::kPayPerRequest ||
      def.last_update_to_pay_per_request_ms != 0) {
    w->Key("BillingModeSummary");
    w->StartObject();
    w->Key("BillingMode");
    w->String(tables::BillingModeName(def.billing_mode));
    if (def.last_update_to_pay_per_request_ms != 0 && d.table_status != "CREATING") {
      w->Key("LastUpdateToPayPerRequestDateTime");
      WriteEpoch(w, def.last_update_to_pay_per_request_ms);
    }
    w->EndObject();
  }
  w->Key("DeletionProtectionEnabled");
  w->Bool(def.deletion_protection);
  w->EndObject();
}

// {"ItemCollectionKey": {...}, "SizeEstimateRangeGB": [0.0, 1.0]}
void WriteItemCollectionMetrics(item::JsonWriter* w, const item::Item& key) {
  w->StartObject();
  w->Key("ItemCollectionKey");
  w->AttributeMap(key);
  w->Key("SizeEstimateRangeGB");
  w->Raw("[0.0,1.0]");
  w->EndObject();
}

void WriteItemOutput(item::JsonWriter* w, const tables::ItemOutput& out,
                     std::string_view item_key) {
  w->StartObject();
  if (out.item) {
    w->Key(item_key);
    w->AttributeMap(*out.item);
  }
  if (out.item_collection_key) {
    w->Key("ItemCollectionMetrics");
    WriteItemCollectionMetrics(w, *out.item_collection_key);
  }
  if (out.capacity_detail != tables::CapacityDetail::kNone) {
    w->Key("ConsumedCapacity");
    WriteConsumedCapacity(w, out.capacity_detail, out.consumed);
  }
  w->EndObject();
}

// ---- decoding -------------------------------------------------------------------------------

Status DecodeThroughput(object request, std::optional<tables::ProvisionedThroughputInput>* out) {
  std::optional<object> pt;
  RETURN_IF_ERROR(GetStruct(request, "ProvisionedThroughput", "ProvisionedThroughput", &pt));
  if (!pt) return Status::OK();
  tables::ProvisionedThroughputInput in;
  RETURN_IF_ERROR(GetInteger(*pt, "ReadCapacityUnits", "Long", &in.read_capacity_units));
  RETURN_IF_ERROR(GetInteger(*pt, "WriteCapacityUnits", "Long", &in.write_capacity_units));
  *out = in;
  return Status::OK();
}

Status DecodeKeySchema(object o, std::optional<std::vector<tables::KeySchemaElementInput>>* out) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(o, "KeySchema", &list));
  if (!list) return Status::OK();
  out->emplace();
  for (simdjson::dom::element e : *list) {
    std::optional<object> k;
    RETURN_IF_ERROR(ReadListStruct(e, "KeySchemaElement", &k));
    tables::KeySchemaElementInput element;
    if (k) {
      RETURN_IF_ERROR(GetString(*k, "AttributeName", &element.attribute_name));
      RETURN_IF_ERROR(GetString(*k, "KeyType", &element.key_type));
    }
    (*out)->push_back(std::move(element));
  }
  return Status::OK();
}

Status DecodeProjection(object o, std::optional<tables::ProjectionInput>* out) {
  std::optional<object> p;
  RETURN_IF_ERROR(GetStruct(o, "Projection", "Projection", &p));
  if (!p) return Status::OK();
  tables::ProjectionInput projection;
  RETURN_IF_ERROR(GetString(*p, "ProjectionType", &projection.projection_type));
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(*p, "NonKeyAttributes", &list));
  if (list) {
    projection.non_key_attributes.emplace();
    for (simdjson::dom::element e : *list) {
      std::string name;
      if (!e.is_null()) RETURN_IF_ERROR(ReadString(e, &name));
      projection.non_key_attributes->push_back(std::move(name));
    }
  }
  *out = std::move(projection);
  return Status::OK();
}

// One secondary index definition (CreateTable's index lists, UpdateTable's Create).
Status DecodeSecondaryIndex(object o, tables::SecondaryIndexInput* index) {
  RETURN_IF_ERROR(GetString(o, "IndexName", &index->index_name));
  RETURN_IF_ERROR(DecodeKeySchema(o, &index->key_schema));
  RETURN_IF_ERROR(DecodeProjection(o, &index->projection));
  return DecodeThroughput(o, &index->provisioned_throughput);
}

Status DecodeSecondaryIndexes(object request, std::string_view field, std::string_view shape,
                              std::optional<std::vector<tables::SecondaryIndexInput>>* out) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(request, field, &list));
  if (!list) return Status::OK();
  out->emplace();
  for (simdjson::dom::element e : *list) {
    std::optional<object> o;
    RETURN_IF_ERROR(ReadListStruct(e, shape, &o));
    tables::SecondaryIndexInput index;
    if (o) RETURN_IF_ERROR(DecodeSecondaryIndex(*o, &index));
    (*out)->push_back(std::move(index));
  }
  return Status::OK();
}

Status DecodeAttributeDefinitions(
    object request, std::optional<std::vector<tables::AttributeDefinitionInput>>* out) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(request, "AttributeDefinitions", &list));
  if (!list) return Status::OK();
  out->emplace();
  for (simdjson::dom::element e : *list) {
    std::optional<object> o;
    RETURN_IF_ERROR(ReadListStruct(e, "AttributeDefinition", &o));
    tables::AttributeDefinitionInput a;
    if (o) {
      RETURN_IF_ERROR(GetString(*o, "AttributeName", &a.attribute_name));
      RETURN_IF_ERROR(GetString(*o, "AttributeType", &a.attribute_type));
    }
    (*out)->push_back(std::move(a));
  }
  return Status::OK();
}

Status DecodeCreateTable(object request, tables::CreateTableInput* in) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(DecodeAttributeDefinitions(request, &in->attribute_definitions));
  RETURN_IF_ERROR(GetString(request, "TableName", &in->table_name));
  RETURN_IF_ERROR(DecodeKeySchema(request, &in->key_schema));
  RETURN_IF_ERROR(DecodeSecondaryIndexes(request, "LocalSecondaryIndexes", "LocalSecondaryIndex",
                                         &in->local_secondary_indexes));
  RETURN_IF_ERROR(DecodeSecondaryIndexes(request, "GlobalSecondaryIndexes", "GlobalSecondaryIndex",
                                         &in->global_secondary_indexes));
  RETURN_IF_ERROR(GetString(request, "BillingMode", &in->billing_mode));
  RETURN_IF_ERROR(DecodeThroughput(request, &in->provisioned_throughput));
  std::optional<object> spec;
  RETURN_IF_ERROR(GetStruct(request, "StreamSpecification", "StreamSpecification", &spec));
  if (spec) {
    std::optional<bool> enabled;
    RETURN_IF_ERROR(GetBool(*spec, "StreamEnabled", &enabled));
    if (enabled.value_or(false)) in->unsupported_fields.push_back("StreamSpecification");
  }
  spec.reset();
  RETURN_IF_ERROR(GetStruct(request, "SSESpecification", "SSESpecification", &spec));
  if (spec) {
    std::optional<bool> enabled;
    RETURN_IF_ERROR(GetBool(*spec, "Enabled", &enabled));
    if (enabled.value_or(false)) in->unsupported_fields.push_back("SSESpecification");
  }
  list.reset();
  RETURN_IF_ERROR(GetList(request, "Tags", &list));
  if (list) {
    in->tags.emplace();
    for (simdjson::dom::element e : *list) {
      std::optional<object> o;
      RETURN_IF_ERROR(ReadListStruct(e, "Tag", &o));
      tables::TagInput t;
      if (o) {
        RETURN_IF_ERROR(GetString(*o, "Key", &t.key));
        RETURN_IF_ERROR(GetString(*o, "Value", &t.value));
      }
      in->tags->push_back(std::move(t));
    }
  }
  std::optional<std::string> table_class;
  RETURN_IF_ERROR(GetString(request, "TableClass", &table_class));
  if (table_class && *table_class != "STANDARD") in->unsupported_fields.push_back("TableClass");
  RETURN_IF_ERROR(GetBool(request, "DeletionProtectionEnabled", &in->deletion_protection_enabled));
  CollectPresent(request,
                 {"WarmThroughput", "ResourcePolicy", "OnDemandThroughput", "GlobalTableSourceArn",
                  "GlobalTableSettingsReplicationMode"},
                 &in->unsupported_fields);
  return Status::OK();
}

Status DecodeUpdateTable(object request, tables::UpdateTableInput* in) {
  RETURN_IF_ERROR(GetString(request, "TableName", &in->table_name));
  RETURN_IF_ERROR(DecodeAttributeDefinitions(request, &in->attribute_definitions));
  std::optional<simdjson::dom::array> updates;
  RETURN_IF_ERROR(GetList(request, "GlobalSecondaryIndexUpdates", &updates));
  if (updates) {
    in->global_secondary_index_updates.emplace();
    for (simdjson::dom::element e : *updates) {
      std::optional<object> o;
      RETURN_IF_ERROR(ReadListStruct(e, "GlobalSecondaryIndexUpdate", &o));
      tables::GlobalSecondaryIndexUpdateInput u;
      if (o) {
        const std::pair<std::string_view, std::optional<tables::SecondaryIndexInput>*> parts[] = {
            {"Create", &u.create}, {"Update", &u.update}, {"Delete", &u.remove}};
        for (const auto& [field, out] : parts) {
          std::optional<object> part;
          RETURN_IF_ERROR(
              GetStruct(*o, field, std::string(field) + "GlobalSecondaryIndexAction", &part));
          if (!part) continue;
          out->emplace();
          RETURN_IF_ERROR(DecodeSecondaryIndex(*part, &**out));
        }
      }
      in->global_secondary_index_updates->push_back(std::move(u));
    }
  }
  RETURN_IF_ERROR(GetString(request, "BillingMode", &in->billing_mode));
  RETURN_IF_ERROR(DecodeThroughput(request, &in->provisioned_throughput));
  RETURN_IF_ERROR(GetBool(request, "DeletionProtectionEnabled", &in->deletion_protection_enabled));
  CollectPresent(request,
                 {"StreamSpecification", "SSESpecification", "ReplicaUpdates", "TableClass",
                  "MultiRegionConsistency", "GlobalTableWitnessUpdates", "OnDemandThroughput",
                  "WarmThroughput", "GlobalTableSettingsReplicationMode"},
                 &in->unsupported_fields);
  return Status::OK();
}

// ---- batch decoding ---------------------------------------------------------------------------
//
// JSON-type errors with AWS's wording (dynalite test/helpers.js assertType):
//   RequestItems (Map<...>)        : scalar -> Unexpected field type; [] -> Unrecognized
//                                    collection type java.util.Map<java.lang.String, <value>>
//   BatchWriteItem table value     : scalar -> the ParameterizedTypeImpl cast message;
//     (ParameterizedList)            {} -> Start of structure or map found where not expected
//   WriteRequest / KeysAndAttributes (map or list element structures): ReadListStruct
//   Keys element (ParameterizedMap): scalar -> the cast message; [] -> Unrecognized collection
//                                    type java.util.Map<java.lang.String, ...AttributeValue>

Status GetRequestItems(object request, std::string_view value_type, std::optional<object>* out) {
  simdjson::dom::element e;
  if (request.at_key("RequestItems").get(e) != simdjson::SUCCESS || e.is_null()) {
    return Status::OK();
  }
  if (e.type() == simdjson::dom::element_type::ARRAY) {
    return item::SerializationError(
        "Unrecognized collection type java.util.Map<java.lang.String, " + std::string(value_type) +
        ">");
  }
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    return item::SerializationError("Unexpected field type");
  }
  *out = o;
  return Status::OK();
}

// A map of name -> AttributeValue that is a list element (a BatchGetItem key). A semantic
// error of the values goes to key_status, as GetAttributeMap does for fields; a null key stays
// empty and answers "does not match the schema" later.
Status ReadKeyElement(simdjson::dom::element e, tables::KeyInput* out) {
  std::optional<item::Item> key;
  RETURN_IF_ERROR(ReadAttributeMap(e, &key, &out->key_status));
  if (key) out->key = std::move(*key);
  return Status::OK();
}

// Java map semantics: a repeated JSON key replaces the earlier entry.
template <typename T>
T* EntryFor(std::vector<T>* entries, std::string_view name) {
  for (T& t : *entries) {
    if (t.table_name == name) {
      t = T();
      t.table_name = std::string(name);
      return &t;
    }
  }
  entries->emplace_back();
  entries->back().table_name = std::string(name);
  return &entries->back();
}

Status DecodeBatchWriteItem(object request, tables::BatchWriteItemInput* in) {
  std::optional<object> items;
  RETURN_IF_ERROR(GetRequestItems(
      request, "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>", &items));
  if (items) {
    in->request_items.emplace();
    for (auto [name, value] : *items) {
      tables::TableWriteRequestsInput* t = EntryFor(&*in->request_items, name);
      if (value.is_null()) continue;
      if (value.type() == simdjson::dom::element_type::OBJECT) {
        return item::SerializationError(item::kStartOfStructure);
      }
      simdjson::dom::array list;
      if (value.get_array().get(list) != simdjson::SUCCESS) {
        return item::SerializationError(kCastMessage);
      }
      t->requests.emplace();
      for (simdjson::dom::element e : list) {
        std::optional<object> o;
        RETURN_IF_ERROR(ReadListStruct(e, "WriteRequest", &o));
        tables::WriteRequestInput r;
        if (o) {
          std::optional<object> part;
          RETURN_IF_ERROR(GetStruct(*o, "PutRequest", "PutRequest", &part));
          if (part) {
            r.has_put = true;
            RETURN_IF_ERROR(GetAttributeMap(*part, "Item", &r.put_item, &r.put_item_status));
          }
          part.reset();
          RETURN_IF_ERROR(GetStruct(*o, "DeleteRequest", "DeleteRequest", &part));
          if (part) {
            r.has_delete = true;
            RETURN_IF_ERROR(GetAttributeMap(*part, "Key", &r.delete_key, &r.delete_key_status));
          }
        }
        t->requests->push_back(std::move(r));
      }
    }
  }
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity));
  RETURN_IF_ERROR(
      GetString(request, "ReturnItemCollectionMetrics", &in->return_item_collection_metrics));
  return Status::OK();
}

Status DecodeBatchGetItem(object request, tables::BatchGetItemInput* in) {
  std::optional<object> items;
  RETURN_IF_ERROR(
      GetRequestItems(request, "com.amazonaws.dynamodb.v20120810.KeysAndAttributes", &items));
  if (items) {
    in->request_items.emplace();
    for (auto [name, value] : *items) {
      tables::TableKeysInput* t = EntryFor(&*in->request_items, name);
      std::optional<object> o;
      RETURN_IF_ERROR(ReadListStruct(value, "KeysAndAttributes", &o));
      if (!o) continue;
      std::optional<simdjson::dom::array> keys;
      RETURN_IF_ERROR(GetList(*o, "Keys", &keys));
      if (keys) {
        t->keys.emplace();
        for (simdjson::dom::element e : *keys) {
          tables::KeyInput k;
          RETURN_IF_ERROR(ReadKeyElement(e, &k));
          t->keys->push_back(std::move(k));
        }
      }
      RETURN_IF_ERROR(GetBool(*o, "ConsistentRead", &t->consistent_read));
      RETURN_IF_ERROR(DecodeAttributesToGet(*o, &t->attributes_to_get));
      RETURN_IF_ERROR(DecodeExpressionParams(*o, &t->expressions));
    }
  }
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity));
  return Status::OK();
}

Status TableNameOnly(object request, std::optional<std::string>* name) {
  return GetString(request, "TableName", name);
}

// ---- handlers -------------------------------------------------------------------------------

// {"<wrapper>": <TableDescription>}, the shape of every control-plane answer.
void WrappedTableDescription(std::string_view wrapper, const tables::TableDescription& d,
                             std::string* response) {
  item::JsonWriter w(response);
  w.StartObject();
  w.Key(wrapper);
  WriteTableDescription(&w, d);
  w.EndObject();
}

Status CreateTable(tables::TableService* service, const RequestContext& ctx, object request,
                   std::string* response) {
  tables::CreateTableInput in;
  RETURN_IF_ERROR(DecodeCreateTable(request, &in));
  ASSIGN_OR_RETURN(tables::TableDescription d, service->CreateTable(ScopeOf(ctx), in));
  WrappedTableDescription("TableDescription", d, response);
  return Status::OK();
}

Status DescribeTable(tables::TableService* service, const RequestContext& ctx, object request,
                     std::string* response) {
  std::optional<std::string> name;
  RETURN_IF_ERROR(TableNameOnly(request, &name));
  ASSIGN_OR_RETURN(tables::TableDescription d, service->DescribeTable(ScopeOf(ctx), name));
  WrappedTableDescription("Table", d, response);
  return Status::OK();
}

Status DeleteTable(tables::TableService* service, const RequestContext& ctx, object request,
                   std::string* response) {
  std::optional<std::string> name;
  RETURN_IF_ERROR(TableNameOnly(request, &name));
  ASSIGN_OR_RETURN(tables::TableDescription d, service->DeleteTable(ScopeOf(ctx), name));
  WrappedTableDescription("TableDescription", d, response);
  return Status::OK();
}

Status UpdateTable(tables::TableService* service, const RequestContext& ctx, object request,
                   std::string* response) {
  tables::UpdateTableInput in;
  RETURN_IF_ERROR(DecodeUpdateTable(request, &in));
  ASSIGN_OR_RETURN(tables::TableDescription d, service->UpdateTable(ScopeOf(ctx), in));
  WrappedTableDescription("TableDescription", d, response);
  return Status::OK();
}

Status ListTables(tables::TableService* service, const RequestContext& ctx, object request,
                  std::string* response) {
  tables::ListTablesInput in;
  RETURN_IF_ERROR(GetString(request, "ExclusiveStartTableName", &in.exclusive_start_table_name));
  RETURN_IF_ERROR(GetInteger(request, "Limit", "Integer", &in.limit));
  ASSIGN_OR_RETURN(tables::ListTablesOutput out, service->ListTables(ScopeOf(ctx), in));
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("TableNames");
  w.StartArray();
  for (const std::string& name : out.table_names) w.String(name);
  w.EndArray();
  if (out.last_evaluated_table_name) {
    w.Key("LastEvaluatedTableName");
    w.String(*out.last_evaluated_table_name);
  }
  w.EndObject();
  return Status::OK();
}

// The options PutItem, UpdateItem and DeleteItem share (decoded after their item or key, in
// AWS's order): return options, the condition (expression or legacy Expected) and the
// expression parameters.
template <typename Input>
Status DecodeSingleWriteOptions(object request, Input* in) {
  RETURN_IF_ERROR(GetString(request, "ReturnValues", &in->return_values));
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity));
  RETURN_IF_ERROR(
      GetString(request, "ReturnItemCollectionMetrics", &in->return_item_collection_metrics));
  RETURN_IF_ERROR(DecodeExpected(request, "Expected", &in->condition.expected, &in->values_status));
  RETURN_IF_ERROR(GetString(request, "ConditionalOperator", &in->condition.conditional_operator));
  RETURN_IF_ERROR(GetString(request, "ReturnValuesOnConditionCheckFailure",
                            &in->condition.return_values_on_condition_check_failure));
  return DecodeExpressionParams(request, &in->expressions);
}

// The answer of a conditional write: its output, or the ConditionalCheckFailedException with
// the stored item (ReturnValuesOnConditionCheckFailure=ALL_OLD) written in full, which the
// dispatcher sends verbatim.
Status WriteConditionalOutput(const Result<tables::ItemOutput>& result,
                              const std::optional<item::Item>& failed_item, std::string* response) {
  item::JsonWriter w(response);
  if (!result.ok()) {
    const Status& status = result.status();
    if (failed_item && item::ApiErrorOf(status) == item::ApiError::kConditionalCheckFailed) {
      w.StartObject();
      w.Key("__type");
      w.String(item::InfoOf(item::ApiError::kConditionalCheckFailed).type);
      w.Key("message");
      w.String(status.message());
      w.Key("Item");
      w.AttributeMap(*failed_item);
      w.EndObject();
    }
    return status;
  }
  WriteItemOutput(&w, result.value(), "Attributes");
  return Status::OK();
}

Status PutItem(tables::TableService* service, const RequestContext& ctx, object request,
               std::string* response) {
  tables::PutItemInput in;
  RETURN_IF_ERROR(GetString(request, "TableName", &in.table_name));
  RETURN_IF_ERROR(GetAttributeMap(request, "Item", &in.item, &in.item_status));
  RETURN_IF_ERROR(DecodeSingleWriteOptions(request, &in));
  std::optional<item::Item> failed_item;
  return WriteConditionalOutput(service->PutItem(ScopeOf(ctx), in, &failed_item), failed_item,
                                response);
}

Status GetItem(tables::TableService* service, const RequestContext& ctx, object request,
               std::string* response) {
  tables::GetItemInput in;
  RETURN_IF_ERROR(GetString(request, "TableName", &in.table_name));
  RETURN_IF_ERROR(GetAttributeMap(request, "Key", &in.key, &in.key_status));
  RETURN_IF_ERROR(DecodeAttributesToGet(request, &in.attributes_to_get));
  RETURN_IF_ERROR(GetBool(request, "ConsistentRead", &in.consistent_read));
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in.return_consumed_capacity));
  RETURN_IF_ERROR(DecodeExpressionParams(request, &in.expressions));
  ASSIGN_OR_RETURN(tables::ItemOutput out, service->GetItem(ScopeOf(ctx), in));
  item::JsonWriter w(response);
  WriteItemOutput(&w, out, "Item");
  return Status::OK();
}

Status UpdateItem(tables::TableService* service, const RequestContext& ctx, object request,
                  std::string* response) {
  tables::UpdateItemInput in;
  RETURN_IF_ERROR(GetString(request, "TableName", &in.table_name));
  RETURN_IF_ERROR(GetAttributeMap(request, "Key", &in.key, &in.key_status));
  RETURN_IF_ERROR(DecodeAttributeUpdates(request, &in.attribute_updates, &in.values_status));
  RETURN_IF_ERROR(DecodeSingleWriteOptions(request, &in));
  std::optional<item::Item> failed_item;
  return WriteConditionalOutput(service->UpdateItem(ScopeOf(ctx), in, &failed_item), failed_item,
                                response);
}

Status DeleteItem(tables::TableService* service, const RequestContext& ctx, object request,
                  std::string* response) {
  tables::DeleteItemInput in;
  RETURN_IF_ERROR(GetString(request, "TableName", &in.table_name));
  RETURN_IF_ERROR(GetAttributeMap(request, "Key", &in.key, &in.key_status));
  RETURN_IF_ERROR(DecodeSingleWriteOptions(request, &in));
  std::optional<item::Item> failed_item;
  return WriteConditionalOutput(service->DeleteItem(ScopeOf(ctx), in, &failed_item), failed_item,
                                response);
}

Status BatchWriteItem(tables::TableService* service, const RequestContext& ctx, object request,
                      std::string* response) {
  tables::BatchWriteItemInput in;
  RETURN_IF_ERROR(DecodeBatchWriteItem(request, &in));
  ASSIGN_OR_RETURN(tables::BatchWriteItemOutput out, service->BatchWriteItem(ScopeOf(ctx), in));
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("UnprocessedItems");
  w.StartObject();
  // Per table in request order, the requests as sent.
  for (size_t i = 0; i < out.unprocessed.size(); ++i) {
    const size_t t = out.unprocessed[i].table_index;
    const tables::TableWriteRequestsInput& table = (*in.request_items)[t];
    if (i == 0 || out.unprocessed[i - 1].table_index != t) {
      w.Key(table.table_name);
      w.StartArray();
    }
    const tables::WriteRequestInput& r = (*table.requests)[out.unprocessed[i].request_index];
    w.StartObject();
    w.Key(r.has_put ? "PutRequest" : "DeleteRequest");
    w.StartObject();
    w.Key(r.has_put ? "Item" : "Key");
    w.AttributeMap(r.has_put ? *r.put_item : *r.delete_key);
    w.EndObject();
    w.EndObject();
    if (i + 1 == out.unprocessed.size() || out.unprocessed[i + 1].table_index != t) {
      w.EndArray();
    }
  }
  w.EndObject();
  if (!out.item_collections.empty()) {
    w.Key("ItemCollectionMetrics");
    w.StartObject();
    for (const auto& [table, keys] : out.item_collections) {
      w.Key(table);
      w.StartArray();
      for (const item::Item& key : keys) WriteItemCollectionMetrics(&w, key);
      w.EndArray();
    }
    w.EndObject();
  }
  WriteConsumedCapacityList(&w, out.capacity_detail, out.consumed);
  w.EndObject();
  return Status::OK();
}

Status BatchGetItem(tables::TableService* service, const RequestContext& ctx, object request,
                    std::string* response) {
  tables::BatchGetItemInput in;
  RETURN_IF_ERROR(DecodeBatchGetItem(request, &in));
  ASSIGN_OR_RETURN(tables::BatchGetItemOutput out, service->BatchGetItem(ScopeOf(ctx), in));
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("Responses");
  w.StartObject();
  for (const tables::BatchGetItemOutput::TableItems& t : out.responses) {
    w.Key(t.table_name);
    w.StartArray();
    for (const item::Item& it : t.items) w.AttributeMap(it);
    w.EndArray();
  }
  w.EndObject();
  w.Key("UnprocessedKeys");
  w.StartObject();
  for (const tables::BatchGetItemOutput::UnprocessedTable& u : out.unprocessed) {
    const tables::TableKeysInput& t = (*in.request_items)[u.table_index];
    w.Key(t.table_name);
    w.StartObject();
    w.Key("Keys");
    w.StartArray();
    for (const item::Item& key : u.keys) w.AttributeMap(key);
    w.EndArray();
    if (t.consistent_read) {
      w.Key("ConsistentRead");
      w.Bool(*t.consistent_read);
    }
    if (t.attributes_to_get) {
      w.Key("AttributesToGet");
      w.StartArray();
      for (const std::string& a : *t.attributes_to_get) w.String(a);
      w.EndArray();
    }
    if (t.expressions.projection) {
      w.Key("ProjectionExpression");
      w.String(*t.expressions.projection);
    }
    if (t.expressions.names) {
      w.Key("ExpressionAttributeNames");
      w.StartObject();
      for (const auto& [placeholder, name] : *t.expressions.names) {
        w.Key(placeholder);
        w.String(name);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
  WriteConsumedCapacityList(&w, out.capacity_detail, out.consumed);
  w.EndObject();
  return Status::OK();
}

Status DescribeEndpoints(const RequestContext& ctx, object, std::string* response) {
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("Endpoints");
  w.StartArray();
  w.StartObject();
  w.Key("Address");
  w.String("dynamodb." + ctx.region + ".amazonaws.com");
  w.Key("CachePeriodInMinutes");
  w.Int(1440);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return Status::OK();
}

Status DescribeLimits(const RequestContext&, object, std::string* response) {
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("AccountMaxReadCapacityUnits");
  w.Int(80000);
  w.Key("AccountMaxWriteCapacityUnits");
  w.Int(80000);
  w.Key("TableMaxReadCapacityUnits");
  w.Int(40000);
  w.Key("TableMaxWriteCapacityUnits");
  w.Int(40000);
  w.EndObject();
  return Status::OK();
}

}  // namespace

void RegisterDynamoDbHandlers(Router* router, tables::TableService* service) {
  RegisterServiceOp(router, service, "CreateTable", CreateTable);
  RegisterServiceOp(router, service, "DescribeTable", DescribeTable);
  RegisterServiceOp(router, service, "ListTables", ListTables);
  RegisterServiceOp(router, service, "DeleteTable", DeleteTable);
  RegisterServiceOp(router, service, "UpdateTable", UpdateTable);
  RegisterServiceOp(router, service, "PutItem", PutItem);
  RegisterServiceOp(router, service, "GetItem", GetItem);
  RegisterServiceOp(router, service, "UpdateItem", UpdateItem);
  RegisterServiceOp(router, service, "DeleteItem", DeleteItem);
  RegisterServiceOp(router, service, "BatchWriteItem", BatchWriteItem);
  RegisterServiceOp(router, service, "BatchGetItem", BatchGetItem);
  RegisterTransactionHandlers(router, service);
  RegisterQueryHandlers(router, service);
  router->Register(std::string(kDynamoDbTargetPrefix) + "DescribeEndpoints", DescribeEndpoints);
  router->Register(std::string(kDynamoDbTargetPrefix) + "DescribeLimits", DescribeLimits);
}

}  // namespace strata::api
