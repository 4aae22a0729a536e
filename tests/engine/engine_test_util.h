#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/db.h"

namespace strata::engine::test {

// Get at `snapshot` (0 = latest) as a value, or "NOT_FOUND".
inline std::string GetAt(Db* db, std::string_view key, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  Status s = db->Get(ro, key, &value);
  if (s.IsNotFound()) return "NOT_FOUND";
  EXPECT_TRUE(s.ok()) << s.ToString();
  return value;
}

}  // namespace strata::engine::test
