#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/dir_lock.h"
#include "engine/flush.h"
#include "engine/table_set.h"
#include "engine/version_set.h"
#include "engine/visible_memtable.h"
#include "wal/group_commit.h"

namespace strata::engine {

// DurableDb is the storage modes that keep files in <data_dir>/dynamodb (DESIGN 2.4, 2.5, 3):
// `wal` and `persistent` (a memtable in front of the write-ahead log) and `hybrid` (memory
// writes, no WAL). In every mode full memtables become immutable and one background thread
// (Flusher) writes them to level-0 SSTables recorded in the MANIFEST (VersionSet) and compacts
// the levels (engine/compaction.h); reads merge the active memtable, the immutable ones and the
// SSTables (VisibleMemTable, TableSet).
//
// Open: takes <data_dir>/dynamodb/LOCK; VersionSet::Recover (CURRENT, MANIFEST); replays the
// WAL segments >= the MANIFEST's log_number into the memtable, skipping records at or below
// its last_sequence (already in SSTables; Corruption refuses to open); sequence numbers
// continue from max(last_sequence, the WAL's). wal/persistent then start the WAL (wal::GroupCommit)
// (wal::GroupCommit) on a new segment N whose header records how the recovered one ended. The
// recovered memtable, if not empty, becomes an immutable memtable flushed in the background
// with log_number N; otherwise a MANIFEST edit moves log_number to N at once. Obsolete files
// (segments below log_number, unreferenced tables, old MANIFESTs) are deleted.
//
// Write, wal/persistent: the batch becomes one WAL record; the WAL groups concurrent
// writers, writes the group (persistent: durable with fdatasync semantics before anyone is
// acknowledged; wal: in the file's page cache, fdatasync every flush_interval_ms, at rotation
// and at Close), then, in sequence order, inserts the group into the memtable and publishes the
// visible sequence, and only then acknowledges the writers ("visible only after durable").
// When the memtable outgrows Options::memtable_bytes the group's leader switches it, with
// log_number = the segment being written (every later record is in it or a later one).
// Write, hybrid: under a mutex, into the memtable, visible at once; the flush thread switches
// the memtable every flush_interval_ms (and Close flushes it), so a crash loses at most one
// interval.
//
// Storage faults: the first WAL write or sync failure, or flush failure (table, fsync,
// MANIFEST), is latched: every later Write fails with that IOError until a restart; reads keep
// working; nothing acknowledged is lost in wal/persistent modes (the WAL keeps every segment
// from log_number on, and log_number moves only after a flush is durable).
//
// Thread-safety: all methods, from any thread. Lifecycle: Open, use, Close (or destroy): Close
// drains the WAL queue, seals and syncs the segment (wal/persistent; their last memtable stays
// in the WAL for the next Open), or flushes the memtable (hybrid), finishes pending flushes and
// releases the LOCK. Iterators pin what they read and stay usable after Close(); Write() after
// Close() fails with Aborted.
class DurableDb final : public Db {
 public:
  // REQUIRES: options.mode is kWal, kPersistent or kHybrid.
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

  // Switches the active memtable (when not empty) and waits until every immutable memtable is
  // in an SSTable. Returns the latched background error, if any. Tests, tools, benchmarks.
  Status FlushMemTable();

  // Flushes the memtables, then compacts every SSTable overlapping [begin, end] (user keys;
  // nullopt: unbounded) down to the deepest level holding any of them, dropping the versions
  // and tombstones no snapshot needs (DESIGN 2.12's CompactRange). Returns when done.
  Status CompactRange(std::optional<std::string> begin, std::optional<std::string> end) override;
  // Blocks until the background thread has no flush or compaction left to do. Tests, benchmarks.
  Status WaitForCompactions();
  // What the background thread did since Open.
  BackgroundStats background_stats() const { return flusher_->stats(); }

  // The directory holding LOCK, the WAL segments, the SSTables and the MANIFEST.
  const std::string& dir() const { return dir_; }
  // Records replayed from the WAL at Open (records already in SSTables not counted).
  uint64_t recovered_records() const { return recovered_records_; }
  // The WAL sink in use ("io_uring/dsync", "posix", ...); "none" in hybrid mode.
  std::string_view sink_name() const { return wal_ != nullptr ? wal_->sink_name() : "none"; }
  // Number of the WAL segment being written (0 in hybrid mode).
  uint64_t current_segment() const { return wal_ != nullptr ? wal_->current_segment() : 0; }
  // Bytes used by the active memtable.
  size_t ApproximateMemoryUsage() const { return mem_.ApproximateMemoryUsage(); }
  // Immutable memtables waiting for their flush.
  size_t num_immutables() const { return mem_.num_immutables(); }
  // Tables written by flushes since Open.
  uint64_t flushes() const { return flusher_->flushes(); }
  // The latched flush error, or OK.
  Status background_error() const { return flusher_->background_error(); }
  // The SSTables readers see now.
  std::shared_ptr<const Version> current_version() const { return mem_.version(); }
  // The first WAL segment still needed (the MANIFEST's log_number).
  uint64_t log_number() const { return versions_->log_number(); }
  // Snapshots registered by GetSnapshot() and not yet released.
  size_t live_snapshots() const { return mem_.live_snapshots(); }

 private:
  explicit DurableDb(const Options& options);
  bool has_wal() const { return options_.mode != StorageMode::kHybrid; }
  Status OpenFiles();
  // Replays the WAL segments >= log_number; *next_seq is the first sequence for new writes.
  Status Recover(uint64_t* next_seq, uint64_t* prev_tail);
  Status StartWal(uint64_t first_seq, uint64_t prev_tail);
  // The WAL's on_durable (the group's leader): insert, publish, switch the memtable when full.
  void ApplyGroup(std::span<wal::Record* const> group);
  // hybrid: switches the memtable under write_mu_ (flush thread, Close, FlushMemTable).
  void SwitchHybridMemTable(bool force);

  const Options options_;
  const std::string dir_;
  const std::shared_ptr<TableSet> tables_;
  VisibleMemTable mem_;
  std::unique_ptr<DirLock> lock_;
  std::unique_ptr<VersionSet> versions_;
  uint64_t recovered_records_ = 0;
  // Destroyed before the members above (declared after them): its thread uses them.
  std::unique_ptr<Flusher> flusher_;
  // Destroyed first: its thread inserts into mem_ and switches memtables.
  std::unique_ptr<wal::GroupCommit> wal_;
  // The leader: switch the memtable after the next group (FlushMemTable).
  std::atomic<bool> force_switch_{false};

  // hybrid: serialises writers (and memtable switches).
  std::mutex write_mu_;
  std::atomic<bool> closed_{false};
  std::mutex close_mu_;
  Status close_status_;  // guarded by close_mu_
};

}  // namespace strata::engine
