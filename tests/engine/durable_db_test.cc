// DurableDb (the wal and persistent storage modes) on real files: reopen recovers everything
// acknowledged, across segment rotations; sequence numbers continue; torn tails are tolerated
// and corruption refuses to open; the LOCK file keeps a second Db out; sink faults latch.
#include "engine/durable_db.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "tests/testutil/fault_injection_sink.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"
#include "wal/recovery.h"
#include "wal/segment_manager.h"
#include "wal/sink.h"

namespace strata::engine {
namespace {

namespace fs = std::filesystem;

using strata::test::TestSeed;

using strata::test::TempDir;

constexpr uint64_t kSmallSegment = 64 * 1024;  // two WAL blocks: rotates every few records

class DurableDbTest : public ::testing::TestWithParam<StorageMode> {
 protected:
  Options MakeOptions(uint64_t segment_bytes = kSmallSegment) const {
    Options options;
    options.mode = GetParam();
    options.data_dir = tmp_.path() + "/data";
    options.wal_segment_bytes = segment_bytes;
    options.flush_interval_ms = 20;
    return options;
  }

  std::unique_ptr<Db> MustOpen(const Options& options) {
    auto db = Db::Open(options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return nullptr;
    return std::move(db).value();
  }

  // Uses a FaultInjectionSink over the posix sink; sink_ points at it while the Db lives.
  Options WithFaultSink(Options options) {
    options.wal_sink_factory = [this] {
      auto sink = std::make_unique<testutil::FaultInjectionSink>(wal::NewPosixSink());
      sink_ = sink.get();
      return std::unique_ptr<wal::Sink>(std::move(sink));
    };
    return options;
  }

  std::string WalDir() const { return tmp_.path() + "/data/dynamodb"; }

  std::vector<uint64_t> Segments() const {
    auto list = wal::SegmentManager::ListSegments(WalDir());
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<uint64_t>{};
  }

  TempDir tmp_;
  testutil::FaultInjectionSink* sink_ = nullptr;
};

std::string GetOrNotFound(Db* db, std::string_view key) {
  std::string value;
  Status s = db->Get(ReadOptions(), key, &value);
  if (s.IsNotFound()) return "NOT_FOUND";
  EXPECT_TRUE(s.ok()) << s.ToString();
  return value;
}

// Every live key/value of the db.
std::map<std::string, std::string> Contents(Db* db) {
  std::map<std::string, std::string> out;
  auto iter = db->NewIterator(ReadOptions());
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
    out.emplace(std::string(iter->key()), std::string(iter->value()));
  }
  EXPECT_TRUE(iter->status().ok());
  return out;
}

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%05d", i);
  return buf;
}

// Writes `n` random batches (puts of values up to 2 KB, some deletes) and mirrors them in
// *model. Returns the sequence number of the last op.
uint64_t WriteRandom(Db* db, std::mt19937_64& rng, int n,
                     std::map<std::string, std::string>* model) {
  uint64_t last = 0;
  for (int b = 0; b < n; b++) {
    WriteBatch batch;
    const int ops = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < ops; i++) {
      const std::string key = Key(static_cast<int>(rng() % 300));
      if (rng() % 5 == 0) {
        batch.Delete(key);
        model->erase(key);
      } else {
        std::string value = "v" + std::to_string(rng()) + std::string(rng() % 2048, 'x');
        batch.Put(key, value);
        (*model)[key] = value;
      }
    }
    uint64_t first = 0;
    EXPECT_TRUE(db->Write(batch, &first).ok());
    EXPECT_EQ(first, last == 0 ? first : last + 1) << "sequence numbers are not consecutive";
    last = first + batch.Count() - 1;
  }
  return last;
}

