#include "sstable/format.h"

#include <gtest/gtest.h>

#include "sstable/compression.h"
#include "util/coding.h"

namespace strata::sstable {
namespace {

TEST(FormatTest, BlockHandleRoundTrip) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{300}, uint64_t{1} << 40, UINT64_MAX}) {
    BlockHandle h{v, v / 3};
    std::string enc;
    h.EncodeTo(&enc);
    EXPECT_LE(enc.size(), BlockHandle::kMaxEncodedLength);
    std::string_view in = enc;
    BlockHandle d;
    ASSERT_TRUE(d.DecodeFrom(&in));
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(d.offset, h.offset);
    EXPECT_EQ(d.size, h.size);
    std::string_view truncated = std::string_view(enc).substr(0, enc.size() - 1);
    EXPECT_FALSE(d.DecodeFrom(&truncated));
  }
}

TEST(FormatTest, FooterRoundTripAndChecks) {
  Footer f;
  f.metaindex = {1000, 50};
  f.index = {1055, 77};
  std::string enc;
  f.EncodeTo(&enc, 1137);
  ASSERT_EQ(enc.size(), kFooterSize);
  EXPECT_EQ(DecodeFixed64(enc.data() + 48), kTableMagicNumber);

  Footer d;
  ASSERT_TRUE(d.DecodeFrom(enc, 1137, "f").ok());
  EXPECT_EQ(d.metaindex.offset, 1000u);
  EXPECT_EQ(d.metaindex.size, 50u);
  EXPECT_EQ(d.index.offset, 1055u);
  EXPECT_EQ(d.index.size, 77u);

  // The footer checksum is bound to the footer's offset.
  Status s = d.DecodeFrom(enc, 1138, "f");
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("checksum"), std::string_view::npos);

  std::string bad_magic = enc;
  bad_magic[50] ^= 1;
  s = d.DecodeFrom(bad_magic, 1137, "table.sst");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("magic"), std::string_view::npos);
  EXPECT_NE(s.message().find("table.sst"), std::string_view::npos);

  EXPECT_TRUE(d.DecodeFrom(std::string_view(enc).substr(1), 1137, "f").IsCorruption());

  for (size_t i = 0; i < 40; i++) {
    std::string flipped = enc;
    flipped[i] ^= 0x10;
    EXPECT_TRUE(d.DecodeFrom(flipped, 1137, "f").IsCorruption()) << i;
  }
}

TEST(FormatTest, FutureVersionIsNotSupported) {
  Footer f;
  f.format_version = 2;
  std::string enc;
  f.EncodeTo(&enc, 0);
  Footer d;
  EXPECT_TRUE(d.DecodeFrom(enc, 0, "f").IsNotSupported());
}

// Writes `contents` as a block at `offset` of a file padded before it.
std::string FileWithBlock(std::string_view contents, CompressionType type, uint64_t offset) {
  std::string file(offset, 'p');
  std::string block(contents);
  block.push_back(static_cast<char>(type));
  PutFixed32(&block, BlockChecksum(block, offset));
  file += block;
  file += std::string(kFooterSize, 'f');
  return file;
}

TEST(FormatTest, BlockReadVerifiesChecksumAndOffset) {
  const std::string contents = "hello block contents";
  std::string data = FileWithBlock(contents, CompressionType::kNone, 100);
  const uint64_t data_end = data.size() - kFooterSize;
  StringRandomAccessFile file(data, "t.sst");
  auto r = ReadBlockContents(file, {100, contents.size()}, data_end);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, contents);

  // The same bytes placed at another offset do not verify: a misdirected read is caught.
  std::string moved = std::string(7, 'p') + data;
  StringRandomAccessFile moved_file(moved, "t.sst");
  auto m = ReadBlockContents(moved_file, {107, contents.size()}, data_end + 7);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsCorruption());
  EXPECT_NE(m.status().message().find("offset 107"), std::string_view::npos);

  // Handles reaching past the data end are rejected before any read.
  auto past = ReadBlockContents(file, {100, 1u << 30}, data_end);
  EXPECT_TRUE(past.status().IsCorruption());
  auto overflow = ReadBlockContents(file, {UINT64_MAX - 2, 10}, data_end);
  EXPECT_TRUE(overflow.status().IsCorruption());
}

TEST(FormatTest, ZlibBlocks) {
  std::string raw;
  for (int i = 0; i < 1000; i++) raw += "compressible text ";
  ZlibCompressor compressor(1);
  std::string zipped;
  ASSERT_TRUE(compressor.Compress(raw, &zipped));
  EXPECT_LT(zipped.size(), raw.size() / 4);
  std::string data = FileWithBlock(zipped, CompressionType::kZlib, 0);
  StringRandomAccessFile file(data);
  auto r = ReadBlockContents(file, {0, zipped.size()}, data.size() - kFooterSize);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, raw);

  // A stated raw size that disagrees with the stream is corruption, as is a size beyond the cap.
  std::string out;
  std::string wrong_size;
  PutVarint32(&wrong_size, static_cast<uint32_t>(raw.size() + 1));
  std::string_view stream = zipped;
  uint32_t ignored;
  ASSERT_TRUE(GetVarint32(&stream, &ignored));
  EXPECT_FALSE(ZlibUncompress(wrong_size + std::string(stream), kMaxUncompressedBlockSize, &out));
  EXPECT_FALSE(ZlibUncompress(zipped, 100, &out));
  EXPECT_FALSE(ZlibUncompress("garbage", kMaxUncompressedBlockSize, &out));

  // Unknown compression types are corruption.
  std::string unknown = FileWithBlock("abc", static_cast<CompressionType>(9), 0);
  StringRandomAccessFile unknown_file(unknown);
  EXPECT_TRUE(ReadBlockContents(unknown_file, {0, 3}, 8).status().IsCorruption());
}

}  // namespace
}  // namespace strata::sstable
