#include "memtable/skiplist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "memtable/arena.h"
#include "tests/testutil/test_seed.h"

namespace strata::memtable {
namespace {

using Key = uint64_t;

struct U64Comparator {
  int operator()(const Key& a, const Key& b) const { return a < b ? -1 : (a > b ? 1 : 0); }
};

using IntList = SkipList<Key, U64Comparator>;

using strata::test::TestSeed;

TEST(ArenaTest, AllocationsAreDistinctAndAligned) {
  Arena arena;
  EXPECT_EQ(arena.MemoryUsage(), 0u);
  std::vector<std::pair<char*, size_t>> allocated;
  std::mt19937_64 rng(301);
  size_t total = 0;
  for (int i = 0; i < 20000; i++) {
    size_t s = i % 500 == 0 ? 100000 : (rng() % 20) + 1;  // some large ones
    if (i % 1000 == 0) s = Arena::kBlockSize / 4 + 1;
    char* p = (i % 3 == 0) ? arena.AllocateAligned(s) : arena.Allocate(s);
    if (i % 3 == 0) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
    }
    for (size_t b = 0; b < s; b++) p[b] = static_cast<char>(i % 256);
    allocated.emplace_back(p, s);
    total += s;
    EXPECT_GE(arena.MemoryUsage(), total);
    if (i > 10) {
      EXPECT_LE(arena.MemoryUsage(), total * 1.10 + Arena::kBlockSize);
    }
  }
  for (size_t i = 0; i < allocated.size(); i++) {
    for (size_t b = 0; b < allocated[i].second; b++) {
      ASSERT_EQ(allocated[i].first[b] & 0xff, static_cast<int>(i % 256));
    }
  }
}

TEST(SkipListTest, Empty) {
  Arena arena;
  IntList list(U64Comparator(), &arena);
  EXPECT_FALSE(list.Contains(10));
  IntList::Iterator iter(&list);
  EXPECT_FALSE(iter.Valid());
  iter.SeekToFirst();
  EXPECT_FALSE(iter.Valid());
  iter.Seek(100);
  EXPECT_FALSE(iter.Valid());
  iter.SeekToLast();
  EXPECT_FALSE(iter.Valid());
  iter.SeekForPrev(100);
  EXPECT_FALSE(iter.Valid());
}

TEST(SkipListTest, InsertAndLookupMatchesSet) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  constexpr int kN = 2000;
  constexpr Key kR = 5000;
  Arena arena;
  IntList list(U64Comparator(), &arena);
  std::set<Key> model;
  for (int i = 0; i < kN; i++) {
    Key key = rng() % kR;
    if (model.insert(key).second) list.Insert(key);
  }

  for (Key i = 0; i < kR; i++) ASSERT_EQ(list.Contains(i), model.count(i) == 1) << i;

  // Forward from every possible seek target.
  for (Key i = 0; i < kR; i += 7) {
    IntList::Iterator iter(&list);
    iter.Seek(i);
    auto it = model.lower_bound(i);
    for (int j = 0; j < 3; j++) {
      if (it == model.end()) {
        ASSERT_FALSE(iter.Valid());
        break;
      }
      ASSERT_TRUE(iter.Valid());
      ASSERT_EQ(*it, iter.key());
      ++it;
      iter.Next();
    }
  }

  // SeekForPrev and backward steps.
  for (Key i = 0; i < kR; i += 11) {
    IntList::Iterator iter(&list);
    iter.SeekForPrev(i);
    auto it = model.upper_bound(i);
    for (int j = 0; j < 3; j++) {
      if (it == model.begin()) {
        ASSERT_FALSE(iter.Valid());
        break;
      }
      --it;
      ASSERT_TRUE(iter.Valid());
      ASSERT_EQ(*it, iter.key());
      iter.Prev();
    }
  }

  // Full forward and backward scans.
  IntList::Iterator iter(&list);
  iter.SeekToFirst();
  for (Key k : model) {
    ASSERT_TRUE(iter.Valid());
    ASSERT_EQ(k, iter.key());
    iter.Next();
  }
  EXPECT_FALSE(iter.Valid());
  iter.SeekToLast();
  for (auto it = model.rbegin(); it != model.rend(); ++it) {
    ASSERT_TRUE(iter.Valid());
    ASSERT_EQ(*it, iter.key());
    iter.Prev();
  }
  EXPECT_FALSE(iter.Valid());
}

// LevelDB's ConcurrentTest idea: one writer inserts keys whose low bits are a checksum of the
// high bits, readers run concurrently and check that every key they meet is well-formed,
// iteration is strictly increasing, and every key published before they looked is present.
Key MakeKey(uint64_t id) {
  uint64_t h = (id * 0x9e3779b97f4a7c15ull) >> 48;
  return (id << 16) | (h & 0xffff);
}
bool IsWellFormed(Key k) { return MakeKey(k >> 16) == k; }

TEST(SkipListTest, ConcurrentReadersSeeSortedListAndPublishedKeys) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  constexpr int kKeys = 40000;
  constexpr int kReaders = 3;

  std::vector<Key> keys(kKeys);
  for (int i = 0; i < kKeys; i++) keys[i] = MakeKey(i + 1);
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(seed));

  Arena arena;
  IntList list(U64Comparator(), &arena);
  std::atomic<int> published{0};
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<long> checks{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; r++) {
    readers.emplace_back([&, r] {
      std::mt19937_64 rng(seed + r + 1);
      while (!done.load(std::memory_order_acquire)) {
        const int n = published.load(std::memory_order_acquire);
        // Published keys are visible to Contains() and Seek().
        for (int i = 0; i < 20 && n > 0; i++) {
          Key k = keys[rng() % n];
          if (!list.Contains(k)) failures++;
          IntList::Iterator iter(&list);
          iter.Seek(k);
          if (!iter.Valid() || iter.key() != k) failures++;
        }
        // A scan of a random range is sorted, well-formed and holds all published keys in it.
        Key lo = MakeKey(rng() % kKeys);
        Key hi = lo + (Key{200} << 16);
        IntList::Iterator iter(&list);
        iter.Seek(lo);
        Key prev = 0;
        size_t seen = 0;
        while (iter.Valid() && iter.key() < hi) {
          Key k = iter.key();
          if (!IsWellFormed(k) || (seen > 0 && k <= prev)) failures++;
          prev = k;
          seen++;
          iter.Next();
        }
        size_t expected_min = 0;
        for (int i = 0; i < n; i++) expected_min += (keys[i] >= lo && keys[i] < hi);
        if (seen < expected_min) failures++;
        // Backwards from the end of the range too.
        iter.SeekForPrev(hi);
        size_t back = 0;
        while (iter.Valid() && iter.key() >= lo) {
          Key k = iter.key();
          if (!IsWellFormed(k) || (back > 0 && k >= prev)) failures++;
          prev = k;
          back++;
          iter.Prev();
        }
        if (back < expected_min) failures++;
        checks++;
      }
    });
  }

  for (int i = 0; i < kKeys; i++) {
    list.Insert(keys[i]);
    published.store(i + 1, std::memory_order_release);
    if (i % 1000 == 0) std::this_thread::yield();
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(checks.load(), 0);

  // Final state: everything there, in order.
  std::sort(keys.begin(), keys.end());
  IntList::Iterator iter(&list);
  iter.SeekToFirst();
  for (Key k : keys) {
    ASSERT_TRUE(iter.Valid());
    ASSERT_EQ(iter.key(), k);
    iter.Next();
  }
  EXPECT_FALSE(iter.Valid());
}

}  // namespace
}  // namespace strata::memtable
