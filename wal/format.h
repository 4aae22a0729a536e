#pragma once

// WAL physical format (docs/formats/wal.md). Every constant in this file is on disk:
// DO NOT CHANGE.
//
//   segment   := block* (the last block may be short)
//   block     := chunk* zero_pad          (kBlockSize bytes; a chunk never crosses a block)
//   zero_pad  := 0x00{0..kHeaderSize-1}   (tail too small for a chunk header)
//   chunk     := header payload[length]
//   header    := u32 checksum | u16 length | u8 type | u32 log_number | u64 synced_offset
//                (little-endian, kHeaderSize = 19 bytes)
//   checksum  := low 32 bits of XXH3_64(type ‖ log_number ‖ synced_offset ‖ payload)
//                (header bytes [6, 19) followed by the payload: one contiguous span)
//
// The first record of every segment is a FULL chunk whose payload is the segment header
// (segment header below); a cleanly closed segment ends with a SEAL chunk with an empty
// payload (so it fits wherever a header fits).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strata::wal {

inline constexpr size_t kBlockSize = 32 * 1024;
inline constexpr size_t kHeaderSize = 4 + 2 + 1 + 4 + 8;
static_assert(kHeaderSize == 19);
// Offset in the header of the first checksummed byte (the type).
inline constexpr size_t kChecksummedHeaderOffset = 6;
// Largest payload of one chunk.
inline constexpr size_t kMaxChunkPayload = kBlockSize - kHeaderSize;

// Chunk types. DO NOT CHANGE.
enum ChunkType : uint8_t {
  kZeroType = 0,  // reserved: zeroed / preallocated space, never written
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
  kSealType = 5,  // end of segment; empty payload
};
inline constexpr uint8_t kMaxKnownType = kSealType;
// Chunk types with this bit set are unknown-but-skippable: a reader that validates their
// checksum and log number skips them.
inline constexpr uint8_t kSkippableTypeMask = 0x80;

// Segment header record (payload of the first FULL chunk of each segment, grammar in
// wal/segment_header.h). DO NOT CHANGE.
inline constexpr std::string_view kSegmentMagic = "DDBWAL01";
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 8 + 4 + 8 + 8 + 8 + 8;

// Segment file names: 8+ decimal digits, ".wal".
inline constexpr std::string_view kSegmentSuffix = ".wal";

// User sequence numbers are 56-bit and start at 10 (lower values are reserved).
inline constexpr uint64_t kMinUserSeq = 10;
inline constexpr uint64_t kMaxSeq = (uint64_t{1} << 56) - 1;

}  // namespace strata::wal
