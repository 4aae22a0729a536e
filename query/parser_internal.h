#pragma once

#include <string>
#include <string_view>

#include "query/ast.h"
#include "util/status.h"

namespace strata::query::internal {

// The expression-size limit (bytes) and the limits AWS applies while parsing.
inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxOperators = 300;
inline constexpr size_t kMaxInOperands = 100;
// Nesting of parentheses and function calls. No valid expression of at most 4 KB nests this
// deep (each level needs an operator, or is redundant, or is an invalid nesting), so the limit
// only bounds the recursion.
inline constexpr int kMaxNesting = 320;

// "Invalid <Kind>: " + message, as a ValidationException.
Status ExpressionError(ExpressionKind kind, std::string_view message);

// Parses `text` and performs every text-only check that AWS reports before the checks that
// need the request's names and values (syntax, size, redundant parentheses, operator counts,
// function names and placement, reserved words, repeated update sections). It does NOT check
// operand counts or document-path requirements, which AWS ranks below undefined placeholders;
// the AST may then hold functions with the wrong number of operands.
Status ParseUnchecked(ExpressionKind kind, std::string_view text, ParsedExpression* out);

}  // namespace strata::query::internal
