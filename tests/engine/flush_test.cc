// Memtable flushes to L0 SSTables (DurableDb in the wal, persistent and hybrid modes): reads
// through Get and iterators at snapshots taken before and after flushes, random workloads with
// many flushes against a std::map model, reopening after flushes, WAL segment deletion, hybrid
// restarts, flush faults latching the background error, and iterators running while flushes
// happen.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "engine/durable_db.h"
#include "engine/file_names.h"
#include "sstable/file.h"
#include "tests/engine/engine_test_util.h"
#include "tests/testutil/fault_injection_file.h"
#include "tests/testutil/fault_injection_sink.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"
#include "wal/segment_manager.h"
#include "wal/sink.h"

namespace strata::engine {
namespace {

namespace fs = std::filesystem;
using Model = std::map<std::string, std::string>;
using strata::test::TempDir;
using strata::test::TestSeed;
using test::Contents;
using test::ContentsBackward;
using test::GetAt;
using test::MustOpen;

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%06d", i);
  return buf;
}

// Random steps of an iterator at `snapshot` over keys below key_space, checked against `model`.
void RandomWalk(Db* db, const Model& model, uint64_t snapshot, std::mt19937_64& rng, int steps,
                int key_space) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  auto iter = db->NewIterator(ro);
  test::RandomWalk(iter.get(), model, rng, steps, [&] {
    return Key(static_cast<int>(rng() % key_space)) + (rng() % 2 ? "" : "+");
  });
}

class FlushTest : public ::testing::TestWithParam<StorageMode> {
 protected:
  Options MakeOptions() const {
    Options options;
    options.mode = GetParam();
    options.data_dir = tmp_.path() + "/data";
    options.wal_segment_bytes = 256 * 1024;
    options.memtable_bytes = 1 << 20;  // FlushMemTable() decides, unless a test lowers it
    options.flush_interval_ms = 60 * 60 * 1000;
    options.block_cache_bytes = 1 << 20;
    return options;
  }

  std::string DbDir() const { return tmp_.path() + "/data/dynamodb"; }

  std::vector<uint64_t> Segments() const {
    auto list = wal::SegmentManager::ListSegments(DbDir());
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<uint64_t>{};
  }

  size_t TableFiles() const {
    size_t n = 0;
    for (const auto& entry : fs::directory_iterator(DbDir())) {
      uint64_t number;
      FileType type;
      if (ParseFileName(entry.path().filename().string(), &number, &type) &&
          type == FileType::kTable) {
        n++;
      }
    }
    return n;
  }

  bool has_wal() const { return GetParam() != StorageMode::kHybrid; }

  TempDir tmp_;
};

void Put(Db* db, const std::string& key, const std::string& value, Model* model = nullptr) {
  WriteBatch batch;
  batch.Put(key, value);
  ASSERT_TRUE(db->Write(batch).ok());
  if (model != nullptr) (*model)[key] = value;
}

void Delete(Db* db, const std::string& key, Model* model = nullptr) {
  WriteBatch batch;
  batch.Delete(key);
  ASSERT_TRUE(db->Write(batch).ok());
  if (model != nullptr) model->erase(key);
}

