#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::tables {

// Capacity-unit arithmetic (DESIGN 5.5), in integer half units so eventual reads (0.5 per
// 4 KB) stay exact. Sizes are item::ItemSize bytes; 0 means "no item" and still costs the
// minimum of one unit.

// GetItem: ceil(size / 4 KB) units (at least 1); strong 1 per unit, eventual 0.5.
int64_t ReadHalfUnits(size_t item_size, bool consistent);
// Writes: ceil(size / 1 KB) units (at least 1). Put passes max(old, new); Delete the old size.
int64_t WriteHalfUnits(size_t item_size);

}  // namespace strata::tables
