// Memtable rebuilds (VisibleMemTable::MaybeRebuild) and registered snapshots in memory mode:
// memory stays bounded under overwrites and no read ever sees a wrong value. The durable modes
// no longer rebuild (they flush full memtables to SSTables): the last test checks that they keep
// memory bounded that way and that snapshots and recovery stay exact across flushes.

#include <gtest/gtest.h>

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

#include "engine/db.h"
#include "engine/durable_db.h"
#include "engine/memory_db.h"
#include "tests/engine/engine_test_util.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"

namespace strata::engine {
namespace {

using strata::test::TestSeed;

constexpr size_t kSmallMemtable = 256 * 1024;

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%05d", i);
  return buf;
}

// A ~100 byte value naming its key and round.
std::string Value(int key, int round) {
  return "v" + std::to_string(key) + "." + std::to_string(round) + std::string(90, 'x');
}

using test::GetAt;

void MustPut(Db* db, const std::string& key, const std::string& value) {
  WriteBatch batch;
  batch.Put(key, value);
  ASSERT_TRUE(db->Write(batch).ok());
}

void MustDelete(Db* db, const std::string& key) {
  WriteBatch batch;
  batch.Delete(key);
  ASSERT_TRUE(db->Write(batch).ok());
}

std::unique_ptr<MemoryDb> OpenSmallMemory(size_t memtable_bytes = kSmallMemtable) {
  Options options;
  options.mode = StorageMode::kMemory;
  options.memtable_bytes = memtable_bytes;
  return std::make_unique<MemoryDb>(options);
}

TEST(MemtableRebuildTest, OverwritesKeepMemoryBoundedAndLastValues) {
  auto db = OpenSmallMemory();
  constexpr int kKeys = 1000;
  constexpr int kRounds = 50;  // ~5 MB written, ~130 KB live
  size_t peak = 0;
  for (int round = 0; round < kRounds; round++) {
    for (int k = 0; k < kKeys; k++) {
      MustPut(db.get(), Key(k), Value(k, round));
      peak = std::max(peak, db->ApproximateMemoryUsage());
    }
  }
  EXPECT_GT(db->memtable_rebuilds(), 5u);
  // The limit is max(memtable_bytes, 2 x kept) and kept is ~live data (~150 KB with the
  // arena's blocks): one block past 2 x 256 KiB at worst.
  EXPECT_LE(peak, 2 * kSmallMemtable + 64 * 1024) << "peak memtable usage";
  std::printf("peak memtable usage %zu bytes after %d overwrites (%zu rebuilds)\n", peak,
              kKeys * kRounds, static_cast<size_t>(db->memtable_rebuilds()));
  for (int k = 0; k < kKeys; k++) ASSERT_EQ(GetAt(db.get(), Key(k)), Value(k, kRounds - 1));
}

TEST(MemtableRebuildTest, WithoutRebuildsMemoryGrows) {
  // The control for the bound above: with a huge limit nothing is dropped.
  auto db = OpenSmallMemory(size_t{1} << 40);
  for (int round = 0; round < 20; round++) {
    for (int k = 0; k < 1000; k++) MustPut(db.get(), Key(k), Value(k, round));
  }
  EXPECT_EQ(db->memtable_rebuilds(), 0u);
  EXPECT_GT(db->ApproximateMemoryUsage(), size_t{2} << 20);
}

TEST(MemtableRebuildTest, DeletedKeysStayDeletedAndTombstonesAreDropped) {
  auto db = OpenSmallMemory();
  for (int k = 0; k < 1000; k++) MustPut(db.get(), Key(k), Value(k, 0));
  for (int k = 0; k < 1000; k += 2) MustDelete(db.get(), Key(k));
  // Overwrite the odd keys until several rebuilds ran.
  for (int round = 1; db->memtable_rebuilds() < 4; round++) {
    for (int k = 1; k < 1000; k += 2) MustPut(db.get(), Key(k), Value(k, round));
  }
  for (int k = 0; k < 1000; k += 2) ASSERT_EQ(GetAt(db.get(), Key(k)), "NOT_FOUND") << k;
  int live = 0;
  auto iter = db->NewIterator(ReadOptions());
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) live++;
  EXPECT_EQ(live, 500);
  // Everything deleted, plus 3000 long keys put and deleted (~400 KB of tombstones): after a
  // rebuild nothing (not even tombstones) is left but the filler, in one 64 KiB arena block.
  for (int k = 1; k < 1000; k += 2) MustDelete(db.get(), Key(k));
  for (int k = 0; k < 3000; k++) MustPut(db.get(), std::string(120, 'L') + Key(k), "x");
  for (int k = 0; k < 3000; k++) MustDelete(db.get(), std::string(120, 'L') + Key(k));
  const uint64_t before = db->memtable_rebuilds();
  for (int i = 0; db->memtable_rebuilds() == before; i++) {
    MustPut(db.get(), "filler", std::string(1000, 'f'));
  }
  EXPECT_LE(db->ApproximateMemoryUsage(), size_t{65} << 10);
  for (int k = 0; k < 1000; k++) ASSERT_EQ(GetAt(db.get(), Key(k)), "NOT_FOUND") << k;
}

