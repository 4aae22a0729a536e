#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sstable/block.h"
#include "sstable/bloom.h"
#include "sstable/file.h"
#include "sstable/format.h"
#include "sstable/iterator.h"
#include "sstable/properties.h"
#include "sstable/table_options.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::sstable {

// What TableReader::Get found: the first entry >= the key sought, if any.
struct GetResult {
  bool found = false;
  std::string key;
  std::string value;
};

// TableReader reads one table. Open() reads the footer and pins the index block, the filter
// and the properties in memory; data blocks are read with pread on demand, through
// TableOptions::block_cache when one is set. Every block is checksum-verified when read;
// corruption is reported as Status::Corruption naming the file and offset, never a crash.
//
// Thread-safety: immutable after Open; every method is thread-safe. Lifecycle: owns its file;
// must outlive iterators from NewIterator() (NewTableIterator(shared_ptr) pins it instead).
class TableReader {
 public:
  // `file_number` keys the block cache; `file_size` is the table's size in bytes.
  // Errors: Corruption (bad or truncated table), NotSupported (newer format), InvalidArgument
  // (built with another comparator), IOError.
  static Result<std::unique_ptr<TableReader>> Open(TableOptions options,
                                                   std::unique_ptr<RandomAccessFile> file,
                                                   uint64_t file_size, uint64_t file_number);
  // Opens a POSIX file, taking its size from the file system.
  static Result<std::unique_ptr<TableReader>> OpenFile(TableOptions options,
                                                       const std::string& path,
                                                       uint64_t file_number);

  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

  // The first entry >= key (result->found false when there is none). Does not consult the
  // filter: callers wanting exact keys check KeyMayMatch() first.
  Status Get(const ReadOptions& options, std::string_view key, GetResult* result) const;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options = {}) const;

  // False only if no key whose filter key equals `filter_key` is in the table. `filter_key`
  // is an extractor output (e.g. the 13-byte partition prefix); true when there is no filter.
  bool MayContainPrefix(std::string_view filter_key) const;
  // MayContainPrefix(filter_key_extractor(key)).
  bool KeyMayMatch(std::string_view key) const;
  bool has_filter() const { return has_filter_; }

  // The approximate file offset where `key`'s data would be (for compaction splitting).
  uint64_t ApproximateOffsetOf(std::string_view key) const;

  const TableProperties& properties() const { return properties_; }
  const TableOptions& options() const { return options_; }
  uint64_t file_number() const { return file_number_; }
  uint64_t file_size() const { return file_size_; }
  std::string_view file_name() const { return file_->Name(); }

  // Used by the table iterator. A data block, from the cache or the file.
  Result<std::shared_ptr<const Block>> ReadDataBlock(const BlockHandle& handle,
                                                     const ReadOptions& options) const;
  const Block* index_block() const { return index_block_.get(); }
  uint64_t index_offset() const { return footer_.index.offset; }

 private:
  TableReader(TableOptions options, std::unique_ptr<RandomAccessFile> file, uint64_t file_size,
              uint64_t file_number);
  Status Init();

  const TableOptions options_;
  const std::unique_ptr<RandomAccessFile> file_;
  const uint64_t file_size_;
  const uint64_t file_number_;
  uint64_t data_end_ = 0;  // the footer's offset
  Footer footer_;
  std::shared_ptr<const Block> index_block_;
  std::string filter_data_;
  BloomFilterReader filter_;
  bool has_filter_ = false;
  TableProperties properties_;
};

// An iterator that keeps `table` alive.
std::unique_ptr<Iterator> NewTableIterator(std::shared_ptr<const TableReader> table,
                                           const ReadOptions& options = {});

}  // namespace strata::sstable
