#pragma once

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"
#include "util/status.h"

namespace strata::query {

// Applies the actions of a bound update expression to *item (an empty item when the item did
// not exist). Every operand is evaluated against the item as it was before the update, as
// AWS does; then SET, REMOVE (list elements shift down; indexes of one list removed highest
// first), ADD (numbers exactly, sets union; creates the attribute) and DELETE (set
// difference; an empty result removes the attribute) are applied. On error *item is
// unchanged and the ValidationException carries AWS's wording ("The provided expression
// refers to an attribute that does not exist in the item", "An operand in the update
// expression has an incorrect data type", "The document path provided in the update
// expression is invalid for update", number overflow/precision messages of item/number.h).
//
// Thread-safety: a pure function.
Status ApplyUpdate(const ParsedExpression& expr, const Bindings& b, item::Item* item);

}  // namespace strata::query
