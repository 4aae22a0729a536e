#include "query/bindings.h"

namespace strata::query {

void ResolvePath(const Path& path, const Bindings& b, ResolvedPath* out) {
  out->clear();
  out->reserve(path.elements.size());
  for (const PathElement& e : path.elements) {
    ResolvedElement r;
    switch (e.kind) {
      case PathElement::Kind::kName:
        r.name = e.name;
        break;
      case PathElement::Kind::kNamePlaceholder:
        r.name = *b.names[e.index];
        break;
      case PathElement::Kind::kIndex:
        r.is_index = true;
        r.index = e.index;
        break;
    }
    out->push_back(r);
  }
}

ResolvedPath ResolvePath(const Path& path, const Bindings& b) {
  ResolvedPath out;
  ResolvePath(path, b, &out);
  return out;
}

std::string PathToString(const ResolvedPath& path) {
  std::string s = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) s += ", ";
    if (path[i].is_index) {
      s += "[" + std::to_string(path[i].index) + "]";
    } else {
      s += path[i].name;
    }
  }
  s += "]";
  return s;
}

}  // namespace strata::query
