#include "query/document_path.h"

#include <algorithm>

namespace strata::query {

using item::AttributeValue;
using item::AttrType;

namespace {

struct NameLess {
  bool operator()(const std::pair<std::string, AttributeValue>& entry,
                  std::string_view name) const {
    return std::string_view(entry.first) < name;
  }
};

}  // namespace

item::AttributeValue* FindMutableAttribute(item::Map* map, std::string_view name) {
  auto it = std::lower_bound(map->begin(), map->end(), name, NameLess());
  if (it == map->end() || it->first != name) return nullptr;
  return &it->second;
}

bool EraseAttribute(item::Map* map, std::string_view name) {
  auto it = std::lower_bound(map->begin(), map->end(), name, NameLess());
  if (it == map->end() || it->first != name) return false;
  map->erase(it);
  return true;
}

const AttributeValue* StepInto(const AttributeValue& v, const ResolvedElement& e) {
  if (e.is_index) {
    if (v.type() != AttrType::kL) return nullptr;
    const item::List& l = v.as<item::List>();
    return e.index < l.size() ? &l[e.index] : nullptr;
  }
  if (v.type() != AttrType::kM) return nullptr;
  return item::FindAttribute(v.as<item::Map>(), e.name);
}

AttributeValue* StepInto(AttributeValue& v, const ResolvedElement& e) {
  if (e.is_index) {
    if (v.type() != AttrType::kL) return nullptr;
    item::List& l = v.as<item::List>();
    return e.index < l.size() ? &l[e.index] : nullptr;
  }
  if (v.type() != AttrType::kM) return nullptr;
  return FindMutableAttribute(&v.as<item::Map>(), e.name);
}

const AttributeValue* FindPath(const item::Item* item, const Path& path, const Bindings& b) {
  if (item == nullptr || path.elements.empty()) return nullptr;
  const AttributeValue* v = item::FindAttribute(*item, ElementName(path.elements[0], b));
  for (size_t i = 1; v != nullptr && i < path.elements.size(); ++i) {
    const PathElement& e = path.elements[i];
    if (e.kind == PathElement::Kind::kIndex) {
      if (v->type() != AttrType::kL) return nullptr;
      const item::List& l = v->as<item::List>();
      v = e.index < l.size() ? &l[e.index] : nullptr;
    } else {
      if (v->type() != AttrType::kM) return nullptr;
      v = item::FindAttribute(v->as<item::Map>(), ElementName(e, b));
    }
  }
  return v;
}

const AttributeValue* FindPath(const item::Item& item, const ResolvedPath& path, size_t len) {
  if (len == 0 || path[0].is_index) return nullptr;
  const AttributeValue* v = item::FindAttribute(item, path[0].name);
  for (size_t i = 1; v != nullptr && i < len; ++i) v = StepInto(*v, path[i]);
  return v;
}

AttributeValue* FindMutablePath(item::Item* item, const ResolvedPath& path, size_t len) {
  if (len == 0 || path[0].is_index) return nullptr;
  AttributeValue* v = FindMutableAttribute(item, path[0].name);
  for (size_t i = 1; v != nullptr && i < len; ++i) v = StepInto(*v, path[i]);
  return v;
}

}  // namespace strata::query
