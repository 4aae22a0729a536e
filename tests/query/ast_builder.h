#pragma once

// Test helpers for query/: typed values and hand-built ASTs with their bindings, so that the
// evaluator, update and projection tests do not depend on the parser.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "item/attribute_value.h"
#include "item/json.h"
#include "item/number.h"
#include "query/ast.h"
#include "query/bindings.h"

namespace strata::query::test {

using item::AttributeValue;

inline item::Number Num(std::string_view text) {
  Result<item::Number> r = item::Number::Parse(text);
  if (!r.ok()) {
    ADD_FAILURE() << "bad number " << text;
    return item::Number();
  }
  return r.value();
}

inline AttributeValue S(std::string s) { return AttributeValue::String(std::move(s)); }
inline AttributeValue N(std::string_view text) { return AttributeValue(Num(text)); }
inline AttributeValue B(std::string bytes) { return AttributeValue::Bytes(std::move(bytes)); }
inline AttributeValue Bool(bool v) { return AttributeValue(v); }
inline AttributeValue Null() { return AttributeValue(item::Null{}); }
// Sets are canonicalised (sorted, deduplicated) as item/attribute_value.h requires.
inline AttributeValue SS(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return AttributeValue(item::StringSet{std::move(v)});
}
inline AttributeValue BS(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return AttributeValue(item::BinarySet{std::move(v)});
}
inline AttributeValue NS(std::vector<std::string_view> texts) {
  std::vector<item::Number> v;
  for (std::string_view t : texts) v.push_back(Num(t));
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return AttributeValue(item::NumberSet{std::move(v)});
}
inline AttributeValue L(std::vector<AttributeValue> v) {
  return AttributeValue(item::List(std::move(v)));
}
inline item::Map Members(std::vector<std::pair<std::string, AttributeValue>> v) {
  item::Map m(std::move(v));
  item::SortMap(&m);
  return m;
}
inline AttributeValue M(std::vector<std::pair<std::string, AttributeValue>> v) {
  return AttributeValue(Members(std::move(v)));
}
inline item::Item ItemOf(std::vector<std::pair<std::string, AttributeValue>> v) {
  return Members(std::move(v));
}

// DynamoDB JSON text, for readable failure messages.
inline std::string Json(const item::Map& m) {
  std::string out;
  item::JsonWriter w(&out);
  w.AttributeMap(m);
  return out;
}

// Builds one ParsedExpression by hand, with the request's ExpressionAttributeNames / Values
// kept alive inside the builder. Paths are written "a.#b[2].c": `#x` becomes a name
// placeholder bound to Name("#x", ...) or, by default, to "x".
//
// Thread-safety: none. Lifecycle: Bindings() points into the builder, which must outlive them.
class ExprBuilder {
 public:
  explicit ExprBuilder(ExpressionKind kind = ExpressionKind::kCondition) { expr_.kind = kind; }

  void Name(std::string placeholder, std::string name) {
    names_[std::move(placeholder)] = std::move(name);
  }

  Path P(std::string_view text) {
    Path p;
    size_t i = 0;
    while (i < text.size()) {
      if (text[i] == '.') {
        ++i;
      } else if (text[i] == '[') {
        size_t close = text.find(']', i);
        PathElement e;
        e.kind = PathElement::Kind::kIndex;
        e.index = static_cast<uint32_t>(
            std::strtoul(std::string(text.substr(i + 1, close - i - 1)).c_str(), nullptr, 10));
        p.elements.push_back(e);
        i = close + 1;
      } else {
        size_t end = text.find_first_of(".[", i);
        if (end == std::string_view::npos) end = text.size();
        std::string name(text.substr(i, end - i));
        PathElement e;
        if (name[0] == '#') {
          e.kind = PathElement::Kind::kNamePlaceholder;
          e.index = InternName(name);
        } else {
          e.kind = PathElement::Kind::kName;
          e.name = name;
        }
        p.elements.push_back(e);
        i = end;
      }
    }
    return p;
  }

