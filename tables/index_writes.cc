#include "tables/index_writes.h"

#include <algorithm>

#include "item/item_codec.h"
#include "item/item_size.h"
#include "tables/capacity.h"
#include "tables/secondary_index.h"

namespace strata::tables {

IndexWrites::Delta* IndexWrites::DeltaFor(const IndexDef& index) {
  for (Delta& d : deltas_) {
    if (d.index_id == index.index_id) return &d;
  }
  deltas_.push_back(Delta{index.index_id, index.global, index.name});
  return &deltas_.back();
}

void IndexWrites::Add(const TableDef& live, const item::Item* old_item, const item::Item* new_item,
                      engine::WriteBatch* batch) {
  for (const IndexDef& index : live.indexes) {
    const bool was_in = old_item != nullptr && InIndex(index, *old_item);
    const bool is_in = new_item != nullptr && InIndex(index, *new_item);
    if (!was_in && !is_in) continue;
    Delta* d = DeltaFor(index);
    std::string old_key, new_key;
    item::Item old_image, new_image;
    size_t old_size = 0, new_size = 0;
    if (was_in) {
      old_key = IndexEntryKey(live, index, *old_item);
      old_image = ProjectForIndex(live, index, *old_item);
      old_size = item::ItemSize(old_image);
    }
    if (is_in) {
      new_key = IndexEntryKey(live, index, *new_item);
      new_image = ProjectForIndex(live, index, *new_item);
      new_size = item::ItemSize(new_image);
    }
    if (was_in && is_in && old_key == new_key) {
      if (old_image == new_image) continue;
      d->half_units += WriteHalfUnits(std::max(old_size, new_size));
    } else {
      if (was_in) {
        batch->Delete(old_key);
        d->half_units += WriteHalfUnits(old_size);
      }
      if (is_in) d->half_units += WriteHalfUnits(new_size);
    }
    if (is_in) {
      std::string value;
      item::EncodeItem(new_image, &value);
      batch->Put(new_key, value);
    }
    d->count += (is_in ? 1 : 0) - (was_in ? 1 : 0);
    d->bytes += static_cast<int64_t>(new_size) - static_cast<int64_t>(old_size);
  }
}

void IndexWrites::Commit(TableRuntime* runtime) const {
  for (const Delta& d : deltas_) {
    IndexCounters& c = runtime->index_stats[d.index_id];
    if (d.count != 0) c.item_count.fetch_add(d.count, std::memory_order_relaxed);
    if (d.bytes != 0) c.size_bytes.fetch_add(d.bytes, std::memory_order_relaxed);
  }
}

void IndexWrites::AddUnits(ConsumedCapacity* consumed) const {
  for (const Delta& d : deltas_) AddIndexUnits(consumed, d.name, d.global, d.half_units);
}

void AddIndexUnits(ConsumedCapacity* consumed, const std::string& name, bool global,
                   int64_t half_units) {
  if (half_units == 0) return;
  for (ConsumedCapacity::IndexUnits& u : consumed->indexes) {
    if (u.name == name) {
      u.half_units += half_units;
      return;
    }
  }
  consumed->indexes.push_back(ConsumedCapacity::IndexUnits{name, global, half_units});
}

}  // namespace strata::tables
