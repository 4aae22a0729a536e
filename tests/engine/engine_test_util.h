#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/iterator.h"

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

// Random SeekToFirst / SeekToLast / Seek / SeekForPrev / Next / Prev steps over `iter` (targets
// from `random_target`), each checked against `model`, the live keys the iterator should see;
// `between_steps`, when given, runs before every step.
inline void RandomWalk(Iterator* iter, const std::map<std::string, std::string>& model,
                       std::mt19937_64& rng, int steps,
                       const std::function<std::string()>& random_target,
                       const std::function<void()>& between_steps = nullptr) {
  auto expected = model.end();
  for (int step = 0; step < steps; step++) {
    if (between_steps) between_steps();
    const int op = static_cast<int>(rng() % 8);
    const std::string target = random_target();
    if (op == 0) {
      iter->SeekToFirst();
      expected = model.begin();
    } else if (op == 1) {
      iter->SeekToLast();
      expected = model.empty() ? model.end() : std::prev(model.end());
    } else if (op == 2 || !iter->Valid()) {
      iter->Seek(target);
      expected = model.lower_bound(target);
    } else if (op == 3) {
      iter->SeekForPrev(target);
      expected = model.upper_bound(target);
      expected = expected == model.begin() ? model.end() : std::prev(expected);
    } else if (op <= 5) {
      iter->Next();
      ++expected;
    } else {
      iter->Prev();
      expected = expected == model.begin() ? model.end() : std::prev(expected);
    }
    ASSERT_EQ(iter->Valid(), expected != model.end()) << "step " << step << " op " << op;
    if (iter->Valid()) {
      ASSERT_EQ(iter->key(), expected->first) << "step " << step << " op " << op;
      ASSERT_EQ(iter->value(), expected->second) << "step " << step << " op " << op;
    }
  }
  ASSERT_TRUE(iter->status().ok()) << iter->status().ToString();
}

}  // namespace strata::engine::test