TEST_P(FlushTest, FlushThenReadAtSnapshotsBeforeAndAfter) {
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  Model v1;
  for (int i = 0; i < 200; i++) Put(db.get(), Key(i), "one" + std::to_string(i), &v1);
  auto snap1 = db->GetSnapshot();

  Model v2 = v1;
  for (int i = 0; i < 200; i += 3) Put(db.get(), Key(i), "two" + std::to_string(i), &v2);
  for (int i = 1; i < 200; i += 7) Delete(db.get(), Key(i), &v2);
  auto snap2 = db->GetSnapshot();

  ASSERT_TRUE(db->FlushMemTable().ok());
  EXPECT_EQ(db->flushes(), 1u);
  EXPECT_EQ(db->num_immutables(), 0u);
  EXPECT_EQ(db->current_version()->NumFiles(0), 1u);

  // Everything now comes from the table, at both snapshots and at the latest sequence.
  EXPECT_EQ(Contents(db.get(), snap1->sequence()), v1);
  EXPECT_EQ(ContentsBackward(db.get(), snap1->sequence()), v1);
  EXPECT_EQ(Contents(db.get(), snap2->sequence()), v2);
  EXPECT_EQ(Contents(db.get()), v2);
  EXPECT_EQ(ContentsBackward(db.get()), v2);
  for (int i = 0; i < 210; i++) {
    auto it1 = v1.find(Key(i));
    auto it2 = v2.find(Key(i));
    ASSERT_EQ(GetAt(db.get(), Key(i), snap1->sequence()),
              it1 == v1.end() ? "NOT_FOUND" : it1->second);
    ASSERT_EQ(GetAt(db.get(), Key(i)), it2 == v2.end() ? "NOT_FOUND" : it2->second);
  }

  // Newer writes in the memtable shadow the table: overwrite a deleted key, delete a flushed one.
  Model v3 = v2;
  Put(db.get(), Key(1), "three", &v3);
  Delete(db.get(), Key(0), &v3);
  auto snap3 = db->GetSnapshot();
  EXPECT_EQ(GetAt(db.get(), Key(1)), "three");
  EXPECT_EQ(GetAt(db.get(), Key(0)), "NOT_FOUND");
  EXPECT_EQ(GetAt(db.get(), Key(0), snap2->sequence()), "two0");
  EXPECT_EQ(Contents(db.get()), v3);

  // A second table: the memtable's tombstone hides the older table's value.
  ASSERT_TRUE(db->FlushMemTable().ok());
  EXPECT_EQ(db->current_version()->NumFiles(0), 2u);
  EXPECT_EQ(Contents(db.get(), snap1->sequence()), v1);
  EXPECT_EQ(Contents(db.get(), snap2->sequence()), v2);
  EXPECT_EQ(Contents(db.get(), snap3->sequence()), v3);
  EXPECT_EQ(ContentsBackward(db.get(), snap3->sequence()), v3);
  EXPECT_EQ(GetAt(db.get(), Key(0)), "NOT_FOUND");
  EXPECT_EQ(GetAt(db.get(), Key(0), snap2->sequence()), "two0");
  std::mt19937_64 rng(TestSeed());
  RandomWalk(db.get(), v1, snap1->sequence(), rng, 500, 210);
  RandomWalk(db.get(), v3, 0, rng, 500, 210);
  // Flushing an empty memtable writes nothing.
  ASSERT_TRUE(db->FlushMemTable().ok());
  EXPECT_EQ(db->current_version()->NumFiles(0), 2u);
}

TEST_P(FlushTest, IteratorOpenedBeforeAFlushKeepsReadingIt) {
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  Model model;
  for (int i = 0; i < 100; i++) Put(db.get(), Key(i), "a" + std::to_string(i), &model);
  auto iter = db->NewIterator(ReadOptions());
  iter->Seek(Key(50));
  ASSERT_TRUE(iter->Valid());
  // The flush moves the data into a table and a later one changes it: the iterator keeps its
  // pinned memtable and snapshot.
  ASSERT_TRUE(db->FlushMemTable().ok());
  for (int i = 0; i < 100; i++) Put(db.get(), Key(i), "b");
  ASSERT_TRUE(db->FlushMemTable().ok());
  Model seen;
  for (; iter->Valid(); iter->Next()) seen.emplace(iter->key(), iter->value());
  for (iter->SeekToFirst(); iter->Valid() && iter->key() < Key(50); iter->Next()) {
    seen.emplace(iter->key(), iter->value());
  }
  EXPECT_EQ(seen, model);
  EXPECT_EQ(GetAt(db.get(), Key(7)), "b");
}

