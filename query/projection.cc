#include "query/projection.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "query/document_path.h"

namespace strata::query {

using item::AttributeValue;

namespace {

// The part of the item selected under one document node: either the whole value, or selected
// members (a map) or selected elements (a list) of it. Nodes borrow from the item and the
// bindings, which outlive the projection.
struct ProjectionChild;
struct ProjectionNode {
  const AttributeValue* whole = nullptr;
  std::vector<ProjectionChild> children;  // members by name or elements by index, never mixed

  ProjectionNode* Child(const ResolvedElement& key);
  AttributeValue Build() const;
};
struct ProjectionChild {
  ResolvedElement key;
  ProjectionNode node;
};

ProjectionNode* ProjectionNode::Child(const ResolvedElement& key) {
  for (ProjectionChild& c : children) {
    if (c.key == key) return &c.node;
  }
  children.push_back(ProjectionChild{key, ProjectionNode{}});
  return &children.back().node;
}

AttributeValue ProjectionNode::Build() const {
  if (whole != nullptr) return *whole;
  if (!children.empty() && children[0].key.is_index) {
    std::vector<const ProjectionChild*> order;
    order.reserve(children.size());
    for (const ProjectionChild& c : children) order.push_back(&c);
    std::sort(order.begin(), order.end(), [](const ProjectionChild* a, const ProjectionChild* b) {
      return a->key.index < b->key.index;
    });
    item::List list;
    list.reserve(order.size());
    for (const ProjectionChild* c : order) list.push_back(c->node.Build());
    return list;
  }
  item::Map map;
  map.reserve(children.size());
  for (const ProjectionChild& c : children)
    map.emplace_back(std::string(c.key.name), c.node.Build());
  item::SortMap(&map);
  return map;
}

}  // namespace

item::Item Project(const std::vector<Path>& paths, const Bindings& b, const item::Item& item) {
  item::Item out;
  // Top-level paths copy whole attributes; nested ones build a tree first.
  ProjectionNode root;
  ResolvedPath resolved;
  for (const Path& path : paths) {
    if (path.elements.empty()) continue;
    const AttributeValue* v = FindPath(&item, path, b);
    if (v == nullptr) continue;
    if (path.elements.size() == 1) {
      std::string_view name = ElementName(path.elements[0], b);
      root.Child(ResolvedElement{false, name, 0})->whole = v;
      continue;
    }
    ResolvePath(path, b, &resolved);
    ProjectionNode* node = &root;
    for (const ResolvedElement& e : resolved) node = node->Child(e);
    node->whole = v;
  }
  out.reserve(root.children.size());
  for (const ProjectionChild& c : root.children) {
    out.emplace_back(std::string(c.key.name), c.node.Build());
  }
  item::SortMap(&out);
  return out;
}

}  // namespace strata::query
