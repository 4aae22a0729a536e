#pragma once

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"

namespace strata::query {

// Evaluates a condition (ConditionExpression, FilterExpression, KeyConditionExpression) of a
// bound expression against an item; `item` nullptr means no item (every path is absent).
// Semantics as AWS (dynalite db/index.js, validated against AWS): < <= > >= and BETWEEN only
// between equal types S, N, B (numbers numerically, S and B as unsigned bytes); = and <> by
// DynamoDB equality on any type; absent operands as AWS treats them; IN is = against any
// operand; attribute_type compares the type name; begins_with on S or B; contains on S and B
// (substring), sets (member) and lists (element); size of S and B (length), sets, L and M
// (element count).
//
// Thread-safety: a pure function.
bool EvaluateCondition(const ParsedExpression& expr, const Bindings& b, const item::Item* item);

}  // namespace strata::query
