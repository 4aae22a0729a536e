#include "tables/operation_checks.h"

#include <algorithm>

#include "item/api_error.h"
#include "item/item_codec.h"

namespace strata::tables {

void CheckReturnConsumedCapacity(const std::optional<std::string>& v, ValidationCollector* errors) {
  if (v && *v != "INDEXES" && *v != "TOTAL" && *v != "NONE") {
    errors->Add(*v, "returnConsumedCapacity", EnumConstraint({"INDEXES", "TOTAL", "NONE"}));
  }
}

void CheckReturnItemCollectionMetrics(const std::optional<std::string>& v,
                                      ValidationCollector* errors) {
  if (v && *v != "SIZE" && *v != "NONE") {
    errors->Add(*v, "returnItemCollectionMetrics", EnumConstraint({"SIZE", "NONE"}));
  }
}

void CheckReturnValues(const std::optional<std::string>& v, ValidationCollector* errors) {
  if (v && *v != "ALL_NEW" && *v != "UPDATED_OLD" && *v != "ALL_OLD" && *v != "NONE" &&
      *v != "UPDATED_NEW") {
    errors->Add(*v, "returnValues",
                EnumConstraint({"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"}));
  }
}

void CheckAttributesToGet(const std::optional<std::vector<std::string>>& v,
                          ValidationCollector* errors) {
  if (!v || (!v->empty() && v->size() <= 255)) return;
  std::string rendered = "[";
  for (size_t i = 0; i < v->size(); ++i) rendered += (i ? ", " : "") + (*v)[i];
  rendered += "]";
  errors->Add(rendered, "attributesToGet",
              v->empty() ? MinLengthConstraint(1) : MaxLengthConstraint(255));
}

Status CheckOldImageReturnValues(const std::optional<std::string>& v) {
  if (v && *v != "ALL_OLD" && *v != "NONE") {
    return item::ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  return Status::OK();
}

CapacityDetail DetailOf(const std::optional<std::string>& v) {
  if (!v || *v == "NONE") return CapacityDetail::kNone;
  return *v == "INDEXES" ? CapacityDetail::kIndexes : CapacityDetail::kTotal;
}

Status NotSupported(const std::vector<std::string>& fields) {
  if (fields.empty()) return Status::OK();
  return item::ValidationError("strata: " + fields.front() + " is not supported yet");
}

Status CheckKeyNotUpdated(const TableDef& def, const query::ParsedExpression& update,
                          const query::Bindings& b) {
  std::vector<std::string_view> keys{def.hash_key.name};
  if (def.range_key) keys.push_back(def.range_key->name);
  query::ResolvedPath path;
  for (std::string_view key : keys) {
    for (const query::UpdateAction& action : update.actions) {
      query::ResolvePath(action.path, b, &path);
      if (!path.empty() && !path.front().is_index && path.front().name == key) {
        return item::ValidationError(
            "One or more parameter values were invalid: Cannot update attribute " +
            std::string(key) + ". This attribute is part of the key");
      }
    }
  }
  // Index keys may be set or removed, but not through a nested path (GSIs first, as AWS).
  for (const bool global : {true, false}) {
    for (const IndexDef& index : def.indexes) {
      if (index.global != global) continue;
      for (const KeyAttribute* key :
           {&index.hash_key, index.range_key ? &*index.range_key : nullptr}) {
        if (key == nullptr) continue;
        for (const query::UpdateAction& action : update.actions) {
          query::ResolvePath(action.path, b, &path);
          if (path.size() > 1 && !path.front().is_index && path.front().name == key->name) {
            return item::ValidationError(
                "Key attributes must be scalars; list random access '[]' and map lookup '.' are "
                "not allowed: IndexKey: " +
                key->name);
          }
        }
      }
    }
  }
  return Status::OK();
}

bool OnlyRemoves(const query::ParsedExpression& update) {
  return !update.actions.empty() &&
         std::all_of(update.actions.begin(), update.actions.end(), [](const auto& a) {
           return a.kind == query::UpdateAction::Kind::kRemove ||
                  a.kind == query::UpdateAction::Kind::kDelete;
         });
}

Status TableGone() {
  return item::MakeApiError(item::ApiError::kResourceNotFound, "Requested resource not found");
}

Status TransactionConflict() {
  return item::MakeApiError(item::ApiError::kTransactionConflict, kTransactionConflictMessage);
}

Status ReadItem(engine::Db* db, const engine::ReadOptions& options, const std::string& key,
                bool* found, item::Item* out) {
  std::string value;
  Status s = db->Get(options, key, &value);
  if (s.IsNotFound()) {
    *found = false;
    return Status::OK();
  }
  RETURN_IF_ERROR(s);
  *found = true;
  return item::DecodeItem(value, out);
}

}  // namespace strata::tables