TEST_P(DurableDbTest, ReopenRecoversEverythingAcrossSegmentRotations) {
  std::mt19937_64 rng(TestSeed());
  std::map<std::string, std::string> model;
  uint64_t latest = 0;
  for (int round = 0; round < 4; round++) {
    auto db = MustOpen(MakeOptions());
    ASSERT_NE(db, nullptr);
    ASSERT_EQ(Contents(db.get()), model) << "round " << round;
    if (round == 0) {
      EXPECT_EQ(db->LatestSequence(), kFirstSequence - 1);
    } else {
      EXPECT_EQ(db->LatestSequence(), latest) << "sequence not restored";
    }
    // Sequence numbers continue after the recovered ones.
    WriteBatch batch;
    batch.Put("continue", std::to_string(round));
    model["continue"] = std::to_string(round);
    uint64_t first = 0;
    ASSERT_TRUE(db->Write(batch, &first).ok());
    EXPECT_EQ(first, round == 0 ? kFirstSequence : latest + 1);
    latest = WriteRandom(db.get(), rng, 150, &model);
    EXPECT_EQ(db->LatestSequence(), latest);
    EXPECT_EQ(Contents(db.get()), model);
    ASSERT_TRUE(db->Close().ok());
  }
  // 600 batches of up to ~8 KB in 64 KiB segments: many rotations, and each Open starts a new
  // segment. Each Open also flushes what it recovered to an L0 SSTable and then deletes the
  // segments below the new log number, so only the segments written since the last Open are
  // left. (Before SSTables existed every segment was kept and this test counted > 20 of them.)
  auto opened = DurableDb::Open(MakeOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DurableDb* db = opened->get();
  EXPECT_EQ(Contents(db), model);
  EXPECT_EQ(db->LatestSequence(), latest);
  ASSERT_TRUE(db->FlushMemTable().ok());  // the recovered memtable is in an SSTable now
  EXPECT_EQ(Contents(db), model);
  // One table per reopen with data, unless the fourth started a compaction (L0 trigger: 4).
  const BackgroundStats bg = db->background_stats();
  if (bg.compactions + bg.trivial_moves == 0) {
    EXPECT_EQ(db->current_version()->NumFiles(0), 4u) << "one table per reopen with data";
  } else {
    EXPECT_LT(db->current_version()->NumFiles(0), 4u);
    EXPECT_GT(db->current_version()->NumFiles(1), 0u);
  }
  const std::vector<uint64_t> segments = Segments();
  ASSERT_FALSE(segments.empty());
  EXPECT_EQ(segments.front(), db->log_number()) << "segments below log_number are deleted";
  EXPECT_EQ(segments.back(), db->current_segment());
}

TEST_P(DurableDbTest, CloseIsIdempotentAndReadsWorkAfterIt) {
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  WriteBatch batch;
  batch.Put("k", "v");
  ASSERT_TRUE(db->Write(batch).ok());
  EXPECT_TRUE(db->Close().ok());
  EXPECT_TRUE(db->Close().ok());
  Status s = db->Write(batch);
  EXPECT_TRUE(s.IsAborted()) << s.ToString();
  EXPECT_EQ(GetOrNotFound(db.get(), "k"), "v");
  // The LOCK is released by Close, not only by destruction.
  auto again = MustOpen(MakeOptions());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(GetOrNotFound(again.get(), "k"), "v");
}

TEST_P(DurableDbTest, SecondOpenOnTheSameDirectoryFails) {
  auto first = MustOpen(MakeOptions());
  ASSERT_NE(first, nullptr);
  for (StorageMode mode : {StorageMode::kWal, StorageMode::kPersistent}) {
    Options options = MakeOptions();
    options.mode = mode;
    auto second = Db::Open(options);
    ASSERT_FALSE(second.ok());
    EXPECT_TRUE(second.status().IsIOError()) << second.status().ToString();
    EXPECT_EQ(second.status().message(), "data directory " + options.data_dir +
                                             " is in use by another strata process (LOCK held)");
  }
  // The failed attempts did not disturb the holder.
  WriteBatch batch;
  batch.Put("k", "v");
  EXPECT_TRUE(first->Write(batch).ok());
  ASSERT_TRUE(first->Close().ok());
  auto third = MustOpen(MakeOptions());
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(GetOrNotFound(third.get(), "k"), "v");
}

TEST_P(DurableDbTest, ConcurrentWritersAllRecovered) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  {
    auto db = MustOpen(MakeOptions(256 * 1024));
    ASSERT_NE(db, nullptr);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; i++) {
          WriteBatch batch;
          const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
          batch.Put(key, key + std::string(100, 'v'));
          batch.Put("last-" + std::to_string(t), std::to_string(i));
          if (!db->Write(batch).ok()) failures++;
          // Visible as soon as the write is acknowledged.
          if (GetOrNotFound(db.get(), key) != key + std::string(100, 'v')) failures++;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(db->LatestSequence(), kFirstSequence - 1 + 2 * kThreads * kPerThread);
  }  // destroyed without an explicit Close: the destructor closes
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->LatestSequence(), kFirstSequence - 1 + 2 * kThreads * kPerThread);
  for (int t = 0; t < kThreads; t++) {
    for (int i = 0; i < kPerThread; i++) {
      const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
      ASSERT_EQ(GetOrNotFound(db.get(), key), key + std::string(100, 'v'));
    }
    EXPECT_EQ(GetOrNotFound(db.get(), "last-" + std::to_string(t)), std::to_string(kPerThread - 1));
  }
}

// Cuts the newest segment at `offset`: zeroes (as if the bytes never reached the disk) or
// garbage from there to the end of the file.
void TearLastSegment(const std::string& dir, uint64_t number, uint64_t offset, bool garbage,
                     std::mt19937_64& rng) {
  const std::string path = wal::SegmentManager::SegmentPath(dir, number);
  const uint64_t size = fs::file_size(path);
  ASSERT_LT(offset, size);
  std::string bytes(size - offset, '\0');
  if (garbage) {
    for (char& c : bytes) c = static_cast<char>(rng());
  }
  const int fd = ::open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)),
            static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

