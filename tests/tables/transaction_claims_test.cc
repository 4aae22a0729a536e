#include "tables/transaction_claims.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace strata::tables {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& keys) {
  return std::vector<std::string_view>(keys.begin(), keys.end());
}

TEST(TransactionClaimsTest, ClaimsAllOrNothing) {
  TransactionClaims claims;
  std::vector<bool> conflicts;
  EXPECT_FALSE(claims.IsClaimed("a"));
  ASSERT_TRUE(claims.TryClaim({"a", "b"}, &conflicts));
  EXPECT_TRUE(claims.IsClaimed("a"));
  EXPECT_TRUE(claims.IsClaimed("b"));
  EXPECT_FALSE(claims.IsClaimed("c"));

  // Overlapping: every conflicting key reported, nothing claimed.
  EXPECT_FALSE(claims.TryClaim({"c", "b", "d", "a"}, &conflicts));
  EXPECT_EQ(conflicts, (std::vector<bool>{false, true, false, true}));
  EXPECT_FALSE(claims.IsClaimed("c"));
  EXPECT_FALSE(claims.IsClaimed("d"));

  // Disjoint: claimed beside the first.
  ASSERT_TRUE(claims.TryClaim({"c", "d"}, &conflicts));
  claims.Release({"a", "b"});
  EXPECT_FALSE(claims.IsClaimed("a"));
  EXPECT_FALSE(claims.IsClaimed("b"));
  EXPECT_TRUE(claims.IsClaimed("c"));
  EXPECT_FALSE(claims.TryClaim({"d"}, &conflicts));
  EXPECT_EQ(conflicts, std::vector<bool>{true});
  claims.Release({"c", "d"});
  ASSERT_TRUE(claims.TryClaim({"a", "b", "c", "d"}, &conflicts));
  claims.Release({"a", "b", "c", "d"});
  EXPECT_FALSE(claims.IsClaimed("d"));
}

TEST(TransactionClaimsTest, ExactKeysNeverCollide) {
  // Far more keys than shards: keys sharing a shard (or a prefix) never conflict.
  TransactionClaims claims;
  std::vector<std::string> mine, others;
  for (int i = 0; i < 2000; ++i) {
    mine.push_back("key" + std::to_string(i));
    others.push_back("key" + std::to_string(i) + "x");
  }
  std::vector<bool> conflicts;
  ASSERT_TRUE(claims.TryClaim(Views(mine), &conflicts));
  ASSERT_TRUE(claims.TryClaim(Views(others), &conflicts));
  for (const std::string& k : mine) ASSERT_TRUE(claims.IsClaimed(k)) << k;
  EXPECT_FALSE(claims.IsClaimed("key"));
  EXPECT_FALSE(claims.IsClaimed(std::string("key1\0", 5)));
  claims.Release(Views(mine));
  for (const std::string& k : mine) ASSERT_FALSE(claims.IsClaimed(k)) << k;
  for (const std::string& k : others) ASSERT_TRUE(claims.IsClaimed(k)) << k;
  claims.Release(Views(others));
  EXPECT_FALSE(claims.IsClaimed("key0x"));
}

TEST(TransactionClaimsTest, ConcurrentClaimsAreExclusive) {
  // Threads claim random overlapping sets of 16 keys; every key's holder count is checked
  // while it is held, so two holders of one key are caught whatever the interleaving.
  constexpr int kKeys = 16;
  TransactionClaims claims;
  std::vector<std::string> names;
  for (int i = 0; i < kKeys; ++i) names.push_back("k" + std::to_string(i));
  auto holders = std::make_unique<std::atomic<int>[]>(kKeys);
  std::atomic<int> claimed{0}, refused{0}, double_held{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      uint32_t seed = 7 + t;
      for (int n = 0; n < 20000; ++n) {
        seed = seed * 1103515245 + 12345;
        std::vector<int> picked;
        for (int i = 0; i < kKeys; ++i) {
          if ((seed >> (i % 24)) & 1) picked.push_back(i);
        }
        if (picked.empty()) continue;
        picked.resize(std::min<size_t>(picked.size(), 3));
        std::vector<std::string_view> keys;
        for (int i : picked) keys.push_back(names[i]);
        std::vector<bool> conflicts;
        if (!claims.TryClaim(keys, &conflicts)) {
          ++refused;
          continue;
        }
        ++claimed;
        for (int i : picked) {
          if (holders[i].fetch_add(1) != 0) ++double_held;
        }
        std::this_thread::yield();
        for (int i : picked) holders[i].fetch_sub(1);
        claims.Release(keys);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(double_held.load(), 0);
  EXPECT_GT(claimed.load(), 0);
  for (const std::string& k : names) EXPECT_FALSE(claims.IsClaimed(k)) << k;
}

}  // namespace
}  // namespace strata::tables
