#pragma once

#include <string_view>

#include "util/status.h"

namespace strata::sstable {

// Iterator walks the entries of a table (or a block) in comparator order. Same shape as
// engine::InternalIterator, so the engine can adapt it with a thin wrapper.
//
// Errors: on corruption or an I/O error the iterator becomes invalid and status() says why
// (naming the file and offset); it never skips a bad block silently.
//
// Thread-safety: one thread at a time. Lifecycle: key()/value() are valid until it moves; the
// table it reads must outlive it unless it was made with NewTableIterator(shared_ptr).
class Iterator {
 public:
  virtual ~Iterator() = default;

  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first entry >= target.
  virtual void Seek(std::string_view target) = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // REQUIRES: Valid()
  virtual void Prev() = 0;
  // REQUIRES: Valid()
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

}  // namespace strata::sstable
