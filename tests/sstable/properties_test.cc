#include "sstable/properties.h"

#include <gtest/gtest.h>

#include "sstable/block_builder.h"
#include "tests/sstable/sstable_test_util.h"

namespace strata::sstable {
namespace {

TEST(PropertiesTest, EncodeDecodeRoundTrip) {
  TableProperties p;
  p.format_version = kFormatVersion;
  p.comparator_name = "cmp";
  p.filter_key_name = "fk";
  p.num_entries = 12345;
  p.num_data_blocks = 17;
  p.raw_key_size = 1;
  p.raw_value_size = 2;
  p.data_size = 3;
  p.raw_data_size = 4;
  p.index_size = 5;
  p.filter_size = 6;
  p.num_filter_keys = 7;
  p.smallest_key = std::string("a\0b", 3);
  p.largest_key = "zzz";
  p.has_sequence_range = true;
  p.min_sequence = 10;
  p.max_sequence = uint64_t{1} << 55;
  p.min_commit_time_us = 1700000000000000;
  p.max_commit_time_us = 1700000000000999;
  p.user_properties["table_ids"] = "1,2,3";
  auto block = Block::Parse(EncodeProperties(p));
  ASSERT_NE(block, nullptr);
  TableProperties d;
  ASSERT_TRUE(DecodeProperties(*block, &d).ok());
  EXPECT_EQ(d.format_version, p.format_version);
  EXPECT_EQ(d.comparator_name, p.comparator_name);
  EXPECT_EQ(d.filter_key_name, p.filter_key_name);
  EXPECT_EQ(d.num_entries, p.num_entries);
  EXPECT_EQ(d.num_data_blocks, p.num_data_blocks);
  EXPECT_EQ(d.raw_key_size, p.raw_key_size);
  EXPECT_EQ(d.raw_value_size, p.raw_value_size);
  EXPECT_EQ(d.data_size, p.data_size);
  EXPECT_EQ(d.raw_data_size, p.raw_data_size);
  EXPECT_EQ(d.index_size, p.index_size);
  EXPECT_EQ(d.filter_size, p.filter_size);
  EXPECT_EQ(d.num_filter_keys, p.num_filter_keys);
  EXPECT_EQ(d.smallest_key, p.smallest_key);
  EXPECT_EQ(d.largest_key, p.largest_key);
  EXPECT_TRUE(d.has_sequence_range);
  EXPECT_EQ(d.min_sequence, p.min_sequence);
  EXPECT_EQ(d.max_sequence, p.max_sequence);
  EXPECT_EQ(d.min_commit_time_us, p.min_commit_time_us);
  EXPECT_EQ(d.max_commit_time_us, p.max_commit_time_us);
  EXPECT_EQ(d.user_properties, p.user_properties);
}

TEST(PropertiesTest, UnknownNamesAreIgnoredAndBadNumbersRejected) {
  BlockBuilder b(16);
  b.Add("future.property", "whatever");
  b.Add("strata.entries", "\x05");
  auto block = Block::Parse(std::string(b.Finish()));
  TableProperties d;
  ASSERT_TRUE(DecodeProperties(*block, &d).ok());
  EXPECT_EQ(d.num_entries, 5u);
  EXPECT_FALSE(d.has_sequence_range);

  BlockBuilder bad(16);
  bad.Add("strata.entries", "\xff");  // truncated varint
  auto bad_block = Block::Parse(std::string(bad.Finish()));
  EXPECT_TRUE(DecodeProperties(*bad_block, &d).IsCorruption());
}

TEST(PropertiesTest, BuilderFillsProperties) {
  TableOptions options;
  std::string contents;
  StringWritableFile file(&contents);
  TableBuilder builder(options, &file);
  ASSERT_TRUE(builder.Add("apple", "1").ok());
  builder.NoteSequence(50, 5000);
  ASSERT_TRUE(builder.Add("banana", "22").ok());
  builder.NoteSequence(40, 7000);
  ASSERT_TRUE(builder.Add("cherry", "333").ok());
  builder.NoteSequence(60, 6000);
  builder.SetUserProperty("table_ids", "7");
  ASSERT_TRUE(builder.Finish().ok());
  EXPECT_EQ(builder.FileSize(), contents.size());

  auto table = test::OpenTable(options, contents);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const TableProperties& p = (*table)->properties();
  EXPECT_EQ(p.format_version, kFormatVersion);
  EXPECT_EQ(p.comparator_name, "strata.Bytewise");
  EXPECT_EQ(p.num_entries, 3u);
  EXPECT_EQ(p.num_data_blocks, 1u);
  EXPECT_EQ(p.raw_key_size, 5u + 6 + 6);
  EXPECT_EQ(p.raw_value_size, 6u);
  EXPECT_EQ(p.smallest_key, "apple");
  EXPECT_EQ(p.largest_key, "cherry");
  EXPECT_TRUE(p.has_sequence_range);
  EXPECT_EQ(p.min_sequence, 40u);
  EXPECT_EQ(p.max_sequence, 60u);
  EXPECT_EQ(p.min_commit_time_us, 5000u);
  EXPECT_EQ(p.max_commit_time_us, 7000u);
  EXPECT_EQ(p.num_filter_keys, 3u);
  EXPECT_GT(p.filter_size, 0u);
  EXPECT_GT(p.index_size, 0u);
  EXPECT_GT(p.data_size, 0u);
  EXPECT_EQ(p.user_properties.at("table_ids"), "7");
}

}  // namespace
}  // namespace strata::sstable
