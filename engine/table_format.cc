#include "engine/table_format.h"

#include <string>
#include <utility>

#include "engine/version_set.h"
#include "memtable/internal_key.h"

namespace strata::engine {

namespace {

int CompareKeys(std::string_view a, std::string_view b) {
  return memtable::CompareInternalKeys(a, b);
}

const std::string& ComparatorName() {
  static const std::string* name = new std::string(kInternalKeyComparatorName);
  return *name;
}

}  // namespace

const sstable::Comparator* InternalKeyTableComparator() {
  static const sstable::Comparator comparator{ComparatorName().c_str(), &CompareKeys, nullptr,
                                              nullptr};
  return &comparator;
}

std::string_view FilterKeyOf(std::string_view internal_key) {
  if (internal_key.size() < memtable::kTagSize) return internal_key;
  const std::string_view user_key = memtable::ExtractUserKey(internal_key);
  return user_key.substr(0, kFilterPrefixBytes);
}

sstable::TableOptions EngineTableOptions(std::shared_ptr<sstable::BlockCache> block_cache) {
  sstable::TableOptions options;
  options.comparator = InternalKeyTableComparator();
  options.filter_key_extractor = &FilterKeyOf;
  options.filter_key_name = std::string(kFilterKeyName);
  options.block_cache = std::move(block_cache);
  return options;
}

sstable::TableOptions TableOptionsForLevel(sstable::TableOptions options, int level) {
  if (level <= kLastUncompressedLevel) options.compression = sstable::CompressionType::kNone;
  return options;
}

}  // namespace strata::engine
