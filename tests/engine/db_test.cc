#include "engine/db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/engine/engine_test_util.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"

namespace strata::engine {
namespace {

using strata::test::TestSeed;

std::unique_ptr<Db> OpenMemory() {
  Options options;
  options.mode = StorageMode::kMemory;
  auto db = Db::Open(options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

using test::GetAt;

// "k1=v1,k2=v2" walking forward from SeekToFirst.
std::string ScanForward(Db* db, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  auto iter = db->NewIterator(ro);
  std::string out;
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
    if (!out.empty()) out += ",";
    out += std::string(iter->key()) + "=" + std::string(iter->value());
  }
  EXPECT_TRUE(iter->status().ok());
  return out;
}

// Same, walking backward from SeekToLast, reported in forward order.
std::string ScanBackward(Db* db, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  auto iter = db->NewIterator(ro);
  std::vector<std::string> parts;
  for (iter->SeekToLast(); iter->Valid(); iter->Prev()) {
    parts.push_back(std::string(iter->key()) + "=" + std::string(iter->value()));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += ",";
    out += *it;
  }
  return out;
}

TEST(DbTest, OpensEveryModeAndCloseIsIdempotent) {
  for (StorageMode mode :
       {StorageMode::kMemory, StorageMode::kWal, StorageMode::kPersistent, StorageMode::kHybrid}) {
    strata::test::TempDir dir;
    Options options;
    options.mode = mode;
    options.data_dir = dir.path();
    auto db = Db::Open(options);
    ASSERT_TRUE(db.ok()) << StorageModeName(mode);
    WriteBatch batch;
    batch.Put("k", "v");
    ASSERT_TRUE((*db)->Write(batch).ok());
    EXPECT_EQ(GetAt(db->get(), "k"), "v");
    EXPECT_TRUE((*db)->Close().ok());
    EXPECT_TRUE((*db)->Close().ok());
    EXPECT_FALSE((*db)->Write(batch).ok());
    // Reads keep working after Close().
    EXPECT_EQ(GetAt(db->get(), "k"), "v");
  }
}

TEST(DbTest, SequenceNumbersAreConsecutiveAndBatchesOrdered) {
  auto db = OpenMemory();
  EXPECT_EQ(db->LatestSequence(), kFirstSequence - 1);

  WriteBatch b1;
  b1.Put("a", "1");
  b1.Put("b", "2");
  b1.Put("a", "3");  // a later op of the same batch wins
  uint64_t first = 0;
  ASSERT_TRUE(db->Write(b1, &first).ok());
  EXPECT_EQ(first, kFirstSequence);
  EXPECT_EQ(db->LatestSequence(), kFirstSequence + 2);

  WriteBatch b2;
  b2.Delete("b");
  b2.Put("c", "4");
  ASSERT_TRUE(db->Write(b2, &first).ok());
  EXPECT_EQ(first, kFirstSequence + 3);
  EXPECT_EQ(db->LatestSequence(), kFirstSequence + 4);

  WriteBatch empty;
  ASSERT_TRUE(db->Write(empty).ok());
  EXPECT_EQ(db->LatestSequence(), kFirstSequence + 4);

  // The i-th op of a batch has sequence first_seq + i.
  const uint64_t s = kFirstSequence;
  EXPECT_EQ(ScanForward(db.get(), s), "a=1");
  EXPECT_EQ(ScanForward(db.get(), s + 1), "a=1,b=2");
  EXPECT_EQ(ScanForward(db.get(), s + 2), "a=3,b=2");
  EXPECT_EQ(ScanForward(db.get(), s + 3), "a=3");
  EXPECT_EQ(ScanForward(db.get(), s + 4), "a=3,c=4");
  EXPECT_EQ(ScanForward(db.get()), "a=3,c=4");
  // A snapshot beyond the visible sequence reads the latest state.
  EXPECT_EQ(ScanForward(db.get(), s + 1000), "a=3,c=4");
  EXPECT_EQ(GetAt(db.get(), "b", s + 2), "2");
  EXPECT_EQ(GetAt(db.get(), "b", s + 3), "NOT_FOUND");
  EXPECT_EQ(GetAt(db.get(), "a", s + 1), "1");
  EXPECT_EQ(GetAt(db.get(), "a"), "3");
}

TEST(DbTest, OlderSnapshotDoesNotSeeNewerWritesOrDeletes) {
  auto db = OpenMemory();
  WriteBatch batch;
  batch.Put("x", "x1");
  batch.Put("y", "y1");
  ASSERT_TRUE(db->Write(batch).ok());
  const uint64_t snap = db->LatestSequence();
  ReadOptions at_snap;
  at_snap.snapshot = snap;
  auto old_iter = db->NewIterator(at_snap);  // made before the newer writes

  batch.Clear();
  batch.Put("x", "x2");
  batch.Delete("y");
  batch.Put("z", "z1");
  ASSERT_TRUE(db->Write(batch).ok());

  EXPECT_EQ(GetAt(db.get(), "x", snap), "x1");
  EXPECT_EQ(GetAt(db.get(), "y", snap), "y1");
  EXPECT_EQ(GetAt(db.get(), "z", snap), "NOT_FOUND");
  EXPECT_EQ(GetAt(db.get(), "x"), "x2");
  EXPECT_EQ(GetAt(db.get(), "y"), "NOT_FOUND");
  EXPECT_EQ(ScanForward(db.get(), snap), "x=x1,y=y1");
  EXPECT_EQ(ScanBackward(db.get(), snap), "x=x1,y=y1");
  EXPECT_EQ(ScanForward(db.get()), "x=x2,z=z1");
  EXPECT_EQ(ScanBackward(db.get()), "x=x2,z=z1");

  std::string seen;
  for (old_iter->SeekToFirst(); old_iter->Valid(); old_iter->Next()) {
    seen += std::string(old_iter->key()) + "=" + std::string(old_iter->value()) + ";";
  }
  EXPECT_EQ(seen, "x=x1;y=y1;");

  // An iterator made with the default snapshot is pinned at its creation.
  auto latest = db->NewIterator(ReadOptions());
  batch.Clear();
  batch.Put("a", "new");
  ASSERT_TRUE(db->Write(batch).ok());
  latest->SeekToFirst();
  ASSERT_TRUE(latest->Valid());
  EXPECT_EQ(latest->key(), "x");
}

TEST(DbTest, IteratorHandlesOverwritesDeletesAndDirectionChanges) {
  auto db = OpenMemory();
  auto put = [&](std::string_view k, std::string_view v) {
    WriteBatch b;
    b.Put(k, v);
    ASSERT_TRUE(db->Write(b).ok());
  };
  auto del = [&](std::string_view k) {
    WriteBatch b;
    b.Delete(k);
    ASSERT_TRUE(db->Write(b).ok());
  };
  put("a", "a1");
  put("b", "b1");
  put("c", "c1");
  put("d", "d1");
  for (int i = 2; i <= 30; i++) put("b", "b" + std::to_string(i));  // many versions
  del("c");
  put("e", "e1");
  del("e");
  put("e", "e2");
  for (int i = 0; i < 20; i++) {  // a key deleted and recreated many times, dead at the end
    put("f", "f");
    del("f");
  }
  put("g", "g1");

  EXPECT_EQ(ScanForward(db.get()), "a=a1,b=b30,d=d1,e=e2,g=g1");
  EXPECT_EQ(ScanBackward(db.get()), "a=a1,b=b30,d=d1,e=e2,g=g1");

  auto iter = db->NewIterator(ReadOptions());
  iter->Seek("b");
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "b");
  EXPECT_EQ(iter->value(), "b30");
  iter->Next();
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "d");
  iter->Prev();
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "b");
  EXPECT_EQ(iter->value(), "b30");
  iter->Prev();
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "a");
  iter->Prev();
  EXPECT_FALSE(iter->Valid());

  iter->Seek("c");  // deleted: lands on d
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "d");
  iter->Seek("f");  // dead: lands on g
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "g");
  iter->Prev();
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "e");
  EXPECT_EQ(iter->value(), "e2");
  iter->Seek("h");
  EXPECT_FALSE(iter->Valid());
  iter->Seek("");
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "a");

  iter->SeekForPrev("c");  // deleted: lands on b
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "b");
  EXPECT_EQ(iter->value(), "b30");
  iter->SeekForPrev("d");
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "d");
  iter->SeekForPrev("ff");
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "e");
  iter->Next();
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "g");
  iter->Next();
  EXPECT_FALSE(iter->Valid());
  iter->SeekForPrev("zzz");
  ASSERT_TRUE(iter->Valid());
  EXPECT_EQ(iter->key(), "g");
  iter->SeekForPrev("0");
  EXPECT_FALSE(iter->Valid());

  // Old snapshots see old versions, also when moving backwards over many newer versions.
  const uint64_t s = kFirstSequence;
  EXPECT_EQ(ScanForward(db.get(), s + 4), "a=a1,b=b2,c=c1,d=d1");
  EXPECT_EQ(ScanBackward(db.get(), s + 4), "a=a1,b=b2,c=c1,d=d1");
  ReadOptions ro;
  ro.snapshot = s + 10;
  auto old = db->NewIterator(ro);
  old->SeekForPrev("bz");
  ASSERT_TRUE(old->Valid());
  EXPECT_EQ(old->key(), "b");
  EXPECT_EQ(old->value(), "b8");
  old->Next();
  ASSERT_TRUE(old->Valid());
  EXPECT_EQ(old->key(), "c");
}

