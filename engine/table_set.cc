#include "engine/table_set.h"

#include <utility>

#include "engine/level_iterator.h"
#include "engine/table_format.h"
#include "memtable/internal_key.h"

namespace strata::engine {

namespace {

// Whether user_key lies in the user-key range of `file`.
bool InRange(const FileMetaData& file, std::string_view user_key) {
  return user_key >= SmallestUserKey(file) && user_key <= LargestUserKey(file);
}

}  // namespace

TableSet::TableSet(std::string dir, size_t block_cache_bytes, size_t max_open_tables)
    : dir_(std::move(dir)),
      block_cache_(block_cache_bytes == 0
                       ? nullptr
                       : std::make_shared<sstable::BlockCache>(block_cache_bytes)),
      table_options_(EngineTableOptions(block_cache_)),
      cache_(std::make_shared<sstable::TableCache>(dir_, table_options_,
                                                   max_open_tables == 0 ? 1 : max_open_tables)) {}

Result<std::shared_ptr<const sstable::TableReader>> TableSet::FindTable(
    const FileMetaData& file) const {
  return cache_->Find(file.number, file.file_size);
}

Result<TableSet::GetResult> TableSet::GetFromFile(const FileMetaData& file,
                                                  std::string_view user_key,
                                                  std::string_view lookup_key,
                                                  std::string* value) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const sstable::TableReader> table, FindTable(file));
  if (!table->KeyMayMatch(lookup_key)) return GetResult::kAbsent;
  sstable::GetResult found;
  RETURN_IF_ERROR(table->Get(sstable::ReadOptions(), lookup_key, &found));
  if (!found.found) return GetResult::kAbsent;
  memtable::ParsedInternalKey ikey;
  if (!memtable::ParseInternalKey(found.key, &ikey)) {
    return Status::Corruption("malformed internal key in table " + std::to_string(file.number));
  }
  if (ikey.user_key != user_key) return GetResult::kAbsent;
  if (ikey.kind == memtable::EntryKind::kDelete) return GetResult::kDeleted;
  *value = std::move(found.value);
  return GetResult::kFound;
}

Result<TableSet::GetResult> TableSet::Get(const Version& version, std::string_view user_key,
                                          uint64_t seq, std::string* value) const {
  std::string lookup;
  memtable::AppendInternalKey(&lookup, user_key, seq, memtable::kKindForSeek);
  // L0 files may overlap; they are ordered newest first, and a newer file holds newer versions
  // (flushes run in sequence order), so the first file with a version decides.
  for (const FileRef& file : version.files(0)) {
    if (!InRange(*file, user_key) || file->smallest_seq > seq) continue;
    ASSIGN_OR_RETURN(GetResult r, GetFromFile(*file, user_key, lookup, value));
    if (r != GetResult::kAbsent) return r;
  }
  // Deeper levels: at most one file per level can hold the key.
  for (int level = 1; level < kNumLevels; level++) {
    const std::vector<FileRef>& files = version.files(level);
    const size_t index = FindFile(files, lookup);
    if (index >= files.size() || !InRange(*files[index], user_key)) continue;
    ASSIGN_OR_RETURN(GetResult r, GetFromFile(*files[index], user_key, lookup, value));
    if (r != GetResult::kAbsent) return r;
  }
  return GetResult::kAbsent;
}

void TableSet::AddIterators(const std::shared_ptr<const Version>& version,
                            std::vector<std::unique_ptr<InternalIterator>>* out) const {
  for (int level = 0; level < kNumLevels; level++) {
    AddFileIterators(level, version->files(level), sstable::ReadOptions(), out);
  }
}

void TableSet::AddFileIterators(int level, const std::vector<FileRef>& files,
                                const sstable::ReadOptions& options,
                                std::vector<std::unique_ptr<InternalIterator>>* out) const {
  auto open = [cache = cache_,
               options](const FileMetaData& file) -> Result<std::unique_ptr<InternalIterator>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::Iterator> iter,
                     cache->NewIterator(file.number, file.file_size, options));
    return NewTableInternalIterator(std::move(iter));
  };
  if (level > 0) {
    if (!files.empty()) out->push_back(NewLevelIterator(files, std::move(open)));
    return;
  }
  for (const FileRef& file : files) {
    Result<std::unique_ptr<InternalIterator>> iter = open(*file);
    out->push_back(iter.ok() ? std::move(iter).value() : NewErrorIterator(iter.status()));
  }
}

}  // namespace strata::engine
