#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::wal {

// LogWriter fragments logical records into chunks (wal/format.h) laid out in 32 KiB blocks,
// stamping each chunk with the segment's log number and the caller's synced_offset. It only
// builds bytes: the encoded bytes accumulate in a pending buffer that the caller writes to the
// segment file at pending_offset() and then releases with ClearPending().
//
// Block tails too small for a chunk header are zero-padded (when the next chunk is added).
//
// Thread-safety: none (used by the group commit leader of the moment). Lifecycle: one LogWriter per
// segment.
class LogWriter {
 public:
  // `offset` is the file offset of the first byte this writer will add (0 for a new segment).
  explicit LogWriter(uint64_t log_number, uint64_t offset = 0);

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Appends the chunks of one record. `synced_offset` is the file offset known durable now.
  void AddRecord(std::string_view payload, uint64_t synced_offset);
  // Appends the SEAL chunk that ends the segment.
  void AddSeal(uint64_t synced_offset);

  // Bytes added and not yet released, starting at file offset pending_offset().
  std::string_view pending() const { return buffer_; }
  uint64_t pending_offset() const { return offset_ - buffer_.size(); }
  // Releases the pending bytes (they were written).
  void ClearPending() { buffer_.clear(); }

  // File offset after the last added byte.
  uint64_t offset() const { return offset_; }
  uint64_t log_number() const { return log_number_; }

  // Upper bound of the bytes AddRecord appends for a payload of `n` bytes, at any offset.
  static uint64_t MaxEncodedSize(uint64_t n);

 private:
  void EmitChunk(uint8_t type, const char* data, size_t length, uint64_t synced_offset);
  void PadBlockTailIfNeeded();

  const uint32_t log_number_;
  uint64_t offset_;
  size_t block_offset_;  // offset_ % kBlockSize
  std::string buffer_;
};

}  // namespace strata::wal
