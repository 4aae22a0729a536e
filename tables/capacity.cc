#include "tables/capacity.h"

namespace strata::tables {
namespace {

int64_t Units(size_t size, size_t unit_bytes) {
  int64_t units = static_cast<int64_t>((size + unit_bytes - 1) / unit_bytes);
  return units < 1 ? 1 : units;
}

}  // namespace

int64_t ReadHalfUnits(size_t item_size, bool consistent) {
  int64_t units = Units(item_size, 4096);
  return consistent ? 2 * units : units;
}

int64_t WriteHalfUnits(size_t item_size) { return 2 * Units(item_size, 1024); }

}  // namespace strata::tables
