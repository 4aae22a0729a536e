#include "wal/recovery.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>

#include "util/coding.h"
#include "wal/chunk.h"
#include "wal/file_util.h"
#include "wal/format.h"
#include "wal/log_reader.h"
#include "wal/segment_manager.h"

namespace strata::wal {

namespace {

std::string SegName(uint64_t number) { return "WAL segment " + std::to_string(number); }

}  // namespace

Status SyncAndRead(const std::string& path, std::string* contents) {
  {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus("open", path, errno);
    if (::fsync(fd.get()) != 0) return ErrnoStatus("fsync", path, errno);
  }
  return ReadWholeFile(path, contents);
}

bool FindChunkSyncedPast(std::string_view data, uint32_t log_number, uint64_t x, uint64_t* found_at,
                         uint64_t* synced) {
  uint64_t p = x + 1;
  while (p + kHeaderSize <= data.size()) {
    const size_t block_remaining = kBlockSize - p % kBlockSize;
    if (block_remaining < kHeaderSize) {
      p += block_remaining;
      continue;
    }
    const char* c = data.data() + p;
    if (c[6] == 0 || DecodeFixed32(c + 7) != log_number) {
      p++;
      continue;
    }
    Chunk chunk;
    if (ParseChunk(c, data.size() - p, block_remaining, &chunk) != ChunkParse::kOk) {
      p++;
      continue;
    }
    if (chunk.synced_offset > x) {
      *found_at = p;
      if (synced != nullptr) *synced = chunk.synced_offset;
      return true;
    }
    p += chunk.size();
  }
  return false;
}

Status ReplayLog(const std::string& dir, const RecoveryOptions& options, const RecordCallback& fn,
                 RecoveryResult* result) {
  *result = RecoveryResult();
  ASSIGN_OR_RETURN(std::vector<uint64_t> all, SegmentManager::ListSegments(dir));
  std::vector<uint64_t> numbers;
  for (uint64_t n : all) {
    if (n >= options.min_log_number) numbers.push_back(n);
  }

  uint64_t next_seq = 0;
  std::string data;
  for (size_t i = 0; i < numbers.size(); i++) {
    const uint64_t number = numbers[i];
    const bool last = (i + 1 == numbers.size());
    const std::string name = SegName(number);
    if (i > 0 && number != numbers[i - 1] + 1) {
      return Status::Corruption("WAL segment " + std::to_string(numbers[i - 1] + 1) +
                                " is missing");
    }
    RETURN_IF_ERROR(SyncAndRead(SegmentManager::SegmentPath(dir, number), &data));

    LogReader reader(data, number);
    std::string_view payload;
    if (reader.ReadRecord(&payload) != LogReader::Outcome::kRecord) {
      return Status::Corruption(name + ": no valid header (" + reader.reason() + ")");
    }
    SegmentSummary seg;
    seg.number = number;
    if (Status s = DecodeSegmentHeader(payload, &seg.header); !s.ok()) {
      return Status::Corruption(name + ": " + std::string(s.message()));
    }
    if (seg.header.segment_number != number) {
      return Status::Corruption(name + ": header names segment " +
                                std::to_string(seg.header.segment_number));
    }
    if (i == 0) {
      next_seq = seg.header.first_seq;
    } else {
      // The previous segment's end, as this header describes it.
      const SegmentSummary& prev = result->segments.back();
      const uint64_t prev_tail = seg.header.prev_tail;
      if (prev_tail == kPrevSealed && !prev.sealed) {
        return Status::Corruption(SegName(prev.number) + ": no SEAL; reading stopped at offset " +
                                  std::to_string(prev.end_offset) + " (" + result->tail_reason +
                                  ")");
      }
      if (prev_tail != kPrevSealed && (prev.sealed || prev.end_offset != prev_tail)) {
        return Status::Corruption(SegName(prev.number) + ": recovered tail was at offset " +
                                  std::to_string(prev_tail) + ", reading now stops at " +
                                  std::to_string(prev.end_offset) + " (" + result->tail_reason +
                                  ")");
      }
      if (seg.header.first_seq != next_seq) {
        return Status::Corruption(name + ": starts at sequence " +
                                  std::to_string(seg.header.first_seq) + ", expected " +
                                  std::to_string(next_seq));
      }
    }

    LogReader::Outcome outcome;
    while ((outcome = reader.ReadRecord(&payload)) == LogReader::Outcome::kRecord) {
      Record record;
      if (Status s = DecodeRecord(payload, &record); !s.ok()) {
        return Status::Corruption(name + " offset " + std::to_string(reader.record_offset()) +
                                  ": " + std::string(s.message()));
      }
      if (record.first_seq != next_seq) {
        return Status::Corruption(name + " offset " + std::to_string(reader.record_offset()) +
                                  ": record sequence " + std::to_string(record.first_seq) +
                                  ", expected " + std::to_string(next_seq));
      }
      next_seq = record.next_seq();
      if (record.op_count > 0) result->max_seq = record.last_seq();
      seg.record_count++;
      RETURN_IF_ERROR(fn(std::move(record)));
    }
    seg.sealed = (outcome == LogReader::Outcome::kSealed);
    seg.end_offset = reader.stop_offset();
    seg.next_seq = next_seq;
    result->tail_reason = seg.sealed ? "" : reader.reason();

    if (last && !seg.sealed && outcome == LogReader::Outcome::kInvalid) {
      uint64_t found_at = 0;
      uint64_t synced = 0;
      if (FindChunkSyncedPast(data, static_cast<uint32_t>(number), seg.end_offset, &found_at,
                              &synced)) {
        std::string msg = name + ": " + reader.reason() + " at offset " +
                          std::to_string(seg.end_offset) + ", but the chunk at offset " +
                          std::to_string(found_at) + " says offset " + std::to_string(synced) +
                          " was durable: acknowledged writes were lost";
        if (!options.point_in_time) return Status::Corruption(msg);
        result->tail_reason = msg;
      }
    }
    result->segments.push_back(seg);
  }

  if (!result->segments.empty()) {
    const SegmentSummary& last = result->segments.back();
    result->last_segment = last.number;
    result->tail = last.sealed ? kPrevSealed : last.end_offset;
    result->next_seq = next_seq;
  }
  return Status::OK();
}

Result<RecoveryResult> RecoverLog(const std::string& dir, const RecoveryOptions& options) {
  RecoveryResult result;
  std::vector<Record> records;
  RETURN_IF_ERROR(ReplayLog(
      dir, options,
      [&records](Record&& r) {
        records.push_back(std::move(r));
        return Status::OK();
      },
      &result));
  result.records = std::move(records);
  return result;
}

}  // namespace strata::wal
