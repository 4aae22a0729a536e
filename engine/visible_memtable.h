#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/iterator.h"
#include "engine/options.h"
#include "memtable/memtable.h"
#include "util/status.h"

namespace strata::engine {

// VisibleMemTable is the read/visibility core every Db backend shares: one memtable plus the
// visible sequence number. A writer inserts a batch's ops with their sequence numbers, then
// publishes the batch's last sequence with a release store; readers never lock and read at
// min(snapshot, visible sequence), so they see all of a batch or none of it.
//
// Thread-safety: Insert() and Publish() need one writer at a time (the caller serialises them:
// MemoryDb with a mutex, DurableDb on the WAL thread). Get(), NewIterator(), visible_seq() and
// ApproximateMemoryUsage() may run concurrently with them from any thread.
// Lifecycle: iterators share the memtable, so they may outlive this object.
class VisibleMemTable {
 public:
  // Nothing is visible: visible_seq() == kFirstSequence - 1.
  VisibleMemTable();
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

  uint64_t visible_seq() const { return visible_seq_.load(std::memory_order_acquire); }

  // NotFound when the key has no live value at the snapshot.
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) const;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) const;

  // Bytes used by the memtable.
  size_t ApproximateMemoryUsage() const { return mem_->ApproximateMemoryUsage(); }

 private:
  // The sequence number reads at `options` use.
  uint64_t SnapshotFor(const ReadOptions& options) const;

  const std::shared_ptr<memtable::MemTable> mem_;
  // Every entry with sequence <= visible_seq_ is in mem_.
  std::atomic<uint64_t> visible_seq_;
};

}  // namespace strata::engine
