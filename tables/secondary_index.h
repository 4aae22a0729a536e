#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "item/attribute_value.h"
#include "tables/table_def.h"
#include "util/status.h"

namespace strata::tables {

// Secondary-index entries (DESIGN 2.7, docs/formats/keys.md):
//
//   LSI entry : u32BE table_id | u8 index_id | u64BE h(pk)     | enc(pk)     | enc(lsi_sk)
//               | enc(base sk)
//   GSI entry : u32BE table_id | u8 index_id | u64BE h(gsi_pk) | enc(gsi_pk) | [enc(gsi_sk)]
//               | enc(base pk) | [enc(base sk)]
//   value     : item::EncodeItem of the projected item (table keys + index keys + the
//               projected attributes; the whole item for ALL)
//
// An LSI entry is the GSI layout with the table's partition key as the index hash key, so one
// encoder serves both. An item is in an index when it holds every index key attribute with the
// key's type (sparse indexes); enc() is prefix-free, so every entry of an index key value
// shares the prefix up to its last index key component.
//
// Thread-safety: pure functions.

// The key schema a Query or Scan reads through: the table's (index == nullptr) or an index's.
struct ReadTarget {
  const TableDef* table = nullptr;
  const IndexDef* index = nullptr;

  uint8_t index_id() const { return index ? index->index_id : 0; }
  const KeyAttribute& hash_key() const { return index ? index->hash_key : table->hash_key; }
  const KeyAttribute* range_key() const {
    const std::optional<KeyAttribute>& r = index ? index->range_key : table->range_key;
    return r ? &*r : nullptr;
  }
};

// The 13-byte-plus prefix of a partition: u32BE table_id | u8 index_id | u64BE h(pk) | enc(pk).
std::string PartitionPrefix(uint32_t table_id, uint8_t index_id, const item::AttributeValue& pk);
// u32BE table_id | u8 index_id: the prefix of every key of one index (0 = the base table).
std::string IndexPrefix(uint32_t table_id, uint8_t index_id);

// True when `item` holds the index's key attributes with their types.
bool InIndex(const IndexDef& index, const item::Item& item);
// The engine key of `item`'s entry. REQUIRES: InIndex(index, item) and the table keys present.
std::string IndexEntryKey(const TableDef& def, const IndexDef& index, const item::Item& item);
// The engine key of `item` in the target (the base item key when target.index is nullptr).
// REQUIRES: the target's and the table's key attributes present with their types.
std::string TargetKey(const ReadTarget& target, const item::Item& item);
// The projected image of `item`: table keys, index keys and the projected attributes.
item::Item ProjectForIndex(const TableDef& def, const IndexDef& index, const item::Item& item);
// True when the index stores attribute `name` (a top-level name).
bool ProjectsAttribute(const TableDef& def, const IndexDef& index, std::string_view name);

// The ItemCollectionKey of `item` ({partition key}) when ReturnItemCollectionMetrics is SIZE
// and the table has a local secondary index; std::nullopt otherwise.
std::optional<item::Item> ItemCollectionKey(const TableDef& def,
                                            const std::optional<std::string>& return_metrics,
                                            const item::Item& item);

// Where a new image came from, for the wording of an empty index key.
enum class ImageOrigin { kItem, kUpdateExpression };
// Checks the index key attributes of a new item image with AWS's wording: a present index key
// of the wrong type is "Type mismatch for Index Key <a> Expected: <T> Actual: <U> IndexName:
// <i>", an empty S/B key "... cannot contain an empty string value. IndexName: <i>, IndexKey:
// <a>". Indexes are checked in name order, as AWS names the alphabetically first.
Status CheckIndexKeys(const TableDef& def, const item::Item& item, ImageOrigin origin);

}  // namespace strata::tables
