#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "memtable/memtable.h"

namespace strata::engine {

// MemoryDb is the `memory` storage mode (DESIGN 3): one memtable, nothing on disk, everything
// lost at exit by design.
//
// Writes are serialised by a mutex; each batch gets consecutive sequence numbers and becomes
// visible at once: all its entries are inserted first, then the visible sequence is published
// with a release store. Readers never lock: they read at min(snapshot, visible sequence) and
// so never see part of a batch.
//
// Thread-safety: all methods, from any thread. Lifecycle: iterators share the memtable, so
// they stay usable even after Close(); Write() after Close() fails with Aborted.
class MemoryDb final : public Db {
 public:
  explicit MemoryDb(const Options& options);
  ~MemoryDb() override;

  Status Write(const WriteBatch& batch, uint64_t* first_seq = nullptr) override;
  Status Get(const ReadOptions& options, std::string_view key, std::string* value) override;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) override;
  uint64_t LatestSequence() const override { return visible_seq_.load(std::memory_order_acquire); }
  Status Close() override;

  // Bytes used by the memtable.
  size_t ApproximateMemoryUsage() const { return mem_->ApproximateMemoryUsage(); }

 private:
  // The sequence number reads at `options` use.
  uint64_t SnapshotFor(const ReadOptions& options) const;

  const Options options_;
  const std::shared_ptr<memtable::MemTable> mem_;
  std::mutex write_mu_;
  uint64_t last_seq_;    // the last sequence assigned; guarded by write_mu_
  bool closed_ = false;  // guarded by write_mu_
  // Every entry with sequence <= visible_seq_ is in mem_.
  std::atomic<uint64_t> visible_seq_;
};

}  // namespace strata::engine
