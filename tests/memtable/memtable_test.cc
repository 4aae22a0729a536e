#include "memtable/memtable.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "memtable/internal_key.h"
#include "tests/testutil/test_seed.h"

namespace strata::memtable {
namespace {

using strata::test::TestSeed;

std::string IKey(std::string_view user_key, uint64_t seq, EntryKind kind) {
  std::string k;
  AppendInternalKey(&k, user_key, seq, kind);
  return k;
}

TEST(InternalKeyTest, EncodeParseAndOrder) {
  std::string k = IKey("abc", 12345, EntryKind::kPut);
  ASSERT_EQ(k.size(), 3 + kTagSize);
  ParsedInternalKey p;
  ASSERT_TRUE(ParseInternalKey(k, &p));
  EXPECT_EQ(p.user_key, "abc");
  EXPECT_EQ(p.sequence, 12345u);
  EXPECT_EQ(p.kind, EntryKind::kPut);
  EXPECT_FALSE(ParseInternalKey("short", &p));
  std::string bad = "x" + std::string(8, '\x07');  // kind 7
  EXPECT_FALSE(ParseInternalKey(bad, &p));

  // The kind values are persisted: DO NOT CHANGE.
  EXPECT_EQ(static_cast<int>(EntryKind::kDelete), 0);
  EXPECT_EQ(static_cast<int>(EntryKind::kPut), 1);
  EXPECT_EQ(PackSequenceAndKind(5, EntryKind::kPut), (5u << 8) | 1u);

  // User key ascending (bytewise, unsigned), then sequence descending.
  EXPECT_LT(CompareInternalKeys(IKey("a", 1, EntryKind::kPut), IKey("b", 100, EntryKind::kPut)), 0);
  EXPECT_LT(CompareInternalKeys(IKey("a", 100, EntryKind::kPut), IKey("a", 1, EntryKind::kPut)), 0);
  EXPECT_LT(CompareInternalKeys(IKey("a", 7, EntryKind::kPut), IKey("a", 7, EntryKind::kDelete)),
            0);
  EXPECT_LT(CompareInternalKeys(IKey("a", 1, EntryKind::kPut), IKey("ab", 9, EntryKind::kPut)), 0);
  EXPECT_LT(CompareInternalKeys(IKey("\x7f", 1, EntryKind::kPut), IKey("\x80", 1, EntryKind::kPut)),
            0);
  EXPECT_EQ(CompareInternalKeys(IKey("a", 3, EntryKind::kPut), IKey("a", 3, EntryKind::kPut)), 0);
}

TEST(MemTableTest, GetHonoursSnapshotsAndTombstones) {
  MemTable mem;
  std::string v;
  EXPECT_EQ(mem.Get("k", 100, &v), MemTable::GetResult::kAbsent);
  mem.Add(10, EntryKind::kPut, "k", "v10");
  mem.Add(11, EntryKind::kPut, "other", "o11");
  mem.Add(12, EntryKind::kDelete, "k", "");
  mem.Add(13, EntryKind::kPut, "k", "v13");

  EXPECT_EQ(mem.Get("k", 9, &v), MemTable::GetResult::kAbsent);
  ASSERT_EQ(mem.Get("k", 10, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "v10");
  ASSERT_EQ(mem.Get("k", 11, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "v10");
  EXPECT_EQ(mem.Get("k", 12, &v), MemTable::GetResult::kDeleted);
  ASSERT_EQ(mem.Get("k", 13, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "v13");
  ASSERT_EQ(mem.Get("k", kMaxSequenceNumber, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "v13");
  // A prefix or extension of a stored key is a different key.
  EXPECT_EQ(mem.Get("", 100, &v), MemTable::GetResult::kAbsent);
  EXPECT_EQ(mem.Get("kk", 100, &v), MemTable::GetResult::kAbsent);
  EXPECT_EQ(mem.Get("othe", 100, &v), MemTable::GetResult::kAbsent);
  EXPECT_EQ(mem.Get("other", 10, &v), MemTable::GetResult::kAbsent);
}

TEST(MemTableTest, EmptyKeysValuesAndBinaryData) {
  MemTable mem;
  std::string key_with_nul("a\0b", 3);
  std::string big(300000, 'x');
  mem.Add(10, EntryKind::kPut, "", "empty-key");
  mem.Add(11, EntryKind::kPut, key_with_nul, "");
  mem.Add(12, EntryKind::kPut, "big", big);
  std::string v;
  ASSERT_EQ(mem.Get("", 20, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "empty-key");
  ASSERT_EQ(mem.Get(key_with_nul, 20, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, "");
  EXPECT_EQ(mem.Get("a", 20, &v), MemTable::GetResult::kAbsent);
  ASSERT_EQ(mem.Get("big", 20, &v), MemTable::GetResult::kFound);
  EXPECT_EQ(v, big);
  EXPECT_GE(mem.ApproximateMemoryUsage(), big.size());
}

TEST(MemTableTest, IteratorWalksInternalKeyOrder) {
  MemTable mem;
  mem.Add(10, EntryKind::kPut, "b", "b10");
  mem.Add(11, EntryKind::kPut, "a", "a11");
  mem.Add(12, EntryKind::kDelete, "b", "ignored");
  mem.Add(13, EntryKind::kPut, "c", "c13");
  mem.Add(14, EntryKind::kPut, "b", "b14");

  struct E {
    std::string key;
    uint64_t seq;
    EntryKind kind;
    std::string value;
  };
  std::vector<E> expected = {{"a", 11, EntryKind::kPut, "a11"},
                             {"b", 14, EntryKind::kPut, "b14"},
                             {"b", 12, EntryKind::kDelete, ""},
                             {"b", 10, EntryKind::kPut, "b10"},
                             {"c", 13, EntryKind::kPut, "c13"}};
  auto iter = mem.NewIterator();
  iter->SeekToFirst();
  for (const E& e : expected) {
    ASSERT_TRUE(iter->Valid());
    EXPECT_EQ(iter->user_key(), e.key);
    EXPECT_EQ(iter->sequence(), e.seq);
    EXPECT_EQ(iter->kind(), e.kind);
    EXPECT_EQ(iter->value(), e.value);
    EXPECT_EQ(iter->key(), IKey(e.key, e.seq, e.kind));
    iter->Next();
  }
  EXPECT_FALSE(iter->Valid());

  iter->SeekToLast();
  for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
    ASSERT_TRUE(iter->Valid());
    EXPECT_EQ(iter->user_key(), it->key);
    EXPECT_EQ(iter->sequence(), it->seq);
    iter->Prev();
  }
  EXPECT_FALSE(iter->Valid());

  // Seek at a snapshot lands on the newest visible version.
  iter->Seek("b", 13);
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->sequence(), 12u);
  iter->Seek("b", 9);
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->user_key(), "c");
  iter->Seek(IKey("b", 11, EntryKind::kPut));
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->sequence(), 10u);
  iter->SeekForPrev(IKey("b", 11, EntryKind::kPut));
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->sequence(), 12u);
  iter->SeekForPrev(IKey("a", 5, EntryKind::kPut));
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->user_key(), "a");
  iter->SeekForPrev(IKey("a", 12, EntryKind::kPut));
  EXPECT_FALSE(iter->Valid());
}

TEST(MemTableTest, RandomAgainstModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  MemTable mem;
  // model[key] = versions (seq, kind, value) in insertion (= seq) order.
  struct Version {
    uint64_t seq;
    EntryKind kind;
    std::string value;
  };
  std::map<std::string, std::vector<Version>> model;
  uint64_t seq = 10;
  for (int i = 0; i < 5000; i++) {
    std::string key = "key" + std::to_string(rng() % 300);
    EntryKind kind = rng() % 4 == 0 ? EntryKind::kDelete : EntryKind::kPut;
    std::string value = kind == EntryKind::kPut ? "v" + std::to_string(seq) : "";
    mem.Add(seq, kind, key, value);
    model[key].push_back({seq, kind, value});
    seq++;
  }
  for (int i = 0; i < 5000; i++) {
    std::string key = "key" + std::to_string(rng() % 320);
    uint64_t snap = 5 + rng() % (seq - 5 + 10);
    MemTable::GetResult want = MemTable::GetResult::kAbsent;
    std::string want_value;
    auto it = model.find(key);
    if (it != model.end()) {
      for (const Version& v : it->second) {
        if (v.seq > snap) break;
        want =
            v.kind == EntryKind::kPut ? MemTable::GetResult::kFound : MemTable::GetResult::kDeleted;
        want_value = v.value;
      }
    }
    std::string got;
    ASSERT_EQ(mem.Get(key, snap, &got), want) << key << " @" << snap;
    if (want == MemTable::GetResult::kFound) {
      ASSERT_EQ(got, want_value);
    }
  }
}

// One writer adds entries with increasing sequence numbers and publishes the last one; readers
// concurrently Get published entries at the published sequence and scan the table checking
// the internal key order.
TEST(MemTableTest, ConcurrentReadersDuringWrites) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  constexpr int kWrites = 30000;
  constexpr int kKeys = 2000;
  MemTable mem;
  std::atomic<uint64_t> published{0};  // entries with seq <= published are in the table
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  // Key of the entry with sequence s: deterministic so readers can recompute it.
  auto key_of = [](uint64_t s) { return "k" + std::to_string((s * 7919) % kKeys); };
  constexpr uint64_t kFirst = 10;

