#include "query/lexer.h"

#include <cstddef>

namespace strata::query {
namespace {

bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdChar(char c) { return IsIdStart(c) || (c >= '0' && c <= '9') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ASCII case-insensitive equality against an upper-case keyword.
bool EqualsKeyword(std::string_view word, std::string_view upper) {
  if (word.size() != upper.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

TokenKind IdentifierKind(std::string_view word) {
  switch (word.size()) {
    case 2:
      if (EqualsKeyword(word, "IN")) return TokenKind::kIn;
      if (EqualsKeyword(word, "OR")) return TokenKind::kOr;
      break;
    case 3:
      if (EqualsKeyword(word, "NOT")) return TokenKind::kNot;
      if (EqualsKeyword(word, "AND")) return TokenKind::kAnd;
      if (EqualsKeyword(word, "SET")) return TokenKind::kSet;
      if (EqualsKeyword(word, "ADD")) return TokenKind::kAdd;
      break;
    case 6:
      if (EqualsKeyword(word, "DELETE")) return TokenKind::kDelete;
      if (EqualsKeyword(word, "REMOVE")) return TokenKind::kRemove;
      break;
    case 7:
      if (EqualsKeyword(word, "BETWEEN")) return TokenKind::kBetween;
      break;
    default:
      break;
  }
  return TokenKind::kIdentifier;
}

// The length of the UTF-8 sequence starting at text[pos] (1 for an invalid byte).
size_t Utf8Length(std::string_view text, size_t pos) {
  unsigned char c = static_cast<unsigned char>(text[pos]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  for (size_t i = 1; i < n; ++i) {
    if (pos + i >= text.size() || (static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) {
      return 1;
    }
  }
  return n;
}

}  // namespace

void Tokenize(std::string_view text, std::vector<Token>* tokens) {
  tokens->clear();
  size_t pos = 0;
  const size_t n = text.size();
  auto emit = [&](TokenKind kind, size_t begin, size_t end) {
    tokens->push_back(Token{kind, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
  };
  while (pos < n) {
    char c = text[pos];
    if (IsSpace(c)) {
      ++pos;
      continue;
    }
    size_t begin = pos;
    if (IsIdStart(c)) {
      while (pos < n && IsIdChar(text[pos])) ++pos;
      emit(IdentifierKind(text.substr(begin, pos - begin)), begin, pos);
      continue;
    }
    if (IsDigit(c)) {
      ++pos;
      if (c != '0') {
        while (pos < n && IsDigit(text[pos])) ++pos;
      }
      emit(TokenKind::kIndex, begin, pos);
      continue;
    }
    if ((c == '#' || c == ':') && pos + 1 < n && IsIdChar(text[pos + 1])) {
      pos += 2;
      while (pos < n && IsIdChar(text[pos])) ++pos;
      emit(c == '#' ? TokenKind::kNameSub : TokenKind::kValueSub, begin, pos);
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t p = pos + 1;
      while (p < n && text[p] != c) {
        p += (text[p] == '\\' && p + 1 < n && text[p + 1] == c) ? 2 : 1;
      }
      if (p < n) {
        pos = p + 1;
        emit(TokenKind::kString, begin, pos);
        continue;
      }
      ++pos;
      emit(TokenKind::kUnknown, begin, pos);
      continue;
    }
    TokenKind kind = TokenKind::kUnknown;
    size_t len = 1;
    char next = pos + 1 < n ? text[pos + 1] : '\0';
    switch (c) {
      case '(':
        kind = TokenKind::kLParen;
        break;
      case ')':
        kind = TokenKind::kRParen;
        break;
      case '[':
        kind = TokenKind::kLBracket;
        break;
      case ']':
        kind = TokenKind::kRBracket;
        break;
      case ',':
        kind = TokenKind::kComma;
        break;
      case '.':
        kind = TokenKind::kDot;
        break;
      case '=':
        kind = TokenKind::kEq;
        break;
      case '+':
        kind = TokenKind::kPlus;
        break;
      case '-':
        kind = TokenKind::kMinus;
        break;
      case '<':
        if (next == '>') {
          kind = TokenKind::kNe;
          len = 2;
        } else if (next == '=') {
          kind = TokenKind::kLe;
          len = 2;
        } else {
          kind = TokenKind::kLt;
        }
        break;
      case '>':
        if (next == '=') {
          kind = TokenKind::kGe;
          len = 2;
        } else {
          kind = TokenKind::kGt;
        }
        break;
      default:
        len = Utf8Length(text, pos);
        break;
    }
    pos += len;
    emit(kind, begin, pos);
  }
  emit(TokenKind::kEof, n, n);
}

}  // namespace strata::query
