#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace strata::sstable {

// A cache key: two numbers, e.g. (file number, block offset).
struct CacheKey {
  uint64_t a = 0;
  uint64_t b = 0;
  bool operator==(const CacheKey&) const = default;
};

// ShardedLruCache maps CacheKeys to shared_ptr<const T> (LevelDB util/cache.cc, simplified:
// values are handed out as shared_ptrs, so an evicted value lives on while in use; its charge
// stops counting at eviction). Each shard holds capacity >> shard_bits of charge and evicts its
// least recently used entries beyond that.
//
// Thread-safety: all methods are thread-safe (a mutex per shard). Lifecycle: RAII.
template <typename T>
class ShardedLruCache {
 public:
  ShardedLruCache(size_t capacity, int shard_bits)
      : shard_bits_(shard_bits < 0 ? 0 : (shard_bits > 8 ? 8 : shard_bits)), capacity_(capacity) {
    const size_t n = size_t{1} << shard_bits_;
    shards_.reserve(n);
    for (size_t i = 0; i < n; i++) {
      shards_.push_back(std::make_unique<Shard>());
      shards_.back()->capacity = (capacity + n - 1) / n;
    }
  }

  std::shared_ptr<const T> Lookup(const CacheKey& key) {
    Shard& s = ShardFor(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end()) return nullptr;
    s.lru.splice(s.lru.begin(), s.lru, it->second);  // most recently used first
    return it->second->value;
  }

  // Inserts `value` unless `key` is present; returns the cached value for `key` (the one
  // already there, or `value`). An entry whose charge exceeds the shard's capacity is evicted
  // at once (but still returned).
  std::shared_ptr<const T> InsertIfAbsent(const CacheKey& key, std::shared_ptr<const T> value,
                                          size_t charge) {
    Shard& s = ShardFor(key);
    std::lock_guard lock(s.mu);
    if (auto it = s.map.find(key); it != s.map.end()) {
      s.lru.splice(s.lru.begin(), s.lru, it->second);
      return it->second->value;
    }
    s.lru.push_front(Entry{key, value, charge});
    s.map.emplace(key, s.lru.begin());
    s.usage += charge;
    while (s.usage > s.capacity && !s.lru.empty()) {
      Entry& victim = s.lru.back();
      s.usage -= victim.charge;
      s.map.erase(victim.key);
      s.lru.pop_back();
    }
    return value;
  }

  void Erase(const CacheKey& key) {
    Shard& s = ShardFor(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end()) return;
    s.usage -= it->second->charge;
    s.lru.erase(it->second);
    s.map.erase(it);
  }

  size_t TotalCharge() const {
    size_t total = 0;
    for (const auto& s : shards_) {
      std::lock_guard lock(s->mu);
      total += s->usage;
    }
    return total;
  }

  size_t Size() const {
    size_t total = 0;
    for (const auto& s : shards_) {
      std::lock_guard lock(s->mu);
      total += s->map.size();
    }
    return total;
  }

  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    CacheKey key;
    std::shared_ptr<const T> value;
    size_t charge;
  };
  struct KeyHash {
    size_t operator()(const CacheKey& k) const { return static_cast<size_t>(Mix(k)); }
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // front: most recently used
    std::unordered_map<CacheKey, typename std::list<Entry>::iterator, KeyHash> map;
    size_t usage = 0;
    size_t capacity = 0;
  };

  static uint64_t Mix(const CacheKey& k) {
    uint64_t h = k.a * 0x9e3779b97f4a7c15ull ^ (k.b + 0x632be59bd9b4e019ull);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }

  Shard& ShardFor(const CacheKey& key) {
    return shard_bits_ == 0 ? *shards_[0] : *shards_[Mix(key) >> (64 - shard_bits_)];
  }

  const int shard_bits_;
  const size_t capacity_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace strata::sstable
