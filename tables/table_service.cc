// TableService: construction, Open() and the control-plane operations. The item operations
// are in item_operations.cc.

#include "tables/table_service.h"

#include <algorithm>
#include <set>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "item/key_codec.h"
#include "tables/ids.h"
#include "tables/item_key.h"
#include "tables/schema_checks.h"
#include "tables/secondary_index.h"
#include "tables/table_name.h"
#include "tables/validation_collector.h"
#include "util/hash.h"

namespace strata::tables {
namespace {

constexpr int64_t kMaxCapacityUnits = 1000000000000;  // AWS: "... is out of bounds" above this

Status NotSupported(const std::vector<std::string>& fields) {
  if (fields.empty()) return Status::OK();
  return item::ValidationError("strata: " + fields.front() + " is not supported yet");
}

Status CheckThroughputBounds(const std::optional<ProvisionedThroughputInput>& pt) {
  if (!pt) return Status::OK();
  if (*pt->read_capacity_units > kMaxCapacityUnits) {
    return item::ValidationError("Given value " + std::to_string(*pt->read_capacity_units) +
                                 " for ReadCapacityUnits is out of bounds");
  }
  if (*pt->write_capacity_units > kMaxCapacityUnits) {
    return item::ValidationError("Given value " + std::to_string(*pt->write_capacity_units) +
                                 " for WriteCapacityUnits is out of bounds");
  }
  return Status::OK();
}

void CheckCreateTableShapes(const CreateTableInput& in, ValidationCollector* errors) {
  if (in.billing_mode && *in.billing_mode != "PROVISIONED" &&
      *in.billing_mode != "PAY_PER_REQUEST") {
    errors->Add(*in.billing_mode, "billingMode",
                EnumConstraint({"PROVISIONED", "PAY_PER_REQUEST"}));
  }
  CheckThroughput(in.provisioned_throughput, "provisionedThroughput", errors);
  if (!in.key_schema) {
    errors->AddNull("keySchema", kNotNullConstraint);
  } else {
    const auto& ks = *in.key_schema;
    if (ks.empty()) errors->Add("[]", "keySchema", MinLengthConstraint(1));
    if (ks.size() > 2) errors->Add(KeySchemaToString(ks), "keySchema", MaxLengthConstraint(2));
    for (size_t i = 0; i < ks.size(); ++i) {
      std::string path = "keySchema." + std::to_string(i + 1) + ".member.";
      CheckAttributeName(ks[i].attribute_name, path + "attributeName", errors);
      if (!ks[i].key_type) {
        errors->AddNull(path + "keyType", kNotNullConstraint);
      } else if (*ks[i].key_type != "HASH" && *ks[i].key_type != "RANGE") {
        errors->Add(*ks[i].key_type, path + "keyType", EnumConstraint({"HASH", "RANGE"}));
      }
    }
  }
  if (!in.attribute_definitions) {
    errors->AddNull("attributeDefinitions", kNotNullConstraint);
  } else {
    CheckAttributeDefinitions(*in.attribute_definitions, errors);
  }
  if (in.local_secondary_indexes) {
    CheckIndexShapes(*in.local_secondary_indexes, "localSecondaryIndexes", /*global=*/false,
                     errors);
  }
  if (in.global_secondary_indexes) {
    CheckIndexShapes(*in.global_secondary_indexes, "globalSecondaryIndexes", /*global=*/true,
                     errors);
  }
  if (in.tags) {
    for (size_t i = 0; i < in.tags->size(); ++i) {
      const TagInput& tag = (*in.tags)[i];
      std::string path = "tags." + std::to_string(i + 1) + ".member.";
      if (!tag.key) {
        errors->AddNull(path + "key", kNotNullConstraint);
      } else if (tag.key->empty()) {
        errors->Add(*tag.key, path + "key", MinLengthConstraint(1));
      } else if (tag.key->size() > 128) {
        errors->Add(*tag.key, path + "key", MaxLengthConstraint(128));
      }
      if (!tag.value) {
        errors->AddNull(path + "value", kNotNullConstraint);
      } else if (tag.value->size() > 256) {
        errors->Add(*tag.value, path + "value", MaxLengthConstraint(256));
      }
    }
  }
}

// The key-schema checks that follow the coral ones (dynalite createTable.js custom order).
Status CheckKeySchema(const CreateTableInput& in) {
  const auto& ks = *in.key_schema;
  const auto& defs = *in.attribute_definitions;
  auto defined = [&](const std::string& name) {
    return std::any_of(defs.begin(), defs.end(), [&](const AttributeDefinitionInput& d) {
      return *d.attribute_name == name;
    });
  };
  bool any_missing = false;
  for (const auto& k : ks) any_missing |= !defined(*k.attribute_name);
  if (ks.size() == 2) {
    if (any_missing || (*ks[0].attribute_name == *ks[1].attribute_name && defs.size() == 1)) {
      return item::ValidationError(
          "Invalid KeySchema: Some index key attribute have no definition");
    }
  } else if (any_missing) {
    std::string msg =
        "One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [";
    msg.append(*ks[0].attribute_name);
    msg.append("], AttributeDefinitions: [");
    for (size_t i = 0; i < defs.size(); ++i) {
      if (i > 0) msg.append(", ");
      msg.append(*defs[i].attribute_name);
    }
    msg.append("]");
    return item::ValidationError(msg);
  }
  RETURN_IF_ERROR(CheckKeyTypes(ks));
  return Status::OK();
}

TableDescription Describe(const TableHandle& h, std::string status) {
  TableDescription d;
  d.def = h.def;
  d.table_status = std::move(status);
  d.item_count = h.runtime->item_count.load(std::memory_order_relaxed);
  d.table_size_bytes = h.runtime->size_bytes.load(std::memory_order_relaxed);
  for (const IndexDef& index : h.def->indexes) {
    const IndexCounters& c = h.runtime->index_stats[index.index_id];
    d.index_stats.push_back(
        TableDescription::IndexStats{c.item_count.load(std::memory_order_relaxed),
                                     c.size_bytes.load(std::memory_order_relaxed)});
  }
  return d;
}

}  // namespace

TableService::TableService(engine::Db* db)
    : db_(db), catalog_(db), stripes_(std::make_unique<std::array<std::mutex, kLockStripes>>()) {}

TableService::~TableService() { StopBackfills(); }

Status TableService::Open() {
  std::vector<uint32_t> pending_drops;
  RETURN_IF_ERROR(catalog_.Load(&pending_drops));
  for (uint32_t id : pending_drops) {
    RETURN_IF_ERROR(PurgeTableItems(id));
    RETURN_IF_ERROR(catalog_.FinishDrop(id));
  }
  for (const TableHandle& h : catalog_.All()) {
    RETURN_IF_ERROR(RecomputeStats(h));
    RETURN_IF_ERROR(OpenIndexes(h));
  }
  RETURN_IF_ERROR(tokens_.Load(db_));
  return Status::OK();
}

Status TableService::CountEntries(std::string_view prefix, int64_t* count, int64_t* bytes) {
  std::unique_ptr<engine::Iterator> it = db_->NewIterator(engine::ReadOptions());
  *count = 0;
  *bytes = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    item::Item value;
    RETURN_IF_ERROR(item::DecodeItem(it->value(), &value));
    ++*count;
    *bytes += static_cast<int64_t>(item::ItemSize(value));
  }
  return it->status();
}

