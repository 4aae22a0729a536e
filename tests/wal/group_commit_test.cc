#include "wal/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "tests/testutil/fault_injection_sink.h"
#include "tests/wal/wal_test_util.h"
#include "wal/recovery.h"

namespace strata::wal {
namespace {

using test::MakeRecord;
using test::TempDir;
using testutil::FaultInjectionSink;

enum class SinkKind { kPosix, kUringDsync, kUringLinked };

std::unique_ptr<Sink> MakeSink(SinkKind kind) {
  std::unique_ptr<Sink> sink;
  switch (kind) {
    case SinkKind::kPosix:
      return NewPosixSink();
    case SinkKind::kUringDsync:
      if (!NewUringSink(SyncMethod::kDsyncWrite, &sink).ok()) return NewPosixSink();
      return sink;
    case SinkKind::kUringLinked:
      if (!NewUringSink(SyncMethod::kLinkedFsync, &sink).ok()) return NewPosixSink();
      return sink;
  }
  return nullptr;
}

// Ids are encoded in the keys ("key-<id>-<op>"): recover the id of a record.
uint64_t IdOf(const Record& r) {
  uint64_t id = ~uint64_t{0};
  EXPECT_TRUE(ForEachOp(r.ops, r.op_count, [&](OpKind, std::string_view key, std::string_view) {
                if (id == ~uint64_t{0}) id = std::stoull(std::string(key.substr(4)));
              }).ok());
  return id;
}

class GroupCommitSinkTest : public ::testing::TestWithParam<SinkKind> {};

TEST_P(GroupCommitSinkTest, ManyWritersGetContiguousSequencesAndOrderedCallbacks) {
  TempDir dir;
  constexpr int kThreads = 12;
  constexpr int kPerThread = 150;

  std::mutex cb_mu;
  std::vector<std::pair<uint64_t, uint64_t>> callback_ranges;  // first_seq, next_seq
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 256 << 10;  // several rotations
  o.on_durable = [&](std::span<Record* const> group) {
    std::lock_guard<std::mutex> lock(cb_mu);
    for (Record* r : group) callback_ranges.emplace_back(r->first_seq, r->next_seq());
  };
  auto gc = GroupCommit::Open(o, MakeSink(GetParam()));
  ASSERT_TRUE(gc.ok()) << gc.status().ToString();

  std::vector<std::vector<Record>> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; i++) {
        Record r = MakeRecord(t * 100000 + i, 100 + (i * 131) % 1500, 1 + (i + t) % 4);
        Status s = (*gc)->Write(&r);
        ASSERT_TRUE(s.ok()) << s.ToString();
        // Acknowledged only after the callback ran for it.
        EXPECT_GE((*gc)->next_seq(), r.next_seq());
        per_thread[t].push_back(std::move(r));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE((*gc)->Close().ok());

  // Sequence ranges over all writers: contiguous from first_seq, no overlap.
  std::map<uint64_t, const Record*> by_seq;
  uint64_t ops = 0;
  for (auto& v : per_thread) {
    for (auto& r : v) {
      EXPECT_TRUE(by_seq.emplace(r.first_seq, &r).second);
      ops += r.op_count;
    }
  }
  uint64_t expect = kMinUserSeq;
  for (auto& [seq, r] : by_seq) {
    ASSERT_EQ(seq, expect);
    expect = r->next_seq();
  }
  EXPECT_EQ(expect, kMinUserSeq + ops);

  // Callbacks saw every record once, in sequence order.
  ASSERT_EQ(callback_ranges.size(), by_seq.size());
  expect = kMinUserSeq;
  for (auto& [first, next] : callback_ranges) {
    ASSERT_EQ(first, expect);
    expect = next;
  }

  // Recovery returns exactly what was acknowledged.
  auto rec = RecoverLog(dir.path());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  ASSERT_EQ(rec->records.size(), by_seq.size());
  size_t i = 0;
  for (auto& [seq, r] : by_seq) EXPECT_EQ(rec->records[i++], *r);
  EXPECT_EQ(rec->next_seq, kMinUserSeq + ops);
  EXPECT_GT(rec->segments.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Sinks, GroupCommitSinkTest,
                         ::testing::Values(SinkKind::kPosix, SinkKind::kUringDsync,
                                           SinkKind::kUringLinked));

TEST(GroupCommitTest, DefaultSinkPrefersIoUring) {
  std::string why;
  std::unique_ptr<Sink> sink = NewSink(SinkOptions{}, &why);
  ASSERT_NE(sink, nullptr);
  if (why.empty()) {
    EXPECT_EQ(sink->Name(), "io_uring/dsync");
  } else {
    EXPECT_EQ(sink->Name(), "posix");
  }
  SinkOptions posix;
  posix.force_posix = true;
  EXPECT_EQ(NewSink(posix)->Name(), "posix");
}

// A sink whose writes wait while the test holds them (to make writers queue behind a leader).
class GateSink final : public Sink {
 public:
  explicit GateSink(std::unique_ptr<Sink> base) : base_(std::move(base)) {}
  Status Write(int fd, uint64_t offset, std::string_view data, bool durable) override {
    std::unique_lock<std::mutex> lock(mu_);
    entered_++;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    lock.unlock();
    return base_->Write(fd, offset, data, durable);
  }
  Status Sync(int fd) override { return base_->Sync(fd); }
  std::string_view Name() const override { return "gate"; }

  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = false;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void WaitEntered(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }

 private:
  const std::unique_ptr<Sink> base_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  int entered_ = 0;
};

TEST(GroupCommitTest, ALoneWriterLeadsItsOwnGroupOnItsOwnThread) {
  TempDir dir;
  std::vector<std::thread::id> callers;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 1 << 20;
  o.sync_policy = SyncPolicy::kInterval;
  o.on_durable = [&](std::span<Record* const>) { callers.push_back(std::this_thread::get_id()); };
  auto gc = GroupCommit::Open(o, NewPosixSink());
  ASSERT_TRUE(gc.ok());
  for (int i = 0; i < 5; i++) {
    Record r = MakeRecord(i, 100);
    ASSERT_TRUE((*gc)->Write(&r).ok());
  }
  ASSERT_EQ(callers.size(), 5u);
  for (const std::thread::id& id : callers) EXPECT_EQ(id, std::this_thread::get_id());
  ASSERT_TRUE((*gc)->Close().ok());
}

TEST(GroupCommitTest, WritersQueuedBehindALeaderFormTheNextGroup) {
  TempDir dir;
  constexpr int kQueued = 10;
  std::mutex mu;
  std::vector<size_t> group_sizes;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 1 << 20;
  o.on_durable = [&](std::span<Record* const> group) {
    std::lock_guard<std::mutex> lock(mu);
    group_sizes.push_back(group.size());
  };
  auto gate = std::make_unique<GateSink>(NewPosixSink());
  GateSink* g = gate.get();
  auto gc = GroupCommit::Open(o, std::move(gate));
  ASSERT_TRUE(gc.ok());
  g->Close();
  std::thread leader([&] {
    Record r = MakeRecord(0, 100);
    EXPECT_TRUE((*gc)->Write(&r).ok());
  });
  g->WaitEntered(1);  // the leader is writing; everyone after it queues
  std::vector<std::thread> writers;
  for (int i = 1; i <= kQueued; i++) {
    writers.emplace_back([&, i] {
      Record r = MakeRecord(i, 100);
      EXPECT_TRUE((*gc)->Write(&r).ok());
    });
  }
  while ((*gc)->queued() < kQueued + 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  g->Open();
  leader.join();
  for (auto& w : writers) w.join();
  ASSERT_TRUE((*gc)->Close().ok());
  EXPECT_EQ(group_sizes, (std::vector<size_t>{1, kQueued}))
      << "the first queued writer should lead one group of everyone queued";
  auto rec = RecoverLog(dir.path());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->records.size(), static_cast<size_t>(kQueued + 1));
}

TEST(GroupCommitTest, IntervalModeWritesToTheFileBeforeAcknowledging) {
  TempDir dir;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 1 << 20;
  o.sync_policy = SyncPolicy::kInterval;
  o.sync_interval = std::chrono::milliseconds(50);
  auto fault = std::make_unique<FaultInjectionSink>(NewPosixSink());
  FaultInjectionSink* f = fault.get();
  auto gc = GroupCommit::Open(o, std::move(fault));
  ASSERT_TRUE(gc.ok());
  std::vector<Record> written;
  for (int i = 0; i < 20; i++) {
    Record r = MakeRecord(i, 300);
    ASSERT_TRUE((*gc)->Write(&r).ok());
    written.push_back(r);
  }
  // Acknowledged records are in the file (page cache) while the WAL is open...
  EXPECT_GT(f->unsynced_bytes(), 0u);
  {
    auto rec = RecoverLog(dir.path());
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    EXPECT_EQ(rec->records, written);
  }
  // ...and the interval sync makes them durable without further writes.
  for (int i = 0; i < 100 && f->unsynced_bytes() > 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(f->unsynced_bytes(), 0u);
  EXPECT_GE(f->syncs(), 1);
  ASSERT_TRUE((*gc)->Close().ok());
}

TEST(GroupCommitTest, RotateStartsANewSegment) {
  TempDir dir;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 1 << 20;
  auto gc = GroupCommit::Open(o, NewPosixSink());
  ASSERT_TRUE(gc.ok());
  const uint64_t first = (*gc)->current_segment();
  Record a = MakeRecord(1, 10);
  ASSERT_TRUE((*gc)->Write(&a).ok());
  auto next = (*gc)->Rotate();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, first + 1);
  Record b = MakeRecord(2, 10);
  ASSERT_TRUE((*gc)->Write(&b).ok());
  ASSERT_TRUE((*gc)->Close().ok());
  EXPECT_TRUE((*gc)->Write(&b).IsAborted());

  auto rec = RecoverLog(dir.path());
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->segments.size(), 2u);
  EXPECT_EQ(rec->segments[1].header.first_seq, b.first_seq);
  EXPECT_EQ(rec->records, (std::vector<Record>{a, b}));
}

TEST(GroupCommitTest, ReopenNeverAppendsToAnExistingSegment) {
  TempDir dir;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 128 << 10;
  uint64_t first_segment;
  {
    auto gc = GroupCommit::Open(o, NewPosixSink());
    ASSERT_TRUE(gc.ok());
    first_segment = (*gc)->current_segment();
    Record r = MakeRecord(1, 10);
    ASSERT_TRUE((*gc)->Write(&r).ok());
  }  // destructor closes
  auto rec = RecoverLog(dir.path());
  ASSERT_TRUE(rec.ok());
  o.first_seq = rec->next_seq;
  o.prev_tail = rec->tail;
  auto gc = GroupCommit::Open(o, NewPosixSink());
  ASSERT_TRUE(gc.ok());
  EXPECT_EQ((*gc)->current_segment(), first_segment + 1);
  Record r = MakeRecord(2, 10);
  ASSERT_TRUE((*gc)->Write(&r).ok());
  EXPECT_EQ(r.first_seq, rec->next_seq);
  ASSERT_TRUE((*gc)->Close().ok());
  auto again = RecoverLog(dir.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->records.size(), 2u);
}

struct FaultCase {
  const char* name;
  int err;
  bool sync_failure;
  size_t partial;
};

class GroupCommitFaultTest : public ::testing::TestWithParam<FaultCase> {};

// A write or fdatasync failure is latched: the failing group and every later write fail with
// an IOError saying why, and everything acknowledged before is recovered.
TEST_P(GroupCommitFaultTest, ErrorsLatchAndNothingAcknowledgedIsLost) {
  const FaultCase& fc = GetParam();
  TempDir dir;
  GroupCommitOptions o;
  o.dir = dir.path();
  o.segment_size = 128 << 10;
  auto fault = std::make_unique<FaultInjectionSink>(MakeSink(SinkKind::kUringDsync));
  FaultInjectionSink* f = fault.get();
  auto gc = GroupCommit::Open(o, std::move(fault));
  ASSERT_TRUE(gc.ok());

  constexpr int kThreads = 6;
  std::atomic<int> acked_count{0};
  std::mutex mu;
  std::vector<Record> acked;
  std::vector<std::string> errors;
  std::atomic<bool> armed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; i++) {
        if (t == 0 && i == 20) {
          if (fc.sync_failure) {
            f->FailNextSync(fc.err);
          } else {
            f->FailWriteAfter(3, fc.err, fc.partial);
          }
          armed = true;
        }
        Record r = MakeRecord(t * 1000 + i, 200 + i * 7);
        Status s = (*gc)->Write(&r);
        std::lock_guard<std::mutex> lock(mu);
        if (s.ok()) {
          acked.push_back(r);
          acked_count++;
        } else {
          EXPECT_TRUE(s.IsIOError()) << s.ToString();
          errors.emplace_back(s.message());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(armed);
  ASSERT_FALSE(errors.empty());
  for (const std::string& e : errors) {
    EXPECT_NE(e.find(std::strerror(fc.err)), std::string::npos) << e;
    EXPECT_NE(e.find("refused until restart"), std::string::npos) << e;
  }
  // Everything after the latch fails, even though the sink would work again.
  Record late = MakeRecord(999999, 10);
  EXPECT_TRUE((*gc)->Write(&late).IsIOError());
  EXPECT_TRUE((*gc)->background_error().IsIOError());
  EXPECT_TRUE((*gc)->Close().IsIOError());

  auto rec = RecoverLog(dir.path());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  std::map<uint64_t, Record> by_seq;
  for (const Record& r : rec->records) by_seq.emplace(r.first_seq, r);
  for (const Record& r : acked) {
    auto it = by_seq.find(r.first_seq);
    ASSERT_NE(it, by_seq.end()) << "acknowledged record " << r.first_seq << " lost";
    EXPECT_EQ(it->second, r);
  }
  // Unacknowledged records may survive, but only as written.
  for (const Record& r : rec->records) {
    const uint64_t id = IdOf(r);
    Record expected = MakeRecord(id, 200 + (id % 1000) * 7);
    expected.first_seq = r.first_seq;
    expected.commit_time_us = r.commit_time_us;
    EXPECT_EQ(r, expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, GroupCommitFaultTest,
                         ::testing::Values(FaultCase{"eio_write", EIO, false, 0},
                                           FaultCase{"enospc_torn_write", ENOSPC, false, 700},
                                           FaultCase{"eio_fdatasync", EIO, true, 0}),
                         [](const ::testing::TestParamInfo<FaultCase>& info) {
                           return info.param.name;
                         });

// Simulated power loss at a random moment while many writers are active (segments rotate
// often): every acknowledged record is recovered, and recovery succeeds.
TEST(GroupCommitTest, CrashLosesNothingAcknowledged) {
  const uint64_t base_seed = std::random_device{}();
  for (int iter = 0; iter < 12; iter++) {
    const uint64_t seed = base_seed + iter;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    TempDir dir;
    GroupCommitOptions o;
    o.dir = dir.path();
    o.segment_size = 64 << 10;
    auto fault = std::make_unique<FaultInjectionSink>(MakeSink(SinkKind::kPosix));
    FaultInjectionSink* f = fault.get();
    auto gc = GroupCommit::Open(o, std::move(fault));
    ASSERT_TRUE(gc.ok());

    const int crash_after = 20 + rng() % 400;
    std::atomic<int> acked_count{0};
    std::mutex mu;
    std::vector<Record> acked;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 1000; i++) {
          Record r = MakeRecord(t * 1000 + i, 50 + (i * 53) % 2500);
          if (!(*gc)->Write(&r).ok()) return;
          std::lock_guard<std::mutex> lock(mu);
          acked.push_back(std::move(r));
          acked_count++;
        }
      });
    }
    while (acked_count < crash_after) std::this_thread::yield();
    f->Crash();
    for (auto& th : threads) th.join();
    EXPECT_FALSE((*gc)->Close().ok());
    gc->reset();

    auto rec = RecoverLog(dir.path());
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    std::map<uint64_t, Record> by_seq;
    for (const Record& r : rec->records) by_seq.emplace(r.first_seq, r);
    for (const Record& r : acked) {
      auto it = by_seq.find(r.first_seq);
      ASSERT_NE(it, by_seq.end()) << "acknowledged record " << r.first_seq << " lost";
      EXPECT_EQ(it->second, r);
    }
  }
}

}  // namespace
}  // namespace strata::wal
