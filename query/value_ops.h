#pragma once

#include <cstdint>
#include <optional>

#include "item/attribute_value.h"

namespace strata::query {

// Typed operations on attribute values used by condition evaluation, as DynamoDB defines them
// (validated against AWS by dynalite db/index.js and Alternator conditions.cc). Values are
// canonical (item/attribute_value.h): sets sorted and deduplicated, maps sorted by name.
//
// Thread-safety: pure functions.

// DynamoDB equality on any type: numbers numerically, sets as sets, lists element-wise, maps by
// content. Values of different types are unequal.
inline bool ValuesEqual(const item::AttributeValue& a, const item::AttributeValue& b) {
  return a == b;
}

// Ordering for < <= > >= and BETWEEN: defined only between two values of the same type S, N
// or B (S and B by unsigned bytes, N numerically). Returns <0, 0 or >0, or nullopt when the
// values are not comparable.
std::optional<int> CompareOrdered(const item::AttributeValue& a, const item::AttributeValue& b);

// begins_with(a, prefix): both S or both B, `a` starts with `prefix`.
bool BeginsWith(const item::AttributeValue& a, const item::AttributeValue& prefix);

// contains(a, operand): S in S and B in B as a substring; a member of a set of the operand's
// type (S in SS, N in NS, B in BS); an element of a list equal to the operand (any type).
bool Contains(const item::AttributeValue& a, const item::AttributeValue& operand);

// size(a): S in UTF-16 code units (as AWS and dynalite count: "é𝄞" is 3), B in bytes, the
// element count of SS, NS, BS and L, the member count of M; nullopt for N, BOOL and NULL.
std::optional<uint64_t> ValueSize(const item::AttributeValue& a);

// The number of UTF-16 code units of UTF-8 text.
uint64_t Utf16Length(std::string_view utf8);

}  // namespace strata::query
