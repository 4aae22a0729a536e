#pragma once

#include <string_view>

#include "util/status.h"

namespace strata::engine {

// Iterator walks the live user keys of a Db at a fixed snapshot, in bytewise key order;
// deleted keys and older versions are hidden.
//
// Thread-safety: one thread at a time. Lifecycle: must not outlive the Db that made it;
// key()/value() are valid until the iterator moves.
class Iterator {
 public:
  virtual ~Iterator() = default;

  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first key >= target.
  virtual void Seek(std::string_view target) = 0;
  // Positions at the last key <= target.
  virtual void SeekForPrev(std::string_view target) = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  // REQUIRES: Valid()
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

}  // namespace strata::engine
