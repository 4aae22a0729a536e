#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "tests/testutil/temp_dir.h"
#include "wal/record.h"

namespace strata::wal::test {

using strata::test::TempDir;

// A record whose contents are a deterministic function of `id` (keys and values name it), so a
// recovered record can be checked without remembering it.
inline Record MakeRecord(uint64_t id, size_t value_size, uint32_t ops = 1) {
  Record r;
  for (uint32_t i = 0; i < ops; i++) {
    std::string key = "key-" + std::to_string(id) + "-" + std::to_string(i);
    if (i % 3 == 2) {
      r.AddDelete(key);
    } else {
      std::string value(value_size, static_cast<char>('a' + (id + i) % 26));
      value.replace(0, std::min(value.size(), key.size()), key.substr(0, value.size()));
      r.AddPut(key, value);
    }
  }
  if (id % 5 == 0) r.SetIdempotency("token-" + std::to_string(id));
  return r;
}

inline std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace strata::wal::test
