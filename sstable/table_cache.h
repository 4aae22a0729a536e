#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sstable/iterator.h"
#include "sstable/lru_cache.h"
#include "sstable/table_options.h"
#include "sstable/table_reader.h"
#include "util/result.h"

namespace strata::sstable {

// "<dir>/<number, 6+ digits>.sst": the default table file name.
std::string TableFileName(const std::string& dir, uint64_t file_number);

// TableCache keeps up to `max_open_tables` TableReaders open, keyed by file number, and hands
// them out as shared_ptrs (an evicted reader stays open while someone uses it). Opening is done
// outside the cache locks; two threads missing the same file may both open it, and one reader
// wins.
//
// Thread-safety: thread-safe. Lifecycle: RAII; outlives nothing in particular.
class TableCache {
 public:
  // Opens table `file_number` of `file_size` bytes (0: ask the file system).
  using Opener = std::function<Result<std::shared_ptr<const TableReader>>(uint64_t file_number,
                                                                          uint64_t file_size)>;

  // Opens TableFileName(dir, number) with `options`.
  TableCache(std::string dir, TableOptions options, size_t max_open_tables);
  TableCache(Opener opener, size_t max_open_tables);

  Result<std::shared_ptr<const TableReader>> Find(uint64_t file_number, uint64_t file_size = 0);
  // An iterator over the table that keeps its reader alive.
  Result<std::unique_ptr<Iterator>> NewIterator(uint64_t file_number, uint64_t file_size = 0,
                                                const ReadOptions& options = {});
  // Drops the reader of a deleted file.
  void Evict(uint64_t file_number) { cache_.Erase({file_number, 0}); }
  size_t size() const { return cache_.Size(); }

 private:
  const Opener opener_;
  ShardedLruCache<TableReader> cache_;
};

}  // namespace strata::sstable