TEST(MemtableRebuildTest, RegisteredSnapshotKeepsOldValues) {
  auto db = OpenSmallMemory();
  for (int k = 0; k < 1000; k++) MustPut(db.get(), Key(k), Value(k, 0));
  MustDelete(db.get(), Key(7));
  std::shared_ptr<const Snapshot> snap = db->GetSnapshot();
  EXPECT_EQ(snap->sequence(), db->LatestSequence());
  MustPut(db.get(), Key(7), "resurrected");
  for (int round = 1; round <= 30; round++) {
    for (int k = 0; k < 1000; k++) {
      if (k % 3 == 0) {
        MustDelete(db.get(), Key(k));
      } else {
        MustPut(db.get(), Key(k), Value(k, round));
      }
    }
  }
  ASSERT_GT(db->memtable_rebuilds(), 2u);
  for (int k = 0; k < 1000; k++) {
    ASSERT_EQ(GetAt(db.get(), Key(k), snap->sequence()), k == 7 ? "NOT_FOUND" : Value(k, 0));
    ASSERT_EQ(GetAt(db.get(), Key(k)), k % 3 == 0 ? "NOT_FOUND" : Value(k, 30));
  }
  // Releasing it lets the next rebuilds drop the old versions.
  snap.reset();
  const uint64_t before = db->memtable_rebuilds();
  for (int round = 31; db->memtable_rebuilds() < before + 2; round++) {
    for (int k = 1; k < 1000; k += 3) MustPut(db.get(), Key(k), Value(k, round));
  }
  EXPECT_LE(db->ApproximateMemoryUsage(), 2 * kSmallMemtable + 64 * 1024);
}

TEST(MemtableRebuildTest, UnregisteredSnapshotIsExactWithoutRebuild) {
  auto db = OpenSmallMemory(size_t{1} << 40);
  MustPut(db.get(), "a", "1");
  const uint64_t seq = db->LatestSequence();
  MustPut(db.get(), "a", "2");
  EXPECT_EQ(GetAt(db.get(), "a", seq), "1");
  EXPECT_EQ(GetAt(db.get(), "a"), "2");
}

TEST(MemtableRebuildTest, IteratorOpenedBeforeRebuildsKeepsItsSnapshot) {
  auto db = OpenSmallMemory();
  for (int k = 0; k < 1000; k++) MustPut(db.get(), Key(k), Value(k, 0));
  auto iter = db->NewIterator(ReadOptions());  // no registered snapshot: it pins its memtable
  iter->Seek(Key(500));
  ASSERT_TRUE(iter->Valid());
  for (int round = 1; round <= 20; round++) {
    for (int k = 0; k < 1000; k++) {
      if (k % 2 == 0) {
        MustDelete(db.get(), Key(k));
      } else {
        MustPut(db.get(), Key(k), Value(k, round));
      }
    }
  }
  ASSERT_GT(db->memtable_rebuilds(), 2u);
  int k = 500;
  for (; iter->Valid(); iter->Next(), k++) {
    ASSERT_EQ(iter->key(), Key(k));
    ASSERT_EQ(iter->value(), Value(k, 0));
  }
  EXPECT_EQ(k, 1000);
  iter->SeekToLast();
  for (k = 999; iter->Valid(); iter->Prev(), k--) ASSERT_EQ(iter->value(), Value(k, 0));
  EXPECT_EQ(k, -1);
  EXPECT_TRUE(iter->status().ok());
}

