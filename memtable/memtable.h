#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "memtable/arena.h"
#include "memtable/internal_key.h"
#include "memtable/skiplist.h"

namespace strata::memtable {

// MemTable holds recent engine entries in memory, sorted by internal key (DESIGN 2.9), as
// LevelDB's db/memtable.cc. Each entry lives in the arena, encoded as
//
//   entry := varint32 internal_key_len | user_key | fixed64(tag) | varint32 value_len | value
//
// (value_len is 0 and value empty for kDelete). The skiplist orders entries by internal key.
//
// Thread-safety: Add() needs external synchronisation (one writer at a time). Get(),
// NewIterator() and ApproximateMemoryUsage() may run concurrently with Add() from any thread.
// Lifecycle: entries are never removed; iterators must not outlive the MemTable (share it with
// std::shared_ptr when readers may outlive its owner).
class MemTable {
 public:
  MemTable();
  MemTable(const MemTable&) = delete;
  MemTable& operator=(const MemTable&) = delete;

  // REQUIRES: (user_key, seq) not added before; seq <= kMaxSequenceNumber.
  void Add(uint64_t seq, EntryKind kind, std::string_view user_key, std::string_view value);

  enum class GetResult { kFound, kDeleted, kAbsent };
  // Looks up the newest entry for `user_key` with sequence <= snapshot_seq: kFound (value
  // stored in *value), kDeleted (a tombstone) or kAbsent (no such entry here).
  GetResult Get(std::string_view user_key, uint64_t snapshot_seq, std::string* value) const;

  // Bytes used by the arena, readable while Add() runs.
  size_t ApproximateMemoryUsage() const { return arena_.MemoryUsage(); }

  // Widens the range of commit times (microseconds since the epoch) of what was added; entries
  // keep none of their own. The writer's, like Add(). 0 is ignored.
  void NoteCommitTime(uint64_t commit_time_us) {
    if (commit_time_us == 0) return;
    if (min_commit_time_us_ == 0 || commit_time_us < min_commit_time_us_) {
      min_commit_time_us_ = commit_time_us;
    }
    max_commit_time_us_ = std::max(max_commit_time_us_, commit_time_us);
  }
  // 0 when no commit time was noted. Read once the memtable takes no more writes (flush).
  uint64_t min_commit_time_us() const { return min_commit_time_us_; }
  uint64_t max_commit_time_us() const { return max_commit_time_us_; }

 private:
  struct KeyComparator {
    // Compares two entries by their internal keys.
    int operator()(const char* a, const char* b) const;
  };
  using Table = SkipList<const char*, KeyComparator>;

 public:
  // Iterator walks every entry (all versions, tombstones included) in internal key order.
  // key() is the internal key. Views stay valid as long as the MemTable.
  // Thread-safety: one thread at a time per iterator.
  class Iterator {
   public:
    explicit Iterator(const MemTable* table) : iter_(&table->table_) {}

    bool Valid() const { return iter_.Valid(); }
    void SeekToFirst() { iter_.SeekToFirst(); }
    void SeekToLast() { iter_.SeekToLast(); }
    // Positions at the first entry >= internal_key.
    void Seek(std::string_view internal_key);
    // Positions at the first entry >= (user_key, seq, kKindForSeek): the newest version of
    // user_key with sequence <= seq if there is one.
    void Seek(std::string_view user_key, uint64_t seq);
    // Positions at the last entry <= internal_key.
    void SeekForPrev(std::string_view internal_key);
    void Next() { iter_.Next(); }
    void Prev() { iter_.Prev(); }
    // REQUIRES: Valid() for all accessors.
    std::string_view key() const;
    std::string_view user_key() const { return ExtractUserKey(key()); }
    uint64_t sequence() const;
    EntryKind kind() const;
    std::string_view value() const;

   private:
    Table::Iterator iter_;
    std::string scratch_;  // length-prefixed seek target
  };

  std::unique_ptr<Iterator> NewIterator() const { return std::make_unique<Iterator>(this); }

 private:
  Arena arena_;
  Table table_;
  uint64_t min_commit_time_us_ = 0;  // the writer's
  uint64_t max_commit_time_us_ = 0;
};

}  // namespace strata::memtable
