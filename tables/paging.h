#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "engine/db.h"
#include "item/attribute_value.h"
#include "tables/key_conditions.h"
#include "tables/secondary_index.h"
#include "tables/table_def.h"
#include "util/status.h"

namespace strata::tables {

// One page of Query or Scan over a key range (DESIGN 5.4): items are evaluated in key order
// (or reverse) until `limit` items were evaluated or kMaxPageBytes of item::ItemSize were
// read, whichever comes first, both before any filter. When the page stops that way, the
// LastEvaluatedKey is the table key of the last item evaluated (even when no item follows, as
// AWS does).
//
// Thread-safety: a pure function over the Db; safe to call concurrently.

inline constexpr size_t kMaxPageBytes = 1024 * 1024;

struct PageStats {
  int64_t scanned = 0;  // items evaluated
  size_t bytes = 0;     // sum of their item::ItemSize
  std::optional<item::Item> last_evaluated_key;
};

// Called for every evaluated item, in order, with its size; it may move the item away.
using PageVisitor = std::function<void(item::Item* item)>;

// Reads the page at `options` (a registered snapshot). `limit` 0 means no Limit. The range
// holds keys of `target` (the table or an index); the LastEvaluatedKey has the table key plus,
// for an index, the index key attributes.
Status ReadPage(engine::Db* db, const engine::ReadOptions& options, const ReadTarget& target,
                const KeyRange& range, bool forward, int64_t limit, const PageVisitor& visit,
                PageStats* stats);

// The table key attributes of `item`, plus the index key attributes when target.index is set.
item::Item KeyOf(const ReadTarget& target, const item::Item& item);

}  // namespace strata::tables
