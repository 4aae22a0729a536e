#pragma once

#include <memory>
#include <vector>

#include "engine/internal_iterator.h"

namespace strata::engine {

// Merges children that each walk entries in internal key order into one internal key order
// stream (LevelDB's MergingIterator): the active memtable, the immutable memtables and the
// SSTables of a Version. Entries are not deduplicated: equal internal keys from two children
// both appear (DbIter shows only the newest version of each user key anyway). Moving forwards
// and backwards are both supported; changing direction re-seeks every other child. A child may
// gain entries while it is merged (the active memtable, from a concurrent writer): the merge
// still never steps back onto a key after the one it left.
//
// status() is the first non-OK status of a child; a child that fails becomes invalid and the
// merge goes on without it, so callers must check status() when iteration ends.
//
// Thread-safety: one thread at a time. Lifecycle: owns its children, and keeps `pin` (e.g. the
// read view holding the Version whose files the children read) alive until destroyed.
std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children,
    std::shared_ptr<const void> pin = nullptr);

}  // namespace strata::engine
