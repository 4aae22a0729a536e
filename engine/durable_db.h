#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/dir_lock.h"
#include "engine/visible_memtable.h"
#include "wal/group_commit.h"

namespace strata::engine {

// DurableDb is the `wal` and `persistent` storage modes (DESIGN 2.4, 2.5, 3): a memtable in
// front of the write-ahead log in <data_dir>/dynamodb/. There are no SSTables yet, so the
// memtable holds all live data (rebuilt on the WAL thread, and during recovery, to drop
// versions no snapshot needs once it outgrows Options::memtable_bytes) and every WAL segment
// is kept (docs/storage.md).
//
// Open: takes <data_dir>/dynamodb/LOCK, recovers every WAL segment into the memtable with the
// recorded sequence numbers (Corruption refuses to open), then starts the WAL thread
// (wal::GroupCommit) on a new segment whose header records how the recovered one ended.
//
// Write: the batch becomes one WAL record; the WAL thread groups concurrent writers, writes the
// group (persistent: durable with fdatasync semantics before anyone is acknowledged; wal: in
// the file's page cache, fdatasync every flush_interval_ms, at rotation and at Close), then, in
// sequence order, inserts the group into the memtable and publishes the visible sequence, and
// only then acknowledges the writers. So a reader never sees a write a crash could lose
// ("visible only after durable"). The first WAL write or sync failure is latched: every later
// Write fails with that IOError until a restart; reads keep working.
//
// Thread-safety: all methods, from any thread. Lifecycle: Open, use, Close (or destroy):
// Close drains the queue, seals and syncs the segment and releases the LOCK. Iterators share
// the memtable and stay usable after Close(); Write() after Close() fails with Aborted.
class DurableDb final : public Db {
 public:
  // REQUIRES: options.mode is kWal or kPersistent.
  static Result<std::unique_ptr<DurableDb>> Open(const Options& options);
  ~DurableDb() override;

  Status Write(const WriteBatch& batch, uint64_t* first_seq = nullptr) override;
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) override {
    return mem_.Get(options, key, value);
  }
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) override {
    return mem_.NewIterator(options);
  }
  uint64_t LatestSequence() const override { return mem_.visible_seq(); }
  std::shared_ptr<const Snapshot> GetSnapshot() override { return mem_.GetSnapshot(); }
  Status Close() override;

  // The directory holding LOCK and the WAL segments: <data_dir>/dynamodb.
  const std::string& dir() const { return dir_; }
  // Records and ops replayed from the WAL at Open.
  uint64_t recovered_records() const { return recovered_records_; }
  // The WAL sink in use ("io_uring/dsync", "posix", ...).
  std::string_view sink_name() const { return wal_->sink_name(); }
  // Number of the WAL segment being written.
  uint64_t current_segment() const { return wal_->current_segment(); }
  size_t ApproximateMemoryUsage() const { return mem_.ApproximateMemoryUsage(); }
  // Memtable rebuilds done so far (VisibleMemTable::MaybeRebuild), recovery included.
  uint64_t memtable_rebuilds() const { return mem_.rebuilds(); }
  // Snapshots registered by GetSnapshot() and not yet released.
  size_t live_snapshots() const { return mem_.live_snapshots(); }

 private:
  explicit DurableDb(const Options& options);
  Status Recover(uint64_t* next_seq, uint64_t* prev_tail);
  Status StartWal(uint64_t first_seq, uint64_t prev_tail);

  const Options options_;
  const std::string dir_;
  VisibleMemTable mem_;
  std::unique_ptr<DirLock> lock_;
  uint64_t recovered_records_ = 0;
  // Destroyed before mem_ (declared after it): its thread inserts into mem_.
  std::unique_ptr<wal::GroupCommit> wal_;

  std::atomic<bool> closed_{false};
  std::mutex close_mu_;
  Status close_status_;  // guarded by close_mu_
};

}  // namespace strata::engine
