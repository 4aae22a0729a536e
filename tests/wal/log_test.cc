#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/wal/wal_test_util.h"
#include "wal/chunk.h"
#include "wal/format.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"

namespace strata::wal {
namespace {

std::vector<std::string> ReadAll(std::string_view data, uint64_t log_number,
                                 LogReader::Outcome* outcome, uint64_t* stop = nullptr) {
  LogReader reader(data, log_number);
  std::vector<std::string> out;
  std::string_view rec;
  while ((*outcome = reader.ReadRecord(&rec)) == LogReader::Outcome::kRecord) {
    out.emplace_back(rec);
  }
  if (stop != nullptr) *stop = reader.stop_offset();
  return out;
}

TEST(LogWriterTest, RoundTripAcrossBlockBoundaries) {
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::vector<std::string> records;
  // Sizes around every interesting boundary plus records spanning several blocks.
  const std::vector<size_t> sizes = {0,
                                     1,
                                     kMaxChunkPayload - 1,
                                     kMaxChunkPayload,
                                     kMaxChunkPayload + 1,
                                     kBlockSize,
                                     3 * kBlockSize + 17,
                                     1 << 20,
                                     kBlockSize - 2 * kHeaderSize};
  for (size_t s : sizes) records.push_back(test::RandomBytes(rng, s));
  for (int i = 0; i < 200; i++) records.push_back(test::RandomBytes(rng, rng() % 5000));
  for (int i = 0; i < 5; i++) records.push_back(test::RandomBytes(rng, rng() % (200 << 10)));

  LogWriter writer(7);
  for (const std::string& r : records) {
    const uint64_t before = writer.offset();
    writer.AddRecord(r, 0);
    EXPECT_LE(writer.offset() - before, LogWriter::MaxEncodedSize(r.size()));
  }
  writer.AddSeal(writer.offset());
  std::string file(writer.pending());
  EXPECT_EQ(file.size(), writer.offset());

  // No chunk crosses a block: every block starts with a chunk header or padding.
  LogReader::Outcome outcome;
  std::vector<std::string> got = ReadAll(file, 7, &outcome);
  EXPECT_EQ(outcome, LogReader::Outcome::kSealed);
  ASSERT_EQ(got.size(), records.size());
  for (size_t i = 0; i < records.size(); i++) EXPECT_EQ(got[i], records[i]) << "record " << i;
}

TEST(LogWriterTest, PendingBytesCanBeDrainedInPieces) {
  LogWriter writer(3, 0);
  std::string file;
  std::vector<std::string> records;
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100; i++) {
    records.push_back(test::RandomBytes(rng, rng() % 20000));
    writer.AddRecord(records.back(), writer.offset());
    if (i % 7 == 0) {
      EXPECT_EQ(writer.pending_offset(), file.size());
      file.append(writer.pending());
      writer.ClearPending();
    }
  }
  file.append(writer.pending());
  LogReader::Outcome outcome;
  EXPECT_EQ(ReadAll(file, 3, &outcome), records);
  EXPECT_EQ(outcome, LogReader::Outcome::kEnd);
}

TEST(LogWriterTest, BlockTailsAreZeroPadded) {
  LogWriter writer(1);
  // Leave exactly kHeaderSize - 1 bytes in the first block.
  writer.AddRecord(std::string(kBlockSize - kHeaderSize - (kHeaderSize - 1), 'x'), 0);
  EXPECT_EQ(writer.offset(), kBlockSize - (kHeaderSize - 1));
  writer.AddRecord("next", 0);
  std::string file(writer.pending());
  EXPECT_EQ(file.substr(kBlockSize - (kHeaderSize - 1), kHeaderSize - 1),
            std::string(kHeaderSize - 1, '\0'));
  LogReader::Outcome outcome;
  EXPECT_EQ(ReadAll(file, 1, &outcome).size(), 2u);

  // Non-zero padding does not validate.
  file[kBlockSize - 3] = 'z';
  uint64_t stop = 0;
  EXPECT_EQ(ReadAll(file, 1, &outcome, &stop).size(), 1u);
  EXPECT_EQ(outcome, LogReader::Outcome::kInvalid);
  EXPECT_EQ(stop, kBlockSize - (kHeaderSize - 1));
}

TEST(LogWriterTest, StartsAtAnOffset) {
  LogWriter writer(5, kBlockSize - 5);  // a header no longer fits in this block
  writer.AddRecord("abc", 0);
  EXPECT_EQ(writer.pending_offset(), kBlockSize - 5);
  std::string file(kBlockSize - 5, '\0');
  file.append(writer.pending());
  EXPECT_EQ(file.size(), kBlockSize + kHeaderSize + 3);
}

TEST(LogReaderTest, ZeroedTailIsInvalidAtItsOffset) {
  LogWriter writer(2);
  writer.AddRecord("one", 0);
  writer.AddRecord("two", 0);
  std::string file(writer.pending());
  const size_t end = file.size();
  file.append(1000, '\0');
  LogReader::Outcome outcome;
  uint64_t stop = 0;
  EXPECT_EQ(ReadAll(file, 2, &outcome, &stop).size(), 2u);
  EXPECT_EQ(outcome, LogReader::Outcome::kInvalid);
  EXPECT_EQ(stop, end);
}

TEST(LogReaderTest, ForeignLogNumberStops) {
  LogWriter a(1);
  a.AddRecord("mine", 0);
  LogWriter b(9, a.offset());
  b.AddRecord("stale", 0);
  std::string file = std::string(a.pending()) + std::string(b.pending());
  LogReader::Outcome outcome;
  EXPECT_EQ(ReadAll(file, 1, &outcome), std::vector<std::string>{"mine"});
  EXPECT_EQ(outcome, LogReader::Outcome::kInvalid);
}

TEST(LogReaderTest, ChecksumCoversTypeLogNumberSyncedOffsetAndPayload) {
  LogWriter writer(4);
  writer.AddRecord("payload", 123);
  const std::string good(writer.pending());
  for (size_t i = 0; i < good.size(); i++) {
    if (i == 4 || i == 5) continue;  // length: covered indirectly below
    std::string bad = good;
    bad[i] ^= 0x10;
    LogReader::Outcome outcome;
    EXPECT_TRUE(ReadAll(bad, 4, &outcome).empty()) << "byte " << i;
    EXPECT_EQ(outcome, LogReader::Outcome::kInvalid) << "byte " << i;
  }
  std::string bad_len = good;
  bad_len[4] = 3;
  LogReader::Outcome outcome;
  EXPECT_TRUE(ReadAll(bad_len, 4, &outcome).empty());
}

TEST(LogReaderTest, SkippableChunksAreSkippedUnknownOnesAreNot) {
  LogWriter writer(6);
  writer.AddRecord("before", 0);
  std::string file(writer.pending());
  // A future chunk type with the skippable bit.
  std::string chunk(kHeaderSize, '\0');
  chunk += "future";
  EncodeChunkHeader(chunk.data(), 0x81, 6, 6, 0);
  file += chunk;
  LogWriter after(6, file.size());
  after.AddRecord("after", 0);
  file += after.pending();
  LogReader::Outcome outcome;
  EXPECT_EQ(ReadAll(file, 6, &outcome), (std::vector<std::string>{"before", "after"}));

  // The same chunk without the skippable bit is invalid.
  std::string unknown = file;
  EncodeChunkHeader(unknown.data() + writer.offset(), 0x11, 6, 6, 0);
  EXPECT_EQ(ReadAll(unknown, 6, &outcome), std::vector<std::string>{"before"});
  EXPECT_EQ(outcome, LogReader::Outcome::kInvalid);
}

TEST(LogReaderTest, PartialFragmentedRecordIsDropped) {
  LogWriter writer(8);
  writer.AddRecord("small", 0);
  writer.AddRecord(std::string(3 * kBlockSize, 'q'), 0);
  std::string file(writer.pending());
  file.resize(2 * kBlockSize + 100);  // cut inside the big record
  LogReader::Outcome outcome;
  EXPECT_EQ(ReadAll(file, 8, &outcome), std::vector<std::string>{"small"});
  EXPECT_NE(outcome, LogReader::Outcome::kRecord);
}

TEST(LogReaderTest, MisorderedFragmentsAreInvalid) {
  LogWriter writer(2);
  writer.AddRecord(std::string(2 * kBlockSize, 'm'), 0);  // FIRST, MIDDLE, LAST
  const std::string file(writer.pending());
  // Drop the first block: the data now starts with a MIDDLE chunk.
  LogReader::Outcome outcome;
  // Re-frame as a file whose first block is the old second block.
  EXPECT_TRUE(ReadAll(file.substr(kBlockSize), 2, &outcome).empty());
  EXPECT_EQ(outcome, LogReader::Outcome::kInvalid);
}

}  // namespace
}  // namespace strata::wal
