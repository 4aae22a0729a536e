// TableService item operations: PutItem, GetItem, DeleteItem.
//
// Order of checks (dynalite validations/*.js and actions/*.js, validated against AWS):
// coral constraints -> not-yet-supported features -> attribute values -> ReturnValues ->
// item size -> table lookup -> primary key.

#include <algorithm>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "tables/capacity.h"
#include "tables/item_key.h"
#include "tables/operation_checks.h"
#include "tables/table_name.h"
#include "tables/table_service.h"
#include "tables/validation_collector.h"

namespace strata::tables {

Result<ItemOutput> TableService::PutItem(const Scope& scope, const PutItemInput& in) {
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckReturnItemCollectionMetrics(in.return_item_collection_metrics, &errors);
  CheckReturnValues(in.return_values, &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  if (!in.item && in.item_status.ok()) errors.AddNull("item", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(NotSupported(in.unsupported_fields));
  RETURN_IF_ERROR(in.item_status);
  const item::Item& new_item = *in.item;
  RETURN_IF_ERROR(ValidateAttributeNames(new_item));
  RETURN_IF_ERROR(CheckOldImageReturnValues(in.return_values));
  const size_t new_size = item::ItemSize(new_item);
  if (new_size > item::kMaxItemSize) {
    return item::ValidationError("Item size has exceeded the maximum allowed size");
  }
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromItem(*h.def, new_item));
  std::string value;
  item::EncodeItem(new_item, &value);

  ItemOutput out;
  size_t old_size = 0;
  {
    std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) return TableGone();
    std::lock_guard<std::mutex> item_lock(StripeFor(key));
    bool found = false;
    item::Item old_item;
    RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), key, &found, &old_item));
    engine::WriteBatch batch;
    batch.Put(key, value);
    RETURN_IF_ERROR(db_->Write(batch));
    if (found) {
      old_size = item::ItemSize(old_item);
      if (in.return_values.value_or("NONE") == "ALL_OLD") out.item = std::move(old_item);
    } else {
      h.runtime->item_count.fetch_add(1, std::memory_order_relaxed);
    }
    h.runtime->size_bytes.fetch_add(static_cast<int64_t>(new_size) - static_cast<int64_t>(old_size),
                                    std::memory_order_relaxed);
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = WriteHalfUnits(std::max(old_size, new_size));
  return out;
}

Result<ItemOutput> TableService::GetItem(const Scope& scope, const GetItemInput& in) {
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  if (!in.key && in.key_status.ok()) errors.AddNull("key", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(NotSupported(in.unsupported_fields));
  RETURN_IF_ERROR(in.key_status);
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
  if (found) out.item = std::move(current);
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = ReadHalfUnits(size, in.consistent_read.value_or(false));
  return out;
}

Result<ItemOutput> TableService::DeleteItem(const Scope& scope, const DeleteItemInput& in) {
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckReturnItemCollectionMetrics(in.return_item_collection_metrics, &errors);
  CheckReturnValues(in.return_values, &errors);
  CheckTableNameOrArn(in.table_name, &errors);
  if (!in.key && in.key_status.ok()) errors.AddNull("key", kNotNullConstraint);
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(NotSupported(in.unsupported_fields));
  RETURN_IF_ERROR(in.key_status);
  RETURN_IF_ERROR(CheckOldImageReturnValues(in.return_values));
  ASSIGN_OR_RETURN(TableHandle h, FindTable(scope, *in.table_name, /*name_in_message=*/false));
  ASSIGN_OR_RETURN(std::string key, ItemKeyFromKey(*h.def, *in.key));

  ItemOutput out;
  size_t old_size = 0;
  {
    std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) return TableGone();
    std::lock_guard<std::mutex> item_lock(StripeFor(key));
    bool found = false;
    item::Item old_item;
    RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), key, &found, &old_item));
    if (found) {
      engine::WriteBatch batch;
      batch.Delete(key);
      RETURN_IF_ERROR(db_->Write(batch));
      old_size = item::ItemSize(old_item);
      h.runtime->item_count.fetch_sub(1, std::memory_order_relaxed);
      h.runtime->size_bytes.fetch_sub(static_cast<int64_t>(old_size), std::memory_order_relaxed);
      if (in.return_values.value_or("NONE") == "ALL_OLD") out.item = std::move(old_item);
    }
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  out.consumed.table_name = h.def->name;
  out.consumed.half_units = WriteHalfUnits(old_size);
  return out;
}

}  // namespace strata::tables
