#include "sstable/format.h"

#include "sstable/compression.h"
#include "util/coding.h"
#include "util/hash.h"

namespace strata::sstable {

void BlockHandle::EncodeTo(std::string* dst) const {
  PutVarint64(dst, offset);
  PutVarint64(dst, size);
}

bool BlockHandle::DecodeFrom(std::string_view* input) {
  return GetVarint64(input, &offset) && GetVarint64(input, &size);
}

namespace {
constexpr size_t kFooterChecksummedBytes = 40;
}

void Footer::EncodeTo(std::string* dst, uint64_t footer_offset) const {
  size_t start = dst->size();
  PutFixed64(dst, metaindex.offset);
  PutFixed64(dst, metaindex.size);
  PutFixed64(dst, index.offset);
  PutFixed64(dst, index.size);
  PutFixed32(dst, format_version);
  dst->push_back(static_cast<char>(checksum_type));
  dst->append(3, '\0');
  std::string_view checked(dst->data() + start, kFooterChecksummedBytes);
  PutFixed64(dst, Hash64WithSeed(checked, footer_offset));
  PutFixed64(dst, kTableMagicNumber);
}

Status Footer::DecodeFrom(std::string_view input, uint64_t footer_offset,
                          std::string_view file_name) {
  if (input.size() != kFooterSize) {
    return TableCorruption(file_name, footer_offset, "truncated footer");
  }
  const char* p = input.data();
  if (DecodeFixed64(p + 48) != kTableMagicNumber) {
    return TableCorruption(file_name, footer_offset, "bad magic number (not an sstable)");
  }
  uint64_t expected = Hash64WithSeed(input.substr(0, kFooterChecksummedBytes), footer_offset);
  if (DecodeFixed64(p + 40) != expected) {
    return TableCorruption(file_name, footer_offset, "footer checksum mismatch");
  }
  metaindex.offset = DecodeFixed64(p);
  metaindex.size = DecodeFixed64(p + 8);
  index.offset = DecodeFixed64(p + 16);
  index.size = DecodeFixed64(p + 24);
  format_version = DecodeFixed32(p + 32);
  checksum_type = static_cast<ChecksumType>(static_cast<uint8_t>(p[36]));
  if (format_version != kFormatVersion) {
    return Status::NotSupported("sstable " + std::string(file_name) + ": format version " +
                                std::to_string(format_version) + " is not supported");
  }
  if (checksum_type != ChecksumType::kXxh3SeededByOffset) {
    return Status::NotSupported("sstable " + std::string(file_name) + ": checksum type " +
                                std::to_string(static_cast<int>(p[36])) + " is not supported");
  }
  return Status::OK();
}

uint32_t BlockChecksum(std::string_view contents_and_type, uint64_t block_offset) {
  return static_cast<uint32_t>(Hash64WithSeed(contents_and_type, block_offset));
}

Status TableCorruption(std::string_view file_name, uint64_t offset, std::string_view what) {
  std::string msg = "sstable ";
  msg += file_name;
  msg += " offset ";
  msg += std::to_string(offset);
  msg += ": ";
  msg += what;
  return Status::Corruption(msg);
}

Result<std::string> ReadBlockContents(const RandomAccessFile& file, const BlockHandle& handle,
                                      uint64_t data_end) {
  if (handle.offset > data_end || handle.size > data_end - handle.offset ||
      data_end - handle.offset - handle.size < kBlockTrailerSize) {
    return TableCorruption(file.Name(), handle.offset,
                           "block handle (size " + std::to_string(handle.size) +
                               ") extends past the data end " + std::to_string(data_end));
  }
  const size_t n = static_cast<size_t>(handle.size);
  std::string buf;
  buf.resize(n + kBlockTrailerSize);
  std::string_view got;
  RETURN_IF_ERROR(file.Read(handle.offset, buf.size(), buf.data(), &got));
  if (got.size() != buf.size()) {
    return TableCorruption(file.Name(), handle.offset, "truncated block read");
  }
  if (got.data() != buf.data()) buf.assign(got);
  uint32_t stored = DecodeFixed32(buf.data() + n + 1);
  if (stored != BlockChecksum(std::string_view(buf.data(), n + 1), handle.offset)) {
    return TableCorruption(file.Name(), handle.offset, "block checksum mismatch");
  }
  switch (static_cast<CompressionType>(static_cast<uint8_t>(buf[n]))) {
    case CompressionType::kNone:
      buf.resize(n);
      return buf;
    case CompressionType::kZlib: {
      std::string raw;
      if (!ZlibUncompress(std::string_view(buf.data(), n), kMaxUncompressedBlockSize, &raw)) {
        return TableCorruption(file.Name(), handle.offset, "bad zlib block");
      }
      return raw;
    }
  }
  return TableCorruption(file.Name(), handle.offset,
                         "unknown compression type " + std::to_string(uint8_t(buf[n])));
}

}  // namespace strata::sstable
