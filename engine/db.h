#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/iterator.h"
#include "engine/options.h"
#include "engine/snapshot.h"
#include "engine/write_batch.h"
#include "util/result.h"

namespace strata::engine {

// Sequence numbers: 56 bits; user writes start at kFirstSequence (DESIGN 2.2).
constexpr uint64_t kFirstSequence = 10;
constexpr uint64_t kMaxSequence = (uint64_t{1} << 56) - 1;

// Db is the storage engine the rest of strata keeps using for good: atomic write batches with
// sequence numbers, point reads and ordered iterators at a snapshot. The backend is chosen by
// Options::mode; callers never see which.
//
// Thread-safety: every method may be called concurrently from any thread. Writes are applied
// in sequence order and become visible atomically (a reader sees all of a batch or none).
// Lifecycle: Open() it, use it, destroy it (which shuts it down cleanly).
class Db {
 public:
  virtual ~Db() = default;

  static Result<std::unique_ptr<Db>> Open(const Options& options);

  // Applies the batch atomically. On success *first_seq (if given) holds the sequence number
  // of its first op. An empty batch is a no-op.
  virtual Status Write(const WriteBatch& batch, uint64_t* first_seq = nullptr) = 0;

  // NotFound when the key has no live value at the snapshot.
  virtual Status Get(const ReadOptions& options, std::string_view key, std::string* value) = 0;

  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  // The newest sequence number visible to readers. Reading at it through ReadOptions is exact
  // only until old versions are next garbage-collected (memory mode's memtable rebuilds,
  // compaction): to read at one sequence over time, register it with GetSnapshot().
  virtual uint64_t LatestSequence() const = 0;

  // Registers LatestSequence() as a snapshot: until the handle is destroyed, reads with
  // ReadOptions::snapshot = handle->sequence() stay exact whatever is written meanwhile.
  virtual std::shared_ptr<const Snapshot> GetSnapshot() = 0;

  // Compacts everything stored for user keys in [begin, end] (nullopt: unbounded), dropping the
  // versions and tombstones no registered snapshot needs, and returns when done (DESIGN 2.12's
  // CompactRange; the `/_strata/compact` admin endpoint). NotSupported in memory mode, which
  // keeps no SSTables (its memtable rebuilds collect garbage on their own).
  virtual Status CompactRange(std::optional<std::string> begin, std::optional<std::string> end) {
    return Status::NotSupported("compaction needs SSTables; the memory storage mode keeps none");
  }

  // Makes everything acknowledged durable per the storage mode and stops background work.
  // Idempotent; the destructor calls it.
  virtual Status Close() = 0;
};

}  // namespace strata::engine
