#include "sstable/bloom.h"

#include <random>

#include <gtest/gtest.h>

#include "tests/testutil/test_seed.h"
#include "util/coding.h"

namespace strata::sstable {
namespace {

std::string Key(uint64_t i) {
  std::string k;
  PutBigEndian64(&k, i);
  return k;
}

TEST(BloomTest, EmptyFilterMatchesNothing) {
  BloomFilterBuilder builder(10);
  std::string filter = builder.Finish();
  BloomFilterReader reader(filter);
  EXPECT_FALSE(reader.MayContain("x"));
  EXPECT_FALSE(reader.MayContain(""));
}

TEST(BloomTest, UnparsableFilterMatchesEverything) {
  EXPECT_TRUE(BloomFilterReader("").MayContain("x"));
  EXPECT_TRUE(BloomFilterReader("abc").MayContain("x"));
  BloomFilterBuilder builder(10);
  builder.AddKey("a");
  std::string filter = builder.Finish();
  filter.back() = 77;  // unknown filter type
  EXPECT_TRUE(BloomFilterReader(filter).MayContain("zzz"));
}

TEST(BloomTest, NoFalseNegativesAndAboutOnePercentFalsePositives) {
  std::mt19937_64 rng(strata::test::TestSeed());
  for (int n : {1, 10, 100, 1000, 10000, 100000}) {
    const uint64_t base = rng();
    BloomFilterBuilder builder(10);
    for (int i = 0; i < n; i++) builder.AddKey(Key(base + i));
    std::string filter = builder.Finish();
    // About 10 bits per key, rounded up to whole 64-byte lines.
    EXPECT_LE(filter.size(), static_cast<size_t>(n) * 10 / 8 + 64 + 6);
    BloomFilterReader reader(filter);
    for (int i = 0; i < n; i++) ASSERT_TRUE(reader.MayContain(Key(base + i))) << n << " " << i;

    int false_positives = 0;
    const int probes = 100000;
    for (int i = 0; i < probes; i++) {
      if (reader.MayContain(Key(base + n + 1 + i))) false_positives++;
    }
    double rate = static_cast<double>(false_positives) / probes;
    std::printf("bloom n=%d false positive rate %.3f%%\n", n, rate * 100);
    if (n >= 1000) {
      EXPECT_LT(rate, 0.02) << n;
      EXPECT_GT(rate, 0.002) << n;  // about 1%, not a degenerate filter
    } else {
      EXPECT_LT(rate, 0.02) << n;
    }
  }
}

TEST(BloomTest, ConsecutiveDuplicatesAreAddedOnce) {
  BloomFilterBuilder builder(10);
  for (int i = 0; i < 100; i++) builder.AddKey("same-partition");
  builder.AddKey("other");
  EXPECT_EQ(builder.num_keys(), 2u);
}

}  // namespace
}  // namespace strata::sstable
