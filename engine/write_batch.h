#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::engine {

// The kind of one engine entry. Stored in internal keys and the WAL: DO NOT CHANGE.
enum class ValueKind : uint8_t { kDelete = 0, kPut = 1 };

// WriteBatch collects puts and deletes that the Db applies atomically, with consecutive
// sequence numbers (first_seq + i for the i-th op), in the order added.
//
// Encoding of rep_ (also the op section of a WAL record, docs/formats/wal.md):
//   ops*: u8 kind | varint32 key_len | key | [varint32 value_len | value]   (value iff kPut)
//
// Thread-safety: none. Lifecycle: reusable after Clear().
class WriteBatch {
 public:
  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  void Clear();

  uint32_t Count() const { return count_; }
  size_t ApproximateSize() const { return rep_.size(); }
  std::string_view rep() const { return rep_; }

  // Calls handler.Put(key, value) / handler.Delete(key) for every op, in order.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void Put(std::string_view key, std::string_view value) = 0;
    virtual void Delete(std::string_view key) = 0;
  };
  Status Iterate(Handler* handler) const;
  // The same over ops encoded like rep() (e.g. the op section of a WAL record); Corruption
  // unless `ops` holds exactly `count` well-formed ops.
  static Status IterateOps(std::string_view ops, uint32_t count, Handler* handler);

 private:
  std::string rep_;
  uint32_t count_ = 0;
};

}  // namespace strata::engine
