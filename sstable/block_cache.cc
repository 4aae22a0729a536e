#include "sstable/block_cache.h"

namespace strata::sstable {

std::shared_ptr<const Block> BlockCache::Lookup(uint64_t file_number, uint64_t offset) {
  std::shared_ptr<const Block> block = cache_.Lookup({file_number, offset});
  (block ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  return block;
}

std::shared_ptr<const Block> BlockCache::Insert(uint64_t file_number, uint64_t offset,
                                                std::shared_ptr<const Block> block) {
  const size_t charge = block->size();
  return cache_.InsertIfAbsent({file_number, offset}, std::move(block), charge);
}

}  // namespace strata::sstable
