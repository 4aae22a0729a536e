#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/version_edit.h"
#include "sstable/file.h"
#include "sstable/table_builder.h"
#include "sstable/table_options.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::engine {

// Creates the file of a new table at `path`.
using TableFileFactory =
    std::function<Result<std::unique_ptr<sstable::WritableFile>>(const std::string& path)>;

// Creates `path` with `factory`, or as a POSIX file when the factory is empty.
Result<std::unique_ptr<sstable::WritableFile>> NewTableFile(const TableFileFactory& factory,
                                                            const std::string& path);

// TableWriter builds one engine SSTable (entries keyed by internal keys, added in internal key
// order) and tracks what its FileMetaData records: key range and sequence range. Flushes and
// compactions both write their tables through it.
//
// Thread-safety: none (one thread builds a table). Lifecycle: `file` must outlive it; Finish()
// fsyncs and closes the file; a writer dropped without Finish() leaves a partial file for the
// caller to delete.
class TableWriter {
 public:
  TableWriter(const sstable::TableOptions& options, sstable::WritableFile* file);

  // Corruption when `internal_key` is shorter than a tag; InvalidArgument when it is not above
  // the previous key.
  Status Add(std::string_view internal_key, std::string_view value);
  // Writes the meta blocks and footer, fsyncs and closes the file, and fills meta's size, key
  // range and sequence range (meta->number is the caller's). InvalidArgument when empty.
  Status Finish(FileMetaData* meta);

  // The commit times of the table's entries lie in [min_us, max_us] (0, 0: unknown).
  void SetCommitTimeRange(uint64_t min_us, uint64_t max_us) {
    min_commit_time_us_ = min_us;
    max_commit_time_us_ = max_us;
  }

  bool empty() const { return builder_.NumEntries() == 0; }
  // Bytes written so far, plus the current block's estimate.
  uint64_t FileSize() const { return builder_.FileSize(); }

 private:
  sstable::TableBuilder builder_;
  FileMetaData meta_;
  uint64_t min_commit_time_us_ = 0;
  uint64_t max_commit_time_us_ = 0;
};

}  // namespace strata::engine
