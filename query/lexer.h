#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace strata::query {

// The tokens of DynamoDB's expression language, as AWS's lexer defines them:
//
//   WS          [ \t\n\r]+                    (skipped)
//   operators   = <> < <= > >= + - ( ) [ ] , .
//   keywords    IN BETWEEN NOT AND OR SET ADD DELETE REMOVE   (case-insensitive, whole words)
//   INDEX       '0' | [1-9][0-9]*
//   ID          [a-zA-Z][a-zA-Z_0-9]*
//   NAME_SUB    '#' [a-zA-Z_0-9]+
//   VALUE_SUB   ':' [a-zA-Z_0-9]+
//   STRING      '"' ... '"' | '\'' ... '\''  (recognised so that errors name it whole; never
//                                            valid in an expression)
//   UNKNOWN     any other single character (one UTF-8 sequence)
enum class TokenKind : uint8_t {
  kEof,
  kIdentifier,
  kIndex,
  kNameSub,
  kValueSub,
  kString,
  kUnknown,
  // Keywords.
  kIn,
  kBetween,
  kNot,
  kAnd,
  kOr,
  kSet,
  kAdd,
  kDelete,
  kRemove,
  // Punctuation and operators.
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
};

// One token: a view into the expression text. The kEof token is empty and sits at the end of
// the text.
struct Token {
  TokenKind kind = TokenKind::kEof;
  uint32_t begin = 0;  // byte offset in the text
  uint32_t end = 0;    // one past the last byte
};

// Splits `text` into tokens, the last always kEof. Never fails: characters the language does
// not know become kUnknown tokens, which the parser reports as syntax errors.
// REQUIRES: text.size() < 2^32.
//
// Thread-safety: a pure function.
void Tokenize(std::string_view text, std::vector<Token>* tokens);

}  // namespace strata::query
