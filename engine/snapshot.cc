#include "engine/snapshot.h"

namespace strata::engine {

Snapshot::~Snapshot() { registry_->Unregister(seq_); }

size_t SnapshotRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [seq, count] : live_) n += count;
  return n;
}

void SnapshotRegistry::Unregister(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(seq);
  if (it != live_.end() && --it->second == 0) live_.erase(it);
}

}  // namespace strata::engine
