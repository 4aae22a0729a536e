// TableBuilder + TableReader round trips and iterator behaviour against a std::map model.

#include <random>

#include <gtest/gtest.h>

#include "sstable/comparator.h"
#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/test_seed.h"

namespace strata::sstable {
namespace {

using test::BuildTable;
using test::Model;
using test::OpenTable;

void CheckAgainstModel(const TableReader& table, const Model& model, std::mt19937_64& rng) {
  // Full forward and backward scans.
  auto it = table.NewIterator();
  it->SeekToFirst();
  for (const auto& [k, v] : model) {
    ASSERT_TRUE(it->Valid()) << it->status().ToString();
    ASSERT_EQ(it->key(), k);
    ASSERT_EQ(it->value(), v);
    it->Next();
  }
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  for (auto m = model.rbegin(); m != model.rend(); ++m) {
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(it->key(), m->first);
    it->Prev();
  }
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();

  // Random seeks with random Next/Prev walks.
  for (int i = 0; i < 400; i++) {
    std::string target = test::RandomKey(rng);
    auto m = model.lower_bound(target);
    it->Seek(target);
    for (int step = 0; step < 20; step++) {
      if (m == model.end()) {
        ASSERT_FALSE(it->Valid());
        break;
      }
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(it->key(), m->first);
      ASSERT_EQ(it->value(), m->second);
      if (rng() % 3 != 0) {
        it->Next();
        ++m;
      } else if (m == model.begin()) {
        it->Prev();
        ASSERT_FALSE(it->Valid());
        break;
      } else {
        it->Prev();
        --m;
      }
    }
  }

  // Get: the first entry >= key.
  for (int i = 0; i < 400; i++) {
    std::string key = (i % 2 == 0 && !model.empty())
                          ? std::next(model.begin(), rng() % model.size())->first
                          : test::RandomKey(rng);
    GetResult r;
    ASSERT_TRUE(table.Get({}, key, &r).ok());
    auto m = model.lower_bound(key);
    ASSERT_EQ(r.found, m != model.end());
    if (r.found) {
      EXPECT_EQ(r.key, m->first);
      EXPECT_EQ(r.value, m->second);
    }
  }
}

class TableRoundTripTest : public ::testing::TestWithParam<CompressionType> {};

TEST_P(TableRoundTripTest, RandomKeysManyBlocks) {
  std::mt19937_64 rng(strata::test::TestSeed());
  for (size_t block_size : {size_t{64}, size_t{1024}, size_t{16 * 1024}}) {
    TableOptions options;
    options.compression = GetParam();
    options.block_size = block_size;
    Model model;
    const int n = 2000 + static_cast<int>(rng() % 2000);
    for (int i = 0; i < n; i++) {
      // Half compressible values, half random ones.
      std::string value =
          i % 2 == 0 ? std::string(rng() % 200, 'v') : test::RandomBytes(rng, rng() % 200);
      model[test::RandomKey(rng)] = value;
    }
    TableProperties props;
    std::string contents = BuildTable(options, model, &props);
    auto table = OpenTable(options, contents);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    if (block_size <= 1024) {
      EXPECT_GT((*table)->properties().num_data_blocks, 10u);
    }
    EXPECT_EQ((*table)->properties().num_entries, model.size());
    CheckAgainstModel(**table, model, rng);
  }
}

INSTANTIATE_TEST_SUITE_P(Compression, TableRoundTripTest,
                         ::testing::Values(CompressionType::kNone, CompressionType::kZlib));

TEST(TableTest, EmptyTable) {
  TableOptions options;
  std::string contents = BuildTable(options, {});
  auto table = OpenTable(options, contents);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto it = (*table)->NewIterator();
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  GetResult r;
  ASSERT_TRUE((*table)->Get({}, "a", &r).ok());
  EXPECT_FALSE(r.found);
  EXPECT_FALSE((*table)->MayContainPrefix("a"));
  EXPECT_EQ((*table)->properties().num_entries, 0u);
}

TEST(TableTest, KeysMustIncrease) {
  std::string contents;
  StringWritableFile file(&contents);
  TableBuilder builder({}, &file);
  ASSERT_TRUE(builder.Add("b", "1").ok());
  EXPECT_TRUE(builder.Add("b", "2").IsInvalidArgument());
  EXPECT_TRUE(builder.Add("a", "2").IsInvalidArgument());
  ASSERT_TRUE(builder.Add("c", "3").ok());
  ASSERT_TRUE(builder.Finish().ok());
  EXPECT_TRUE(builder.Add("d", "4").IsInvalidArgument());
}

TEST(TableTest, CompressionKeptOnlyWhenItPays) {
  std::mt19937_64 rng(7);
  Model compressible, random;
  for (int i = 0; i < 500; i++) {
    std::string key = "key" + std::to_string(100000 + i);
    compressible[key] = std::string(100, 'x');
    random[key] = test::RandomBytes(rng, 100);
  }
  TableOptions zlib;
  TableOptions none;
  none.compression = CompressionType::kNone;
  TableProperties pz, pn;
  BuildTable(zlib, compressible, &pz);
  BuildTable(none, compressible, &pn);
  EXPECT_LT(pz.data_size, pn.data_size / 4);
  EXPECT_EQ(pz.raw_data_size, pn.raw_data_size);
  // Random values: zlib does not save 12.5%, so blocks are stored raw (same size as kNone).
  BuildTable(zlib, random, &pz);
  BuildTable(none, random, &pn);
  EXPECT_EQ(pz.data_size, pn.data_size);
}

TEST(TableTest, SeparatorsShortenIndexKeys) {
  Model model;
  for (int i = 0; i < 2000; i++) {
    model["a-long-common-key-prefix-for-every-key/" + std::to_string(100000 + i * 7)] =
        std::string(50, 'v');
  }
  TableOptions shortening;
  shortening.block_size = 512;
  shortening.compression = CompressionType::kNone;
  Comparator full_keys = *BytewiseComparator();
  full_keys.find_shortest_separator = nullptr;
  full_keys.find_short_successor = nullptr;
  TableOptions full = shortening;
  full.comparator = &full_keys;
  TableProperties ps, pf;
  std::string short_table = BuildTable(shortening, model, &ps);
  BuildTable(full, model, &pf);
  EXPECT_LT(ps.index_size, pf.index_size);
  std::mt19937_64 rng(1);
  auto table = OpenTable(shortening, short_table);
  ASSERT_TRUE(table.ok());
  // Keys between a block's last key and its separator land on the next block's first key.
  for (auto m = model.begin(); m != model.end(); ++m) {
    std::string probe = m->first + "~";
    GetResult r;
    ASSERT_TRUE((*table)->Get({}, probe, &r).ok());
    auto expected = std::next(m);
    ASSERT_EQ(r.found, expected != model.end());
    if (r.found) {
      ASSERT_EQ(r.key, expected->first);
    }
  }
}

int ReverseCompare(std::string_view a, std::string_view b) { return BytewiseCompare(b, a); }

TEST(TableTest, CustomComparatorAndNameCheck) {
  static const Comparator kReverse{"test.Reverse", &ReverseCompare, nullptr, nullptr};
  TableOptions options;
  options.comparator = &kReverse;
  options.block_size = 256;
  std::string contents;
  {
    StringWritableFile file(&contents);
    TableBuilder builder(options, &file);
    for (int i = 999; i >= 100; i--) {
      ASSERT_TRUE(builder.Add(std::to_string(i), "v").ok());
    }
    ASSERT_TRUE(builder.Finish().ok());
  }
  auto table = OpenTable(options, contents);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto it = (*table)->NewIterator();
  it->Seek("5555");  // reverse order: first key <= "5555" bytewise
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "555");
  it->SeekToFirst();
  EXPECT_EQ(it->key(), "999");
  it->SeekToLast();
  EXPECT_EQ(it->key(), "100");