  Operand Attr(std::string_view path) {
    Operand o;
    o.kind = Operand::Kind::kPath;
    o.path = P(path);
    return o;
  }
  Operand Val(AttributeValue v) {
    Operand o;
    o.kind = Operand::Kind::kValue;
    o.value = static_cast<uint32_t>(values_.size());
    expr_.value_placeholders.push_back(":v" + std::to_string(values_.size()));
    values_.push_back(std::move(v));
    return o;
  }
  Operand Size(std::string_view path) {
    Operand o;
    o.kind = Operand::Kind::kSize;
    o.path = P(path);
    return o;
  }
  static Operand Fn(Operand::Kind kind, Operand a, Operand b) {
    Operand o;
    o.kind = kind;
    o.args.push_back(std::move(a));
    o.args.push_back(std::move(b));
    return o;
  }
  static Operand Plus(Operand a, Operand b) { return Fn(Operand::Kind::kPlus, a, b); }
  static Operand Minus(Operand a, Operand b) { return Fn(Operand::Kind::kMinus, a, b); }
  static Operand ListAppend(Operand a, Operand b) { return Fn(Operand::Kind::kListAppend, a, b); }
  Operand IfNotExists(std::string_view path, Operand fallback) {
    return Fn(Operand::Kind::kIfNotExists, Attr(path), std::move(fallback));
  }

  static Condition Cmp(Operand a, CompareOp op, Operand b) {
    Condition c;
    c.kind = Condition::Kind::kCompare;
    c.op = op;
    c.operands = {std::move(a), std::move(b)};
    return c;
  }
  static Condition Between(Operand v, Operand lo, Operand hi) {
    Condition c;
    c.kind = Condition::Kind::kBetween;
    c.operands = {std::move(v), std::move(lo), std::move(hi)};
    return c;
  }
  static Condition In(Operand v, std::vector<Operand> list) {
    Condition c;
    c.kind = Condition::Kind::kIn;
    c.operands.push_back(std::move(v));
    for (Operand& o : list) c.operands.push_back(std::move(o));
    return c;
  }
  static Condition Func(Function f, std::vector<Operand> args) {
    Condition c;
    c.kind = Condition::Kind::kFunction;
    c.function = f;
    c.operands = std::move(args);
    return c;
  }
  static Condition Logic(Condition::Kind kind, Condition a, Condition b) {
    Condition c;
    c.kind = kind;
    c.children = {std::move(a), std::move(b)};
    return c;
  }
  static Condition And(Condition a, Condition b) {
    return Logic(Condition::Kind::kAnd, std::move(a), std::move(b));
  }
  static Condition Or(Condition a, Condition b) {
    return Logic(Condition::Kind::kOr, std::move(a), std::move(b));
  }
  static Condition Not(Condition a) {
    Condition c;
    c.kind = Condition::Kind::kNot;
    c.children = {std::move(a)};
    return c;
  }

  void SetCondition(Condition c) { expr_.condition = std::move(c); }

  void Set(std::string_view path, Operand value) {
    Action(UpdateAction::Kind::kSet, path, std::move(value));
  }
  void Remove(std::string_view path) { Action(UpdateAction::Kind::kRemove, path, Operand{}); }
  void Add(std::string_view path, AttributeValue v) {
    Action(UpdateAction::Kind::kAdd, path, Val(std::move(v)));
  }
  void Delete(std::string_view path, AttributeValue v) {
    Action(UpdateAction::Kind::kDelete, path, Val(std::move(v)));
  }
  void Project(std::string_view path) { expr_.projection.push_back(P(path)); }

  const ParsedExpression& expr() const { return expr_; }

  // The bindings of the expression built so far.
  query::Bindings Bindings() {
    query::Bindings b;
    for (const std::string& placeholder : expr_.name_placeholders) {
      auto it = names_.find(placeholder);
      if (it == names_.end()) it = names_.emplace(placeholder, placeholder.substr(1)).first;
      b.names.push_back(&it->second);
    }
    for (const AttributeValue& v : values_) b.values.push_back(&v);
    return b;
  }

 private:
  uint32_t InternName(const std::string& placeholder) {
    auto& ph = expr_.name_placeholders;
    auto it = std::find(ph.begin(), ph.end(), placeholder);
    if (it != ph.end()) return static_cast<uint32_t>(it - ph.begin());
    ph.push_back(placeholder);
    return static_cast<uint32_t>(ph.size() - 1);
  }
  void Action(UpdateAction::Kind kind, std::string_view path, Operand value) {
    UpdateAction a;
    a.kind = kind;
    a.path = P(path);
    a.value = std::move(value);
    expr_.actions.push_back(std::move(a));
  }

  ParsedExpression expr_;
  std::map<std::string, std::string> names_;  // node-based: pointers stay valid
  std::deque<AttributeValue> values_;         // deque: pointers stay valid on push_back
};

}  // namespace strata::query::test
