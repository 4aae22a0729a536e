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
  // Called on the WAL thread for every group, in sequence order, after the group is durable per
  // the policy and before its writers are acknowledged (the engine applies it to the memtable
  // and publishes visible_seq here). Must not call back into the GroupCommit.
  std::function<void(std::span<Record* const> group)> on_durable;
};

// GroupCommit is the WAL thread. Writers call Write(record) concurrently and block; the thread
// drains the queue into a group of up to max_group_bytes, assigns contiguous sequence numbers,
// fragments the records into the current segment's block buffer, writes the group with one Sink
// call (durable per the SyncPolicy), runs on_durable and acknowledges the writers in sequence
// order. Segments rotate when full (SEAL + fdatasync, then a new segment). One record is the
// atomicity unit; one group is the durability unit.
//
// Errors: the first write or sync failure is latched: the failing group and every later Write
// return an IOError saying why; nothing is retried (restart and recover).
//
// Thread-safety: Write, Rotate and the accessors are thread-safe. Lifecycle: Open starts the
// thread on a new segment (numbered above every existing one); Close (or the destructor) drains
// the queue, seals the segment, fsyncs and joins.
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
  Status background_error() const;
  std::string_view sink_name() const { return sink_->Name(); }

 private:
  struct Request;

  GroupCommit(GroupCommitOptions options, std::unique_ptr<Sink> sink);
  void Run();
  // WAL thread only:
  Status ProcessGroup(std::deque<Request*>& group);
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

  // WAL thread state.
  Segment segment_;
  std::unique_ptr<LogWriter> writer_;
  bool segment_has_records_ = false;
  uint64_t synced_offset_ = 0;
  bool unsynced_ = false;
  std::chrono::steady_clock::time_point last_sync_;
  uint64_t next_seq_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<Request*> queue_;  // guarded by mu_
  bool shutdown_ = false;       // guarded by mu_
  bool closed_ = false;         // guarded by mu_
  Status bg_error_;             // guarded by mu_
  Status close_status_;         // guarded by mu_
  std::thread thread_;

  std::atomic<uint64_t> acked_next_seq_;
  std::atomic<uint64_t> current_segment_{0};
};

}  // namespace strata::wal