TEST_P(FlushTest, ManyFlushesWithOverwritesAndDeletesMatchModel) {
  const uint64_t seed = TestSeed();
  std::mt19937_64 rng(seed);
  Options options = MakeOptions();
  options.memtable_bytes = 128 * 1024;  // a flush every ~300 writes (an empty one uses 64 KiB)
  constexpr int kKeys = 400;
  Model model;
  std::vector<std::pair<std::shared_ptr<const Snapshot>, Model>> snapshots;
  {
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 6000; i++) {
      WriteBatch batch;
      const int ops = 1 + static_cast<int>(rng() % 3);
      for (int op = 0; op < ops; op++) {
        const std::string key = Key(static_cast<int>(rng() % kKeys));
        if (rng() % 4 == 0) {
          batch.Delete(key);
          model.erase(key);
        } else {
          std::string value = std::to_string(i) + std::string(rng() % 300, 'v');
          batch.Put(key, value);
          model[key] = value;
        }
      }
      ASSERT_TRUE(db->Write(batch).ok());
      if (i % 1500 == 700) snapshots.emplace_back(db->GetSnapshot(), model);
      if (i % 1000 == 999) {
        for (int k = 0; k < kKeys; k++) {
          auto it = model.find(Key(k));
          ASSERT_EQ(GetAt(db.get(), Key(k)), it == model.end() ? "NOT_FOUND" : it->second)
              << "seed " << seed << " key " << k;
        }
        ASSERT_EQ(Contents(db.get()), model) << "seed " << seed;
      }
    }
    EXPECT_GT(db->flushes(), 20u);
    EXPECT_EQ(Contents(db.get()), model);
    EXPECT_EQ(ContentsBackward(db.get()), model);
    for (auto& [snap, at] : snapshots) {
      ASSERT_EQ(Contents(db.get(), snap->sequence()), at) << "seed " << seed;
      for (int k = 0; k < kKeys; k += 7) {
        auto it = at.find(Key(k));
        ASSERT_EQ(GetAt(db.get(), Key(k), snap->sequence()),
                  it == at.end() ? "NOT_FOUND" : it->second);
      }
      RandomWalk(db.get(), at, snap->sequence(), rng, 300, kKeys);
    }
    RandomWalk(db.get(), model, 0, rng, 1000, kKeys);
    snapshots.clear();
    ASSERT_TRUE(db->Close().ok());
  }
  // Reopen: SSTables plus (wal, persistent) the WAL tail, or (hybrid) the flush at Close.
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Contents(db.get()), model) << "seed " << seed;
  for (int k = 0; k < kKeys; k++) {
    auto it = model.find(Key(k));
    ASSERT_EQ(GetAt(db.get(), Key(k)), it == model.end() ? "NOT_FOUND" : it->second);
  }
  RandomWalk(db.get(), model, 0, rng, 1000, kKeys);
}

TEST_P(FlushTest, ReopenAfterFlushRecoversEverythingAndSequencesContinue) {
  Model model;
  uint64_t latest = 0;
  {
    auto db = MustOpen(MakeOptions());
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 300; i++) Put(db.get(), Key(i), "flushed" + std::to_string(i), &model);
    ASSERT_TRUE(db->FlushMemTable().ok());
    for (int i = 0; i < 300; i += 2) Put(db.get(), Key(i), "later" + std::to_string(i), &model);
    for (int i = 1; i < 300; i += 10) Delete(db.get(), Key(i), &model);
    latest = db->LatestSequence();
    ASSERT_TRUE(db->Close().ok());
  }
  {
    auto db = MustOpen(MakeOptions());
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->LatestSequence(), latest);
    EXPECT_EQ(Contents(db.get()), model);
    EXPECT_EQ(ContentsBackward(db.get()), model);
    // wal/persistent replayed the unflushed tail from the WAL; hybrid flushed it at Close.
    EXPECT_EQ(db->recovered_records(), has_wal() ? 150u + 30u : 0u);
    uint64_t first = 0;
    WriteBatch batch;
    batch.Put("next", "x");
    ASSERT_TRUE(db->Write(batch, &first).ok());
    EXPECT_EQ(first, latest + 1);
    model["next"] = "x";
    latest = first;
  }  // destroyed without Close
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(Contents(db.get()), model);
  EXPECT_EQ(db->LatestSequence(), latest);
  ASSERT_TRUE(db->FlushMemTable().ok());
  EXPECT_EQ(Contents(db.get()), model);
}

