#include "query/value_ops.h"

#include <algorithm>
#include <compare>
#include <string>
#include <string_view>

namespace strata::query {

using item::AttributeValue;
using item::AttrType;

namespace {

int Sign(std::strong_ordering o) { return o < 0 ? -1 : (o > 0 ? 1 : 0); }

// std::string_view compares through char_traits<char>, which orders as unsigned char.
int CompareBytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<int> CompareOrdered(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case AttrType::kS:
      return CompareBytes(a.as<std::string>(), b.as<std::string>());
    case AttrType::kN:
      return Sign(a.as<item::Number>() <=> b.as<item::Number>());
    case AttrType::kB:
      return CompareBytes(a.as<item::Binary>().bytes, b.as<item::Binary>().bytes);
    default:
      return std::nullopt;
  }
}

bool BeginsWith(const AttributeValue& a, const AttributeValue& prefix) {
  if (a.type() != prefix.type()) return false;
  if (a.type() == AttrType::kS) {
    return std::string_view(a.as<std::string>()).starts_with(prefix.as<std::string>());
  }
  if (a.type() == AttrType::kB) {
    return std::string_view(a.as<item::Binary>().bytes)
        .starts_with(prefix.as<item::Binary>().bytes);
  }
  return false;
}

bool Contains(const AttributeValue& a, const AttributeValue& operand) {
  switch (a.type()) {
    case AttrType::kS:
      return operand.type() == AttrType::kS &&
             a.as<std::string>().find(operand.as<std::string>()) != std::string::npos;
    case AttrType::kB:
      return operand.type() == AttrType::kB &&
             a.as<item::Binary>().bytes.find(operand.as<item::Binary>().bytes) != std::string::npos;
    case AttrType::kSS: {
      if (operand.type() != AttrType::kS) return false;
      const auto& v = a.as<item::StringSet>().values;
      return std::binary_search(v.begin(), v.end(), operand.as<std::string>());
    }
    case AttrType::kBS: {
      if (operand.type() != AttrType::kB) return false;
      const auto& v = a.as<item::BinarySet>().values;
      return std::binary_search(v.begin(), v.end(), operand.as<item::Binary>().bytes);
    }
    case AttrType::kNS: {
      if (operand.type() != AttrType::kN) return false;
      const auto& v = a.as<item::NumberSet>().values;
      return std::binary_search(v.begin(), v.end(), operand.as<item::Number>());
    }
    case AttrType::kL: {
      const auto& l = a.as<item::List>();
      return std::find(l.begin(), l.end(), operand) != l.end();
    }
    default:
      return false;
  }
}

uint64_t Utf16Length(std::string_view utf8) {
  uint64_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;  // a lead byte starts a code point
    if (c >= 0xF0) ++n;           // four-byte sequences are surrogate pairs in UTF-16
  }
  return n;
}

std::optional<uint64_t> ValueSize(const AttributeValue& a) {
  switch (a.type()) {
    case AttrType::kS:
      return Utf16Length(a.as<std::string>());
    case AttrType::kB:
      return a.as<item::Binary>().bytes.size();
    case AttrType::kSS:
      return a.as<item::StringSet>().values.size();
    case AttrType::kNS:
      return a.as<item::NumberSet>().values.size();
    case AttrType::kBS:
      return a.as<item::BinarySet>().values.size();
    case AttrType::kL:
      return a.as<item::List>().size();
    case AttrType::kM:
      return a.as<item::Map>().size();
    default:
      return std::nullopt;
  }
}

}  // namespace strata::query
