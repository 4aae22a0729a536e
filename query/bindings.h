#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "item/attribute_value.h"
#include "query/ast.h"

namespace strata::query {

// ExpressionAttributeNames of a request: (placeholder "#a", attribute name), sorted by
// placeholder.
using NameMap = std::vector<std::pair<std::string, std::string>>;

// What the placeholders of one ParsedExpression stand for in one request: names[i] for
// name_placeholders[i], values[i] for value_placeholders[i]. The pointers refer into the
// request's ExpressionAttributeNames / ExpressionAttributeValues, which must outlive the
// bindings.
//
// Thread-safety: a value type.
struct Bindings {
  std::vector<const std::string*> names;
  std::vector<const item::AttributeValue*> values;
};

// One step of a path with its placeholder substituted.
struct ResolvedElement {
  bool is_index = false;
  std::string_view name;  // when !is_index
  uint32_t index = 0;     // when is_index
  bool operator==(const ResolvedElement&) const = default;
};
using ResolvedPath = std::vector<ResolvedElement>;

// The path with every #placeholder replaced by its bound name. REQUIRES: `b` binds the
// expression `path` belongs to.
ResolvedPath ResolvePath(const Path& path, const Bindings& b);
void ResolvePath(const Path& path, const Bindings& b, ResolvedPath* out);

// The value a kValue operand stands for.
inline const item::AttributeValue& BoundValue(const Bindings& b, uint32_t index) {
  return *b.values[index];
}

// "[a, b, [3], c]": how AWS prints a path in error messages.
std::string PathToString(const ResolvedPath& path);

}  // namespace strata::query
