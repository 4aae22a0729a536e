#include "engine/table_writer.h"

#include <algorithm>

#include "memtable/internal_key.h"

namespace strata::engine {

Result<std::unique_ptr<sstable::WritableFile>> NewTableFile(const TableFileFactory& factory,
                                                            const std::string& path) {
  return factory ? factory(path) : sstable::NewPosixWritableFile(path);
}

TableWriter::TableWriter(const sstable::TableOptions& options, sstable::WritableFile* file)
    : builder_(options, file) {}

Status TableWriter::Add(std::string_view internal_key, std::string_view value) {
  memtable::ParsedInternalKey parsed;
  if (!memtable::ParseInternalKey(internal_key, &parsed)) {
    return Status::Corruption("malformed internal key in a table being written");
  }
  RETURN_IF_ERROR(builder_.Add(internal_key, value));
  if (builder_.NumEntries() == 1) {
    meta_.smallest.assign(internal_key);
    meta_.smallest_seq = parsed.sequence;
    meta_.largest_seq = parsed.sequence;
  }
  meta_.largest.assign(internal_key);
  meta_.smallest_seq = std::min(meta_.smallest_seq, parsed.sequence);
  meta_.largest_seq = std::max(meta_.largest_seq, parsed.sequence);
  // Entries carry no commit time of their own: the table's range is SetCommitTimeRange()'s.
  builder_.NoteSequence(parsed.sequence, 0);
  return Status::OK();
}

Status TableWriter::Finish(FileMetaData* meta) {
  if (empty()) return Status::InvalidArgument("TableWriter: no entries");
  builder_.SetCommitTimeRange(min_commit_time_us_, max_commit_time_us_);
  RETURN_IF_ERROR(builder_.Finish());
  const uint64_t number = meta->number;
  *meta = meta_;
  meta->number = number;
  meta->file_size = builder_.FileSize();
  return Status::OK();
}

}  // namespace strata::engine
