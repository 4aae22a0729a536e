#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/write_batch.h"
#include "item/attribute_value.h"
#include "tables/catalog.h"
#include "tables/requests.h"
#include "tables/table_def.h"

namespace strata::tables {

// IndexWrites is the secondary-index side of item writes (DESIGN 2.1, 5.7): for each write of
// an item from its old image to its new one it appends the index entry deletes and puts to the
// same engine batch as the base item, so indexes change atomically with the table; it then
// applies the indexes' statistics once the batch is durable, and reports the index write
// units (DESIGN 5.5):
//   entry added or removed         : ceil(projected size / 1 KB) of that entry
//   index key changed              : the old entry's units + the new entry's units
//   projected attributes changed   : ceil(max(old, new projected size) / 1 KB)
//   nothing projected changed      : no write, no units
//
// Thread-safety: not thread-safe; one per request. Lifecycle: Add() per item written (under
// the items' locks, with the table's live definition), then Commit() after db->Write succeeded.
class IndexWrites {
 public:
  // Appends the index mutations of old -> new (nullptr = absent) to *batch.
  void Add(const TableDef& live, const item::Item* old_item, const item::Item* new_item,
           engine::WriteBatch* batch);

  // Applies the accumulated ItemCount / IndexSizeBytes changes to the table's runtime.
  void Commit(TableRuntime* runtime) const;

  // Adds the index write units, per index, to *consumed (in half units).
  void AddUnits(ConsumedCapacity* consumed) const;

  bool empty() const { return deltas_.empty(); }

 private:
  struct Delta {
    uint8_t index_id;
    bool global;
    std::string name;
    int64_t count = 0;
    int64_t bytes = 0;
    int64_t half_units = 0;
  };
  Delta* DeltaFor(const IndexDef& index);

  std::vector<Delta> deltas_;
};

// Adds `half_units` of index `name` to *consumed's breakdown (merging per name).
void AddIndexUnits(ConsumedCapacity* consumed, const std::string& name, bool global,
                   int64_t half_units);

}  // namespace strata::tables
