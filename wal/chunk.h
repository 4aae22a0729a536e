#pragma once

// Chunk header codec shared by the writer, the reader and recovery's read-ahead scan.
//   header := u32 checksum | u16 length | u8 type | u32 log_number | u64 synced_offset
// (grammar and constants: wal/format.h).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strata::wal {

// Writes the header of a chunk in place. REQUIRES: the `length` payload bytes already follow
// `header` in memory (the checksum covers them).
void EncodeChunkHeader(char* header, uint8_t type, size_t length, uint32_t log_number,
                       uint64_t synced_offset);

// A parsed chunk; payload points into the parsed buffer.
struct Chunk {
  uint8_t type = 0;
  uint32_t log_number = 0;
  uint64_t synced_offset = 0;
  std::string_view payload;
  size_t size() const;  // header + payload bytes
};

enum class ChunkParse {
  kOk,
  kZero,         // type 0: zeroed or preallocated space
  kTruncated,    // fewer bytes than the header or the payload announces
  kBadLength,    // the payload would cross the block
  kBadChecksum,  // (also any type > kMaxKnownType without the skippable bit)
};

// Parses the chunk at `data`. `available` is the number of readable bytes at `data`;
// `block_remaining` the bytes left in its block (a chunk never crosses a block), so a chunk cut
// short by the end of the data reports kTruncated rather than kBadLength.
ChunkParse ParseChunk(const char* data, size_t available, size_t block_remaining, Chunk* chunk);

std::string_view ChunkParseName(ChunkParse p);

}  // namespace strata::wal