TEST(DbTest, EmptyDbIterator) {
  auto db = OpenMemory();
  auto iter = db->NewIterator(ReadOptions());
  iter->SeekToFirst();
  EXPECT_FALSE(iter->Valid());
  iter->SeekToLast();
  EXPECT_FALSE(iter->Valid());
  iter->Seek("a");
  EXPECT_FALSE(iter->Valid());
  iter->SeekForPrev("a");
  EXPECT_FALSE(iter->Valid());
  EXPECT_TRUE(iter->status().ok());
  EXPECT_EQ(GetAt(db.get(), "a"), "NOT_FOUND");
}

// Random batches of puts and deletes checked against a std::map model at random snapshots:
// Get, full scans both ways, and random walks of Seek/SeekForPrev/Next/Prev.
TEST(DbTest, RandomOperationsMatchModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto db = OpenMemory();
  using Model = std::map<std::string, std::string>;
  std::vector<std::pair<uint64_t, Model>> snapshots;  // (seq, state at seq)
  Model model;

  // Keys from a small space, some prefixes of others, so versions pile up.
  auto random_key = [&] {
    static const char* kAlphabet = "abc\xff";
    std::string k;
    int len = static_cast<int>(rng() % 4);
    for (int i = 0; i < len; i++) k.push_back(kAlphabet[rng() % 4]);
    return k;
  };

  auto check = [&](uint64_t snap, const Model& m) {
    SCOPED_TRACE("snapshot " + std::to_string(snap));
    ReadOptions ro;
    ro.snapshot = snap;
    for (int i = 0; i < 20; i++) {
      std::string k = random_key();
      auto it = m.find(k);
      ASSERT_EQ(GetAt(db.get(), k, snap), it == m.end() ? "NOT_FOUND" : it->second) << k;
    }
    std::string expected;
    for (const auto& [k, v] : m) {
      if (!expected.empty()) expected += ",";
      expected += k + "=" + v;
    }
    ASSERT_EQ(ScanForward(db.get(), snap), expected);
    ASSERT_EQ(ScanBackward(db.get(), snap), expected);

    auto iter = db->NewIterator(ro);
    for (int walk = 0; walk < 10; walk++) {
      std::string target = random_key();
      Model::const_iterator pos;
      bool valid;
      if (rng() % 2 == 0) {
        iter->Seek(target);
        pos = m.lower_bound(target);
        valid = pos != m.end();
      } else {
        iter->SeekForPrev(target);
        pos = m.upper_bound(target);
        valid = pos != m.begin();
        if (valid) --pos;
      }
      for (int step = 0; step < 12; step++) {
        ASSERT_EQ(iter->Valid(), valid) << "walk " << walk << " step " << step;
        if (!valid) break;
        ASSERT_EQ(iter->key(), pos->first);
        ASSERT_EQ(iter->value(), pos->second);
        if (rng() % 2 == 0) {
          iter->Next();
          ++pos;
          valid = pos != m.end();
        } else {
          iter->Prev();
          valid = pos != m.begin();
          if (valid) --pos;
        }
      }
    }
    ASSERT_TRUE(iter->status().ok());
  };

  for (int round = 0; round < 300; round++) {
    WriteBatch batch;
    const int ops = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < ops; i++) {
      std::string k = random_key();
      if (rng() % 3 == 0) {
        batch.Delete(k);
        model.erase(k);
      } else {
        std::string v = "v" + std::to_string(round) + "." + std::to_string(i);
        batch.Put(k, v);
        model[k] = v;
      }
    }
    uint64_t first = 0;
    ASSERT_TRUE(db->Write(batch, &first).ok());
    ASSERT_EQ(first + ops - 1, db->LatestSequence());
    if (rng() % 10 == 0) snapshots.emplace_back(db->LatestSequence(), model);
    if (round % 25 == 0) check(0, model);
    if (HasFatalFailure()) return;
  }
  check(0, model);
  for (const auto& [snap, m] : snapshots) {
    check(snap, m);
    if (HasFatalFailure()) return;
  }
}

