#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "item/number.h"

namespace strata::item {

// The ten DynamoDB attribute types. The values are the binary item codec's tags: DO NOT CHANGE.
enum class AttrType : uint8_t {
  kS = 0,
  kN = 1,
  kB = 2,
  kBool = 3,
  kNull = 4,
  kSS = 5,
  kNS = 6,
  kBS = 7,
  kL = 8,
  kM = 9,
};

// "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M".
std::string_view AttrTypeName(AttrType type);

class AttributeValue;

struct Null {
  bool operator==(const Null&) const = default;
};
// B: raw bytes (not base64).
struct Binary {
  std::string bytes;
  bool operator==(const Binary&) const = default;
};
// SS and BS: sorted by unsigned bytes, no duplicates, never empty when valid.
struct StringSet {
  std::vector<std::string> values;
  bool operator==(const StringSet&) const = default;
};
struct BinarySet {
  std::vector<std::string> values;
  bool operator==(const BinarySet&) const = default;
};
// NS: sorted numerically, no numeric duplicates.
struct NumberSet {
  std::vector<Number> values;
  bool operator==(const NumberSet&) const = default;
};
using List = std::vector<AttributeValue>;
// M and whole items: sorted by name (bytes), names unique.
using Map = std::vector<std::pair<std::string, AttributeValue>>;
using Item = Map;

// AttributeValue is the typed value of one attribute, parsed once from DynamoDB JSON. Equality
// is DynamoDB equality (numbers numerically, sets as sets, maps by content).
//
// Thread-safety: a value type.
class AttributeValue {
 public:
  // Alternative order follows AttrType.
  using Variant = std::variant<std::string, Number, Binary, bool, Null, StringSet, NumberSet,
                               BinarySet, List, Map>;

  AttributeValue() : v_(Null{}) {}
  template <typename T>
  AttributeValue(T&& v) requires std::is_constructible_v<Variant, T&&> : v_(std::forward<T>(v)) {}

  static AttributeValue String(std::string s) { return AttributeValue(std::move(s)); }
  static AttributeValue Bytes(std::string b) { return AttributeValue(Binary{std::move(b)}); }

  AttrType type() const { return static_cast<AttrType>(v_.index()); }
  const Variant& variant() const { return v_; }
  Variant& variant() { return v_; }

  template <typename T>
  const T& as() const { return std::get<T>(v_); }
  template <typename T>
  T& as() { return std::get<T>(v_); }
  template <typename T>
  bool is() const { return std::holds_alternative<T>(v_); }

  bool operator==(const AttributeValue& other) const { return v_ == other.v_; }

 private:
  Variant v_;
};

// Looks up an attribute of a sorted Map by name; nullptr when absent.
const AttributeValue* FindAttribute(const Map& map, std::string_view name);
// Inserts or replaces, keeping the map sorted.
void SetAttribute(Map* map, std::string name, AttributeValue value);
// Sorts a map by name. REQUIRES: names unique.
void SortMap(Map* map);

}  // namespace strata::item
