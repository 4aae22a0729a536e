#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/db.h"
#include "engine/iterator.h"
#include "engine/options.h"
#include "engine/snapshot.h"
#include "engine/table_set.h"
#include "engine/version_set.h"
#include "memtable/memtable.h"
#include "util/status.h"

namespace strata::engine {

// A memtable that stopped taking writes and waits for its flush to an L0 SSTable.
struct ImmutableMemTable {
  std::shared_ptr<const memtable::MemTable> mem;
  // The first WAL segment the data written after this memtable may be in: once this memtable
  // is in an SSTable, segments below it are obsolete. 0 when there is no WAL (hybrid mode).
  uint64_t log_number = 0;
  // Every entry has a sequence number <= last_seq (the visible sequence at the switch).
  uint64_t last_seq = 0;
};

// VisibleMemTable is the read/visibility core every Db backend shares: the active memtable,
// the immutable memtables waiting for their flush, the current Version (SSTables), the
// visible sequence number and the snapshot registry. A writer inserts a batch's ops with their
// sequence numbers, then publishes the batch's last sequence with a release store; readers read
// at min(snapshot, visible sequence), so they see all of a batch or none of it.
//
// Readers pin one immutable "read view" (active memtable, immutables, Version) together with
// the visible sequence, under a short mutex: the view holds every entry with sequence <= the
// visible sequence read with it. Switching the active memtable (SwitchMemTable) and installing
// a flushed table (InstallFlush) each publish a new view atomically, so a reader sees a flushed
// memtable either as an immutable or as its SSTable, never neither. Get and iterators look at
// the active memtable, then the immutables newest first, then the SSTables (TableSet).
//
// Memtable rebuilds ("memtable compaction", MaybeRebuild): only the `memory` mode uses them. It
// has no disk, so without them the memtable would keep every version forever: a rebuild copies
// into a fresh memtable, for each user key, every version newer than the oldest registered
// snapshot (or the visible sequence when none is registered) plus the newest version at or
// below it unless that one is a tombstone (LevelDB's GC rule), then swaps it in. The modes
// with files flush immutable memtables to SSTables instead and never rebuild (old versions
// there are compaction's business). A read at a raw ReadOptions::snapshot older than the
// oldest registered snapshot is only exact while no rebuild ran since that sequence was
// visible: register it with GetSnapshot().
//
// Thread-safety: Insert(), Publish(), MaybeRebuild() and SwitchMemTable() need one writer at a
// time (the caller serialises them: MemoryDb with a mutex, DurableDb in the WAL's group leader or
// with its write mutex). InstallFlush() is called by the one flush thread. Everything else may run
// concurrently with them from any thread.
// Lifecycle: iterators and snapshots share what they need, so they may outlive this object.
class VisibleMemTable {
 public:
  // Nothing is visible: visible_seq() == kFirstSequence - 1. Rebuilds start once the memtable
  // uses more than `rebuild_bytes`. `tables` reads the SSTables of installed Versions; null
  // when there are none (memory mode).
  explicit VisibleMemTable(size_t rebuild_bytes = Options().memtable_bytes,
                           std::shared_ptr<const TableSet> tables = nullptr);
  VisibleMemTable(const VisibleMemTable&) = delete;
  VisibleMemTable& operator=(const VisibleMemTable&) = delete;

  // Checks that `ops` (the WriteBatch::rep() layout) holds exactly `count` well-formed ops, so
  // a malformed batch is rejected before any of it is logged or inserted.
  static Status CheckOps(std::string_view ops, uint32_t count);

  // Inserts the `count` ops of `ops` with sequence numbers first_seq, first_seq + 1, ...,
  // committed at commit_time_us (0: unknown; it widens the memtable's commit-time range, which
  // its SSTable records); they stay invisible until Publish(). Corruption on malformed ops (a
  // prefix may have been inserted: call CheckOps first unless the caller then discards this
  // memtable).
  Status Insert(std::string_view ops, uint32_t count, uint64_t first_seq,
                uint64_t commit_time_us = 0);

