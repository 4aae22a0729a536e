#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/internal_iterator.h"
#include "engine/version_set.h"
#include "sstable/block_cache.h"
#include "sstable/table_cache.h"
#include "sstable/table_options.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::engine {

// TableSet reads the SSTables of a Version: point lookups at a snapshot (newest L0 file first,
// then one file per deeper level, each probed through its filter first) and the child
// iterators a merging iterator needs. It owns the TableCache of open readers and the shared
// BlockCache, sized from Options (block_cache_bytes, max_open_tables).
//
// Thread-safety: every method is thread-safe. Lifecycle: shared (std::shared_ptr) by the Db
// and the iterators it hands out, which may outlive the Db.
class TableSet {
 public:
  TableSet(std::string dir, size_t block_cache_bytes, size_t max_open_tables);
  TableSet(const TableSet&) = delete;
  TableSet& operator=(const TableSet&) = delete;

  enum class GetResult { kFound, kDeleted, kAbsent };
  // The newest version of `user_key` with sequence <= seq in the tables of `version`:
  // kFound (value in *value), kDeleted (a tombstone) or kAbsent. Errors: Corruption, IOError.
  Result<GetResult> Get(const Version& version, std::string_view user_key, uint64_t seq,
                        std::string* value) const;

  // Appends one iterator per L0 file (newest first) and one per non-empty deeper level.
  // `version` must stay pinned while they live (the caller's read view holds it).
  void AddIterators(const std::shared_ptr<const Version>& version,
                    std::vector<std::unique_ptr<InternalIterator>>* out) const;

  // Appends iterators over `files` of `level`: one per file at L0, one level iterator (files
  // opened as it reaches them) for L1+. Compactions pass fill_cache = false.
  void AddFileIterators(int level, const std::vector<FileRef>& files,
                        const sstable::ReadOptions& options,
                        std::vector<std::unique_ptr<InternalIterator>>* out) const;

  // An open reader of `file`.
  Result<std::shared_ptr<const sstable::TableReader>> FindTable(const FileMetaData& file) const;
  // Forgets the reader of a deleted file.
  void Evict(uint64_t file_number) const { cache_->Evict(file_number); }

  const std::string& dir() const { return dir_; }
  // The options every engine table is written and read with (engine/table_format.h).
  const sstable::TableOptions& table_options() const { return table_options_; }
  const std::shared_ptr<sstable::BlockCache>& block_cache() const { return block_cache_; }

 private:
  // Looks `lookup_key` up in one file; kAbsent when the file has no version of user_key at or
  // below the lookup sequence.
  Result<GetResult> GetFromFile(const FileMetaData& file, std::string_view user_key,
                                std::string_view lookup_key, std::string* value) const;

  const std::string dir_;
  const std::shared_ptr<sstable::BlockCache> block_cache_;
  const sstable::TableOptions table_options_;
  // Shared with level iterators, which open files lazily.
  const std::shared_ptr<sstable::TableCache> cache_;
};

}  // namespace strata::engine
