#pragma once

#include <memory>
#include <string_view>

#include "query/ast.h"
#include "util/result.h"

namespace strata::query {

// Parses one expression of `kind` with a hand-written lexer and recursive-descent parser.
//
// Checks everything that depends on the text alone, with AWS's wording after the prefix
// "Invalid <Kind>: " (ValidationException): empty expression, size > 4 KB, syntax errors
// ("Syntax error; token: \"<tok>\", near: \"<context>\""), reserved words used bare
// (case-insensitive), invalid function names, operand counts, functions used where they are
// not allowed, redundant parentheses, more than 300 operators, IN with more than 100 operands,
// repeated update clauses, placeholder tokens longer than 255 characters. Nesting is bounded,
// so no input overflows the stack.
//
// Thread-safety: a pure function.
Result<std::shared_ptr<const ParsedExpression>> ParseExpression(ExpressionKind kind,
                                                                std::string_view text);

}  // namespace strata::query
