#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

// XXH3 64-bit (xxHash): key hashing and on-disk checksums.
uint64_t Hash64(std::string_view data);
// Seeded variant (e.g. checksums mixed with a block offset).
uint64_t Hash64WithSeed(std::string_view data, uint64_t seed);
// CRC-32 (IEEE, zlib's): the x-amz-crc32 response header.
uint32_t Crc32(std::string_view data);

}  // namespace strata
