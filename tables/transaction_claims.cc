#include "tables/transaction_claims.h"

#include <algorithm>

#include "util/hash.h"

namespace strata::tables {

size_t TransactionClaims::Hash::operator()(std::string_view s) const {
  return static_cast<size_t>(Hash64(s));
}

TransactionClaims::TransactionClaims() : shards_(std::make_unique<std::array<Shard, kShards>>()) {}

TransactionClaims::~TransactionClaims() = default;

size_t TransactionClaims::ShardOf(std::string_view key) {
  // The high bits: the sets inside a shard use the low ones.
  return static_cast<size_t>(Hash64(key) >> 58) % kShards;
}

bool TransactionClaims::TryClaim(const std::vector<std::string_view>& keys,
                                 std::vector<bool>* conflicts) {
  std::vector<size_t> shard_of(keys.size());
  std::vector<size_t> order;
  order.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    shard_of[i] = ShardOf(keys[i]);
    order.push_back(shard_of[i]);
  }
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end()), order.end());
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(order.size());
  for (size_t s : order) locks.emplace_back((*shards_)[s].mu);

  bool conflict = false;
  for (size_t i = 0; i < keys.size(); ++i) {
    if ((*shards_)[shard_of[i]].keys.count(keys[i]) != 0) {
      if (!conflict) conflicts->assign(keys.size(), false);
      conflict = true;
      (*conflicts)[i] = true;
    }
  }
  if (conflict) return false;
  claimed_.fetch_add(keys.size(), std::memory_order_relaxed);
  for (size_t i = 0; i < keys.size(); ++i) (*shards_)[shard_of[i]].keys.emplace(keys[i]);
  return true;
}

void TransactionClaims::Release(const std::vector<std::string_view>& keys) {
  for (std::string_view key : keys) {
    Shard& shard = (*shards_)[ShardOf(key)];
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.keys.find(key);
    if (it != shard.keys.end()) shard.keys.erase(it);
  }
  claimed_.fetch_sub(keys.size(), std::memory_order_relaxed);
}

bool TransactionClaims::IsClaimed(std::string_view key) const {
  // No transaction in flight: the common case costs one load of a rarely written counter.
  if (claimed_.load(std::memory_order_relaxed) == 0) return false;
  const Shard& shard = (*shards_)[ShardOf(key)];
  std::lock_guard<std::mutex> lock(shard.mu);
  return shard.keys.find(key) != shard.keys.end();
}

}  // namespace strata::tables
