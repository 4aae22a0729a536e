#pragma once

#include <vector>

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"

namespace strata::query {

// The part of `item` named by `paths`, as AWS returns it for ProjectionExpression and for
// ReturnValues UPDATED_OLD / UPDATED_NEW: top-level attributes whole; nested map paths keep
// only the named members; list index paths keep the named elements, in index order, compacted
// into a shorter list. Paths that do not exist in the item contribute nothing.
//
// Thread-safety: a pure function.
item::Item Project(const std::vector<Path>& paths, const Bindings& b, const item::Item& item);

}  // namespace strata::query
