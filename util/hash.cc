#include "util/hash.h"

#include <xxhash.h>
#include <zlib.h>

#include <algorithm>

namespace strata {

uint64_t Hash64(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

uint64_t Hash64WithSeed(std::string_view data, uint64_t seed) {
  return XXH3_64bits_withSeed(data.data(), data.size(), seed);
}

uint32_t Crc32(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large inputs in pieces.
  while (!data.empty()) {
    uInt n = static_cast<uInt>(std::min<size_t>(data.size(), 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), n);
    data.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace strata