TEST_P(DurableDbTest, TornTailIsTolerated) {
  std::mt19937_64 rng(TestSeed());
  for (bool garbage : {false, true}) {
    SCOPED_TRACE(garbage ? "garbage tail" : "zeroed tail");
    TempDir tmp;
    Options options = MakeOptions(1 << 20);
    options.data_dir = tmp.path();
    const std::string dir = tmp.path() + "/dynamodb";
    constexpr int kRecords = 40;
    uint64_t segment = 0;
    {
      auto db = DurableDb::Open(options);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      segment = (*db)->current_segment();
      for (int i = 0; i < kRecords; i++) {
        WriteBatch batch;
        batch.Put(Key(i), std::string(500, static_cast<char>('a' + i % 26)));
        ASSERT_TRUE((*db)->Write(batch).ok());
      }
      ASSERT_TRUE((*db)->Close().ok());
    }
    // Tear inside the records: about half of them survive, the SEAL is gone.
    TearLastSegment(dir, segment, 200 + kRecords * 520 / 2 + rng() % 500, garbage, rng);

    int survivors = 0;
    {
      auto db = DurableDb::Open(options);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      // A prefix of the records survives, and nothing else.
      while (survivors < kRecords && GetOrNotFound(db->get(), Key(survivors)) != "NOT_FOUND") {
        survivors++;
      }
      EXPECT_GT(survivors, 5);
      EXPECT_LT(survivors, kRecords);
      EXPECT_EQ(Contents(db->get()).size(), static_cast<size_t>(survivors));
      EXPECT_EQ((*db)->LatestSequence(), kFirstSequence - 1 + survivors);
      EXPECT_GT((*db)->current_segment(), segment) << "appended to a recovered segment";
      WriteBatch batch;
      batch.Put("after", "tear");
      uint64_t first = 0;
      ASSERT_TRUE((*db)->Write(batch, &first).ok());
      EXPECT_EQ(first, kFirstSequence + survivors);
      ASSERT_TRUE((*db)->Close().ok());
    }
    // The torn segment is now a middle one: read up to its recorded tail (prev_tail).
    auto db = DurableDb::Open(options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(Contents(db->get()).size(), static_cast<size_t>(survivors + 1));
    EXPECT_EQ(GetOrNotFound(db->get(), "after"), "tear");
    EXPECT_EQ((*db)->LatestSequence(), kFirstSequence + survivors);
  }
}

TEST_P(DurableDbTest, CorruptionRefusesToOpen) {
  {
    auto db = MustOpen(MakeOptions());
    ASSERT_NE(db, nullptr);
    std::mt19937_64 rng(1);
    std::map<std::string, std::string> model;
    WriteRandom(db.get(), rng, 100, &model);
  }
  const std::vector<uint64_t> segments = Segments();
  ASSERT_GT(segments.size(), 3u);
  // Flip a byte inside a record of a middle (sealed) segment.
  const std::string path = wal::SegmentManager::SegmentPath(WalDir(), segments[1]);
  const int fd = ::open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  char c;
  ASSERT_EQ(::pread(fd, &c, 1, 300), 1);
  c ^= 0x40;
  ASSERT_EQ(::pwrite(fd, &c, 1, 300), 1);
  ::close(fd);
  for (int attempt = 0; attempt < 2; attempt++) {
    auto db = Db::Open(MakeOptions());
    ASSERT_FALSE(db.ok());
    EXPECT_TRUE(db.status().IsCorruption()) << db.status().ToString();
    EXPECT_NE(db.status().message().find("refusing to open"), std::string::npos)
        << db.status().ToString();
  }
  // Nothing was written or removed by the failed opens.
  EXPECT_EQ(Segments(), segments);
}

TEST_P(DurableDbTest, WriteFailureIsLatchedAndReadsKeepWorking) {
  auto db = MustOpen(WithFaultSink(MakeOptions()));
  ASSERT_NE(db, nullptr);
  ASSERT_NE(sink_, nullptr);
  WriteBatch before;
  before.Put("before", "1");
  ASSERT_TRUE(db->Write(before).ok());
  const uint64_t seq = db->LatestSequence();

  sink_->FailWriteAfter(0, ENOSPC, /*partial_bytes=*/7);
  WriteBatch failing;
  failing.Put("failing", "2");
  Status s = db->Write(failing);
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  // Not visible: it never became durable.
  EXPECT_EQ(GetOrNotFound(db.get(), "failing"), "NOT_FOUND");
  EXPECT_EQ(db->LatestSequence(), seq);

  for (int i = 0; i < 3; i++) {
    WriteBatch later;
    later.Put("later", "3");
    Status ls = db->Write(later);
    EXPECT_TRUE(ls.IsIOError()) << ls.ToString();
    EXPECT_NE(ls.message().find("refused until restart"), std::string::npos) << ls.ToString();
  }
  EXPECT_EQ(GetOrNotFound(db.get(), "before"), "1");
  EXPECT_EQ(GetOrNotFound(db.get(), "later"), "NOT_FOUND");
  EXPECT_FALSE(db->Close().ok()) << "Close must report the latched error";
  db.reset();

  // A restart recovers what was acknowledged and accepts writes again.
  auto reopened = MustOpen(MakeOptions());
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(GetOrNotFound(reopened.get(), "before"), "1");
  EXPECT_EQ(GetOrNotFound(reopened.get(), "later"), "NOT_FOUND");
  WriteBatch again;
  again.Put("again", "4");
  EXPECT_TRUE(reopened->Write(again).ok());
}

TEST_P(DurableDbTest, SyncFailureIsLatched) {
  Options options = WithFaultSink(MakeOptions());
  options.flush_interval_ms = 0;  // wal mode: fdatasync after every group too
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  WriteBatch ok;
  ok.Put("ok", "1");
  ASSERT_TRUE(db->Write(ok).ok());
  sink_->FailNextSync(EIO);
  WriteBatch batch;
  batch.Put("k", "v");
  Status first = db->Write(batch);
  Status second = db->Write(batch);
  if (GetParam() == StorageMode::kPersistent) {
    // The sync is part of the group's durable write: that group fails.
    EXPECT_TRUE(first.IsIOError()) << first.ToString();
    EXPECT_EQ(GetOrNotFound(db.get(), "k"), "NOT_FOUND");
  }
  // In wal mode the group reached the file before the failed interval sync; either way every
  // write after the failure is refused.
  EXPECT_TRUE(second.IsIOError()) << second.ToString();
  EXPECT_NE(second.message().find("Input/output error"), std::string::npos) << second.ToString();
  EXPECT_EQ(GetOrNotFound(db.get(), "ok"), "1");
}

TEST_P(DurableDbTest, DurabilityPolicyPerMode) {
  Options options = WithFaultSink(MakeOptions(1 << 20));
  options.flush_interval_ms = 60 * 60 * 1000;  // no interval sync during the test
  auto opened = DurableDb::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DurableDb* db = opened->get();
  for (int i = 0; i < 20; i++) {
    WriteBatch batch;
    batch.Put(Key(i), "value" + std::to_string(i));
    ASSERT_TRUE(db->Write(batch).ok());
    if (GetParam() == StorageMode::kPersistent) {
      ASSERT_EQ(sink_->unsynced_bytes(), 0u) << "acknowledged before it was durable";
    }
  }
  // Acknowledged means in the file (page cache at least): another reader of the directory
  // sees every record while the Db is still open.
  auto recovered = wal::RecoverLog(db->dir());
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(recovered->records.size(), 20u);
  EXPECT_EQ(recovered->max_seq, db->LatestSequence());

  // A power loss now: persistent mode keeps every acknowledged write, wal mode loses what was
  // not yet synced (at most one flush interval).
  const bool wal_mode = GetParam() == StorageMode::kWal;
  EXPECT_EQ(sink_->unsynced_bytes() > 0, wal_mode);
  sink_->Crash();
  opened->reset();
  auto reopened = MustOpen(MakeOptions(1 << 20));
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Contents(reopened.get()).size(), wal_mode ? 0u : 20u);
}

INSTANTIATE_TEST_SUITE_P(Modes, DurableDbTest,
                         ::testing::Values(StorageMode::kWal, StorageMode::kPersistent),
                         [](const ::testing::TestParamInfo<StorageMode>& info) {
                           return std::string(StorageModeName(info.param));
                         });

TEST(DurableDbOpenTest, CreatesNestedDataDirectoryAndLockFile) {
  TempDir tmp;
  Options options;
  options.mode = StorageMode::kPersistent;
  options.data_dir = tmp.path() + "/a/b/c";
  options.wal_segment_bytes = kSmallSegment;
  auto db = Db::Open(options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE(fs::exists(options.data_dir + "/dynamodb/LOCK"));
  EXPECT_FALSE(wal::SegmentManager::ListSegments(options.data_dir + "/dynamodb")->empty());
}

TEST(DurableDbOpenTest, UnwritableDataDirectoryFailsClearly) {
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = "/proc/strata-cannot-create-this";
  auto db = Db::Open(options);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("/proc/strata-cannot-create-this"), std::string::npos)
      << db.status().ToString();
}

}  // namespace
}  // namespace strata::engine
