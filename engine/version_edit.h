#pragma once

// VersionEdit: one change to the version set, the payload of one MANIFEST record
// (docs/formats/manifest.md). Every integer is a LevelDB-style varint.
//
//   edit             := field*
//   field            := varint32 tag | body
//   comparator       := tag 1  | varstring name
//   log_number       := tag 2  | varint64 first WAL segment still needed
//   next_file_number := tag 3  | varint64
//   last_sequence    := tag 4  | varint64
//   (tag 5 reserved: LevelDB's compact pointer)
//   deleted_file     := tag 6  | varint32 level | varint64 number
//   new_file         := tag 7  | varint32 level | varint64 number | varint64 file_size |
//                                varstring smallest | varstring largest |
//                                varint64 smallest_seq | varint64 largest_seq
//   dropped_table_id := tag 8  | varint32 table_id
//   pitr_horizon_seq := tag 9  | varint64
//   ignorable        := tag >= 64 | varstring payload     (skipped by readers that do not know it)
//   varstring        := varint32 length | bytes
//
// Decoding is strict: an unknown tag below 64, a truncated field, a level >= kNumLevels, a key
// shorter than an internal key's tag, smallest > largest, smallest_seq > largest_seq, or a
// sequence number above 2^56-1 is Corruption.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace strata::engine {

// L0..L3 (DESIGN 2.12: four levels are plenty for a few-GB emulator).
inline constexpr int kNumLevels = 4;

// Field tags of a VersionEdit. On disk: DO NOT CHANGE.
enum class EditTag : uint32_t {
  kComparator = 1,
  kLogNumber = 2,
  kNextFileNumber = 3,
  kLastSequence = 4,
  // 5: reserved (LevelDB's compact pointer; never written).
  kDeletedFile = 6,
  kNewFile = 7,
  kDroppedTableId = 8,
  kPitrHorizonSeq = 9,
};
// Tags at or above this value carry a varstring payload and may be skipped when unknown.
inline constexpr uint32_t kFirstIgnorableTag = 64;

// One SSTable of a version. Keys are internal keys (memtable/internal_key.h) as bytes.
// There is no allowed_seeks: strata never triggers compactions from read misses (compaction is
// driven by level sizes only, DESIGN 2.12), so the metadata is immutable once built and shared
// between versions as shared_ptr<const FileMetaData>.
struct FileMetaData {
  uint64_t number = 0;
  uint64_t file_size = 0;
  std::string smallest;  // smallest internal key in the file
  std::string largest;   // largest internal key in the file
  uint64_t smallest_seq = 0;
  uint64_t largest_seq = 0;

  bool operator==(const FileMetaData&) const = default;
};

// VersionEdit is a value type describing one change: which files appear and disappear at which
// level, plus the counters the version set persists. Thread-safety: none (a plain value).
class VersionEdit {
 public:
  void Clear() { *this = VersionEdit(); }

  void SetComparatorName(std::string_view name) {
    has_comparator_ = true;
    comparator_.assign(name);
  }
  void SetLogNumber(uint64_t n) {
    has_log_number_ = true;
    log_number_ = n;
  }
  void SetNextFileNumber(uint64_t n) {
    has_next_file_number_ = true;
    next_file_number_ = n;
  }
  void SetLastSequence(uint64_t seq) {
    has_last_sequence_ = true;
    last_sequence_ = seq;
  }
  void SetPitrHorizonSeq(uint64_t seq) {
    has_pitr_horizon_seq_ = true;
    pitr_horizon_seq_ = seq;
  }
  // Adds file `meta` at `level`. REQUIRES: 0 <= level < kNumLevels.
  void AddFile(int level, FileMetaData meta) { new_files_.emplace_back(level, std::move(meta)); }
  // Removes file `number` from `level`.
  void RemoveFile(int level, uint64_t number) { deleted_files_.emplace(level, number); }
  // Marks a table id dropped (DESIGN 2.9): compaction drops its keys.
  void AddDroppedTableId(uint32_t table_id) { dropped_table_ids_.insert(table_id); }

  bool has_comparator() const { return has_comparator_; }
  const std::string& comparator() const { return comparator_; }
  bool has_log_number() const { return has_log_number_; }
  uint64_t log_number() const { return log_number_; }
  bool has_next_file_number() const { return has_next_file_number_; }
  uint64_t next_file_number() const { return next_file_number_; }
  bool has_last_sequence() const { return has_last_sequence_; }
  uint64_t last_sequence() const { return last_sequence_; }
  bool has_pitr_horizon_seq() const { return has_pitr_horizon_seq_; }
  uint64_t pitr_horizon_seq() const { return pitr_horizon_seq_; }
  const std::vector<std::pair<int, FileMetaData>>& new_files() const { return new_files_; }
  const std::set<std::pair<int, uint64_t>>& deleted_files() const { return deleted_files_; }
  const std::set<uint32_t>& dropped_table_ids() const { return dropped_table_ids_; }

  // Appends the encoding (grammar above) to *dst.
  void EncodeTo(std::string* dst) const;
  // Replaces *this with the edit encoded in `src`; Corruption when it is malformed.
  Status DecodeFrom(std::string_view src);

  // Human-readable, one field per line (strata-dump, test failures).
  std::string DebugString() const;

  bool operator==(const VersionEdit&) const = default;

 private:
  bool has_comparator_ = false;
  bool has_log_number_ = false;
  bool has_next_file_number_ = false;
  bool has_last_sequence_ = false;
  bool has_pitr_horizon_seq_ = false;
  std::string comparator_;
  uint64_t log_number_ = 0;
  uint64_t next_file_number_ = 0;
  uint64_t last_sequence_ = 0;
  uint64_t pitr_horizon_seq_ = 0;
  std::vector<std::pair<int, FileMetaData>> new_files_;
  std::set<std::pair<int, uint64_t>> deleted_files_;
  std::set<uint32_t> dropped_table_ids_;
};

}  // namespace strata::engine
