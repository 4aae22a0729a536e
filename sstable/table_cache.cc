#include "sstable/table_cache.h"

#include <cstdio>

namespace strata::sstable {

std::string TableFileName(const std::string& dir, uint64_t file_number) {
  char name[32];
  std::snprintf(name, sizeof(name), "/%06llu.sst", static_cast<unsigned long long>(file_number));
  return dir + name;
}

namespace {
int ShardBitsFor(size_t max_open_tables) { return max_open_tables >= 256 ? 4 : 0; }
}  // namespace

TableCache::TableCache(std::string dir, TableOptions options, size_t max_open_tables)
    : TableCache(
          [dir = std::move(dir), options = std::move(options)](
              uint64_t number, uint64_t size) -> Result<std::shared_ptr<const TableReader>> {
            const std::string path = TableFileName(dir, number);
            ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file,
                             NewPosixRandomAccessFile(path));
            if (size == 0) {
              ASSIGN_OR_RETURN(size, file->Size());
            }
            ASSIGN_OR_RETURN(std::unique_ptr<TableReader> table,
                             TableReader::Open(options, std::move(file), size, number));
            return std::shared_ptr<const TableReader>(std::move(table));
          },
          max_open_tables) {}

TableCache::TableCache(Opener opener, size_t max_open_tables)
    : opener_(std::move(opener)), cache_(max_open_tables, ShardBitsFor(max_open_tables)) {}

Result<std::shared_ptr<const TableReader>> TableCache::Find(uint64_t file_number,
                                                            uint64_t file_size) {
  if (std::shared_ptr<const TableReader> table = cache_.Lookup({file_number, 0})) return table;
  ASSIGN_OR_RETURN(std::shared_ptr<const TableReader> table, opener_(file_number, file_size));
  return cache_.InsertIfAbsent({file_number, 0}, std::move(table), 1);
}

Result<std::unique_ptr<Iterator>> TableCache::NewIterator(uint64_t file_number, uint64_t file_size,
                                                          const ReadOptions& options) {
  ASSIGN_OR_RETURN(std::shared_ptr<const TableReader> table, Find(file_number, file_size));
  return NewTableIterator(std::move(table), options);
}

}  // namespace strata::sstable
