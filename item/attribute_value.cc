#include "item/attribute_value.h"

#include <algorithm>

namespace strata::item {
namespace {

struct NameLess {
  bool operator()(const std::pair<std::string, AttributeValue>& entry,
                  std::string_view name) const {
    return std::string_view(entry.first) < name;
  }
};

}  // namespace

std::string_view AttrTypeName(AttrType type) {
  switch (type) {
    case AttrType::kS:
      return "S";
    case AttrType::kN:
      return "N";
    case AttrType::kB:
      return "B";
    case AttrType::kBool:
      return "BOOL";
    case AttrType::kNull:
      return "NULL";
    case AttrType::kSS:
      return "SS";
    case AttrType::kNS:
      return "NS";
    case AttrType::kBS:
      return "BS";
    case AttrType::kL:
      return "L";
    case AttrType::kM:
      return "M";
  }
  return "?";
}

const AttributeValue* FindAttribute(const Map& map, std::string_view name) {
  auto it = std::lower_bound(map.begin(), map.end(), name, NameLess());
  if (it == map.end() || it->first != name) return nullptr;
  return &it->second;
}

void SetAttribute(Map* map, std::string name, AttributeValue value) {
  auto it = std::lower_bound(map->begin(), map->end(), std::string_view(name), NameLess());
  if (it != map->end() && it->first == name) {
    it->second = std::move(value);
    return;
  }
  map->emplace(it, std::move(name), std::move(value));
}

void SortMap(Map* map) {
  auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(map->begin(), map->end(), less)) return;
  std::sort(map->begin(), map->end(), less);
}

}  // namespace strata::item
