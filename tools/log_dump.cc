#include <algorithm>
#include <string>

#include "tools/file_dumpers.h"
#include "util/coding.h"
#include "wal/chunk.h"
#include "wal/format.h"
#include "wal/log_reader.h"
#include "wal/recovery.h"

namespace strata::tools {
namespace {

std::string ChunkTypeName(uint8_t type) {
  switch (type) {
    case wal::kFullType:
      return "FULL";
    case wal::kFirstType:
      return "FIRST";
    case wal::kMiddleType:
      return "MIDDLE";
    case wal::kLastType:
      return "LAST";
    case wal::kSealType:
      return "SEAL";
    default:
      return "skippable-" + std::to_string(type);
  }
}

// Prints the valid chunks in [*pos, limit), advancing *pos (wal/format.h: a chunk never
// crosses a block; a block tail shorter than a header is padding).
void PrintChunks(std::string_view data, uint64_t limit, uint64_t* pos, std::ostream& out) {
  while (*pos < limit) {
    const size_t block_remaining = wal::kBlockSize - *pos % wal::kBlockSize;
    if (block_remaining < wal::kHeaderSize) {
      *pos += block_remaining;
      continue;
    }
    wal::Chunk chunk;
    if (wal::ParseChunk(data.data() + *pos, data.size() - *pos, block_remaining, &chunk) !=
        wal::ChunkParse::kOk) {
      return;
    }
    out << "  chunk @" << *pos << " " << ChunkTypeName(chunk.type) << " length "
        << chunk.payload.size() << " log " << chunk.log_number << " synced_offset "
        << chunk.synced_offset << "\n";
    *pos += chunk.size();
  }
}

}  // namespace

void KeepFirstError(Status* first, const Status& s) {
  if (first->ok() && !s.ok()) *first = s;
}

Status WalkLog(std::string_view data, uint64_t number, bool chunks, std::ostream& out,
               const LogRecordFn& on_record) {
  if (number == 0 && data.size() >= wal::kHeaderSize) number = DecodeFixed32(data.data() + 7);
  wal::LogReader reader(data, number);
  Status first_error;
  uint64_t chunk_pos = 0;
  std::string_view record;
  wal::LogReader::Outcome outcome;
  while ((outcome = reader.ReadRecord(&record)) == wal::LogReader::Outcome::kRecord) {
    if (chunks) PrintChunks(data, reader.end_of_valid(), &chunk_pos, out);
    KeepFirstError(&first_error, on_record(reader.record_offset(), record));
  }
  const uint64_t x = reader.stop_offset();
  if (chunks) PrintChunks(data, std::min<uint64_t>(data.size(), x + 1), &chunk_pos, out);
  switch (outcome) {
    case wal::LogReader::Outcome::kSealed:
      out << "end: sealed at offset " << x << "\n";
      break;
    case wal::LogReader::Outcome::kEnd:
      out << "end: end of data at offset " << x << "\n";
      break;
    default: {
      uint64_t found_at = 0, synced = 0;
      if (wal::FindChunkSyncedPast(data, static_cast<uint32_t>(number), x, &found_at, &synced)) {
        const std::string what = "offset " + std::to_string(x) + ": " + reader.reason() +
                                 ", but the chunk at offset " + std::to_string(found_at) +
                                 " has synced_offset " + std::to_string(synced) +
                                 ": durable data was lost";
        out << "end: CORRUPTION at " << what << "\n";
        KeepFirstError(&first_error, Status::Corruption(what));
      } else if (reader.reason() == wal::ChunkParseName(wal::ChunkParse::kZero)) {
        out << "end: unwritten (zeroed) space from offset " << x << "\n";
      } else {
        out << "end: torn tail at offset " << x << ": " << reader.reason()
            << " (nothing after it was durable; recovery drops it)\n";
      }
    }
  }
  return first_error;
}

}  // namespace strata::tools
