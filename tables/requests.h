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

struct ProjectionInput {
  std::optional<std::string> projection_type;
  std::optional<std::vector<std::string>> non_key_attributes;
};

// One LocalSecondaryIndexes / GlobalSecondaryIndexes element (a JSON null element decodes as
// one with every field absent).
struct SecondaryIndexInput {
  std::optional<std::string> index_name;
  std::optional<std::vector<KeySchemaElementInput>> key_schema;
  std::optional<ProjectionInput> projection;
  std::optional<ProvisionedThroughputInput> provisioned_throughput;  // GSIs only
};

struct CreateTableInput {
  std::optional<std::string> table_name;
  std::optional<std::vector<AttributeDefinitionInput>> attribute_definitions;
  std::optional<std::vector<KeySchemaElementInput>> key_schema;
  std::optional<std::string> billing_mode;
  std::optional<ProvisionedThroughputInput> provisioned_throughput;
  std::optional<std::vector<TagInput>> tags;
  std::optional<bool> deletion_protection_enabled;
  std::optional<std::vector<SecondaryIndexInput>> local_secondary_indexes;
  std::optional<std::vector<SecondaryIndexInput>> global_secondary_indexes;
  // Well-formed but not implemented yet (StreamSpecification with StreamEnabled=true,
  // SSESpecification, ...): answered with "strata: <Field> is not supported yet" so that nothing is
  // silently ignored.
  std::vector<std::string> unsupported_fields;
};

// One GlobalSecondaryIndexUpdates element: exactly one of Create, Update, Delete.
struct GlobalSecondaryIndexUpdateInput {
  std::optional<SecondaryIndexInput> create;
  std::optional<SecondaryIndexInput> update;  // IndexName + ProvisionedThroughput
  std::optional<SecondaryIndexInput> remove;  // Delete: IndexName
};

struct UpdateTableInput {
  std::optional<std::string> table_name;
  std::optional<std::string> billing_mode;
  std::optional<ProvisionedThroughputInput> provisioned_throughput;
  std::optional<bool> deletion_protection_enabled;
  std::vector<std::string> unsupported_fields;
  std::optional<std::vector<AttributeDefinitionInput>> attribute_definitions;
  std::optional<std::vector<GlobalSecondaryIndexUpdateInput>> global_secondary_index_updates;
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
  struct IndexStats {
    int64_t item_count = 0;
    int64_t size_bytes = 0;
  };
  std::shared_ptr<const TableDef> def;
  std::string table_status;  // CREATING, ACTIVE, UPDATING, DELETING
  int64_t item_count = 0;
  int64_t table_size_bytes = 0;
  std::vector<IndexStats> index_stats;  // parallel to def->indexes
};

// ReturnConsumedCapacity.
enum class CapacityDetail { kNone, kTotal, kIndexes };

// ConsumedCapacity of one operation on one table, in half capacity units (DESIGN 5.5): the
// table's own units and those of each secondary index touched; CapacityUnits is their sum.
struct ConsumedCapacity {
  struct IndexUnits {
    std::string name;
    bool global = false;
    int64_t half_units = 0;
  };
  std::string table_name;
  int64_t half_units = 0;           // the table's units
  std::vector<IndexUnits> indexes;  // in first-touched order
  int64_t TotalHalfUnits() const {
    int64_t total = half_units;
    for (const IndexUnits& i : indexes) total += i.half_units;
    return total;
  }
  double CapacityUnits() const { return static_cast<double>(TotalHalfUnits()) / 2.0; }
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
  // ItemCollectionMetrics.ItemCollectionKey (ReturnItemCollectionMetrics=SIZE on a table with
  // an LSI); SizeEstimateRangeGB is [0.0, 1.0] (strata's collections stay far below 1 GB).
  std::optional<item::Item> item_collection_key;
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
  // ItemCollectionMetrics: per table with an LSI (request order), one ItemCollectionKey per
  // write, when ReturnItemCollectionMetrics=SIZE.
  std::vector<std::pair<std::string, std::vector<item::Item>>> item_collections;
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
