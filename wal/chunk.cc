#include "wal/chunk.h"

#include "util/coding.h"
#include "util/hash.h"
#include "wal/format.h"

namespace strata::wal {

namespace {

uint32_t ChunkChecksum(const char* header, size_t length) {
  return static_cast<uint32_t>(Hash64(std::string_view(
      header + kChecksummedHeaderOffset, kHeaderSize - kChecksummedHeaderOffset + length)));
}

}  // namespace

size_t Chunk::size() const { return kHeaderSize + payload.size(); }

void EncodeChunkHeader(char* header, uint8_t type, size_t length, uint32_t log_number,
                       uint64_t synced_offset) {
  header[4] = static_cast<char>(length & 0xff);
  header[5] = static_cast<char>(length >> 8);
  header[6] = static_cast<char>(type);
  EncodeFixed32(header + 7, log_number);
  EncodeFixed64(header + 11, synced_offset);
  EncodeFixed32(header, ChunkChecksum(header, length));
}

ChunkParse ParseChunk(const char* data, size_t available, size_t block_remaining, Chunk* chunk) {
  if (available < kHeaderSize) return ChunkParse::kTruncated;
  const uint8_t type = static_cast<uint8_t>(data[6]);
  if (type == kZeroType) return ChunkParse::kZero;
  const size_t length = static_cast<uint8_t>(data[4]) | (static_cast<uint8_t>(data[5]) << 8);
  if (kHeaderSize + length > block_remaining) return ChunkParse::kBadLength;
  if (kHeaderSize + length > available) return ChunkParse::kTruncated;
  if (type > kMaxKnownType && !(type & kSkippableTypeMask)) return ChunkParse::kBadChecksum;
  if (DecodeFixed32(data) != ChunkChecksum(data, length)) return ChunkParse::kBadChecksum;
  chunk->type = type;
  chunk->log_number = DecodeFixed32(data + 7);
  chunk->synced_offset = DecodeFixed64(data + 11);
  chunk->payload = std::string_view(data + kHeaderSize, length);
  return ChunkParse::kOk;
}

std::string_view ChunkParseName(ChunkParse p) {
  switch (p) {
    case ChunkParse::kOk:
      return "ok";
    case ChunkParse::kZero:
      return "zeroed chunk";
    case ChunkParse::kTruncated:
      return "truncated chunk";
    case ChunkParse::kBadLength:
      return "chunk length crosses the block";
    case ChunkParse::kBadChecksum:
      return "chunk checksum mismatch";
  }
  return "?";
}

}  // namespace strata::wal
