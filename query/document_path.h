#pragma once

#include <cstddef>
#include <string_view>

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"

namespace strata::query {

// Lookup of document paths (`a.b[3].c`) inside an item. Lookups return pointers into the item
// (no copies) and nullptr when the path does not exist: a missing attribute or member, an index
// past the end of a list, or a step into a value of the wrong type (a name into a non-map, an
// index into a non-list).
//
// Thread-safety: pure functions; the returned pointers are valid while the item is unchanged.

// The attribute name of a kName / kNamePlaceholder element.
inline std::string_view ElementName(const PathElement& e, const Bindings& b) {
  return e.kind == PathElement::Kind::kNamePlaceholder ? std::string_view(*b.names[e.index])
                                                       : std::string_view(e.name);
}

// One step down from `v`; nullptr when absent or `v` has the wrong type.
const item::AttributeValue* StepInto(const item::AttributeValue& v, const ResolvedElement& e);
item::AttributeValue* StepInto(item::AttributeValue& v, const ResolvedElement& e);

// The value at `path` of a bound expression, resolving placeholders on the fly (no
// allocation). `item` nullptr means no item.
const item::AttributeValue* FindPath(const item::Item* item, const Path& path, const Bindings& b);

// The value at the first `len` elements of `path` (len >= 1, len <= path.size()).
const item::AttributeValue* FindPath(const item::Item& item, const ResolvedPath& path, size_t len);
item::AttributeValue* FindMutablePath(item::Item* item, const ResolvedPath& path, size_t len);

// Looks up a member of a sorted map for writing; nullptr when absent.
item::AttributeValue* FindMutableAttribute(item::Map* map, std::string_view name);
// Removes a member of a sorted map; false when absent.
bool EraseAttribute(item::Map* map, std::string_view name);

}  // namespace strata::query
