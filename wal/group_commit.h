#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "util/result.h"
#include "util/status.h"
#include "wal/format.h"
#include "wal/log_writer.h"
#include "wal/record.h"
#include "wal/segment_header.h"
#include "wal/segment_manager.h"
#include "wal/sink.h"

namespace strata::wal {

// When written bytes are made durable.
enum class SyncPolicy : uint8_t {
  kEveryGroup,  // persistent mode: durable before the writers are acknowledged
  kInterval,    // wal mode: written to the file before acknowledging; fdatasync every
                // sync_interval, at rotation and at close
  kNone,        // written to the file before acknowledging; fdatasync at rotation and close
};

struct GroupCommitOptions {
  std::string dir;
  uint64_t segment_size = 64 << 20;
  bool precreate_next_segment = true;
  SyncPolicy sync_policy = SyncPolicy::kEveryGroup;
  std::chrono::milliseconds sync_interval{5000};
  // A group takes queued records until their encoded size reaches this cap (at least one).
  size_t max_group_bytes = 1 << 20;
  // Sequence number of the first op written (RecoveryResult::next_seq after recovery).
  uint64_t first_seq = kMinUserSeq;
  // RecoveryResult::tail: how the previous segment ended.
  uint64_t prev_tail = kPrevSealed;
  // Called by the group's leader for every group, serialised and in sequence order, after the group
  // is durable per the policy and before its writers are acknowledged (the engine applies it to the
  // memtable and publishes visible_seq here). Must not call back into the GroupCommit.
  std::function<void(std::span<Record* const> group)> on_durable;
};

// GroupCommit is the WAL's group commit (LevelDB's writer queue). Writers call Write(record)
// concurrently and queue up; the writer at the front of the queue becomes the leader: it takes
// the queued records up to max_group_bytes, assigns contiguous sequence numbers, fragments the
// records into the current segment's block buffer, writes the group with one Sink call (durable
// per the SyncPolicy), runs on_durable, acknowledges the group in sequence order and hands the
// front of the queue to the next leader. Leaders run one at a time, so the segment, the log
// writer and the Sink (and its io_uring ring) are used by one thread at a time, and on_durable
// runs serialised, in sequence order. A lone writer pays no thread switch; concurrent writers
// are grouped while the leader writes or syncs (docs/storage.md: why not a dedicated WAL
// thread). kInterval's fdatasync every sync_interval is queued by a small timer thread like a
// write. Segments rotate when full (SEAL + fdatasync, then a new segment). One record is the
// atomicity unit; one group is the durability unit.
//
// Errors: the first write or sync failure is latched: the failing group and every later Write
// return an IOError saying why; nothing is retried (restart and recover).
//
// Thread-safety: Write, Rotate and the accessors are thread-safe. Lifecycle: Open starts on a
// new segment (numbered above every existing one) and, in kInterval, the sync timer thread;
// Close (or the destructor) refuses new writes, waits for the queued ones, stops the timer,
// seals the segment and fsyncs.
class GroupCommit {
 public:
  static Result<std::unique_ptr<GroupCommit>> Open(GroupCommitOptions options,
                                                   std::unique_ptr<Sink> sink);
  ~GroupCommit();

  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Appends `record` (its first_seq and commit_time_us are assigned) and waits until it is
  // durable per the policy and on_durable has run for it.
  // REQUIRES: record outlives the call and is not touched by the caller meanwhile.
  Status Write(Record* record);

  // Seals the current segment and starts a new one (memtable switch); returns its number.
  Result<uint64_t> Rotate();

  // Drains, seals, syncs, stops the thread. Returns the latched error, if any.
  Status Close();

  // Sequence number after the last acknowledged op.
  uint64_t next_seq() const { return acked_next_seq_.load(std::memory_order_acquire); }
  uint64_t current_segment() const { return current_segment_.load(std::memory_order_acquire); }
  // Requests queued, the group being written included (tests, diagnostics).
  size_t queued() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
  }
  Status background_error() const;
  std::string_view sink_name() const { return sink_->Name(); }

 private:
  struct Request;

  GroupCommit(GroupCommitOptions options, std::unique_ptr<Sink> sink);
  // kInterval's timer thread: queues a sync every sync_interval.
  void SyncLoop();
  // The leader only:
  Status ProcessGroup(const std::vector<Request*>& group);
  Status WritePending(bool durable);
  Status SyncNow();
  Status SealAndRotate();
  Status Seal();
  Status OpenSegment(uint64_t prev_tail);
  Status Latch(const Status& s);
  Status Enqueue(Request* req);

  const GroupCommitOptions options_;
  const std::unique_ptr<Sink> sink_;
  std::unique_ptr<SegmentManager> segments_;

  // Leader state (one leader at a time; Close once no leader is left).
  Segment segment_;
  std::unique_ptr<LogWriter> writer_;
  bool segment_has_records_ = false;
  uint64_t synced_offset_ = 0;
  bool unsynced_ = false;
  std::chrono::steady_clock::time_point last_sync_;
  uint64_t next_seq_;

  mutable std::mutex mu_;
  std::condition_variable sync_cv_;  // the timer thread waits here
  std::condition_variable idle_cv_;  // Close waits here for the queue to drain
  std::deque<Request*> queue_;       // guarded by mu_; the front is the leader
  bool closed_ = false;              // guarded by mu_
  bool close_done_ = false;          // guarded by mu_
  Status bg_error_;                  // guarded by mu_
  Status close_status_;              // guarded by mu_
  std::thread sync_thread_;

  std::atomic<uint64_t> acked_next_seq_;
  std::atomic<uint64_t> current_segment_{0};
};

}  // namespace strata::wal