TEST_P(FlushTest, WalSegmentsBelowLogNumberAreDeletedAfterAFlush) {
  if (!has_wal()) GTEST_SKIP() << "hybrid has no WAL";
  Options options = MakeOptions();
  options.wal_segment_bytes = 64 * 1024;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  Model model;
  for (int i = 0; i < 400; i++) Put(db.get(), Key(i), std::string(1000, 'a' + i % 26), &model);
  const std::vector<uint64_t> before = Segments();
  ASSERT_GT(before.size(), 4u);
  const uint64_t segment = db->current_segment();
  ASSERT_TRUE(db->FlushMemTable().ok());
  // The flushed memtable's data ends in the current segment, which later writes share: it is
  // the new log number, and every older segment is gone.
  EXPECT_EQ(db->log_number(), segment);
  const std::vector<uint64_t> after = Segments();
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front(), segment);
  for (uint64_t n : before) {
    if (n < segment) {
      EXPECT_FALSE(fs::exists(wal::SegmentManager::SegmentPath(DbDir(), n)));
    }
  }
  EXPECT_EQ(TableFiles(), 1u);
  EXPECT_EQ(Contents(db.get()), model);
  ASSERT_TRUE(db->Close().ok());
  auto reopened = MustOpen(options);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Contents(reopened.get()), model);
  EXPECT_EQ(reopened->recovered_records(), 0u) << "flushed records are not replayed";
}

TEST_P(FlushTest, SizeTriggeredFlushesKeepMemoryBounded) {
  Options options = MakeOptions();
  options.memtable_bytes = 256 * 1024;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  size_t peak = 0;
  for (int i = 0; i < 6000; i++) {
    Put(db.get(), Key(i), std::string(200, 'x'));
    peak = std::max(peak, db->ApproximateMemoryUsage());
  }
  EXPECT_GT(db->flushes() + db->num_immutables(), 5u);
  // The active memtable switches once it passes the limit (plus at most one group, and one
  // arena block of slack).
  EXPECT_LE(peak, options.memtable_bytes + 128 * 1024);
  ASSERT_TRUE(db->FlushMemTable().ok());
  EXPECT_EQ(Contents(db.get()).size(), 6000u);
}

INSTANTIATE_TEST_SUITE_P(Modes, FlushTest,
                         ::testing::Values(StorageMode::kWal, StorageMode::kPersistent,
                                           StorageMode::kHybrid),
                         [](const ::testing::TestParamInfo<StorageMode>& info) {
                           return std::string(StorageModeName(info.param));
                         });

// hybrid: memory writes, flushed every interval and at Close.
class HybridTest : public ::testing::Test {
 protected:
  Options MakeOptions(uint32_t interval_ms) const {
    Options options;
    options.mode = StorageMode::kHybrid;
    options.data_dir = tmp_.path() + "/data";
    options.flush_interval_ms = interval_ms;
    return options;
  }
  TempDir tmp_;
};

