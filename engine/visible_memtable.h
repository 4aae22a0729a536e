#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/iterator.h"
#include "engine/options.h"
#include "engine/snapshot.h"
#include "memtable/memtable.h"
#include "util/status.h"

namespace strata::engine {

// VisibleMemTable is the read/visibility core every Db backend shares: the active memtable,
// the visible sequence number and the snapshot registry. A writer inserts a batch's ops with
// their sequence numbers, then publishes the batch's last sequence with a release store;
// readers read at min(snapshot, visible sequence), so they see all of a batch or none of it.
//
// Memtable rebuilds ("memtable compaction"): there are no SSTables yet, so without them the
// memtable would keep every version forever. MaybeRebuild(), on the writer path, copies into a
// fresh memtable, for each user key, every version newer than the oldest registered snapshot
// (or the visible sequence when none is registered) plus the newest version at or below it
// unless that one is a tombstone (LevelDB's GC rule), then swaps it in. Readers that pinned
// the old memtable (iterators, Gets in flight) keep using it through its shared_ptr. A read
// at a raw ReadOptions::snapshot older than the oldest registered snapshot is only exact
// while no rebuild ran since that sequence was visible: register it with GetSnapshot().
//
// Thread-safety: Insert(), Publish() and MaybeRebuild() need one writer at a time (the caller
// serialises them: MemoryDb with a mutex, DurableDb on the WAL thread). Everything else may
// run concurrently with them from any thread; readers take a short mutex (pin_mu_) only to
// copy the memtable pointer together with the visible sequence.
// Lifecycle: iterators and snapshots share what they need, so they may outlive this object.
class VisibleMemTable {
 public:
  // Nothing is visible: visible_seq() == kFirstSequence - 1. Rebuilds start once the memtable
  // uses more than `rebuild_bytes`.
  explicit VisibleMemTable(size_t rebuild_bytes = Options().memtable_bytes);
  VisibleMemTable(const VisibleMemTable&) = delete;
  VisibleMemTable& operator=(const VisibleMemTable&) = delete;

  // Checks that `ops` (the WriteBatch::rep() layout) holds exactly `count` well-formed ops, so
  // a malformed batch is rejected before any of it is logged or inserted.
  static Status CheckOps(std::string_view ops, uint32_t count);

  // Inserts the `count` ops of `ops` with sequence numbers first_seq, first_seq + 1, ...; they
  // stay invisible until Publish(). Corruption on malformed ops (a prefix may have been
  // inserted: call CheckOps first unless the caller then discards this memtable).
  Status Insert(std::string_view ops, uint32_t count, uint64_t first_seq);

  // Makes every entry with sequence <= seq visible. REQUIRES: every such entry was inserted;
  // seq never decreases.
  void Publish(uint64_t seq) { visible_seq_.store(seq, std::memory_order_release); }

  // Writer only, after Publish() (every inserted entry visible): rebuilds the memtable when
  // its usage exceeds the current limit; the limit then becomes max(rebuild_bytes, 2 x the
  // bytes kept), so the cost of rebuilds is amortised over the writes that grow it.
  void MaybeRebuild();

  uint64_t visible_seq() const { return visible_seq_.load(std::memory_order_acquire); }

  // Registers the visible sequence as a snapshot until the handle is destroyed.
  std::shared_ptr<const Snapshot> GetSnapshot();

  // NotFound when the key has no live value at the snapshot.
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) const;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) const;

  // Bytes used by the active memtable.
  size_t ApproximateMemoryUsage() const;
  // Rebuilds done so far.
  uint64_t rebuilds() const { return rebuilds_.load(std::memory_order_relaxed); }
  // Live registered snapshots.
  size_t live_snapshots() const { return snapshots_->size(); }

 private:
  struct Pinned {
    std::shared_ptr<const memtable::MemTable> mem;
    uint64_t seq;  // the sequence number to read at
  };
  // The active memtable and the sequence number reads at `options` use. The memtable holds
  // every entry with sequence <= the visible sequence read with it.
  Pinned Pin(const ReadOptions& options) const;

  const size_t rebuild_bytes_;
  size_t rebuild_limit_;  // writer only: rebuild once usage exceeds it
  const std::shared_ptr<SnapshotRegistry> snapshots_;
  mutable std::mutex pin_mu_;
  // Replaced by the writer under pin_mu_; readers copy it under pin_mu_ (the writer reads it
  // without the lock: it is the only one changing it).
  std::shared_ptr<memtable::MemTable> mem_;
  // Every entry with sequence <= visible_seq_ is in mem_.
  std::atomic<uint64_t> visible_seq_;
  std::atomic<uint64_t> rebuilds_{0};
};

}  // namespace strata::engine
