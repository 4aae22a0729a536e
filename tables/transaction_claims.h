#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace strata::tables {

// The items of the TransactWriteItems in flight (docs/transactions.md, "Conflicts"): a sharded
// set of exact engine item keys (item::EncodeItemKey: table id and primary key), so two
// different items never conflict, whatever their hashes.
//
// A transaction claims all of its keys at once, or none when another transaction holds one of
// them, and releases them after its commit. Nothing here ever waits for a claim: a conflict is
// an answer (TransactionConflict), never a wait. The shard mutexes are leaf locks held only
// for the set operations; TryClaim() takes the shards of its keys in index order.
//
// IsClaimed() is the check of the plain writes and reads: one relaxed atomic load when no
// transaction is in flight, else one shard lookup.
//
// Thread-safety: every method may be called concurrently. Lifecycle: one per TableService;
// every claim is released before the object is destroyed.
class TransactionClaims {
 public:
  TransactionClaims();
  ~TransactionClaims();

  TransactionClaims(const TransactionClaims&) = delete;
  TransactionClaims& operator=(const TransactionClaims&) = delete;

  // Claims every key (distinct keys) and returns true; or, when some are claimed already,
  // claims nothing, sets (*conflicts)[i] for each such keys[i] and returns false.
  bool TryClaim(const std::vector<std::string_view>& keys, std::vector<bool>* conflicts);
  // Releases keys claimed by a successful TryClaim().
  void Release(const std::vector<std::string_view>& keys);
  bool IsClaimed(std::string_view key) const;

 private:
  static constexpr size_t kShards = 64;

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const;
  };
  struct alignas(64) Shard {
    mutable std::mutex mu;
    std::unordered_set<std::string, Hash, std::equal_to<>> keys;
  };

  static size_t ShardOf(std::string_view key);

  std::unique_ptr<std::array<Shard, kShards>> shards_;
  std::atomic<size_t> claimed_{0};  // keys claimed in all shards
};

// A successful claim, released on destruction.
class ClaimGuard {
 public:
  ClaimGuard() = default;
  ClaimGuard(TransactionClaims* claims, std::vector<std::string_view> keys)
      : claims_(claims), keys_(std::move(keys)) {}
  ~ClaimGuard() {
    if (claims_ != nullptr) claims_->Release(keys_);
  }
  ClaimGuard(const ClaimGuard&) = delete;
  ClaimGuard& operator=(const ClaimGuard&) = delete;

 private:
  TransactionClaims* claims_ = nullptr;
  std::vector<std::string_view> keys_;
};

}  // namespace strata::tables
