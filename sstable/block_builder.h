#pragma once

// Data, index, metaindex and properties blocks share this layout (LevelDB's):
//
//   block     := entry* restarts
//   entry     := varint32 shared | varint32 non_shared | varint32 value_length |
//                key_delta[non_shared] | value[value_length]
//   restarts  := fixed32 restart_offset* | fixed32 num_restarts       (num_restarts >= 1)
//
// An entry's key is the first `shared` bytes of the previous key followed by key_delta.
// Every `restart_interval` entries a restart point stores the full key (shared = 0), and its
// offset goes into the restart array, so a reader can binary-search the restarts.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::sstable {

// BlockBuilder builds one block. Keys must be added in strictly increasing order (the caller
// checks). Thread-safety: none. Lifecycle: Reset() after Finish() to build the next block.
class BlockBuilder {
 public:
  explicit BlockBuilder(int restart_interval);

  void Reset();
  void Add(std::string_view key, std::string_view value);
  // The finished block; valid until Reset().
  std::string_view Finish();
  // Size of the block if finished now.
  size_t CurrentSizeEstimate() const;
  bool empty() const { return buffer_.empty(); }
  std::string_view last_key() const { return last_key_; }

 private:
  const int restart_interval_;
  std::string buffer_;
  std::vector<uint32_t> restarts_;
  int counter_ = 0;  // entries since the last restart
  bool finished_ = false;
  std::string last_key_;
};

}  // namespace strata::sstable
