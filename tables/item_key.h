#pragma once

#include <string>

#include "item/attribute_value.h"
#include "tables/table_def.h"
#include "util/result.h"

namespace strata::tables {

// Primary-key validation with AWS's wording, producing the engine key of the item
// (item::EncodeItemKey). Checks per key attribute, hash then range: presence, type, empty S/B,
// size (partition key <= 2048 bytes, sort key <= 1024 bytes; numbers always fit).

constexpr size_t kMaxPartitionKeyBytes = 2048;
constexpr size_t kMaxSortKeyBytes = 1024;
constexpr size_t kMaxAttributeNameBytes = 65535;

// The key of a full item (PutItem): "Missing the key <k> in the item", "Type mismatch for key
// <k> expected: S actual: N", ...
Result<std::string> ItemKeyFromItem(const TableDef& def, const item::Item& item);

// A Key parameter (GetItem, DeleteItem): exactly the key attributes, else "The provided key
// element does not match the schema".
Result<std::string> ItemKeyFromKey(const TableDef& def, const item::Item& key);

// Attribute names (at every nesting level) must be 1..65535 bytes.
Status ValidateAttributeNames(const item::Item& item);

}  // namespace strata::tables
