#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::sstable {

using CompareFn = int (*)(std::string_view, std::string_view);

// Block is one parsed, uncompressed block (layout in block_builder.h). Parse() validates the
// restart array; entries are checked against the block bounds as they are decoded.
// Thread-safety: immutable after Parse; share freely (block cache). Lifecycle: shared_ptr.
class Block {
 public:
  // Null when the restart array is malformed.
  static std::shared_ptr<const Block> Parse(std::string contents);

  size_t size() const { return data_.size(); }
  std::string_view data() const { return data_; }
  uint32_t restart_offset() const { return restart_offset_; }
  uint32_t num_restarts() const { return num_restarts_; }

 private:
  Block() = default;
  std::string data_;
  uint32_t restart_offset_ = 0;  // offset of the restart array
  uint32_t num_restarts_ = 0;
};

// BlockIter walks the entries of a Block (a concrete class: no virtual calls on the hot path).
// A malformed entry makes it invalid with a Corruption status (callers add file and offset).
// Thread-safety: one thread at a time. Lifecycle: the Block must outlive it; key()/value() are
// valid until it moves.
class BlockIter {
 public:
  BlockIter() = default;
  BlockIter(const Block* block, CompareFn compare) { Init(block, compare); }
  void Init(const Block* block, CompareFn compare);

  bool Valid() const { return current_ < restarts_; }
  Status status() const { return status_; }
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }

  void SeekToFirst();
  void SeekToLast();
  void Seek(std::string_view target);
  void Next();
  void Prev();

 private:
  uint32_t NextEntryOffset() const {
    return static_cast<uint32_t>(value_.data() + value_.size() - data_);
  }
  uint32_t GetRestartPoint(uint32_t index) const;
  void SeekToRestartPoint(uint32_t index);
  bool ParseNextKey();
  void CorruptionError(std::string_view what);
  void Invalidate() {
    current_ = restarts_;
    restart_index_ = num_restarts_;
    key_.clear();
    value_ = {};
  }

  CompareFn compare_ = nullptr;
  const char* data_ = nullptr;
  uint32_t restarts_ = 0;  // offset of the restart array (end of the entries)
  uint32_t num_restarts_ = 0;
  uint32_t current_ = 0;        // offset of the current entry; >= restarts_ when invalid
  uint32_t restart_index_ = 0;  // restart block holding current_
  std::string key_;
  std::string_view value_;
  Status status_;
};

}  // namespace strata::sstable
