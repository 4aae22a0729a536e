#pragma once

// The properties block is a block (block_builder.h) of name -> value entries in byte-wise
// name order. Numbers are varint64; keys and names are raw bytes:
//
//   strata.comparator          comparator name            strata.raw.key.size       varint64
//   strata.commit_time.max     varint64 (*)               strata.raw.value.size     varint64
//   strata.commit_time.min     varint64 (*)               strata.seq.max            varint64 (*)
//   strata.data.blocks         varint64                   strata.seq.min            varint64 (*)
//   strata.data.size           varint64 (on disk)         strata.smallest_key       bytes
//   strata.data.raw_size       varint64 (uncompressed)    strata.largest_key        bytes
//   strata.entries             varint64                   strata.filter.key         extractor name
//   strata.filter.keys         varint64                   strata.filter.size        varint64
//   strata.format_version      varint64                   strata.index.size         varint64
//   user.<name>                caller-defined bytes (TableBuilder::SetUserProperty)
//   (*) present only when the builder was given sequence numbers (NoteSequence).
// Readers ignore names they do not know.

#include <cstdint>
#include <map>
#include <string>

#include "sstable/block.h"
#include "util/status.h"

namespace strata::sstable {

// TableProperties summarise a table. A value type.
struct TableProperties {
  uint32_t format_version = 0;
  std::string comparator_name;
  std::string filter_key_name;  // TableOptions::filter_key_name; empty when no filter
  uint64_t num_entries = 0;
  uint64_t num_data_blocks = 0;
  uint64_t raw_key_size = 0;
  uint64_t raw_value_size = 0;
  uint64_t data_size = 0;        // data blocks on disk, trailers included
  uint64_t raw_data_size = 0;    // data blocks before compression
  uint64_t index_size = 0;       // index block on disk, trailer included
  uint64_t filter_size = 0;      // filter block on disk, trailer included
  uint64_t num_filter_keys = 0;  // distinct filter keys
  std::string smallest_key;
  std::string largest_key;
  bool has_sequence_range = false;
  uint64_t min_sequence = 0;
  uint64_t max_sequence = 0;
  uint64_t min_commit_time_us = 0;
  uint64_t max_commit_time_us = 0;
  std::map<std::string, std::string> user_properties;  // names without the "user." prefix
};

// The uncompressed properties block.
std::string EncodeProperties(const TableProperties& properties);
// Corruption (without file context) when a known property is malformed.
Status DecodeProperties(const Block& block, TableProperties* properties);

}  // namespace strata::sstable
