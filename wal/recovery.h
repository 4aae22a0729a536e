#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/status.h"
#include "wal/record.h"
#include "wal/segment_header.h"

namespace strata::wal {

// WAL recovery (DESIGN 2.5). Segments >= min_log_number are fsynced, then read in order:
//
// - Every segment must start with a valid header chunk whose number matches its file name;
//   segment numbers are consecutive and sequence numbers contiguous across records and
//   segment headers. Any violation is Corruption.
// - Every segment but the last is read strictly: any invalid chunk is Corruption and it must end
//   with SEAL -- unless the next segment's header says the segment was recovered after a crash
//   with its valid data ending at offset prev_tail; it must then read cleanly up to exactly
//   that offset.
// - The last segment is read until its SEAL or the first invalid, zeroed or foreign (other log
//   number) chunk, at offset X. Then the rest of the segment is scanned: a valid chunk of this
//   log number whose synced_offset exceeds X proves acknowledged data was lost: Corruption
//   (unless point_in_time). Otherwise the tail is torn, unacknowledged data: the segment is
//   truncated logically at X and a partial FIRST..LAST record is dropped.
//
// Bytes are never modified: the caller opens a new segment (GroupCommitOptions::prev_tail = the
// result's tail) and never appends to a recovered one.

struct RecoveryOptions {
  // Segments below this number are obsolete (their data is in SSTables) and ignored.
  uint64_t min_log_number = 0;
  // Stop at the tail even when later chunks prove acknowledged data was lost (RocksDB's
  // kPointInTimeRecovery); the loss is reported in tail_reason.
  bool point_in_time = false;
};

struct SegmentSummary {
  uint64_t number = 0;
  SegmentHeader header;
  bool sealed = false;
  uint64_t end_offset = 0;  // where reading stopped (the SEAL, or the logical truncation point)
  uint64_t record_count = 0;
  uint64_t next_seq = 0;  // sequence number after the segment's last op
};

struct RecoveryResult {
  std::vector<Record> records;  // filled by RecoverLog only
  // The first sequence number for new writes; 0 when there is no segment.
  uint64_t next_seq = 0;
  // The largest sequence number of a recovered op; 0 when none.
  uint64_t max_seq = 0;
  // Number of the last segment; 0 when none (new segments are numbered above it).
  uint64_t last_segment = 0;
  // kPrevSealed when the last segment ended with SEAL (or there is none); otherwise the offset
  // where its valid data ends. Pass it to the next segment's header (GroupCommitOptions).
  uint64_t tail = kPrevSealed;
  std::string tail_reason;  // why the last segment stopped, when it did not end with SEAL
  std::vector<SegmentSummary> segments;
};

// Calls fn for every recovered record, in sequence order. A Corruption may be returned after
// some records were delivered; the caller must then discard them (the DB refuses to open).
using RecordCallback = std::function<Status(Record&& record)>;
Status ReplayLog(const std::string& dir, const RecoveryOptions& options, const RecordCallback& fn,
                 RecoveryResult* result);

// ReplayLog collecting the records into result.records.
Result<RecoveryResult> RecoverLog(const std::string& dir, const RecoveryOptions& options = {});

// fsync, then read the whole file: what is recovered must be what is durable.
Status SyncAndRead(const std::string& path, std::string* contents);

// Scans `data` (a chunk-format log: a WAL segment or a MANIFEST) after offset x for a valid
// chunk of `log_number` stamped with a synced_offset beyond x: proof that the bytes at x were
// durable, so damage at x is corruption, not a torn tail. Chunks are located byte by byte (the
// chunk at x may have a garbage length). `synced` may be nullptr.
bool FindChunkSyncedPast(std::string_view data, uint32_t log_number, uint64_t x, uint64_t* found_at,
                         uint64_t* synced);

}  // namespace strata::wal