TEST_F(HybridTest, RestartAfterCloseKeepsEverything) {
  Model model;
  for (int round = 0; round < 3; round++) {
    auto opened = Db::Open(MakeOptions(60 * 60 * 1000));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<Db> db = std::move(opened).value();
    EXPECT_EQ(Contents(db.get()), model) << "round " << round;
    for (int i = 0; i < 100; i++) {
      Put(db.get(), Key(round * 50 + i), "r" + std::to_string(round), &model);
    }
    Delete(db.get(), Key(round), &model);
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = Db::Open(MakeOptions(60 * 60 * 1000));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(Contents(db->get()), model);
  EXPECT_FALSE(fs::exists(tmp_.path() + "/data/dynamodb/00000001.wal")) << "hybrid has no WAL";
}

TEST_F(HybridTest, IntervalFlushMakesWritesSurviveACrash) {
  auto opened = DurableDb::Open(MakeOptions(50));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DurableDb* db = opened->get();
  Model model;
  for (int i = 0; i < 50; i++) Put(db, Key(i), "v" + std::to_string(i), &model);
  // Within a few intervals the memtable is flushed without any Close.
  for (int i = 0; i < 500 && (db->flushes() == 0 || db->num_immutables() > 0); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(db->flushes(), 1u);
  // The interval flush does not write empty tables while nothing changes.
  const uint64_t flushes = db->flushes();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(db->flushes(), flushes);
  // A "crash": copy the directory as it is on disk now, and open the copy.
  const std::string copy = tmp_.path() + "/copy";
  fs::copy(tmp_.path() + "/data", copy, fs::copy_options::recursive);
  Options options = MakeOptions(60 * 60 * 1000);
  options.data_dir = copy;
  auto recovered = Db::Open(options);
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(Contents(recovered->get()), model);
}

TEST_F(HybridTest, MemoryModeIsUnchanged) {
  Options options = MakeOptions(10);
  options.mode = StorageMode::kMemory;
  options.data_dir = tmp_.path() + "/mem";
  {
    auto db = Db::Open(options);
    ASSERT_TRUE(db.ok());
    Put(db->get(), "k", "v");
    ASSERT_TRUE((*db)->Close().ok());
  }
  EXPECT_FALSE(fs::exists(options.data_dir)) << "memory mode writes no files";
  auto db = Db::Open(options);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(GetAt(db->get(), "k"), "NOT_FOUND");
}

// Storage faults during a flush.
class FlushFaultTest : public ::testing::TestWithParam<StorageMode> {
 protected:
  Options MakeOptions() const {
    Options options;
    options.mode = GetParam();
    options.data_dir = tmp_.path() + "/data";
    options.wal_segment_bytes = 256 * 1024;
    options.flush_interval_ms = 60 * 60 * 1000;
    return options;
  }

  // New tables are written through a FaultInjectionWritableFile configured by `arm_`.
  Options WithTableFaults(Options options) {
    return test::WithTableFaults(std::move(options),
                                 [this](testutil::FaultInjectionWritableFile* f) {
                                   if (arm_.load() == 1) f->FailAppendAfter(100, ENOSPC);
                                   if (arm_.load() == 2) f->FailNextSync(EIO);
                                 });
  }

  Options WithManifestFaults(Options options) {
    return test::WithManifestFaults(std::move(options), &manifest_sink_);
  }

  // Writes, flushes once successfully, writes more, then fails a flush with inject(); checks
  // the latched error, that reads keep working, and that a reopen recovers every write.
  void FailAFlush(Options options, const std::function<void()>& inject,
                  const std::string& expected_message) {
    Model model;
    {
      auto opened = DurableDb::Open(options);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      DurableDb* db = opened->get();
      for (int i = 0; i < 100; i++) Put(db, Key(i), "first" + std::to_string(i), &model);
      ASSERT_TRUE(db->FlushMemTable().ok());
      for (int i = 50; i < 150; i++) Put(db, Key(i), "second" + std::to_string(i), &model);
      inject();
      Status s = db->FlushMemTable();
      ASSERT_TRUE(s.IsIOError()) << s.ToString();
      EXPECT_NE(s.message().find(expected_message), std::string::npos) << s.ToString();
      EXPECT_EQ(db->background_error().ToString(), s.ToString());
      // Writes fail from now on (the server maps IOError to a 500).
      for (int i = 0; i < 3; i++) {
        WriteBatch batch;
        batch.Put("refused", "x");
        Status w = db->Write(batch);
        EXPECT_TRUE(w.IsIOError()) << w.ToString();
        EXPECT_NE(w.message().find("writes are refused until restart"), std::string::npos);
      }
      // Reads keep working: the failed memtable is still readable.
      EXPECT_EQ(Contents(db), model);
      EXPECT_EQ(GetAt(db, Key(120)), "second120");
      EXPECT_EQ(db->current_version()->NumFiles(0), 1u);
      EXPECT_FALSE(db->Close().ok()) << "Close reports the latched error";
    }
    // A restart without faults recovers every acknowledged write from the WAL.
    auto db = DurableDb::Open(MakeOptions());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(Contents(db->get()), model);
    EXPECT_EQ(GetAt(db->get(), "refused"), "NOT_FOUND");
    Put(db->get(), "again", "ok");
    ASSERT_TRUE((*db)->FlushMemTable().ok());
    model["again"] = "ok";
    EXPECT_EQ(Contents(db->get()), model);
  }

  TempDir tmp_;
  std::atomic<int> arm_{0};
  testutil::FaultInjectionSink* manifest_sink_ = nullptr;
};

TEST_P(FlushFaultTest, TableWriteFailureLatchesAndReopenRecovers) {
  FailAFlush(
      WithTableFaults(MakeOptions()), [this] { arm_ = 1; }, "No space left on device");
}

TEST_P(FlushFaultTest, TableSyncFailureLatchesAndReopenRecovers) {
  FailAFlush(
      WithTableFaults(MakeOptions()), [this] { arm_ = 2; }, "Input/output error");
}

TEST_P(FlushFaultTest, ManifestWriteFailureLatchesAndReopenRecovers) {
  FailAFlush(
      WithManifestFaults(MakeOptions()),
      [this] { manifest_sink_->FailWriteAfter(0, EIO, /*partial_bytes=*/5); },
      "Input/output error");
}

TEST_P(FlushFaultTest, ManifestSyncFailureLatchesAndReopenRecovers) {
  FailAFlush(
      WithManifestFaults(MakeOptions()), [this] { manifest_sink_->FailNextSync(EIO); },
      "Input/output error");
}

INSTANTIATE_TEST_SUITE_P(Modes, FlushFaultTest,
                         ::testing::Values(StorageMode::kWal, StorageMode::kPersistent),
                         [](const ::testing::TestParamInfo<StorageMode>& info) {
                           return std::string(StorageModeName(info.param));
                         });

// Readers iterate and Get while a writer forces flushes: every read sees whole batches.
TEST_P(FlushTest, IteratorsStayConsistentWhileFlushesRun) {
  Options options = MakeOptions();
  options.memtable_bytes = 256 * 1024;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  constexpr int kGroup = 20;
  // Every batch rewrites all kGroup keys with one value, so any consistent read sees kGroup
  // keys with equal values.
  auto write_round = [&](int round) {
    WriteBatch batch;
    for (int k = 0; k < kGroup; k++) {
      batch.Put(Key(k), std::to_string(round) + std::string(100, 'p'));
    }
    return db->Write(batch);
  };
  ASSERT_TRUE(write_round(0).ok());
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> scans{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; t++) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(t);
      while (!done.load()) {
        auto snap = db->GetSnapshot();
        ReadOptions ro;
        ro.snapshot = snap->sequence();
        auto iter = db->NewIterator(ro);
        std::string value;
        std::vector<std::string> keys;  // in scan order, reported on failure
        bool ok = true;
        const bool backward = rng() % 2 == 0;
        for (backward ? iter->SeekToLast() : iter->SeekToFirst(); iter->Valid();
             backward ? iter->Prev() : iter->Next()) {
          if (keys.empty()) value = std::string(iter->value());
          // Every step moves strictly in the scan direction.
          if (!keys.empty() &&
              (backward ? iter->key() >= keys.back() : iter->key() <= keys.back())) {
            ok = false;
          }
          if (iter->value() != value) ok = false;
          keys.emplace_back(iter->key());
        }
        if (keys.size() != kGroup || !iter->status().ok()) ok = false;
        if (!ok) {
          failures++;
          std::string trace;
          for (const std::string& k : keys) trace += " " + k;
          ADD_FAILURE() << (backward ? "backward" : "forward") << " scan at snapshot "
                        << snap->sequence() << " saw " << keys.size() << " keys:" << trace
                        << " status " << iter->status().ToString();
        }
        // Point reads at the same snapshot agree with the scan.
        if (GetAt(db.get(), Key(static_cast<int>(rng() % kGroup)), snap->sequence()) != value) {
          failures++;
        }
        scans++;
      }
    });
  }
  int round = 1;
  for (; round < 3000 && failures.load() == 0; round++) {
    ASSERT_TRUE(write_round(round).ok());
    if (round % 500 == 0) {
      ASSERT_TRUE(db->FlushMemTable().ok());
    }
  }
  done = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(db->flushes(), 10u);
  EXPECT_GT(scans.load(), 10);
  std::printf("%d rounds, %d scans, %llu flushes\n", round, scans.load(),
              static_cast<unsigned long long>(db->flushes()));
  EXPECT_EQ(GetAt(db.get(), Key(3)), std::to_string(round - 1) + std::string(100, 'p'));
}

}  // namespace
}  // namespace strata::engine
