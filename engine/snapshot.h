#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace strata::engine {

class SnapshotRegistry;

// Snapshot is a registered read sequence number (Db::GetSnapshot()): while it lives, memtable
// rebuilds keep every version a read at sequence() needs. Pass sequence() in
// ReadOptions::snapshot.
//
// Thread-safety: immutable; may be shared between threads. Lifecycle: unregisters itself when
// destroyed (held through std::shared_ptr<const Snapshot>); it may outlive the Db.
class Snapshot {
 public:
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

  uint64_t sequence() const { return seq_; }

 private:
  friend class SnapshotRegistry;
  Snapshot(std::shared_ptr<SnapshotRegistry> registry, uint64_t seq)
      : registry_(std::move(registry)), seq_(seq) {}

  const std::shared_ptr<SnapshotRegistry> registry_;
  const uint64_t seq_;
};

// SnapshotRegistry counts the live Snapshots per sequence number.
//
// Thread-safety: all methods, from any thread (one mutex). Lifecycle: shared with its
// Snapshots through std::shared_ptr (create it with std::make_shared).
class SnapshotRegistry : public std::enable_shared_from_this<SnapshotRegistry> {
 public:
  // Registers a snapshot at load_seq(), called under the registry's mutex so that a rebuild
  // computing OldestOr() concurrently sees it or runs before it was taken.
  template <typename LoadSeq>
  std::shared_ptr<const Snapshot> Register(LoadSeq load_seq) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t seq = load_seq();
    live_[seq]++;
    return std::shared_ptr<const Snapshot>(new Snapshot(shared_from_this(), seq));
  }

  // The oldest registered sequence number, or `none` when there is none (or it is larger).
  // `none` is computed under the mutex too.
  template <typename LoadSeq>
  uint64_t OldestOr(LoadSeq none) const {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t fallback = none();
    return live_.empty() ? fallback : std::min(live_.begin()->first, fallback);
  }

  size_t size() const;

 private:
  friend class Snapshot;
  void Unregister(uint64_t seq);

  mutable std::mutex mu_;
  std::map<uint64_t, uint64_t> live_;  // sequence -> live Snapshots at it
};

}  // namespace strata::engine
