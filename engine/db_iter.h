#pragma once

#include <cstdint>
#include <memory>

#include "engine/internal_iterator.h"
#include "engine/iterator.h"

namespace strata::engine {

// Wraps an InternalIterator into the user-level Iterator at snapshot `snapshot`: for each user
// key only the newest version with sequence <= snapshot counts, and keys whose newest such
// version is a tombstone are hidden.
std::unique_ptr<Iterator> NewDbIterator(std::unique_ptr<InternalIterator> internal,
                                        uint64_t snapshot);

}  // namespace strata::engine
