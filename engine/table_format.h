#pragma once

// How the engine lays out its SSTables (docs/formats/sstable.md): keys are internal keys
// (memtable/internal_key.h) ordered by memtable::CompareInternalKeys, under the name the version
// set records (kInternalKeyComparatorName); the whole-file filter covers the partition prefix:
// the first kFilterPrefixBytes bytes of the USER key (u32BE table_id | u8 index_id | u64BE
// partition hash, item/key_codec.h), or the whole user key when it is shorter. A point read and
// a partition scan therefore probe the same filter.

#include <cstddef>
#include <memory>
#include <string_view>

#include "sstable/block_cache.h"
#include "sstable/comparator.h"
#include "sstable/table_options.h"

namespace strata::engine {

// Bytes of the user key the filter covers. On disk (via the filter's name): DO NOT CHANGE
// without renaming kFilterKeyName.
inline constexpr size_t kFilterPrefixBytes = 13;
inline constexpr std::string_view kFilterKeyName = "strata.UserKeyPrefix13";

// The internal key order as an sstable::Comparator, named kInternalKeyComparatorName. It has no
// separator hooks: index blocks hold full internal keys (always correct, a little larger).
const sstable::Comparator* InternalKeyTableComparator();

// The filter key of an internal key: the first kFilterPrefixBytes of its user key (the whole
// key when it is shorter than a tag: such keys are malformed and only make the filter match).
std::string_view FilterKeyOf(std::string_view internal_key);

// The table options of every engine SSTable, reading through `block_cache` (may be null).
sstable::TableOptions EngineTableOptions(std::shared_ptr<sstable::BlockCache> block_cache);

// Levels up to this one are written without compression: L0 (flushes) and L1 are rewritten
// soonest and most often, so zlib there costs the most CPU per byte kept; deeper levels, which
// hold most of a large store, stay compressed (RocksDB's usual per-level setting; measured in
// docs/benchmarks.md). Readers need no setting: every block records its own compression.
inline constexpr int kLastUncompressedLevel = 1;

// `options` for a table written to `level`.
sstable::TableOptions TableOptionsForLevel(sstable::TableOptions options, int level);

}  // namespace strata::engine