// Writers overwrite and delete random keys of a fixed set; "stable" keys are only ever
// overwritten, never deleted, so readers must always find them (with a value of that key),
// and registered snapshots must read the same values twice.
TEST(MemtableRebuildTest, ConcurrentReadersDuringRebuildsNeverMissAKey) {
  const uint64_t seed = TestSeed();
  auto db = OpenSmallMemory(64 * 1024);
  constexpr int kKeys = 300;  // even: stable; odd: deleted now and then
  for (int k = 0; k < kKeys; k++) MustPut(db.get(), Key(k), Value(k, 0));
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; t++) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(seed + 1 + t);
      while (!done.load() && failures.load() < 10) {
        const int k = static_cast<int>(rng() % kKeys) & ~1;
        std::string value;
        ReadOptions ro;
        Status s = db->Get(ro, Key(k), &value);
        const std::string prefix = "v" + std::to_string(k) + ".";
        if (!s.ok() || value.compare(0, prefix.size(), prefix) != 0) {
          ADD_FAILURE() << "Get " << Key(k) << ": " << s.ToString() << " " << value;
          failures++;
        }
        if (rng() % 8 == 0) {
          // A registered snapshot reads the same thing twice, and a scan sees every stable key.
          auto snap = db->GetSnapshot();
          ro.snapshot = snap->sequence();
          std::string first;
          std::string second;
          Status s1 = db->Get(ro, Key(k + 1), &first);
          std::this_thread::yield();
          Status s2 = db->Get(ro, Key(k + 1), &second);
          if (s1.code() != s2.code() || first != second) {
            ADD_FAILURE() << "snapshot read changed: " << first << " vs " << second;
            failures++;
          }
          auto iter = db->NewIterator(ro);
          int stable = 0;
          for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
            if ((std::stoi(std::string(iter->key()).substr(3)) & 1) == 0) stable++;
          }
          if (stable != kKeys / 2) {
            ADD_FAILURE() << "scan saw " << stable << " stable keys";
            failures++;
          }
        }
      }
    });
  }
  std::mt19937_64 rng(seed);
  for (int i = 1; i <= 100000 && failures.load() == 0; i++) {
    const int k = static_cast<int>(rng() % kKeys);
    WriteBatch batch;
    if ((k & 1) == 1 && rng() % 3 == 0) {
      batch.Delete(Key(k));
    } else {
      batch.Put(Key(k), Value(k, i));
    }
    if (!db->Write(batch).ok()) {
      ADD_FAILURE() << "write failed";
      break;
    }
  }
  done = true;
  for (auto& r : readers) r.join();
  EXPECT_GT(db->memtable_rebuilds(), 10u);
  EXPECT_EQ(failures.load(), 0) << "seed " << seed;
  EXPECT_EQ(db->live_snapshots(), 0u);
}

TEST(MemtableRebuildTest, DurableFlushesInsteadOfRebuildsAndRecoveryRecoversEverything) {
  const uint64_t seed = TestSeed();
  std::mt19937_64 rng(seed);
  strata::test::TempDir tmp;
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = tmp.path() + "/data";
  options.wal_segment_bytes = 1 << 20;
  options.flush_interval_ms = 20;
  options.memtable_bytes = 128 * 1024;
  std::map<std::string, std::string> model;
  {
    auto opened = DurableDb::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<DurableDb> db = std::move(opened).value();
    auto snap = db->GetSnapshot();
    std::map<std::string, std::string> at_snap = model;
    for (int i = 1; i <= 8000; i++) {
      const int k = static_cast<int>(rng() % 500);
      WriteBatch batch;
      if (rng() % 5 == 0) {
        batch.Delete(Key(k));
        model.erase(Key(k));
      } else {
        batch.Put(Key(k), Value(k, i));
        model[Key(k)] = Value(k, i);
      }
      ASSERT_TRUE(db->Write(batch).ok());
      if (i == 2000) {
        snap = db->GetSnapshot();
        at_snap = model;
      }
    }
    EXPECT_GT(db->flushes(), 3u);
    for (int k = 0; k < 500; k++) {
      auto it = at_snap.find(Key(k));
      ASSERT_EQ(GetAt(db.get(), Key(k), snap->sequence()),
                it == at_snap.end() ? "NOT_FOUND" : it->second);
    }
    ASSERT_TRUE(db->Close().ok());
  }
  auto opened = DurableDb::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<DurableDb> db = std::move(opened).value();
  EXPECT_LE(db->ApproximateMemoryUsage(), 4 * options.memtable_bytes);
  std::map<std::string, std::string> contents;
  auto iter = db->NewIterator(ReadOptions());
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
    contents.emplace(std::string(iter->key()), std::string(iter->value()));
  }
  EXPECT_EQ(contents, model) << "seed " << seed;
  for (int k = 0; k < 500; k++) {
    auto it = model.find(Key(k));
    ASSERT_EQ(GetAt(db.get(), Key(k)), it == model.end() ? "NOT_FOUND" : it->second);
  }
}

}  // namespace
}  // namespace strata::engine
