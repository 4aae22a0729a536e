#include "sstable/block_cache.h"

#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sstable/block_builder.h"
#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/test_seed.h"

namespace strata::sstable {
namespace {

// A parsed block of about `bytes` bytes.
std::shared_ptr<const Block> BlockOfSize(size_t bytes) {
  BlockBuilder b(16);
  b.Add("k", std::string(bytes > 16 ? bytes - 16 : 0, 'v'));
  return Block::Parse(std::string(b.Finish()));
}

TEST(BlockCacheTest, EvictsLeastRecentlyUsedByCharge) {
  BlockCache cache(10000, /*shard_bits=*/0);
  auto block = BlockOfSize(3000);
  const size_t charge = block->size();
  ASSERT_GE(charge, 2990u);
  cache.Insert(1, 0, block);
  cache.Insert(1, 100, BlockOfSize(3000));
  cache.Insert(2, 0, BlockOfSize(3000));
  EXPECT_EQ(cache.TotalCharge(), 3 * charge);
  ASSERT_NE(cache.Lookup(1, 0), nullptr);  // (1,0) is now most recently used
  cache.Insert(3, 0, BlockOfSize(3000));   // over capacity: evicts (1,100)
  EXPECT_LE(cache.TotalCharge(), 10000u);
  EXPECT_NE(cache.Lookup(1, 0), nullptr);
  EXPECT_EQ(cache.Lookup(1, 100), nullptr);
  EXPECT_NE(cache.Lookup(2, 0), nullptr);
  EXPECT_NE(cache.Lookup(3, 0), nullptr);

  // One big block pushes out several small ones.
  cache.Insert(4, 0, BlockOfSize(9000));
  EXPECT_LE(cache.TotalCharge(), 10000u);
  EXPECT_NE(cache.Lookup(4, 0), nullptr);
  EXPECT_EQ(cache.Lookup(1, 0), nullptr);

  // A block larger than the whole cache is not kept, but the caller still gets it.
  auto huge = cache.Insert(5, 0, BlockOfSize(20000));
  EXPECT_NE(huge, nullptr);
  EXPECT_EQ(cache.Lookup(5, 0), nullptr);
  EXPECT_LE(cache.TotalCharge(), 10000u);

  // An evicted block stays alive while referenced.
  EXPECT_EQ(block->size(), charge);
  cache.Erase(4, 0);
  EXPECT_EQ(cache.Lookup(4, 0), nullptr);
}

TEST(BlockCacheTest, InsertKeepsTheExistingEntry) {
  BlockCache cache(1 << 20);
  auto first = BlockOfSize(100);
  auto second = BlockOfSize(100);
  EXPECT_EQ(cache.Insert(9, 9, first), first);
  EXPECT_EQ(cache.Insert(9, 9, second), first);
  EXPECT_EQ(cache.Lookup(9, 9), first);
}

TEST(BlockCacheTest, ReaderUsesTheCache) {
  TableOptions options;
  options.block_size = 512;
  options.block_cache = std::make_shared<BlockCache>(1 << 20);
  test::Model model;
  for (int i = 0; i < 2000; i++) model["key" + std::to_string(10000 + i)] = std::string(40, 'v');
  auto table = test::OpenTable(options, test::BuildTable(options, model), 42);
  ASSERT_TRUE(table.ok());
  GetResult r;
  ASSERT_TRUE((*table)->Get({}, "key10500", &r).ok());
  uint64_t misses = options.block_cache->misses();
  EXPECT_GE(misses, 1u);
  ASSERT_TRUE((*table)->Get({}, "key10500", &r).ok());
  EXPECT_EQ(options.block_cache->misses(), misses);
  EXPECT_GE(options.block_cache->hits(), 1u);
  EXPECT_EQ(r.value, std::string(40, 'v'));

  // fill_cache = false: a scan does not populate the cache.
  auto cold = std::make_shared<BlockCache>(1 << 20);
  TableOptions cold_options = options;
  cold_options.block_cache = cold;
  auto t2 = test::OpenTable(cold_options, test::BuildTable(options, model), 43);
  ASSERT_TRUE(t2.ok());
  ReadOptions no_fill;
  no_fill.fill_cache = false;
  auto it = (*t2)->NewIterator(no_fill);
  size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
  EXPECT_EQ(n, model.size());
  EXPECT_EQ(cold->TotalCharge(), 0u);
}

TEST(BlockCacheTest, ConcurrentReadersShareATableAndACache) {
  const uint64_t seed = strata::test::TestSeed();
  TableOptions options;
  options.block_size = 1024;
  // Small enough that blocks get evicted while readers use them.
  options.block_cache = std::make_shared<BlockCache>(32 * 1024, 2);
  test::Model model;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 5000; i++) model[test::RandomKey(rng, 16)] = test::RandomBytes(rng, 30);
  auto opened = test::OpenTable(options, test::BuildTable(options, model), 7);
  ASSERT_TRUE(opened.ok());
  std::shared_ptr<const TableReader> table = std::move(opened).value();
  std::vector<std::string> keys;
  for (const auto& [k, v] : model) keys.push_back(k);

  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      std::mt19937_64 local(seed + t);
      for (int i = 0; i < 3000; i++) {
        const std::string& key = keys[local() % keys.size()];
        if (i % 100 == 0) {
          auto it = NewTableIterator(table);
          int steps = 0;
          for (it->Seek(key); it->Valid() && steps < 50; it->Next()) steps++;
          if (!it->status().ok()) errors++;
          continue;
        }
        GetResult r;
        if (!table->Get({}, key, &r).ok() || !r.found || r.key != key || r.value != model.at(key)) {
          errors++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_LE(options.block_cache->TotalCharge(), 32u * 1024 + 4 * 1024);
}

}  // namespace
}  // namespace strata::sstable
