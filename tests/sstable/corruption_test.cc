// Damaged tables: every single-byte flip of a small table is detected or harmless, truncated
// files and wrong magic numbers are rejected, and nothing crashes.

#include <random>

#include <gtest/gtest.h>

#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/test_seed.h"

namespace strata::sstable {
namespace {

using test::BuildTable;
using test::Model;
using test::OpenTable;

// Reads everything a reader can be asked; any answer must be correct, or the read must fail
// with Corruption. Returns true if some corruption was reported.
bool ReadAllAndCheck(const TableReader& table, const Model& model) {
  bool corrupt = false;
  auto it = table.NewIterator();
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    EXPECT_NE(m, model.end());
    if (m == model.end()) return corrupt;
    EXPECT_EQ(it->key(), m->first);
    EXPECT_EQ(it->value(), m->second);
  }
  if (!it->status().ok()) {
    EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
    corrupt = true;
  } else {
    EXPECT_EQ(m, model.end()) << "scan ended early without an error";
  }
  auto back = table.NewIterator();
  auto r = model.rbegin();
  for (back->SeekToLast(); back->Valid(); back->Prev(), ++r) {
    EXPECT_NE(r, model.rend());
    if (r == model.rend()) return corrupt;
    EXPECT_EQ(back->key(), r->first);
  }
  if (!back->status().ok()) {
    EXPECT_TRUE(back->status().IsCorruption()) << back->status().ToString();
    corrupt = true;
  } else {
    EXPECT_EQ(r, model.rend());
  }
  for (const auto& [k, v] : model) {
    GetResult got;
    Status s = table.Get({}, k, &got);
    if (!s.ok()) {
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      corrupt = true;
      continue;
    }
    EXPECT_TRUE(got.found);
    EXPECT_EQ(got.key, k);
    EXPECT_EQ(got.value, v);
    // The filter must never deny a present key unless the table was reported corrupt at open.
    EXPECT_TRUE(table.KeyMayMatch(k));
  }
  return corrupt;
}

Model SmallModel() {
  Model model;
  for (int i = 0; i < 60; i++) {
    model["key" + std::to_string(1000 + i * 3)] =
        "value-" + std::to_string(i) + std::string(i % 7 * 5, 'z');
  }
  return model;
}

class ByteFlipTest : public ::testing::TestWithParam<CompressionType> {};

TEST_P(ByteFlipTest, EveryByteFlipIsDetectedOrHarmless) {
  TableOptions options;
  options.compression = GetParam();
  options.block_size = 256;  // several data blocks
  Model model = SmallModel();
  const std::string good = BuildTable(options, model);
  ASSERT_GT(good.size(), 500u);
  int detected = 0, harmless = 0;
  for (size_t i = 0; i < good.size(); i++) {
    for (uint8_t mask : {0x01, 0x80}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto table = OpenTable(options, bad);
      if (!table.ok()) {
        ASSERT_TRUE(table.status().IsCorruption())
            << "byte " << i << ": " << table.status().ToString();
        EXPECT_NE(table.status().message().find("test.sst"), std::string_view::npos);
        detected++;
        continue;
      }
      SCOPED_TRACE("flipped byte " + std::to_string(i));
      if (ReadAllAndCheck(**table, model)) {
        detected++;
      } else {
        harmless++;
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
  std::printf("%zu bytes: %d flips detected, %d harmless\n", good.size(), detected, harmless);
  // Every byte is covered by a block checksum or the footer checksum/magic.
  EXPECT_EQ(harmless, 0);
}

INSTANTIATE_TEST_SUITE_P(Compression, ByteFlipTest,
                         ::testing::Values(CompressionType::kNone, CompressionType::kZlib));

TEST(CorruptionTest, TruncatedFilesAreRejected) {
  TableOptions options;
  options.block_size = 256;
  const std::string good = BuildTable(options, SmallModel());
  for (size_t len = 0; len < good.size(); len++) {
    auto table = OpenTable(options, good.substr(0, len));
    ASSERT_FALSE(table.ok()) << len;
    EXPECT_TRUE(table.status().IsCorruption()) << table.status().ToString();
  }
  // Extra bytes at the end move the footer: also rejected.
  auto longer = OpenTable(options, good + "x");
  EXPECT_TRUE(longer.status().IsCorruption());
}

TEST(CorruptionTest, WrongMagicIsRejected) {
  TableOptions options;
  std::string bad = BuildTable(options, SmallModel());
  bad[bad.size() - 1] ^= 0x20;
  auto table = OpenTable(options, bad);
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(table.status().IsCorruption());
  EXPECT_NE(table.status().message().find("magic"), std::string_view::npos)
      << table.status().ToString();
}

TEST(CorruptionTest, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(strata::test::TestSeed());
  TableOptions options;
  for (int i = 0; i < 2000; i++) {
    std::string garbage = test::RandomBytes(rng, rng() % 300);
    auto table = OpenTable(options, garbage);
    EXPECT_FALSE(table.ok());
  }
}

TEST(CorruptionTest, ErrorNamesFileAndOffset) {
  TableOptions options;
  options.block_size = 256;
  options.compression = CompressionType::kNone;
  Model model = SmallModel();
  std::string bad = BuildTable(options, model);
  bad[10] ^= 1;  // inside the first data block, at offset 0
  auto table = OpenTable(options, bad);
  ASSERT_TRUE(table.ok());  // data blocks are read lazily
  GetResult r;
  Status s = (*table)->Get({}, model.begin()->first, &r);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("test.sst offset 0"), std::string_view::npos) << s.ToString();
  EXPECT_NE(s.message().find("checksum"), std::string_view::npos) << s.ToString();
}

}  // namespace
}  // namespace strata::sstable
