// TableService item operations: PutItem, GetItem, UpdateItem, DeleteItem.
//
// Order of checks (dynalite validations/*.js and actions/*.js, validated against AWS):
// coral constraints -> mixing of expression and legacy parameters -> attribute values ->
// ReturnValues -> item size -> legacy parameters -> expressions -> table lookup -> primary key
// -> key attributes not updated -> an item claimed by a TransactWriteItems in flight
// (TransactionConflictException). Then, under the item lock: condition, new image, write.

#include <algorithm>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "query/bindings.h"
#include "query/projection.h"
#include "query/update.h"
#include "tables/capacity.h"
#include "tables/index_writes.h"
#include "tables/item_key.h"
#include "tables/operation_checks.h"
#include "tables/read_projection.h"
#include "tables/secondary_index.h"
#include "tables/table_name.h"
#include "tables/table_service.h"
#include "tables/validation_collector.h"
#include "tables/write_condition.h"

namespace strata::tables {
namespace {

// The coral constraints PutItem, UpdateItem and DeleteItem share, in AWS's order.
template <typename Input>
void CheckWriteConstraints(const Input& in, ValidationCollector* errors) {
  CheckReturnConsumedCapacity(in.return_consumed_capacity, errors);
  CheckReturnItemCollectionMetrics(in.return_item_collection_metrics, errors);
  CheckReturnValues(in.return_values, errors);
  CheckTableNameOrArn(in.table_name, errors);
  WriteCondition::CheckConstraints(in.condition, errors);
}

// The expression parameters a conditional write accepts, and the legacy ones present.
Status CheckWriteParams(const query::ExpressionParams& params, bool has_update_param,
                        bool has_attribute_updates, const WriteConditionInput& condition) {
  std::vector<std::string_view> expressions;
  if (has_update_param) expressions.push_back("UpdateExpression");
  expressions.push_back("ConditionExpression");
  std::vector<std::string_view> legacy;
  if (has_attribute_updates) legacy.push_back("AttributeUpdates");
  if (condition.expected) legacy.push_back("Expected");
  return query::CheckExpressionParams(params, expressions, legacy);
}

std::vector<query::Path> ActionPaths(const query::ParsedExpression& update) {
  std::vector<query::Path> paths;
  paths.reserve(update.actions.size());
  for (const query::UpdateAction& action : update.actions) paths.push_back(action.path);
  return paths;
}

}  // namespace

Status TableService::MutateItem(const TableHandle& h, const std::string& key,
                                const WriteCondition& condition,
                                const WriteConditionInput& condition_input,
                                std::optional<item::Item>* failed_item, const ApplyFunction& apply,
                                ItemChange* change) {
  // An item a TransactWriteItems in flight holds: AWS's conflict, never a wait (the check is
  // one atomic load when no transaction is in flight).
  if (claims_.IsClaimed(key)) return TransactionConflict();
  std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
  if (h.runtime->dropped) return TableGone();
  std::lock_guard<std::mutex> item_lock(StripeFor(key));
  RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), key, &change->found, &change->old_item));
  const item::Item* current = change->found ? &change->old_item : nullptr;
  if (!condition.Holds(current)) return ConditionFailed(condition_input, current, failed_item);
  ASSIGN_OR_RETURN(change->new_item, apply(current, &change->scratch));
  change->old_size = change->found ? item::ItemSize(change->old_item) : 0;
  change->new_size = change->new_item ? item::ItemSize(*change->new_item) : 0;
  if (change->new_item && change->new_size > item::kMaxItemSize) {
    return item::ValidationError("Item size to update has exceeded the maximum allowed size");
  }
  if (!change->new_item && !change->found) return Status::OK();  // nothing to delete
  const TableDef& live = *h.runtime->live_def;
  if (change->new_item) RETURN_IF_ERROR(CheckIndexKeys(live, *change->new_item, change->origin));

  engine::WriteBatch batch;
  if (change->new_item) {
    std::string value;
    item::EncodeItem(*change->new_item, &value);
    batch.Put(key, value);
  } else {
    batch.Delete(key);
  }
  change->index_writes.Add(live, current, change->new_item, &batch);
  RETURN_IF_ERROR(db_->Write(batch));
  change->index_writes.Commit(h.runtime.get());
  const int64_t count_delta = (change->new_item ? 1 : 0) - (change->found ? 1 : 0);
  if (count_delta != 0) h.runtime->item_count.fetch_add(count_delta, std::memory_order_relaxed);
  h.runtime->size_bytes.fetch_add(
      static_cast<int64_t>(change->new_size) - static_cast<int64_t>(change->old_size),
      std::memory_order_relaxed);
  return Status::OK();
}

