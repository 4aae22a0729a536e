#pragma once

#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"

namespace strata::query {

// The checks of a parsed expression that come after parsing, in AWS's order (dynalite's
// parsers, validated against AWS, rank them): for conditions, leaf by leaf in text order,
// undefined names/values, then operand counts, then repeated operands ("a = a"), then operand
// types (function operands, BETWEEN bounds, attribute_type names); for updates, undefined
// names, undefined values, overlapping paths, conflicting paths, ADD/DELETE operand types,
// then function operand counts and types; for projections, undefined names, overlapping and
// conflicting paths. Messages are returned without the "Invalid <Kind>: " prefix; empty means
// valid.
//
// Thread-safety: pure functions.

// Only the checks that need no request values (operand counts, document-path requirements):
// what ParseExpression() adds to the parse.
std::string CheckStructure(const ParsedExpression& expr);

// Binds `expr` to the request's ExpressionAttributeNames / Values (either may be null when
// absent) and runs every check. On success fills `*bindings` and sets used_names[i] /
// used_values[i] for each entry of `names` / `values` the expression refers to (the vectors
// must be sized to the maps).
std::string BindExpression(const ParsedExpression& expr, const NameMap* names,
                           const item::Map* values, Bindings* bindings,
                           std::vector<bool>* used_names, std::vector<bool>* used_values);

}  // namespace strata::query
