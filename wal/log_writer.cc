#include "wal/log_writer.h"

#include <algorithm>

#include "wal/chunk.h"
#include "wal/format.h"

namespace strata::wal {

LogWriter::LogWriter(uint64_t log_number, uint64_t offset)
    : log_number_(static_cast<uint32_t>(log_number)),
      offset_(offset),
      block_offset_(offset % kBlockSize) {}

uint64_t LogWriter::MaxEncodedSize(uint64_t n) {
  // Padding before the first chunk, one header per (possibly partial) block, and a possible
  // empty FIRST chunk squeezed into a block tail of exactly kHeaderSize bytes.
  return n + (n / kMaxChunkPayload + 2) * kHeaderSize + kHeaderSize;
}

void LogWriter::PadBlockTailIfNeeded() {
  const size_t leftover = kBlockSize - block_offset_;
  if (leftover < kHeaderSize) {
    buffer_.append(leftover, '\0');
    offset_ += leftover;
    block_offset_ = 0;
  }
}

void LogWriter::AddRecord(std::string_view payload, uint64_t synced_offset) {
  const char* ptr = payload.data();
  size_t left = payload.size();
  bool begin = true;
  do {
    PadBlockTailIfNeeded();
    const size_t avail = kBlockSize - block_offset_ - kHeaderSize;
    const size_t fragment = std::min(left, avail);
    const bool end = (left == fragment);
    uint8_t type;
    if (begin && end) {
      type = kFullType;
    } else if (begin) {
      type = kFirstType;
    } else if (end) {
      type = kLastType;
    } else {
      type = kMiddleType;
    }
    EmitChunk(type, ptr, fragment, synced_offset);
    ptr += fragment;
    left -= fragment;
    begin = false;
  } while (left > 0);
}

void LogWriter::AddSeal(uint64_t synced_offset) {
  PadBlockTailIfNeeded();
  EmitChunk(kSealType, nullptr, 0, synced_offset);
}

void LogWriter::EmitChunk(uint8_t type, const char* data, size_t length, uint64_t synced_offset) {
  const size_t start = buffer_.size();
  buffer_.resize(start + kHeaderSize);
  if (length > 0) buffer_.append(data, length);
  EncodeChunkHeader(&buffer_[start], type, length, log_number_, synced_offset);
  offset_ += kHeaderSize + length;
  block_offset_ += kHeaderSize + length;
}

}  // namespace strata::wal
