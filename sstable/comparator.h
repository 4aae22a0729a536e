#pragma once

#include <string>
#include <string_view>

namespace strata::sstable {

// Comparator defines the total order of the keys of a table. Tables treat keys as opaque byte
// strings; the engine passes internal keys (user key | fixed64 tag, newest first) with its own
// comparator. `name` is stored in the table's properties and checked when the table is opened,
// so a table is never read with an order it was not written in.
//
// The two optional hooks let the index hold shorter keys than the data blocks:
//  - find_shortest_separator(start, limit): REQUIRES *start < limit. May change *start to a
//    shorter key k with old *start <= k < limit.
//  - find_short_successor(key): may change *key to a shorter key k >= old *key.
// When a hook is null the index keeps the full last key of each block (always correct).
//
// Thread-safety: an immutable value of plain function pointers; share freely.
// Lifecycle: instances are normally static and must outlive every table built or read with them.
struct Comparator {
  const char* name;
  int (*compare)(std::string_view a, std::string_view b);
  void (*find_shortest_separator)(std::string* start, std::string_view limit);
  void (*find_short_successor)(std::string* key);
};

// Unsigned byte-wise order (memcmp), named "strata.Bytewise", with LevelDB's separator hooks.
const Comparator* BytewiseComparator();

int BytewiseCompare(std::string_view a, std::string_view b);
void BytewiseShortestSeparator(std::string* start, std::string_view limit);
void BytewiseShortSuccessor(std::string* key);

}  // namespace strata::sstable
