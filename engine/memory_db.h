#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/visible_memtable.h"

namespace strata::engine {

// MemoryDb is the `memory` storage mode (DESIGN 3): one memtable, nothing on disk, everything
// lost at exit by design. (`hybrid` also writes to memory only, but flushes to SSTables:
// DurableDb.)
//
// Writes are serialised by a mutex; each batch gets consecutive sequence numbers and becomes
// visible at once (VisibleMemTable: inserted first, then published). With no SSTables to flush
// to, the memtable is rebuilt on the write path when it outgrows Options::memtable_bytes, to
// drop the versions no snapshot needs (VisibleMemTable::MaybeRebuild).
//
// Thread-safety: all methods, from any thread. Lifecycle: iterators share the memtable, so
// they stay usable even after Close(); Write() after Close() fails with Aborted.
class MemoryDb final : public Db {
 public:
  explicit MemoryDb(const Options& options);
  ~MemoryDb() override;

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

  // Bytes used by the memtable.
  size_t ApproximateMemoryUsage() const { return mem_.ApproximateMemoryUsage(); }
  // Memtable rebuilds done so far (VisibleMemTable::MaybeRebuild).
  uint64_t memtable_rebuilds() const { return mem_.rebuilds(); }
  // Snapshots registered by GetSnapshot() and not yet released.
  size_t live_snapshots() const { return mem_.live_snapshots(); }

 private:
  const Options options_;
  VisibleMemTable mem_;
  std::mutex write_mu_;
  uint64_t last_seq_;    // the last sequence assigned; guarded by write_mu_
  bool closed_ = false;  // guarded by write_mu_
};

}  // namespace strata::engine