// Readers running during writes must see whole batches only. Every batch sets all of kKeys
// keys to one value, or deletes them all; a consistent reader sees all keys with one value or
// none of them.
TEST(DbTest, ConcurrentReadersSeeWholeBatches) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  constexpr int kKeys = 10;
  constexpr int kBatches = 4000;
  auto db = OpenMemory();
  auto key = [](int i) { return "key" + std::to_string(i); };
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<long> reads{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < 3; r++) {
    readers.emplace_back([&, r] {
      std::mt19937_64 rng(seed + r);
      uint64_t last_seen_seq = 0;
      while (!done.load(std::memory_order_acquire)) {
        const uint64_t snap = db->LatestSequence();
        if (snap < last_seen_seq) failures++;  // visibility never goes backwards
        last_seen_seq = snap;
        ReadOptions ro;
        ro.snapshot = snap;
        // Point reads at one snapshot agree with each other.
        std::string first_value = GetAt(db.get(), key(0), snap);
        for (int i = 1; i < kKeys; i++) {
          if (GetAt(db.get(), key(i), snap) != first_value) failures++;
        }
        // An iterator at the latest sequence sees all keys or none, with one value.
        auto iter = db->NewIterator(ReadOptions());
        int count = 0;
        std::string value;
        const bool backward = rng() % 2 == 0;
        for (backward ? iter->SeekToLast() : iter->SeekToFirst(); iter->Valid();
             backward ? iter->Prev() : iter->Next()) {
          if (count == 0) value = std::string(iter->value());
          if (iter->value() != value) failures++;
          count++;
        }
        if (count != 0 && count != kKeys) failures++;
        reads++;
      }
    });
  }

  for (int b = 0; b < kBatches; b++) {
    WriteBatch batch;
    for (int i = 0; i < kKeys; i++) {
      if (b % 7 == 3) {
        batch.Delete(key(i));
      } else {
        batch.Put(key(i), "batch" + std::to_string(b));
      }
    }
    uint64_t first = 0;
    ASSERT_TRUE(db->Write(batch, &first).ok());
    ASSERT_EQ(first, kFirstSequence + static_cast<uint64_t>(b) * kKeys);
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(db->LatestSequence(), kFirstSequence + kBatches * kKeys - 1);
}

// Several writer threads: every batch gets its own consecutive range of sequence numbers.
TEST(DbTest, ConcurrentWritersGetDisjointConsecutiveRanges) {
  auto db = OpenMemory();
  constexpr int kThreads = 4;
  constexpr int kBatchesPerThread = 500;
  std::vector<std::vector<uint64_t>> firsts(kThreads);
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; t++) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kBatchesPerThread; i++) {
        WriteBatch batch;
        batch.Put("t" + std::to_string(t) + "/" + std::to_string(i), "x");
        batch.Put("count", std::to_string(t));
        uint64_t first = 0;
        if (db->Write(batch, &first).ok()) firsts[t].push_back(first);
      }
    });
  }
  for (auto& w : writers) w.join();
  std::vector<uint64_t> all;
  for (const auto& f : firsts) all.insert(all.end(), f.begin(), f.end());
  ASSERT_EQ(all.size(), size_t{kThreads * kBatchesPerThread});
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); i++) ASSERT_EQ(all[i], kFirstSequence + 2 * i);
  EXPECT_EQ(db->LatestSequence(), kFirstSequence + 2 * all.size() - 1);
}

}  // namespace
}  // namespace strata::engine
