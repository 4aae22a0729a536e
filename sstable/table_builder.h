#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sstable/block_builder.h"
#include "sstable/bloom.h"
#include "sstable/compression.h"
#include "sstable/file.h"
#include "sstable/format.h"
#include "sstable/properties.h"
#include "sstable/table_options.h"
#include "util/status.h"

namespace strata::sstable {

// TableBuilder writes one table (format.h) to a WritableFile: Add() entries in strictly
// increasing key order, optionally NoteSequence() / SetUserProperty(), then Finish(), which
// writes the filter, properties, metaindex and index blocks and the footer, then fsyncs and
// closes the file. The first error is latched: later calls return it.
//
// Index separators: a block's index key is comparator->find_shortest_separator(last key of the
// block, first key of the next) when that hook exists, else the full last key.
//
// Thread-safety: none (one thread builds a table). Lifecycle: the file must outlive the
// builder; a builder dropped without Finish() leaves a partial file for the caller to delete.
class TableBuilder {
 public:
  TableBuilder(TableOptions options, WritableFile* file);
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  // InvalidArgument when key <= the previous key.
  Status Add(std::string_view key, std::string_view value);
  // Records that an added entry has sequence `seq`, committed at `commit_time_us`; the table's
  // properties carry the min and max of both.
  void NoteSequence(uint64_t seq, uint64_t commit_time_us);
  // Replaces the commit-time range NoteSequence() gathered (callers that know a range for the
  // whole table, not per entry). Call after the last NoteSequence().
  void SetCommitTimeRange(uint64_t min_us, uint64_t max_us) {
    props_.min_commit_time_us = min_us;
    props_.max_commit_time_us = max_us;
  }
  // A caller-defined property stored as "user.<name>".
  void SetUserProperty(std::string name, std::string value);
  Status Finish();

  Status status() const { return status_; }
  uint64_t NumEntries() const { return props_.num_entries; }
  // Bytes written so far (plus the current data block's estimate before Finish); after
  // Finish(), the exact file size.
  uint64_t FileSize() const;
  // Complete after Finish().
  const TableProperties& properties() const { return props_; }

 private:
  // Compresses (if worthwhile) and appends the trailer; returns the bytes to write.
  void PrepareBlock(std::string_view raw, bool allow_compression, std::string* out,
                    size_t* contents_size);
  Status EmitBlock(std::string& prepared, size_t contents_size, BlockHandle* handle);
  Status WriteBlock(std::string_view raw, bool allow_compression, BlockHandle* handle);
  Status FlushDataBlock();
  Status Fail(Status s) {
    if (status_.ok()) status_ = s;
    return s;
  }

  const TableOptions options_;
  WritableFile* const file_;
  uint64_t offset_ = 0;
  Status status_;
  bool finished_ = false;
  BlockBuilder data_block_;
  BlockBuilder index_block_;
  std::unique_ptr<BloomFilterBuilder> filter_;
  std::unique_ptr<ZlibCompressor> compressor_;
  std::string last_key_;
  bool pending_index_entry_ =
      false;  // a data block was flushed; its index entry awaits the next key
  BlockHandle pending_handle_;
  std::string scratch_;
  std::string compressed_;
  TableProperties props_;
};

}  // namespace strata::sstable
