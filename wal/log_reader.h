#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::wal {

// LogReader reassembles the logical records of one segment held in memory (the whole file).
// It validates every chunk (checksum, length, log number, FIRST..LAST order, zeroed block
// tails) and stops at the first chunk that does not validate; what that means (Corruption or a
// torn tail) is recovery's decision (wal/recovery.h). Chunks of an unknown type with the
// skippable bit (0x80) and a valid checksum are skipped.
//
// Thread-safety: none. Lifecycle: the segment bytes must outlive the reader; a returned record
// is valid until the next ReadRecord().
class LogReader {
 public:
  enum class Outcome {
    kRecord,   // *record holds the next record
    kSealed,   // a SEAL chunk ended the segment (at stop_offset())
    kEnd,      // the data ends (fewer than a header's bytes left, or only block padding)
    kInvalid,  // the chunk at stop_offset() does not validate: see reason()
  };

  LogReader(std::string_view segment, uint64_t log_number);

  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  Outcome ReadRecord(std::string_view* record);

  // File offset of the first chunk of the record last returned.
  uint64_t record_offset() const { return record_offset_; }
  // After a non-kRecord outcome: where reading stopped (the SEAL, the invalid chunk or the end).
  uint64_t stop_offset() const { return stop_offset_; }
  // File offset after the last valid chunk consumed.
  uint64_t end_of_valid() const { return end_of_valid_; }
  // Why the last kInvalid was returned.
  const std::string& reason() const { return reason_; }

 private:
  Outcome Stop(Outcome outcome, uint64_t offset, std::string reason);

  const std::string_view data_;
  const uint32_t log_number_;
  uint64_t pos_ = 0;
  uint64_t record_offset_ = 0;
  uint64_t stop_offset_ = 0;
  uint64_t end_of_valid_ = 0;
  bool done_ = false;
  Outcome final_outcome_ = Outcome::kEnd;
  std::string reason_;
  std::string scratch_;
};

}  // namespace strata::wal
