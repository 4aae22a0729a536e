#pragma once

// The on-disk SSTable layout (DESIGN 2.10; grammar in docs/formats/sstable.md):
//
//   table        := data_block* filter_block? properties_block metaindex_block index_block footer
//   any block    := contents[size] trailer                (a BlockHandle points at contents)
//   trailer      := u8 compression | fixed32 checksum     (kBlockTrailerSize = 5)
//   checksum     := low 32 bits of XXH3_64_withSeed(contents || compression, seed = block offset)
//   contents     := raw block                              compression = 0 (none)
//                 | varint32 raw_size | zlib stream        compression = 1 (zlib, RFC 1950)
//   block_handle := varint64 offset | varint64 size         (size excludes the trailer)
//   footer       := fixed64 metaindex_offset | fixed64 metaindex_size |
//                   fixed64 index_offset | fixed64 index_size |
//                   fixed32 format_version | u8 checksum_type | u8[3] zero |
//                   fixed64 footer_checksum | fixed64 magic                   (kFooterSize = 56)
//   footer_checksum := XXH3_64_withSeed(footer bytes [0, 40), seed = footer offset)

#include <cstdint>
#include <string>
#include <string_view>

#include "sstable/file.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::sstable {

// Magic number ending every table: bytes "SSatarts" on disk. DO NOT CHANGE.
inline constexpr uint64_t kTableMagicNumber = 0x7374726174615353ull;
// The table format version written by this code. DO NOT CHANGE the meaning of version 1.
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kBlockTrailerSize = 5;
inline constexpr size_t kFooterSize = 56;
// Upper bound on a block's uncompressed size accepted by readers (defeats corrupt sizes).
inline constexpr uint32_t kMaxUncompressedBlockSize = 256u << 20;

// Block compression. Stored in every block trailer: DO NOT CHANGE.
enum class CompressionType : uint8_t { kNone = 0, kZlib = 1 };
// Block checksum algorithm. Stored in the footer: DO NOT CHANGE.
enum class ChecksumType : uint8_t { kXxh3SeededByOffset = 1 };

// BlockHandle points at a block's contents (without its trailer). A value type.
struct BlockHandle {
  static constexpr size_t kMaxEncodedLength = 20;
  uint64_t offset = 0;
  uint64_t size = 0;

  void EncodeTo(std::string* dst) const;
  bool DecodeFrom(std::string_view* input);
};

// Footer is the fixed-size tail of a table. A value type.
struct Footer {
  BlockHandle metaindex;
  BlockHandle index;
  uint32_t format_version = kFormatVersion;
  ChecksumType checksum_type = ChecksumType::kXxh3SeededByOffset;

  // Appends exactly kFooterSize bytes; `footer_offset` is where they will be written.
  void EncodeTo(std::string* dst, uint64_t footer_offset) const;
  // Corruption (bad magic, bad checksum) or NotSupported (unknown version or checksum type).
  Status DecodeFrom(std::string_view input, uint64_t footer_offset, std::string_view file_name);
};

// The trailer checksum of a block whose contents followed by the compression byte are
// `contents_and_type`, written at `block_offset`.
uint32_t BlockChecksum(std::string_view contents_and_type, uint64_t block_offset);

// Reads the block at `handle`, checks its trailer and returns its uncompressed contents.
// `data_end` is the file offset no block may extend past (the footer's offset).
// Errors: Corruption naming the file and offset; IOError from the file.
Result<std::string> ReadBlockContents(const RandomAccessFile& file, const BlockHandle& handle,
                                      uint64_t data_end);

// "sstable <file> offset <offset>: <what>" as a Corruption status.
Status TableCorruption(std::string_view file_name, uint64_t offset, std::string_view what);

}  // namespace strata::sstable
