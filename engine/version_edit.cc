#include "engine/version_edit.h"

#include "memtable/internal_key.h"
#include "util/coding.h"
#include "util/escape.h"

namespace strata::engine {

namespace {

void PutTag(std::string* dst, EditTag tag) { PutVarint32(dst, static_cast<uint32_t>(tag)); }

// Writes internal keys as hex-escaped user key @ seq : kind.
std::string KeyDebugString(std::string_view ikey) {
  memtable::ParsedInternalKey parsed;
  if (!memtable::ParseInternalKey(ikey, &parsed)) return "<bad key>";
  return "'" + EscapeBytes(parsed.user_key) + "' @ " + std::to_string(parsed.sequence) + " : " +
         std::to_string(static_cast<int>(parsed.kind));
}

Status Bad(std::string_view what) {
  return Status::Corruption("VersionEdit: " + std::string(what));
}

bool GetLevel(std::string_view* in, int* level) {
  uint32_t v;
  if (!GetVarint32(in, &v) || v >= static_cast<uint32_t>(kNumLevels)) return false;
  *level = static_cast<int>(v);
  return true;
}

bool ValidKey(std::string_view key) {
  memtable::ParsedInternalKey parsed;
  return memtable::ParseInternalKey(key, &parsed);
}

}  // namespace

void VersionEdit::EncodeTo(std::string* dst) const {
  if (has_comparator_) {
    PutTag(dst, EditTag::kComparator);
    PutLengthPrefixed(dst, comparator_);
  }
  if (has_log_number_) {
    PutTag(dst, EditTag::kLogNumber);
    PutVarint64(dst, log_number_);
  }
  if (has_next_file_number_) {
    PutTag(dst, EditTag::kNextFileNumber);
    PutVarint64(dst, next_file_number_);
  }
  if (has_last_sequence_) {
    PutTag(dst, EditTag::kLastSequence);
    PutVarint64(dst, last_sequence_);
  }
  if (has_pitr_horizon_seq_) {
    PutTag(dst, EditTag::kPitrHorizonSeq);
    PutVarint64(dst, pitr_horizon_seq_);
  }
  for (uint32_t id : dropped_table_ids_) {
    PutTag(dst, EditTag::kDroppedTableId);
    PutVarint32(dst, id);
  }
  for (const auto& [level, number] : deleted_files_) {
    PutTag(dst, EditTag::kDeletedFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, number);
  }
  for (const auto& [level, f] : new_files_) {
    PutTag(dst, EditTag::kNewFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, f.number);
    PutVarint64(dst, f.file_size);
    PutLengthPrefixed(dst, f.smallest);
    PutLengthPrefixed(dst, f.largest);
    PutVarint64(dst, f.smallest_seq);
    PutVarint64(dst, f.largest_seq);
  }
}

Status VersionEdit::DecodeFrom(std::string_view src) {
  Clear();
  std::string_view in = src;
  while (!in.empty()) {
    uint32_t tag;
    if (!GetVarint32(&in, &tag)) return Bad("truncated tag");
    std::string_view s;
    switch (static_cast<EditTag>(tag)) {
      case EditTag::kComparator:
        if (!GetLengthPrefixed(&in, &s)) return Bad("truncated comparator name");
        SetComparatorName(s);
        break;
      case EditTag::kLogNumber:
        if (!GetVarint64(&in, &log_number_)) return Bad("truncated log number");
        has_log_number_ = true;
        break;
      case EditTag::kNextFileNumber:
        if (!GetVarint64(&in, &next_file_number_)) return Bad("truncated next file number");
        has_next_file_number_ = true;
        break;
      case EditTag::kLastSequence:
        if (!GetVarint64(&in, &last_sequence_)) return Bad("truncated last sequence");
        if (last_sequence_ > memtable::kMaxSequenceNumber) return Bad("last sequence too large");
        has_last_sequence_ = true;
        break;
      case EditTag::kPitrHorizonSeq:
        if (!GetVarint64(&in, &pitr_horizon_seq_)) return Bad("truncated PITR horizon");
        if (pitr_horizon_seq_ > memtable::kMaxSequenceNumber) return Bad("PITR horizon too large");
        has_pitr_horizon_seq_ = true;
        break;
      case EditTag::kDroppedTableId: {
        uint32_t id;
        if (!GetVarint32(&in, &id)) return Bad("truncated dropped table id");
        dropped_table_ids_.insert(id);
        break;
      }
      case EditTag::kDeletedFile: {
        int level;
        uint64_t number;
        if (!GetLevel(&in, &level)) return Bad("bad level in deleted file");
        if (!GetVarint64(&in, &number)) return Bad("truncated deleted file");
        deleted_files_.emplace(level, number);
        break;
      }
      case EditTag::kNewFile: {
        int level;
        FileMetaData f;
        std::string_view smallest, largest;
        if (!GetLevel(&in, &level)) return Bad("bad level in new file");
        if (!GetVarint64(&in, &f.number) || !GetVarint64(&in, &f.file_size) ||
            !GetLengthPrefixed(&in, &smallest) || !GetLengthPrefixed(&in, &largest) ||
            !GetVarint64(&in, &f.smallest_seq) || !GetVarint64(&in, &f.largest_seq)) {
          return Bad("truncated new file");
        }
        const std::string which = "new file " + std::to_string(f.number) + ": ";
        if (!ValidKey(smallest) || !ValidKey(largest)) return Bad(which + "bad key");
        if (memtable::CompareInternalKeys(smallest, largest) > 0) {
          return Bad(which + "smallest key after largest");
        }
        if (f.smallest_seq > f.largest_seq || f.largest_seq > memtable::kMaxSequenceNumber) {
          return Bad(which + "bad sequence range");
        }
        f.smallest.assign(smallest);
        f.largest.assign(largest);
        new_files_.emplace_back(level, std::move(f));
        break;
      }
      default:
        if (tag < kFirstIgnorableTag) return Bad("unknown tag " + std::to_string(tag));
        if (!GetLengthPrefixed(&in, &s)) return Bad("truncated field " + std::to_string(tag));
        break;
    }
  }
  return Status::OK();
}

std::string VersionEdit::DebugString() const {
  std::string r = "VersionEdit {";
  if (has_comparator_) r += "\n  comparator: " + comparator_;
  if (has_log_number_) r += "\n  log_number: " + std::to_string(log_number_);
  if (has_next_file_number_) r += "\n  next_file_number: " + std::to_string(next_file_number_);
  if (has_last_sequence_) r += "\n  last_sequence: " + std::to_string(last_sequence_);
  if (has_pitr_horizon_seq_) r += "\n  pitr_horizon_seq: " + std::to_string(pitr_horizon_seq_);
  for (uint32_t id : dropped_table_ids_) r += "\n  dropped_table_id: " + std::to_string(id);
  for (const auto& [level, number] : deleted_files_) {
    r += "\n  deleted_file: L" + std::to_string(level) + " #" + std::to_string(number);
  }
  for (const auto& [level, f] : new_files_) {
    r += "\n  new_file: L" + std::to_string(level) + " #" + std::to_string(f.number) + " " +
         std::to_string(f.file_size) + " bytes [" + KeyDebugString(f.smallest) + " .. " +
         KeyDebugString(f.largest) + "] seq [" + std::to_string(f.smallest_seq) + ", " +
         std::to_string(f.largest_seq) + "]";
  }
  r += "\n}\n";
  return r;
}

}  // namespace strata::engine
