#include "api/transaction_handlers.h"

#include <string>

#include "api/dynamodb_request_fields.h"
#include "api/expression_fields.h"
#include "api/service_handlers.h"
#include "item/api_error.h"
#include "item/json.h"

namespace strata::api {
namespace {

using simdjson::dom::object;
using Kind = tables::TransactActionInput::Kind;

// ---- decoding -------------------------------------------------------------------------------

// One Put / Update / Delete / ConditionCheck structure. Expression fields the shape does not
// have are ignored, as AWS ignores unknown fields.
Status DecodeAction(object o, Kind kind, tables::TransactActionInput* a) {
  a->kind = kind;
  if (kind == Kind::kPut) {
    RETURN_IF_ERROR(GetAttributeMap(o, "Item", &a->item, &a->item_status));
  } else {
    RETURN_IF_ERROR(GetAttributeMap(o, "Key", &a->key, &a->item_status));
  }
  RETURN_IF_ERROR(GetString(o, "TableName", &a->table_name));
  RETURN_IF_ERROR(DecodeExpressionParams(o, &a->expressions));
  RETURN_IF_ERROR(GetString(o, "ReturnValuesOnConditionCheckFailure",
                            &a->return_values_on_condition_check_failure));
  query::ExpressionParams& e = a->expressions;
  if (kind != Kind::kUpdate) e.update.reset();
  e.key_condition.reset();
  e.filter.reset();
  e.projection.reset();
  return Status::OK();
}

Status DecodePart(object item, std::string_view field, Kind kind,
                  std::optional<tables::TransactActionInput>* out) {
  std::optional<object> part;
  RETURN_IF_ERROR(GetStruct(item, field, field, &part));
  if (!part) return Status::OK();
  out->emplace();
  return DecodeAction(*part, kind, &**out);
}

Status DecodeTransactWriteItems(object request, tables::TransactWriteItemsInput* in) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(request, "TransactItems", &list));
  if (list) {
    in->transact_items.emplace();
    for (simdjson::dom::element e : *list) {
      std::optional<object> o;
      RETURN_IF_ERROR(ReadListStruct(e, "TransactWriteItem", &o));
      tables::TransactWriteItemInput t;
      if (o) {
        RETURN_IF_ERROR(
            DecodePart(*o, "ConditionCheck", Kind::kConditionCheck, &t.condition_check));
        RETURN_IF_ERROR(DecodePart(*o, "Put", Kind::kPut, &t.put));
        RETURN_IF_ERROR(DecodePart(*o, "Delete", Kind::kDelete, &t.delete_action));
        RETURN_IF_ERROR(DecodePart(*o, "Update", Kind::kUpdate, &t.update));
      }
      in->transact_items->push_back(std::move(t));
    }
  }
  RETURN_IF_ERROR(GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity));
  RETURN_IF_ERROR(
      GetString(request, "ReturnItemCollectionMetrics", &in->return_item_collection_metrics));
  return GetString(request, "ClientRequestToken", &in->client_request_token);
}

Status DecodeTransactGetItems(object request, tables::TransactGetItemsInput* in) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(request, "TransactItems", &list));
  if (list) {
    in->transact_items.emplace();
    for (simdjson::dom::element e : *list) {
      std::optional<object> o;
      RETURN_IF_ERROR(ReadListStruct(e, "TransactGetItem", &o));
      tables::TransactGetItemInput g;
      std::optional<object> get;
      if (o) RETURN_IF_ERROR(GetStruct(*o, "Get", "Get", &get));
      if (get) {
        g.has_get = true;
        RETURN_IF_ERROR(GetAttributeMap(*get, "Key", &g.key, &g.key_status));
        RETURN_IF_ERROR(GetString(*get, "TableName", &g.table_name));
        RETURN_IF_ERROR(DecodeExpressionParams(*get, &g.expressions));
        query::ExpressionParams& x = g.expressions;
        x.update.reset();
        x.condition.reset();
        x.key_condition.reset();
        x.filter.reset();
        x.values.reset();
        x.invalid_value.reset();
      }
      in->transact_items->push_back(std::move(g));
    }
  }
  return GetString(request, "ReturnConsumedCapacity", &in->return_consumed_capacity);
}

// ---- encoding -------------------------------------------------------------------------------

// The TransactionCanceledException body (DESIGN 6.3), when `status` is one.
void WriteCancellation(const Status& status, const std::vector<tables::CancellationReason>& reasons,
                       std::string* response) {
  if (item::ApiErrorOf(status) != item::ApiError::kTransactionCanceled) return;
  response->clear();
  item::JsonWriter w(response);
  w.StartObject();
  w.Key("__type");
  w.String(item::InfoOf(item::ApiError::kTransactionCanceled).type);
  w.Key("Message");
  w.String(status.message());
  w.Key("CancellationReasons");
  w.StartArray();
  for (const tables::CancellationReason& r : reasons) {
    w.StartObject();
    w.Key("Code");
    w.String(r.code);
    if (r.code != "None") {
      w.Key("Message");
      w.String(r.message);
    }
    if (r.item) {
      w.Key("Item");
      w.AttributeMap(*r.item);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// ---- handlers -------------------------------------------------------------------------------

Status TransactWriteItems(tables::TableService* service, const RequestContext& ctx, object request,
                          std::string* response) {
  tables::TransactWriteItemsInput in;
  RETURN_IF_ERROR(DecodeTransactWriteItems(request, &in));
  std::vector<tables::CancellationReason> reasons;
  Result<tables::TransactWriteItemsOutput> out =
      service->TransactWriteItems(ScopeOf(ctx), in, &reasons);
  if (!out.ok()) {
    WriteCancellation(out.status(), reasons, response);
    return out.status();
  }
  item::JsonWriter w(response);
  w.StartObject();
  WriteConsumedCapacityList(&w, out.value().capacity_detail, out.value().consumed);
  w.EndObject();
  return Status::OK();
}

Status TransactGetItems(tables::TableService* service, const RequestContext& ctx, object request,
                        std::string* response) {
  tables::TransactGetItemsInput in;
  RETURN_IF_ERROR(DecodeTransactGetItems(request, &in));
  std::vector<tables::CancellationReason> reasons;
  Result<tables::TransactGetItemsOutput> result =
      service->TransactGetItems(ScopeOf(ctx), in, &reasons);
  if (!result.ok()) {
    WriteCancellation(result.status(), reasons, response);
    return result.status();
  }
  const tables::TransactGetItemsOutput& out = result.value();
  item::JsonWriter w(response);
  w.StartObject();
  WriteConsumedCapacityList(&w, out.capacity_detail, out.consumed);
  w.Key("Responses");
  w.StartArray();
  for (const std::optional<item::Item>& it : out.responses) {
    w.StartObject();
    if (it) {
      w.Key("Item");
      w.AttributeMap(*it);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Status::OK();
}

}  // namespace

void RegisterTransactionHandlers(Router* router, tables::TableService* service) {
  RegisterServiceOp(router, service, "TransactWriteItems", TransactWriteItems);
  RegisterServiceOp(router, service, "TransactGetItems", TransactGetItems);
}

}  // namespace strata::api