  // Makes every entry with sequence <= seq visible. REQUIRES: every such entry was inserted;
  // seq never decreases.
  void Publish(uint64_t seq) { visible_seq_.store(seq, std::memory_order_release); }

  // Memory mode only. Writer only, after Publish() (every inserted entry visible): rebuilds the
  // memtable when its usage exceeds the current limit; the limit then becomes
  // max(rebuild_bytes, 2 x the bytes kept), so the cost of rebuilds is amortised over the
  // writes that grow it.
  void MaybeRebuild();

  // Writer only, after Publish(): unless the active memtable is empty, makes it the newest
  // immutable memtable (last_seq = the visible sequence) and starts a fresh one; returns
  // whether it switched.
  bool SwitchMemTable(uint64_t log_number);
  // Flush thread: the oldest immutable memtable, if any.
  std::optional<ImmutableMemTable> OldestImmutable() const;
  size_t num_immutables() const { return num_immutables_.load(std::memory_order_acquire); }
  // Flush thread: installs `version` (which holds the SSTable of the oldest immutable memtable
  // when drop_oldest_immutable) and drops that memtable, in one step for readers.
  void InstallVersion(std::shared_ptr<const Version> version, bool drop_oldest_immutable);
  // The Version readers use now (null until one is installed).
  std::shared_ptr<const Version> version() const;

  uint64_t visible_seq() const { return visible_seq_.load(std::memory_order_acquire); }

  // Registers the visible sequence as a snapshot until the handle is destroyed.
  std::shared_ptr<const Snapshot> GetSnapshot();
  // The oldest registered snapshot, or the visible sequence when none is registered: what a
  // garbage collector (memtable rebuild, compaction) must keep readable.
  uint64_t OldestReadableSequence() const;

  // NotFound when the key has no live value at the snapshot; Corruption or IOError when an
  // SSTable cannot be read.
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) const;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) const;

  // Bytes used by the active memtable.
  size_t ApproximateMemoryUsage() const;
  // The same, without locking: for the writer only.
  size_t WriterMemoryUsage() const { return active_->ApproximateMemoryUsage(); }
  // Bytes used by the active and the immutable memtables.
  size_t TotalMemoryUsage() const;
  // Rebuilds done so far.
  uint64_t rebuilds() const { return rebuilds_.load(std::memory_order_relaxed); }
  // Live registered snapshots.
  size_t live_snapshots() const { return snapshots_->size(); }

 private:
  // What readers pin: immutable once published.
  struct View {
    std::shared_ptr<memtable::MemTable> mem;    // the active memtable (still taking writes)
    std::vector<ImmutableMemTable> immutables;  // oldest first
    std::shared_ptr<const Version> version;     // null: no SSTables (memory mode)
  };
  struct Pinned {
    std::shared_ptr<const View> view;
    uint64_t seq;  // the sequence number to read at
  };
  // The current view and the sequence number reads at `options` use. The view holds every
  // entry with sequence <= the visible sequence read with it.
  Pinned Pin(const ReadOptions& options) const;
  std::shared_ptr<const View> CurrentView() const;
  void SetView(std::shared_ptr<const View> view);

  const size_t rebuild_bytes_;
  const std::shared_ptr<const TableSet> tables_;
  size_t rebuild_limit_;  // writer only: rebuild once usage exceeds it
  const std::shared_ptr<SnapshotRegistry> snapshots_;
  // The active memtable: the writer inserts into it without locking (it is the only one
  // replacing it). Equal to view_->mem.
  std::shared_ptr<memtable::MemTable> active_;
  mutable std::mutex pin_mu_;
  std::shared_ptr<const View> view_;       // guarded by pin_mu_
  std::atomic<size_t> num_immutables_{0};  // view_->immutables.size(), set under pin_mu_
  // Every entry with sequence <= visible_seq_ is in view_.
  std::atomic<uint64_t> visible_seq_;
  std::atomic<uint64_t> rebuilds_{0};
};

}  // namespace strata::engine