Result<ItemOutput> TableService::PutItem(const Scope& scope, const PutItemInput& in,
                                         std::optional<item::Item>* failed_item) {
  ValidationCollector errors;
  CheckWriteConstraints(in, &errors);
  if (!in.item && in.item_status.ok()) errors.AddNull("item", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckWriteParams(in.expressions, false, false, in.condition));
  RETURN_IF_ERROR(in.item_status);
  RETURN_IF_ERROR(in.values_status);
  const item::Item& new_item = *in.item;
  RETURN_IF_ERROR(ValidateAttributeNames(new_item));
  RETURN_IF_ERROR(CheckOldImageReturnValues(in.return_values));
  if (item::ItemSize(new_item) > item::kMaxItemSize) {
    return item::ValidationError("Item size has exceeded the maximum allowed size");
  }
  WriteCondition condition;
  query::CompiledExpressions compiled;
  RETURN_IF_ERROR(condition.Prepare(in.condition, in.expressions, &compiled));
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromItem(*h.def, new_item));
  RETURN_IF_ERROR(CheckIndexKeys(*h.def, new_item, ImageOrigin::kItem));

  ItemChange change;
  RETURN_IF_ERROR(MutateItem(
      h, key, condition, in.condition, failed_item,
      [&](const item::Item*, item::Item*) -> Result<const item::Item*> { return &new_item; },
      &change));
  ItemOutput out;
  if (change.found && in.return_values.value_or("NONE") == "ALL_OLD") {
    out.item = std::move(change.old_item);
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = WriteHalfUnits(std::max(change.old_size, change.new_size));
  change.index_writes.AddUnits(&out.consumed);
  out.item_collection_key = ItemCollectionKey(*h.def, in.return_item_collection_metrics, new_item);
  return out;
}

Result<ItemOutput> TableService::GetItem(const Scope& scope, const GetItemInput& in) {
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  CheckAttributesToGet(in.attributes_to_get, &errors);
  if (!in.key && in.key_status.ok()) errors.AddNull("key", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(ReadProjection::CheckParams(in.expressions, in.attributes_to_get));
  RETURN_IF_ERROR(in.key_status);
  ReadProjection projection;
  RETURN_IF_ERROR(projection.Prepare(in.expressions, in.attributes_to_get));
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromKey(*h.def, *in.key));

  ItemOutput out;
  bool found = false;
  item::Item current;
  {
    std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) return TableGone();
    RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), key, &found, &current));
  }
  const size_t size = found ? item::ItemSize(current) : 0;
  if (found) {
    projection.Apply(&current);
    out.item = std::move(current);
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = ReadHalfUnits(size, in.consistent_read.value_or(false));
  return out;
}