Status TableService::RecomputeStats(const TableHandle& handle) {
  int64_t count = 0, bytes = 0;
  RETURN_IF_ERROR(CountEntries(item::TablePrefix(handle.def->table_id), &count, &bytes));
  handle.runtime->item_count.store(count);
  handle.runtime->size_bytes.store(bytes);
  return Status::OK();
}

Status TableService::PurgeTableItems(uint32_t table_id) {
  return PurgePrefix(item::TablePrefix(table_id).substr(0, 4));  // u32BE table_id: every index
}

std::mutex& TableService::StripeFor(std::string_view item_key) {
  return (*stripes_)[Hash64(item_key) % kLockStripes];
}

Result<TableHandle> TableService::FindTable(const Scope& scope, const std::string& name,
                                            bool name_in_message) const {
  std::string_view table;
  TableHandle h;
  if (ResolveTableName(name, scope.account, scope.region, &table)) {
    h = catalog_.Find(scope.account, scope.region, table);
  }
  if (h.def == nullptr) {
    std::string msg = "Requested resource not found";
    if (name_in_message) msg += ": Table: " + std::string(table) + " not found";
    return item::MakeApiError(item::ApiError::kResourceNotFound, msg);
  }
  return h;
}

Result<std::string> TableService::ItemKeyForTesting(const Scope& scope,
                                                    const std::string& table_name,
                                                    const item::Item& key) const {
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, table_name, /*name_in_message=*/false));
  return ItemKeyFromKey(*h.def, key);
}

