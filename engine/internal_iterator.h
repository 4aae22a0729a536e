#pragma once

#include <memory>
#include <string_view>

#include "memtable/memtable.h"
#include "sstable/iterator.h"
#include "util/status.h"

namespace strata::engine {

// InternalIterator walks engine entries in internal key order (memtable/internal_key.h): every
// version and every tombstone. The user-level Iterator (db_iter.h) is built on top of it, so
// the memtables and SSTables merged (merging_iterator.h) share one visibility logic.
//
// Thread-safety: one thread at a time. Lifecycle: key()/value() are valid until it moves.
class InternalIterator {
 public:
  virtual ~InternalIterator() = default;

  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first entry >= internal_key.
  virtual void Seek(std::string_view internal_key) = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  // REQUIRES: Valid(). key() is the internal key.
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

// An InternalIterator over a memtable; it keeps the memtable alive.
std::unique_ptr<InternalIterator> NewMemTableIterator(
    std::shared_ptr<const memtable::MemTable> mem);

// An InternalIterator over an SSTable iterator (an engine table: internal keys). Next()/Prev()
// on an invalid iterator are no-ops, as the engine's iterators never call them there anyway.
std::unique_ptr<InternalIterator> NewTableInternalIterator(std::unique_ptr<sstable::Iterator> iter);

// An empty iterator whose status() is `status` (a table that could not be opened).
std::unique_ptr<InternalIterator> NewErrorIterator(Status status);

}  // namespace strata::engine
