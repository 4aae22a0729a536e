#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sstable/comparator.h"
#include "sstable/format.h"

namespace strata::sstable {

class BlockCache;

// The part of a key the whole-file filter covers. Must return a substring of `key` (or a view
// that lives as long as `key`). The engine passes "the first 13 bytes of the user key (table id,
// index id, partition hash), or the whole user key when shorter", so a point read and a
// partition scan probe the same filter.
using FilterKeyExtractor = std::function<std::string_view(std::string_view key)>;

// TableOptions configure a TableBuilder and a TableReader. Readers need the same comparator
// (checked by name) and the same filter extractor (by filter_key_name; on a mismatch the
// reader ignores the filter) as the builder used. A value type.
struct TableOptions {
  const Comparator* comparator = BytewiseComparator();
  // Target uncompressed size of a data block; a block is cut once it reaches this size.
  size_t block_size = 16 * 1024;
  int block_restart_interval = 16;
  // Data and index blocks; a compressed block is kept only if it saves >= 12.5%.
  CompressionType compression = CompressionType::kZlib;
  int zlib_level = 1;
  // 0: no filter.
  int filter_bits_per_key = 10;
  // Null: the filter covers whole keys.
  FilterKeyExtractor filter_key_extractor;
  // Names filter_key_extractor; stored in the table's properties.
  std::string filter_key_name = "strata.WholeKey";
  // Readers only: shared cache of uncompressed data blocks; null: no caching.
  std::shared_ptr<BlockCache> block_cache;
};

// Per-read options. A value type.
struct ReadOptions {
  // False for scans that should not evict the working set (compaction).
  bool fill_cache = true;
};

}  // namespace strata::sstable