Result<TableDescription> TableService::CreateTable(const Scope& scope, const CreateTableInput& in) {
  {
    // AWS reports an invalid table name on its own, before every other constraint.
    ValidationCollector name_errors;
    RETURN_IF_ERROR(CheckCreateTableName(in.table_name, &name_errors));
    RETURN_IF_ERROR(name_errors.ToStatus());
  }
  ValidationCollector errors;
  CheckCreateTableShapes(in, &errors);
  RETURN_IF_ERROR(errors.ToStatus());

  const bool pay_per_request = in.billing_mode && *in.billing_mode == "PAY_PER_REQUEST";
  if (pay_per_request && in.provisioned_throughput) {
    return item::ValidationError(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  RETURN_IF_ERROR(CheckThroughputBounds(in.provisioned_throughput));
  if (!pay_per_request && !in.provisioned_throughput) {
    return item::ValidationError(
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
        "must both be specified when BillingMode is PROVISIONED");
  }
  RETURN_IF_ERROR(CheckKeySchema(in));
  const auto& ks = *in.key_schema;
  const auto& defs = *in.attribute_definitions;
  if (!in.local_secondary_indexes && !in.global_secondary_indexes && ks.size() != defs.size()) {
    return item::ValidationError(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  }
  RETURN_IF_ERROR(CheckCreateTableIndexes(in, pay_per_request));
  RETURN_IF_ERROR(NotSupported(in.unsupported_fields));

  TableDef def;
  def.account = scope.account;
  def.region = scope.region;
  def.name = *in.table_name;
  for (const AttributeDefinitionInput& d : defs) {
    AttributeDefinition a;
    a.name = *d.attribute_name;
    ParseScalarType(*d.attribute_type, &a.type);
    def.attribute_definitions.push_back(std::move(a));
  }
  auto type_of = [&](const std::string& name) {
    for (const AttributeDefinition& a : def.attribute_definitions) {
      if (a.name == name) return a.type;
    }
    return item::AttrType::kS;  // unreachable: CheckKeySchema verified the definitions
  };
  def.hash_key = KeyAttribute{*ks[0].attribute_name, type_of(*ks[0].attribute_name)};
  if (ks.size() == 2) {
    def.range_key = KeyAttribute{*ks[1].attribute_name, type_of(*ks[1].attribute_name)};
  }
  def.creation_ms = NowMillis();
  if (pay_per_request) {
    def.billing_mode = BillingMode::kPayPerRequest;
    def.last_update_to_pay_per_request_ms = def.creation_ms;
  } else {
    def.billing_mode = BillingMode::kProvisioned;
    def.throughput.read_capacity_units = *in.provisioned_throughput->read_capacity_units;
    def.throughput.write_capacity_units = *in.provisioned_throughput->write_capacity_units;
  }
  def.table_uuid = NewUuidV4();
  if (in.tags) {
    for (const TagInput& t : *in.tags) def.tags.push_back(Tag{*t.key, *t.value});
  }
  def.deletion_protection = in.deletion_protection_enabled.value_or(false);
  for (const bool global : {false, true}) {
    const auto& list = global ? in.global_secondary_indexes : in.local_secondary_indexes;
    if (!list) continue;
    for (const SecondaryIndexInput& index : *list) {
      def.indexes.push_back(BuildIndexDef(index, global, def.attribute_definitions));
      def.indexes.back().index_id = static_cast<uint8_t>(def.indexes.size());
    }
  }
  ASSIGN_OR_RETURN(TableHandle h, catalog_.Create(std::move(def)));
  return Describe(h, "CREATING");
}

Result<TableDescription> TableService::DescribeTable(const Scope& scope,
                                                     const std::optional<std::string>& table_name) {
  ValidationCollector errors;
  CheckTableNameOrArn(table_name, &errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *table_name, /*name_in_message=*/true));
  return Describe(h, "ACTIVE");
}

Result<ListTablesOutput> TableService::ListTables(const Scope& scope, const ListTablesInput& in) {
  ValidationCollector errors;
  if (in.limit) {
    if (*in.limit < 1) errors.Add(std::to_string(*in.limit), "limit", MinValueConstraint(1));
    if (*in.limit > 100) errors.Add(std::to_string(*in.limit), "limit", MaxValueConstraint(100));
  }
  if (in.exclusive_start_table_name) {
    const std::string& s = *in.exclusive_start_table_name;
    if (!MatchesTableNamePattern(s)) {
      errors.Add(s, "exclusiveStartTableName", PatternConstraint(kTableNamePattern));
    }
    if (s.size() < 3) errors.Add(s, "exclusiveStartTableName", MinLengthConstraint(3));
    if (s.size() > 255) errors.Add(s, "exclusiveStartTableName", MaxLengthConstraint(255));
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ListTablesOutput out;
  bool more = false;
  out.table_names =
      catalog_.ListNames(scope.account, scope.region, in.exclusive_start_table_name.value_or(""),
                         static_cast<size_t>(in.limit.value_or(100)), &more);
  if (more && !out.table_names.empty()) out.last_evaluated_table_name = out.table_names.back();
  return out;
}

Result<TableDescription> TableService::DeleteTable(const Scope& scope,
                                                   const std::optional<std::string>& table_name) {
  ValidationCollector errors;
  CheckTableNameOrArn(table_name, &errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *table_name, /*name_in_message=*/true));
  if (h.def->deletion_protection) {
    return item::ValidationError(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  }
  TableDescription description;
  {
    std::unique_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) {
      return item::MakeApiError(
          item::ApiError::kResourceNotFound,
          "Requested resource not found: Table: " + h.def->name + " not found");
    }
    description = Describe(h, "DELETING");
    Status s = catalog_.Drop(*h.def);
    if (s.IsNotFound()) {
      return item::MakeApiError(
          item::ApiError::kResourceNotFound,
          "Requested resource not found: Table: " + h.def->name + " not found");
    }
    RETURN_IF_ERROR(s);
    h.runtime->dropped = true;
  }
  RETURN_IF_ERROR(PurgeTableItems(h.def->table_id));
  RETURN_IF_ERROR(catalog_.FinishDrop(h.def->table_id));
  return description;
}

Result<TableDescription> TableService::UpdateTable(const Scope& scope, const UpdateTableInput& in) {
  ValidationCollector errors;
  CheckTableNameOrArn(in.table_name, &errors);
  if (in.billing_mode && *in.billing_mode != "PROVISIONED" &&
      *in.billing_mode != "PAY_PER_REQUEST") {
    errors.Add(*in.billing_mode, "billingMode", EnumConstraint({"PROVISIONED", "PAY_PER_REQUEST"}));
  }
  CheckThroughput(in.provisioned_throughput, "provisionedThroughput", &errors);
  CheckIndexUpdateShapes(in, &errors);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(NotSupported(in.unsupported_fields));
  if (!in.provisioned_throughput && !in.billing_mode && !in.deletion_protection_enabled &&
      !in.global_secondary_index_updates) {
    return item::ValidationError(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  RETURN_IF_ERROR(CheckThroughputBounds(in.provisioned_throughput));
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/true));

  TableDef def = *h.def;
  const BillingMode mode = !in.billing_mode                        ? def.billing_mode
                           : *in.billing_mode == "PAY_PER_REQUEST" ? BillingMode::kPayPerRequest
                                                                   : BillingMode::kProvisioned;
  if (mode == BillingMode::kPayPerRequest && in.provisioned_throughput) {
    return item::ValidationError(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (in.billing_mode && mode == BillingMode::kProvisioned && !in.provisioned_throughput) {
    return item::ValidationError(
        "One or more parameter values were invalid: ProvisionedThroughput must be specified "
        "when BillingMode is PROVISIONED");
  }
  const int64_t now = NowMillis();
  if (in.provisioned_throughput) {
    const int64_t read = *in.provisioned_throughput->read_capacity_units;
    const int64_t write = *in.provisioned_throughput->write_capacity_units;
    ProvisionedThroughput& pt = def.throughput;
    if (def.billing_mode == BillingMode::kProvisioned && read == pt.read_capacity_units &&
        write == pt.write_capacity_units) {
      return item::ValidationError(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the current value. Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(pt.read_capacity_units) + ". Requested ReadCapacityUnits: " +
          std::to_string(read) + ". Current WriteCapacityUnits provisioned for the table: " +
          std::to_string(pt.write_capacity_units) +
          ". Requested WriteCapacityUnits: " + std::to_string(write) +
          ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
          "higher limits.");
    }
    if (def.billing_mode == BillingMode::kProvisioned) {
      if (read > pt.read_capacity_units || write > pt.write_capacity_units) {
        pt.last_increase_ms = now;
      }
      if (read < pt.read_capacity_units || write < pt.write_capacity_units) {
        pt.last_decrease_ms = now;
        ++pt.number_of_decreases_today;
      }
    }
    pt.read_capacity_units = read;
    pt.write_capacity_units = write;
  }
  if (mode == BillingMode::kPayPerRequest && def.billing_mode != BillingMode::kPayPerRequest) {
    def.last_update_to_pay_per_request_ms = now;
    def.throughput.read_capacity_units = 0;
    def.throughput.write_capacity_units = 0;
  }
  def.billing_mode = mode;
  if (in.deletion_protection_enabled) def.deletion_protection = *in.deletion_protection_enabled;
  std::vector<IndexChangeAfterReplace> index_changes;
  if (in.global_secondary_index_updates) {
    RETURN_IF_ERROR(ApplyIndexUpdates(in, &def, &index_changes));
  }
  Status s = catalog_.Replace(def);
  if (s.IsNotFound()) {
    return item::MakeApiError(item::ApiError::kResourceNotFound,
                              "Requested resource not found: Table: " + def.name + " not found");
  }
  RETURN_IF_ERROR(s);
  ASSIGN_OR_RETURN(TableHandle updated, FindTable(scope, def.name, /*name_in_message=*/true));
  TableDescription description = Describe(updated, "UPDATING");
  AfterIndexReplace(updated, index_changes);
  return description;
}

}  // namespace strata::tables
