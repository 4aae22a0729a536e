#pragma once

#include <optional>
#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "query/request_expressions.h"
#include "tables/requests.h"
#include "util/status.h"

namespace strata::tables {

// Requests and responses of TransactWriteItems and TransactGetItems (DESIGN 5.6), in the shape
// the wire decoder produces: raw wire values (std::nullopt = absent or JSON null) that
// TableService validates with AWS's wording and order.

// One Put, Update, Delete or ConditionCheck of a TransactWriteItem.
struct TransactActionInput {
  enum class Kind { kConditionCheck, kPut, kDelete, kUpdate };
  Kind kind = Kind::kPut;
  std::optional<std::string> table_name;
  std::optional<item::Item> item;  // Put.Item
  std::optional<item::Item> key;   // Key of the others
  Status item_status;              // a ValidationException from decoding Item or Key
  // ConditionExpression, UpdateExpression (Update), ExpressionAttributeNames/Values.
  query::ExpressionParams expressions;
  std::optional<std::string> return_values_on_condition_check_failure;
};

// One element of TransactItems: the parts present (AWS wants exactly one). A JSON null
// element has none.
struct TransactWriteItemInput {
  std::optional<TransactActionInput> condition_check, put, delete_action, update;
};

struct TransactWriteItemsInput {
  std::optional<std::vector<TransactWriteItemInput>> transact_items;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::string> return_item_collection_metrics;
  std::optional<std::string> client_request_token;
};

struct TransactWriteItemsOutput {
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  std::vector<ConsumedCapacity> consumed;  // one per table, in order of first use
  // ItemCollectionMetrics: tables without local secondary indexes have none.
};

// One entry of TransactionCanceledException.CancellationReasons, in request order. Code
// "None" entries carry no message.
struct CancellationReason {
  std::string code = "None";  // None, ConditionalCheckFailed, ValidationError, ...
  std::string message;
  std::optional<item::Item> item;  // ReturnValuesOnConditionCheckFailure=ALL_OLD
};

// One element of TransactGetItems.TransactItems: {"Get": {...}}.
struct TransactGetItemInput {
  bool has_get = false;  // Get present and not null
  std::optional<std::string> table_name;
  std::optional<item::Item> key;
  Status key_status;
  query::ExpressionParams expressions;  // ProjectionExpression, ExpressionAttributeNames
};

struct TransactGetItemsInput {
  std::optional<std::vector<TransactGetItemInput>> transact_items;
  std::optional<std::string> return_consumed_capacity;
};

struct TransactGetItemsOutput {
  std::vector<std::optional<item::Item>> responses;  // request order; nullopt = no item
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  std::vector<ConsumedCapacity> consumed;  // one per table, in order of first use
};

}  // namespace strata::tables
