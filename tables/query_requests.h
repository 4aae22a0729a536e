#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "query/legacy.h"
#include "query/request_expressions.h"
#include "tables/requests.h"
#include "util/status.h"

namespace strata::tables {

// Requests and responses of TableService::Query and TableService::Scan, in the shape the wire
// decoder produces (std::nullopt = absent or JSON null); TableService validates them with
// AWS's wording and order.

// The parameters Query and Scan share.
struct ReadPageInput {
  std::optional<std::string> table_name;
  std::optional<std::string> index_name;  // IndexName
  std::optional<std::string> select;      // Select
  std::optional<int64_t> limit;           // Limit
  std::optional<bool> consistent_read;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::vector<std::string>> attributes_to_get;  // AttributesToGet
  std::optional<std::string> conditional_operator;            // ConditionalOperator
  std::optional<item::Item> exclusive_start_key;              // ExclusiveStartKey
  Status exclusive_start_key_status;  // a ValidationException from decoding ExclusiveStartKey
  // QueryFilter / ScanFilter, and the first semantic error of their values.
  std::optional<std::vector<query::ExpectedAttributeInput>> filter;
  Status filter_values_status;
  // KeyConditionExpression (Query), FilterExpression, ProjectionExpression and the maps.
  query::ExpressionParams expressions;
};

struct QueryInput : ReadPageInput {
  std::optional<bool> scan_index_forward;                                    // ScanIndexForward
  std::optional<std::vector<query::ExpectedAttributeInput>> key_conditions;  // KeyConditions
  Status key_conditions_status;
};

struct ScanInput : ReadPageInput {
  std::optional<int64_t> segment;         // Segment
  std::optional<int64_t> total_segments;  // TotalSegments
};

// One page of Query or Scan.
struct ReadPageOutput {
  bool count_only = false;        // Select=COUNT: no Items
  std::vector<item::Item> items;  // after the filter, projected
  int64_t count = 0;              // Count: items after the filter
  int64_t scanned_count = 0;      // ScannedCount: items evaluated
  std::optional<item::Item> last_evaluated_key;
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  ConsumedCapacity consumed;
};

}  // namespace strata::tables
