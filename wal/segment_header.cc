#include "wal/segment_header.h"

#include "util/coding.h"
#include "wal/format.h"

namespace strata::wal {

void EncodeSegmentHeader(const SegmentHeader& header, std::string* dst) {
  dst->append(kSegmentMagic);
  PutFixed32(dst, header.format_version);
  PutFixed64(dst, header.segment_number);
  PutFixed64(dst, header.creation_time_us);
  PutFixed64(dst, header.first_seq);
  PutFixed64(dst, header.prev_tail);
}

Status DecodeSegmentHeader(std::string_view input, SegmentHeader* header) {
  if (input.size() != kSegmentHeaderSize) {
    return Status::Corruption("WAL segment header: wrong size " + std::to_string(input.size()));
  }
  if (input.substr(0, kSegmentMagic.size()) != kSegmentMagic) {
    return Status::Corruption("WAL segment header: bad magic");
  }
  input.remove_prefix(kSegmentMagic.size());
  SegmentHeader h;
  GetFixed32(&input, &h.format_version);
  GetFixed64(&input, &h.segment_number);
  GetFixed64(&input, &h.creation_time_us);
  GetFixed64(&input, &h.first_seq);
  GetFixed64(&input, &h.prev_tail);
  if (h.format_version != kFormatVersion) {
    return Status::Corruption("WAL segment header: unsupported format version " +
                              std::to_string(h.format_version));
  }
  *header = h;
  return Status::OK();
}

}  // namespace strata::wal