Result<ItemOutput> TableService::UpdateItem(const Scope& scope, const UpdateItemInput& in,
                                            std::optional<item::Item>* failed_item) {
  ValidationCollector errors;
  CheckWriteConstraints(in, &errors);
  if (in.attribute_updates) {
    AddLegacyViolations(query::AttributeUpdatesConstraintViolations(*in.attribute_updates),
                        &errors);
  }
  if (!in.key && in.key_status.ok()) errors.AddNull("key", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(
      CheckWriteParams(in.expressions, true, in.attribute_updates.has_value(), in.condition));
  RETURN_IF_ERROR(in.key_status);
  RETURN_IF_ERROR(in.values_status);
  query::LegacyExpression legacy_update;
  const query::ParsedExpression* update = nullptr;
  const query::Bindings* update_bindings = nullptr;
  if (in.attribute_updates) {
    RETURN_IF_ERROR(query::ConvertAttributeUpdates(*in.attribute_updates, &legacy_update));
    update = &legacy_update.expr;
    update_bindings = &legacy_update.bindings;
  }
  WriteCondition condition;
  query::CompiledExpressions compiled;
  RETURN_IF_ERROR(condition.Prepare(in.condition, in.expressions, &compiled));
  if (compiled.update) {
    update = compiled.update.get();
    update_bindings = &compiled.update_bindings;
  }
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromKey(*h.def, *in.key));
  if (update != nullptr) RETURN_IF_ERROR(CheckKeyNotUpdated(*h.def, *update, *update_bindings));

  ItemChange change;
  change.origin = ImageOrigin::kUpdateExpression;
  RETURN_IF_ERROR(MutateItem(
      h, key, condition, in.condition, failed_item,
      [&](const item::Item* current, item::Item* scratch) -> Result<const item::Item*> {
        // AWS creates no item when an absent one is only removed from.
        if (current == nullptr && update != nullptr && OnlyRemoves(*update)) {
          return static_cast<const item::Item*>(nullptr);
        }
        *scratch = current != nullptr ? *current : *in.key;
        if (update == &legacy_update.expr) {
          RETURN_IF_ERROR(query::ApplyAttributeUpdates(legacy_update, scratch));
        } else if (update != nullptr) {
          RETURN_IF_ERROR(query::ApplyUpdate(*update, *update_bindings, scratch));
        }
        return scratch;
      },
      &change));

  ItemOutput out;
  const std::string return_values = in.return_values.value_or("NONE");
  if (return_values == "ALL_OLD") {
    if (change.found) out.item = std::move(change.old_item);
  } else if (return_values == "ALL_NEW") {
    if (change.new_item != nullptr) out.item = std::move(change.scratch);
  } else if (return_values == "UPDATED_OLD" || return_values == "UPDATED_NEW") {
    const bool old_image = return_values == "UPDATED_OLD";
    if (update != nullptr && (old_image ? change.found : change.new_item != nullptr)) {
      item::Item projected = query::Project(ActionPaths(*update), *update_bindings,
                                            old_image ? change.old_item : change.scratch);
      if (!projected.empty()) out.item = std::move(projected);
    }
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = WriteHalfUnits(std::max(change.old_size, change.new_size));
  change.index_writes.AddUnits(&out.consumed);
  out.item_collection_key = ItemCollectionKey(*h.def, in.return_item_collection_metrics, *in.key);
  return out;
}

Result<ItemOutput> TableService::DeleteItem(const Scope& scope, const DeleteItemInput& in,
                                            std::optional<item::Item>* failed_item) {
  ValidationCollector errors;
  CheckWriteConstraints(in, &errors);
  if (!in.key && in.key_status.ok()) errors.AddNull("key", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckWriteParams(in.expressions, false, false, in.condition));
  RETURN_IF_ERROR(in.key_status);
  RETURN_IF_ERROR(in.values_status);
  RETURN_IF_ERROR(CheckOldImageReturnValues(in.return_values));
  WriteCondition condition;
  query::CompiledExpressions compiled;
  RETURN_IF_ERROR(condition.Prepare(in.condition, in.expressions, &compiled));
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromKey(*h.def, *in.key));

  ItemChange change;
  RETURN_IF_ERROR(MutateItem(
      h, key, condition, in.condition, failed_item,
      [](const item::Item*, item::Item*) -> Result<const item::Item*> {
        return static_cast<const item::Item*>(nullptr);
      },
      &change));
  ItemOutput out;
  if (change.found && in.return_values.value_or("NONE") == "ALL_OLD") {
    out.item = std::move(change.old_item);
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = WriteHalfUnits(change.old_size);
  change.index_writes.AddUnits(&out.consumed);
  out.item_collection_key = ItemCollectionKey(*h.def, in.return_item_collection_metrics, *in.key);
  return out;
}

}  // namespace strata::tables
