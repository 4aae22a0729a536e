#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "sstable/block.h"
#include "sstable/lru_cache.h"

namespace strata::sstable {

// BlockCache holds uncompressed data blocks of open tables, keyed by (file number, block
// offset); an entry's charge is its block size, capacity is in bytes. File numbers must be
// unique among the tables sharing one cache (the engine never reuses them).
//
// Thread-safety: thread-safe (sharded LRU). Lifecycle: shared by the readers
// (TableOptions::block_cache) and outliving none of them in particular.
class BlockCache {
 public:
  // 2^shard_bits shards of capacity_bytes / 2^shard_bits each.
  explicit BlockCache(size_t capacity_bytes, int shard_bits = 4)
      : cache_(capacity_bytes, shard_bits) {}

  std::shared_ptr<const Block> Lookup(uint64_t file_number, uint64_t offset);
  // Returns the cached block (an equal one inserted concurrently wins).
  std::shared_ptr<const Block> Insert(uint64_t file_number, uint64_t offset,
                                      std::shared_ptr<const Block> block);
  void Erase(uint64_t file_number, uint64_t offset) { cache_.Erase({file_number, offset}); }

  size_t TotalCharge() const { return cache_.TotalCharge(); }
  size_t capacity() const { return cache_.capacity(); }
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  ShardedLruCache<Block> cache_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace strata::sstable
