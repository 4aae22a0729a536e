#include "wal/log_reader.h"

#include <algorithm>
#include <string>

#include "wal/chunk.h"
#include "wal/format.h"

namespace strata::wal {

LogReader::LogReader(std::string_view segment, uint64_t log_number)
    : data_(segment), log_number_(static_cast<uint32_t>(log_number)) {}

LogReader::Outcome LogReader::Stop(Outcome outcome, uint64_t offset, std::string reason) {
  done_ = true;
  final_outcome_ = outcome;
  stop_offset_ = offset;
  reason_ = std::move(reason);
  return outcome;
}

LogReader::Outcome LogReader::ReadRecord(std::string_view* record) {
  if (done_) return final_outcome_;
  bool in_fragment = false;
  scratch_.clear();
  while (true) {
    const size_t block_remaining = kBlockSize - pos_ % kBlockSize;
    const size_t available = data_.size() - pos_;
    if (block_remaining < kHeaderSize) {
      // Block tail padding: must be zeros.
      const size_t pad = std::min(block_remaining, available);
      if (std::string_view(data_.data() + pos_, pad).find_first_not_of('\0') !=
          std::string_view::npos) {
        return Stop(Outcome::kInvalid, pos_, "non-zero block padding");
      }
      pos_ += pad;
      if (pad < block_remaining) return Stop(Outcome::kEnd, pos_, "end of data");
      continue;
    }
    if (available < kHeaderSize) return Stop(Outcome::kEnd, pos_, "end of data");

    Chunk chunk;
    const ChunkParse parse = ParseChunk(data_.data() + pos_, available, block_remaining, &chunk);
    if (parse != ChunkParse::kOk) {
      return Stop(Outcome::kInvalid, pos_, std::string(ChunkParseName(parse)));
    }
    if (chunk.log_number != log_number_) {
      return Stop(Outcome::kInvalid, pos_,
                  "chunk of log " + std::to_string(chunk.log_number) + " in segment " +
                      std::to_string(log_number_));
    }
    const uint64_t chunk_offset = pos_;
    auto bad_order = [&](const char* what) { return Stop(Outcome::kInvalid, chunk_offset, what); };
    switch (chunk.type) {
      case kFullType:
        if (in_fragment) return bad_order("FULL chunk inside a fragmented record");
        pos_ += chunk.size();
        end_of_valid_ = pos_;
        record_offset_ = chunk_offset;
        *record = chunk.payload;
        return Outcome::kRecord;
      case kFirstType:
        if (in_fragment) return bad_order("FIRST chunk inside a fragmented record");
        in_fragment = true;
        record_offset_ = chunk_offset;
        scratch_.assign(chunk.payload);
        break;
      case kMiddleType:
        if (!in_fragment) return bad_order("MIDDLE chunk without a FIRST");
        scratch_.append(chunk.payload);
        break;
      case kLastType:
        if (!in_fragment) return bad_order("LAST chunk without a FIRST");
        scratch_.append(chunk.payload);
        pos_ += chunk.size();
        end_of_valid_ = pos_;
        *record = scratch_;
        return Outcome::kRecord;
      case kSealType:
        if (in_fragment) return bad_order("SEAL chunk inside a fragmented record");
        pos_ += chunk.size();
        end_of_valid_ = pos_;
        return Stop(Outcome::kSealed, chunk_offset, "sealed");
      default:  // skippable (ParseChunk rejects other unknown types)
        break;
    }
    pos_ += chunk.size();
    if (!in_fragment) end_of_valid_ = pos_;
  }
}

}  // namespace strata::wal