  std::vector<std::thread> readers;
  for (int r = 0; r < 3; r++) {
    readers.emplace_back([&, r] {
      std::mt19937_64 rng(seed + r);
      while (!done.load(std::memory_order_acquire)) {
        const uint64_t snap = published.load(std::memory_order_acquire);
        if (snap < kFirst) continue;
        for (int i = 0; i < 50; i++) {
          uint64_t s = kFirst + rng() % (snap - kFirst + 1);
          std::string value;
          // At snapshot s the entry written at s is the newest version of its key.
          if (mem.Get(key_of(s), s, &value) != MemTable::GetResult::kFound ||
              value != "v" + std::to_string(s)) {
            failures++;
          }
        }
        auto iter = mem.NewIterator();
        iter->SeekToFirst();
        std::string prev;
        uint64_t visible = 0;
        while (iter->Valid()) {
          std::string k(iter->key());
          if (!prev.empty() && CompareInternalKeys(prev, k) >= 0) failures++;
          if (iter->value() != "v" + std::to_string(iter->sequence())) failures++;
          if (iter->sequence() <= snap) visible++;
          prev = std::move(k);
          iter->Next();
        }
        if (visible != snap - kFirst + 1) failures++;
      }
    });
  }
  for (uint64_t s = kFirst; s < kFirst + kWrites; s++) {
    mem.Add(s, EntryKind::kPut, key_of(s), "v" + std::to_string(s));
    published.store(s, std::memory_order_release);
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace strata::memtable
