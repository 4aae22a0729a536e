#pragma once

// What the engine benchmarks (engine_bench, recovery_bench) share: engine-shaped keys, 1 KB
// values and temporary data directories.

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "util/coding.h"

namespace strata::engine::bench {

inline constexpr size_t kValueSize = 1024;

// Keys look like the engine's: u32 table id | u8 index id | u64 partition hash | sort key.
inline std::string MakeKey(uint64_t i) {
  std::string key;
  PutBigEndian32(&key, 7);                          // table id
  key.push_back(0);                                 // index id
  PutBigEndian64(&key, i * 0x9e3779b97f4a7c15ull);  // partition hash
  key += "sk#" + std::to_string(i);
  return key;
}

// kValueSize bytes, every eighth one random (compresses about 4x with zlib).
inline std::string MakeValue(uint64_t i) {
  std::string value(kValueSize, 'v');
  std::mt19937_64 rng(i);
  for (size_t j = 0; j < kValueSize; j += 8) value[j] = static_cast<char>(rng());
  return value;
}

// A new directory /tmp/<prefix>XXXXXX (aborts when it cannot be made).
inline std::string MakeTempDir(std::string_view prefix) {
  std::string tmpl = "/tmp/" + std::string(prefix) + "XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

}  // namespace strata::engine::bench
