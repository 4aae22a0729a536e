#include "sstable/block.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

#include "sstable/block_builder.h"
#include "sstable/comparator.h"
#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/test_seed.h"
#include "util/coding.h"

namespace strata::sstable {
namespace {

std::shared_ptr<const Block> BuildBlock(const test::Model& model, int restart_interval) {
  BlockBuilder builder(restart_interval);
  for (const auto& [k, v] : model) builder.Add(k, v);
  return Block::Parse(std::string(builder.Finish()));
}

TEST(BlockTest, EmptyBlock) {
  auto block = BuildBlock({}, 16);
  ASSERT_NE(block, nullptr);
  BlockIter it(block.get(), &BytewiseCompare);
  it.SeekToFirst();
  EXPECT_FALSE(it.Valid());
  it.SeekToLast();
  EXPECT_FALSE(it.Valid());
  it.Seek("a");
  EXPECT_FALSE(it.Valid());
  EXPECT_TRUE(it.status().ok());
}

TEST(BlockTest, PrefixCompressionShrinksSharedPrefixes) {
  BlockBuilder builder(16);
  std::string raw_size;
  size_t raw = 0;
  for (int i = 0; i < 100; i++) {
    std::string key = "a_rather_long_common_prefix/" + std::to_string(1000 + i);
    raw += key.size();
    builder.Add(key, "");
  }
  EXPECT_LT(builder.Finish().size(), raw / 2);
}

TEST(BlockTest, RandomSeekNextPrevMatchModel) {
  std::mt19937_64 rng(strata::test::TestSeed());
  for (int restart_interval : {1, 2, 16, 1000}) {
    test::Model model;
    for (int i = 0; i < 500; i++) model[test::RandomKey(rng)] = test::RandomBytes(rng, rng() % 20);
    auto block = BuildBlock(model, restart_interval);
    ASSERT_NE(block, nullptr);
    BlockIter it(block.get(), &BytewiseCompare);

    // Forward and backward full scans.
    it.SeekToFirst();
    for (const auto& [k, v] : model) {
      ASSERT_TRUE(it.Valid());
      EXPECT_EQ(it.key(), k);
      EXPECT_EQ(it.value(), v);
      it.Next();
    }
    EXPECT_FALSE(it.Valid());
    it.SeekToLast();
    for (auto m = model.rbegin(); m != model.rend(); ++m) {
      ASSERT_TRUE(it.Valid());
      EXPECT_EQ(it.key(), m->first);
      it.Prev();
    }
    EXPECT_FALSE(it.Valid());

    // Random seeks followed by random steps.
    for (int i = 0; i < 300; i++) {
      std::string target = test::RandomKey(rng);
      auto m = model.lower_bound(target);
      it.Seek(target);
      for (int step = 0; step < 8; step++) {
        if (m == model.end()) {
          EXPECT_FALSE(it.Valid());
          break;
        }
        ASSERT_TRUE(it.Valid()) << "restart interval " << restart_interval;
        EXPECT_EQ(it.key(), m->first);
        EXPECT_EQ(it.value(), m->second);
        if (rng() % 2 == 0) {
          it.Next();
          ++m;
        } else {
          if (m == model.begin()) {
            it.Prev();
            EXPECT_FALSE(it.Valid());
            break;
          }
          it.Prev();
          --m;
        }
      }
    }
    EXPECT_TRUE(it.status().ok());
  }
}

TEST(BlockTest, MalformedRestartArraysAreRejected) {
  EXPECT_EQ(Block::Parse(""), nullptr);
  EXPECT_EQ(Block::Parse("abc"), nullptr);
  std::string zero_restarts;
  PutFixed32(&zero_restarts, 0);
  EXPECT_EQ(Block::Parse(zero_restarts), nullptr);
  std::string too_many;
  PutFixed32(&too_many, 0);
  PutFixed32(&too_many, 1000);
  EXPECT_EQ(Block::Parse(too_many), nullptr);
  std::string restart_out_of_range = "xxxx";
  PutFixed32(&restart_out_of_range, 0);
  PutFixed32(&restart_out_of_range, 99);
  PutFixed32(&restart_out_of_range, 2);
  EXPECT_EQ(Block::Parse(restart_out_of_range), nullptr);
}

TEST(BlockTest, EntryPastTheBlockIsCorruption) {
  BlockBuilder builder(16);
  builder.Add("key", "value");
  std::string raw(builder.Finish());
  raw[2] = 100;  // value_length: far past the block
  auto block = Block::Parse(raw);
  ASSERT_NE(block, nullptr);
  BlockIter it(block.get(), &BytewiseCompare);
  it.SeekToFirst();
  EXPECT_FALSE(it.Valid());
  EXPECT_TRUE(it.status().IsCorruption());
  it.Seek("key");
  EXPECT_FALSE(it.Valid());
}

TEST(BlockTest, SharedLongerThanPreviousKeyIsCorruption) {
  BlockBuilder builder(16);
  builder.Add("abc", "1");
  builder.Add("abd", "2");
  std::string raw(builder.Finish());
  // Second entry starts after: 3 header bytes + "abc" + "1" = offset 7; shared = 2.
  ASSERT_EQ(raw[7], 2);
  raw[7] = 9;
  auto block = Block::Parse(raw);
  ASSERT_NE(block, nullptr);
  BlockIter it(block.get(), &BytewiseCompare);
  it.SeekToFirst();
  ASSERT_TRUE(it.Valid());
  it.Next();
  EXPECT_FALSE(it.Valid());
  EXPECT_TRUE(it.status().IsCorruption());
}

}  // namespace
}  // namespace strata::sstable
