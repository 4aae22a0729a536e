#pragma once

#include <cstddef>
#include <string_view>

namespace strata::query {

// Whether `word` is one of DynamoDB's ~570 reserved words (compared case-insensitively), which
// an expression may not use as a bare attribute name ("Attribute name is a reserved keyword;
// reserved keyword: <word>").
//
// Thread-safety: pure functions over constant data.
bool IsReservedWord(std::string_view word);

// The number of reserved words (for tests).
size_t ReservedWordCount();

}  // namespace strata::query
