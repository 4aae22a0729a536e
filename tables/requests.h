#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "query/legacy.h"
#include "query/request_expressions.h"
#include "tables/table_def.h"
#include "util/status.h"

namespace strata::tables {

// Requests and responses of TableService, in the shape the wire decoder produces: fields keep
// their raw wire values (std::nullopt = absent or JSON null) so that TableService validates
// them with AWS's wording and order. The api layer only checks JSON types.

// Who the request is for; tables are isolated per (account, region).
struct Scope {
  std::string account;
  std::string region;
};

struct AttributeDefinitionInput {
  std::optional<std::string> attribute_name;
  std::optional<std::string> attribute_type;
};

struct KeySchemaElementInput {
  std::optional<std::string> attribute_name;
  std::optional<std::string> key_type;
};

struct ProvisionedThroughputInput {
  std::optional<int64_t> read_capacity_units;
  std::optional<int64_t> write_capacity_units;
};

struct TagInput {
  std::optional<std::string> key;
  std::optional<std::string> value;
};

struct CreateTableInput {
  std::optional<std::string> table_name;
  std::optional<std::vector<AttributeDefinitionInput>> attribute_definitions;
  std::optional<std::vector<KeySchemaElementInput>> key_schema;
  std::optional<std::string> billing_mode;
  std::optional<ProvisionedThroughputInput> provisioned_throughput;
  std::optional<std::vector<TagInput>> tags;
  std::optional<bool> deletion_protection_enabled;
  // Well-formed but not implemented yet (LocalSecondaryIndexes, GlobalSecondaryIndexes,
  // StreamSpecification with StreamEnabled=true, SSESpecification, ...): answered with
  // "strata: <Field> is not supported yet" so that nothing is silently ignored.
  std::vector<std::string> unsupported_fields;
};

struct UpdateTableInput {
  std::optional<std::string> table_name;
  std::optional<std::string> billing_mode;
  std::optional<ProvisionedThroughputInput> provisioned_throughput;
  std::optional<bool> deletion_protection_enabled;
  std::vector<std::string> unsupported_fields;
};

struct ListTablesInput {
  std::optional<std::string> exclusive_start_table_name;
  std::optional<int64_t> limit;
};

struct ListTablesOutput {
  std::vector<std::string> table_names;
  std::optional<std::string> last_evaluated_table_name;
};

// The TableDescription of a response.
struct TableDescription {
  std::shared_ptr<const TableDef> def;
  std::string table_status;  // CREATING, ACTIVE, UPDATING, DELETING
  int64_t item_count = 0;
  int64_t table_size_bytes = 0;
};

// ReturnConsumedCapacity.
enum class CapacityDetail { kNone, kTotal, kIndexes };

// ConsumedCapacity of one item operation, in half capacity units (DESIGN 5.5).
struct ConsumedCapacity {
  std::string table_name;
  int64_t half_units = 0;
  double CapacityUnits() const { return static_cast<double>(half_units) / 2.0; }
};

// The condition parameters PutItem, UpdateItem and DeleteItem share. The expression side
// (ConditionExpression, ExpressionAttributeNames/Values) lives in the operation's
// query::ExpressionParams.
struct WriteConditionInput {
  std::optional<std::vector<query::ExpectedAttributeInput>> expected;  // Expected
  std::optional<std::string> conditional_operator;                     // ConditionalOperator
  std::optional<std::string> return_values_on_condition_check_failure;
};

struct PutItemInput {
  std::optional<std::string> table_name;
  std::optional<item::Item> item;
  Status item_status;  // a ValidationException from decoding Item, reported in AWS order
  std::optional<std::string> return_values;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::string> return_item_collection_metrics;
  query::ExpressionParams expressions;
  WriteConditionInput condition;
  Status values_status;  // a ValidationException from decoding Expected values
};

struct GetItemInput {
  std::optional<std::string> table_name;
  std::optional<item::Item> key;
  Status key_status;
  std::optional<bool> consistent_read;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::vector<std::string>> attributes_to_get;  // AttributesToGet
  query::ExpressionParams expressions;                        // ProjectionExpression, names
};

struct DeleteItemInput {
  std::optional<std::string> table_name;
  std::optional<item::Item> key;
  Status key_status;
  std::optional<std::string> return_values;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::string> return_item_collection_metrics;
  query::ExpressionParams expressions;
  WriteConditionInput condition;
  Status values_status;
};

struct UpdateItemInput {
  std::optional<std::string> table_name;
  std::optional<item::Item> key;
  Status key_status;
  std::optional<std::vector<query::AttributeUpdateInput>> attribute_updates;  // AttributeUpdates
  std::optional<std::string> return_values;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::string> return_item_collection_metrics;
  query::ExpressionParams expressions;  // UpdateExpression, ConditionExpression, names, values
  WriteConditionInput condition;
  Status values_status;  // a ValidationException from decoding AttributeUpdates/Expected values
};

struct ItemOutput {
  std::optional<item::Item> item;  // Attributes (ReturnValues) or Item (GetItem)
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  ConsumedCapacity consumed;
};

// ---- BatchWriteItem / BatchGetItem -------------------------------------------------------------

// One element of RequestItems.<table> in BatchWriteItem. A JSON null element decodes as a
// request with neither part present.
struct WriteRequestInput {
  bool has_put = false;                // PutRequest present (not null)
  std::optional<item::Item> put_item;  // PutRequest.Item
  Status put_item_status;              // a ValidationException from decoding Item
  bool has_delete = false;             // DeleteRequest present (not null)
  std::optional<item::Item> delete_key;
  Status delete_key_status;
};

// RequestItems.<table_name>: the requests in order (std::nullopt = JSON null).
struct TableWriteRequestsInput {
  std::string table_name;  // the map key as sent: a name or a table ARN
  std::optional<std::vector<WriteRequestInput>> requests;
};

struct BatchWriteItemInput {
  // Tables in request order; std::nullopt = RequestItems absent or null.
  std::optional<std::vector<TableWriteRequestsInput>> request_items;
  std::optional<std::string> return_consumed_capacity;
  std::optional<std::string> return_item_collection_metrics;
};

struct BatchWriteItemOutput {
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  std::vector<ConsumedCapacity> consumed;  // one per table, in request order
  // UnprocessedItems: the requests not applied because a TransactWriteItems in flight holds
  // their item (strata never throttles), in request order; the api layer echoes them.
  struct UnprocessedRequest {
    size_t table_index;    // into BatchWriteItemInput::request_items
    size_t request_index;  // into that table's requests
  };
  std::vector<UnprocessedRequest> unprocessed;
};

// One key of RequestItems.<table>.Keys in BatchGetItem.
struct KeyInput {
  item::Item key;
  Status key_status;  // a ValidationException from decoding the key
};

// RequestItems.<table_name> (KeysAndAttributes).
struct TableKeysInput {
  std::string table_name;
  std::optional<std::vector<KeyInput>> keys;  // std::nullopt = absent or null
  std::optional<bool> consistent_read;
  std::optional<std::vector<std::string>> attributes_to_get;  // AttributesToGet
  query::ExpressionParams expressions;                        // ProjectionExpression, names
};

struct BatchGetItemInput {
  std::optional<std::vector<TableKeysInput>> request_items;  // in request order
  std::optional<std::string> return_consumed_capacity;
};

struct BatchGetItemOutput {
  struct TableItems {
    std::string table_name;         // the RequestItems key as sent
    std::vector<item::Item> items;  // found items in request order; missing keys omitted
  };
  std::vector<TableItems> responses;  // every requested table, in request order
  CapacityDetail capacity_detail = CapacityDetail::kNone;
  std::vector<ConsumedCapacity> consumed;  // one per table, in request order
  // UnprocessedKeys: the keys not read because the response reached 16 MB (AWS's limit), per
  // table in request order; the api layer echoes the table's other request fields.
  struct UnprocessedTable {
    size_t table_index;  // into BatchGetItemInput::request_items
    std::vector<item::Item> keys;
  };
  std::vector<UnprocessedTable> unprocessed;
};

}  // namespace strata::tables
