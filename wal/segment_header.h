#pragma once

// Segment header record: the payload of the FULL chunk at offset 0 of every segment.
//
//   segment_header := magic[8]="DDBWAL01" | u32 format_version | u64 segment_number |
//                     u64 creation_time_us | u64 first_seq | u64 prev_tail
//
// prev_tail says how the previous segment (number - 1) ended: kPrevSealed when it ended with
// SEAL (or there is none); otherwise the previous segment was recovered after a crash without a
// SEAL and its valid data ends at file offset prev_tail (recovery then reads it strictly up to
// exactly that offset, see wal/recovery.h).

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::wal {

inline constexpr uint64_t kPrevSealed = ~uint64_t{0};

struct SegmentHeader {
  uint32_t format_version = 0;
  uint64_t segment_number = 0;
  uint64_t creation_time_us = 0;
  uint64_t first_seq = 0;  // sequence number of the segment's first op
  uint64_t prev_tail = kPrevSealed;
};

void EncodeSegmentHeader(const SegmentHeader& header, std::string* dst);
// Corruption on a bad magic, size or unsupported version.
Status DecodeSegmentHeader(std::string_view input, SegmentHeader* header);

}  // namespace strata::wal
