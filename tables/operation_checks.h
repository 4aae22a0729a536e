#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/db.h"
#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"
#include "tables/requests.h"
#include "tables/table_def.h"
#include "tables/validation_collector.h"
#include "util/status.h"

namespace strata::tables {

// Checks and helpers shared by the item, batch and (later) query operations of TableService.
// Stateless functions; thread-safe.

// Coral enum constraints of the common Return* parameters.
void CheckReturnConsumedCapacity(const std::optional<std::string>& v, ValidationCollector* errors);
void CheckReturnItemCollectionMetrics(const std::optional<std::string>& v,
                                      ValidationCollector* errors);
void CheckReturnValues(const std::optional<std::string>& v, ValidationCollector* errors);
// AttributesToGet: 1..255 names.
void CheckAttributesToGet(const std::optional<std::vector<std::string>>& v,
                          ValidationCollector* errors);
// Put and Delete take only ALL_OLD or NONE.
Status CheckOldImageReturnValues(const std::optional<std::string>& v);

// The capacity detail a ReturnConsumedCapacity value asks for.
CapacityDetail DetailOf(const std::optional<std::string>& v);

// ValidationException "strata: <first field> is not supported yet" for request fields that
// arrive with later features, so nothing is silently ignored.
Status NotSupported(const std::vector<std::string>& fields);

// "One or more parameter values were invalid: Cannot update attribute <k>. This attribute is
// part of the key" when an update action's top-level attribute is a key attribute (hash key
// checked first); "Key attributes must be scalars; ... IndexKey: <k>" when one sets a nested path
// under an index key attribute.
Status CheckKeyNotUpdated(const TableDef& def, const query::ParsedExpression& update,
                          const query::Bindings& b);

// True when every action is REMOVE or DELETE (and there is at least one): such an update of an
// absent item creates nothing, as AWS.
bool OnlyRemoves(const query::ParsedExpression& update);

// ResourceNotFoundException for a table dropped while the operation ran.
Status TableGone();

// AWS's wording for an item a TransactWriteItems in flight holds: the Message of a
// TransactionConflict cancellation reason and of TransactionConflictException.
inline constexpr std::string_view kTransactionConflictMessage =
    "Transaction is ongoing for the item";
// TransactionConflictException: a PutItem, UpdateItem or DeleteItem met such an item.
Status TransactionConflict();

// Reads and decodes the item stored under `key`; *found is false when absent.
Status ReadItem(engine::Db* db, const engine::ReadOptions& options, const std::string& key,
                bool* found, item::Item* out);

}  // namespace strata::tables