  // Opening with another comparator is refused.
  auto wrong = OpenTable(TableOptions{}, contents);
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.status().IsInvalidArgument()) << wrong.status().ToString();
  EXPECT_NE(wrong.status().message().find("test.Reverse"), std::string_view::npos);
}

TEST(TableTest, PrefixFilterServesPointAndPrefixProbes) {
  TableOptions options;
  options.filter_key_extractor = [](std::string_view key) { return key.substr(0, 5); };
  options.filter_key_name = "test.First5";
  Model model;
  for (int p = 0; p < 1000; p++) {
    for (int i = 0; i < 5; i++) {
      model["p" + std::to_string(1000 + p * 2) + "/item" + std::to_string(i)] = "v";
    }
  }
  TableProperties props;
  std::string contents = BuildTable(options, model, &props);
  EXPECT_EQ(props.num_filter_keys, 1000u);  // one per partition prefix
  EXPECT_EQ(props.filter_key_name, "test.First5");
  auto table = OpenTable(options, contents);
  ASSERT_TRUE(table.ok());
  ASSERT_TRUE((*table)->has_filter());
  int absent_hits = 0;
  for (int p = 0; p < 1000; p++) {
    std::string present = "p" + std::to_string(1000 + p * 2);
    std::string absent = "p" + std::to_string(1001 + p * 2);
    ASSERT_TRUE((*table)->MayContainPrefix(present));
    ASSERT_TRUE((*table)->KeyMayMatch(present + "/anything"));
    if ((*table)->MayContainPrefix(absent)) absent_hits++;
  }
  EXPECT_LT(absent_hits, 40);

  // A reader configured with another extractor ignores the filter (never a false negative).
  TableOptions other = options;
  other.filter_key_extractor = nullptr;
  other.filter_key_name = "strata.WholeKey";
  auto unfiltered = OpenTable(other, contents);
  ASSERT_TRUE(unfiltered.ok());
  EXPECT_FALSE((*unfiltered)->has_filter());
  EXPECT_TRUE((*unfiltered)->KeyMayMatch("p1001/item0"));

  // No filter at all.
  TableOptions no_filter;
  no_filter.filter_bits_per_key = 0;
  auto nf = OpenTable(no_filter, BuildTable(no_filter, model));
  ASSERT_TRUE(nf.ok());
  EXPECT_FALSE((*nf)->has_filter());
  EXPECT_TRUE((*nf)->MayContainPrefix("anything"));
}

TEST(TableTest, ApproximateOffsetsGrow) {
  Model model;
  for (int i = 0; i < 5000; i++) model["k" + std::to_string(10000 + i)] = std::string(100, 'x');
  TableOptions options;
  options.compression = CompressionType::kNone;
  std::string contents = BuildTable(options, model);
  auto table = OpenTable(options, contents);
  ASSERT_TRUE(table.ok());
  uint64_t a = (*table)->ApproximateOffsetOf("k10000");
  uint64_t b = (*table)->ApproximateOffsetOf("k12500");
  uint64_t c = (*table)->ApproximateOffsetOf("z");
  EXPECT_EQ(a, 0u);
  EXPECT_GT(b, contents.size() / 3);
  EXPECT_LT(b, contents.size() * 2 / 3);
  EXPECT_GT(c, contents.size() * 9 / 10);
  EXPECT_LT(c, contents.size());
}

}  // namespace
}  // namespace strata::sstable
