#include "query/update.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "item/api_error.h"
#include "query/document_path.h"

namespace strata::query {

using item::AttributeValue;
using item::AttrType;

// An update runs in two phases. Phase 1 reads only the original item: it computes every SET
// value, locates every target path (its parent must exist and be a map for a name step, a list
// for an index step) and computes the new values of ADD and DELETE, so every error surfaces
// before anything changes. Phase 2 applies the resulting changes and cannot fail: writes in
// place, then appends past the end of lists in index order (AWS appends `SET a[9]` to a
// 3-element list as a[3]), then removals in descending path order, so that removing list
// elements never shifts the position of another change's target. Targets are addressed as in
// the original item; the parser has rejected overlapping paths, so no change can move or
// replace the parent of another.

namespace {

constexpr std::string_view kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr std::string_view kIncorrectType =
    "An operand in the update expression has an incorrect data type";
constexpr std::string_view kInvalidPath =
    "The document path provided in the update expression is invalid for update";

struct Change {
  enum class Kind : uint8_t { kWrite, kAppend, kRemove };
  Kind kind = Kind::kWrite;
  ResolvedPath path;
  AttributeValue value;  // kWrite, kAppend
};

// A computed operand: a pointer into the item or the request, or a value computed into `owned`.
struct Computed {
  const AttributeValue* ref = nullptr;
  AttributeValue owned;
  bool is_owned = false;

  const AttributeValue* get() const { return is_owned ? &owned : ref; }
  void Own(AttributeValue v) {
    owned = std::move(v);
    is_owned = true;
  }
  AttributeValue Take() && { return is_owned ? std::move(owned) : *ref; }
};

// Evaluates a SET operand against the original item.
Status EvalSetOperand(const Operand& op, const Bindings& b, const item::Item& item, Computed* out) {
  switch (op.kind) {
    case Operand::Kind::kPath:
      out->ref = FindPath(&item, op.path, b);
      if (out->ref == nullptr) return item::ValidationError(kMissingAttribute);
      return Status::OK();
    case Operand::Kind::kValue:
      out->ref = &BoundValue(b, op.value);
      return Status::OK();
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      Computed lhs;
      RETURN_IF_ERROR(EvalSetOperand(op.args[0], b, item, &lhs));
      if (lhs.get()->type() != AttrType::kN) return item::ValidationError(kIncorrectType);
      Computed rhs;
      RETURN_IF_ERROR(EvalSetOperand(op.args[1], b, item, &rhs));
      if (rhs.get()->type() != AttrType::kN) return item::ValidationError(kIncorrectType);
      const item::Number& x = lhs.get()->as<item::Number>();
      const item::Number& y = rhs.get()->as<item::Number>();
      Result<item::Number> r =
          op.kind == Operand::Kind::kPlus ? item::Number::Add(x, y) : item::Number::Subtract(x, y);
      if (!r.ok()) return std::move(r).TakeStatus();
      out->Own(std::move(r).value());
      return Status::OK();
    }
    case Operand::Kind::kIfNotExists: {
      const Operand& probe = op.args[0];
      const AttributeValue* existing =
          probe.kind == Operand::Kind::kPath ? FindPath(&item, probe.path, b) : nullptr;
      if (existing != nullptr) {
        out->ref = existing;
        return Status::OK();
      }
      return EvalSetOperand(op.args[1], b, item, out);
    }
    case Operand::Kind::kListAppend: {
      Computed first;
      RETURN_IF_ERROR(EvalSetOperand(op.args[0], b, item, &first));
      if (first.get()->type() != AttrType::kL) return item::ValidationError(kIncorrectType);
      Computed second;
      RETURN_IF_ERROR(EvalSetOperand(op.args[1], b, item, &second));
      if (second.get()->type() != AttrType::kL) return item::ValidationError(kIncorrectType);
      item::List joined;
      if (first.is_owned) {
        joined = std::move(first.owned.as<item::List>());
      } else {
        joined = first.get()->as<item::List>();
      }
      const item::List& tail = second.get()->as<item::List>();
      joined.insert(joined.end(), tail.begin(), tail.end());
      out->Own(std::move(joined));
      return Status::OK();
    }
    case Operand::Kind::kSize:
      break;
  }
  // size() is not an update operand; the parser rejects it.
  return item::ValidationError(kIncorrectType);
}

// Where a target path lands in the original item.
struct Target {
  const AttributeValue* existing = nullptr;  // the current value, nullptr when absent
  bool past_end = false;                     // an index at or past the end of its list
};

Status LocateTarget(const item::Item& item, const ResolvedPath& path, Target* t) {
  if (path.empty() || path[0].is_index) return item::ValidationError(kInvalidPath);
  if (path.size() == 1) {
    t->existing = item::FindAttribute(item, path[0].name);
    return Status::OK();
  }
  const AttributeValue* parent = FindPath(item, path, path.size() - 1);
  const ResolvedElement& last = path.back();
  if (parent == nullptr) return item::ValidationError(kInvalidPath);
  if (last.is_index) {
    if (parent->type() != AttrType::kL) return item::ValidationError(kInvalidPath);
    const item::List& l = parent->as<item::List>();
    if (last.index < l.size()) {
      t->existing = &l[last.index];
    } else {
      t->past_end = true;
    }
  } else {
    if (parent->type() != AttrType::kM) return item::ValidationError(kInvalidPath);
    t->existing = item::FindAttribute(parent->as<item::Map>(), last.name);
  }
  return Status::OK();
}

template <typename T, typename Less>
std::vector<T> SortedUnion(const std::vector<T>& a, const std::vector<T>& b, Less less) {
  std::vector<T> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), less);
  return out;
}

template <typename T, typename Less>
std::vector<T> SortedDifference(const std::vector<T>& a, const std::vector<T>& b, Less less) {
  std::vector<T> out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), less);
  return out;
}

bool IsSet(AttrType t) { return t == AttrType::kSS || t == AttrType::kNS || t == AttrType::kBS; }

// ADD: the new value of the target. `existing` may be nullptr.
Status ComputeAdd(const AttributeValue* existing, const AttributeValue& operand,
                  AttributeValue* out) {
  AttrType t = operand.type();
  if (t != AttrType::kN && !IsSet(t)) return item::ValidationError(kIncorrectType);
  if (existing == nullptr) {
    *out = operand;
    return Status::OK();
  }
  if (existing->type() != t) return item::ValidationError(kIncorrectType);
  std::less<> less;
  switch (t) {
    case AttrType::kN: {
      Result<item::Number> r =
          item::Number::Add(existing->as<item::Number>(), operand.as<item::Number>());
      if (!r.ok()) return std::move(r).TakeStatus();
      *out = std::move(r).value();
      return Status::OK();
    }
    case AttrType::kSS:
      *out = item::StringSet{SortedUnion(existing->as<item::StringSet>().values,
                                         operand.as<item::StringSet>().values, less)};
      return Status::OK();
    case AttrType::kBS:
      *out = item::BinarySet{SortedUnion(existing->as<item::BinarySet>().values,
                                         operand.as<item::BinarySet>().values, less)};
      return Status::OK();
    case AttrType::kNS:
      *out = item::NumberSet{SortedUnion(existing->as<item::NumberSet>().values,
                                         operand.as<item::NumberSet>().values, less)};
      return Status::OK();
    default:
      return item::ValidationError(kIncorrectType);
  }
}

// DELETE: the set left after removing `operand`'s members from `existing` (never nullptr);
// *empty when nothing is left.
Status ComputeDelete(const AttributeValue& existing, const AttributeValue& operand,
                     AttributeValue* out, bool* empty) {
  AttrType t = operand.type();
  if (!IsSet(t) || existing.type() != t) return item::ValidationError(kIncorrectType);
  std::less<> less;
  switch (t) {
    case AttrType::kSS: {
      auto v = SortedDifference(existing.as<item::StringSet>().values,
                                operand.as<item::StringSet>().values, less);
      *empty = v.empty();
      *out = item::StringSet{std::move(v)};
      break;
    }
    case AttrType::kBS: {
      auto v = SortedDifference(existing.as<item::BinarySet>().values,
                                operand.as<item::BinarySet>().values, less);
      *empty = v.empty();
      *out = item::BinarySet{std::move(v)};
      break;
    }
    default: {
      auto v = SortedDifference(existing.as<item::NumberSet>().values,
                                operand.as<item::NumberSet>().values, less);
      *empty = v.empty();
      *out = item::NumberSet{std::move(v)};
      break;
    }
  }
  return Status::OK();
}

// Orders paths element by element (names bytewise, indexes numerically, a prefix first).
bool PathLess(const ResolvedPath& a, const ResolvedPath& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const ResolvedElement& x = a[i];
    const ResolvedElement& y = b[i];
    if (x.is_index != y.is_index) return x.is_index < y.is_index;
    if (x.is_index) {
      if (x.index != y.index) return x.index < y.index;
    } else if (x.name != y.name) {
      return x.name < y.name;
    }
  }
  return a.size() < b.size();
}

// The container that holds the last element of `path`, in the item being changed.
AttributeValue* MutableParent(item::Item* item, const ResolvedPath& path) {
  return FindMutablePath(item, path, path.size() - 1);
}

void ApplyWrite(item::Item* item, Change* c) {
  const ResolvedElement& last = c->path.back();
  if (c->path.size() == 1) {
    item::SetAttribute(item, std::string(last.name), std::move(c->value));
    return;
  }
  AttributeValue* parent = MutableParent(item, c->path);
  if (parent == nullptr) return;  // unreachable: phase 1 located it
  if (last.is_index) {
    if (parent->type() != AttrType::kL) return;
    item::List& l = parent->as<item::List>();
    if (c->kind == Change::Kind::kAppend || last.index >= l.size()) {
      l.push_back(std::move(c->value));
    } else {
      l[last.index] = std::move(c->value);
    }
  } else if (parent->type() == AttrType::kM) {
    item::SetAttribute(&parent->as<item::Map>(), std::string(last.name), std::move(c->value));
  }
}

void ApplyRemove(item::Item* item, const Change& c) {
  const ResolvedElement& last = c.path.back();
  if (c.path.size() == 1) {
    EraseAttribute(item, last.name);
    return;
  }
  AttributeValue* parent = MutableParent(item, c.path);
  if (parent == nullptr) return;
  if (last.is_index) {
    if (parent->type() != AttrType::kL) return;
    item::List& l = parent->as<item::List>();
    if (last.index < l.size()) l.erase(l.begin() + last.index);
  } else if (parent->type() == AttrType::kM) {
    EraseAttribute(&parent->as<item::Map>(), last.name);
  }
}

}  // namespace

Status ApplyUpdate(const ParsedExpression& expr, const Bindings& b, item::Item* item) {
  const item::Item& original = *item;
  const std::vector<UpdateAction>& actions = expr.actions;

  // Phase 1a: every SET value, in the order written (AWS reports the first failing operand
  // before any path problem).
  std::vector<Computed> set_values(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].kind != UpdateAction::Kind::kSet) continue;
    RETURN_IF_ERROR(EvalSetOperand(actions[i].value, b, original, &set_values[i]));
  }

  // Phase 1b: targets, and the new values of ADD and DELETE.
  std::vector<Change> changes;
  changes.reserve(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    const UpdateAction& a = actions[i];
    Change c;
    ResolvePath(a.path, b, &c.path);
    Target t;
    RETURN_IF_ERROR(LocateTarget(original, c.path, &t));
    Change::Kind write_kind = t.past_end ? Change::Kind::kAppend : Change::Kind::kWrite;
    switch (a.kind) {
      case UpdateAction::Kind::kSet:
        c.kind = write_kind;
        c.value = std::move(set_values[i]).Take();
        break;
      case UpdateAction::Kind::kRemove:
        if (t.existing == nullptr) continue;  // removing a missing attribute is a no-op
        c.kind = Change::Kind::kRemove;
        break;
      case UpdateAction::Kind::kAdd: {
        const AttributeValue& operand = BoundValue(b, a.value.value);
        RETURN_IF_ERROR(ComputeAdd(t.existing, operand, &c.value));
        c.kind = write_kind;
        break;
      }
      case UpdateAction::Kind::kDelete: {
        const AttributeValue& operand = BoundValue(b, a.value.value);
        if (!IsSet(operand.type())) return item::ValidationError(kIncorrectType);
        if (t.existing == nullptr) continue;
        bool empty = false;
        RETURN_IF_ERROR(ComputeDelete(*t.existing, operand, &c.value, &empty));
        c.kind = empty ? Change::Kind::kRemove : Change::Kind::kWrite;
        break;
      }
    }
    changes.push_back(std::move(c));
  }

  // Phase 2: apply; nothing fails from here on.
  std::vector<Change*> appends;
  std::vector<const Change*> removes;
  for (Change& c : changes) {
    switch (c.kind) {
      case Change::Kind::kWrite:
        ApplyWrite(item, &c);
        break;
      case Change::Kind::kAppend:
        appends.push_back(&c);
        break;
      case Change::Kind::kRemove:
        removes.push_back(&c);
        break;
    }
  }
  std::stable_sort(appends.begin(), appends.end(), [](const Change* x, const Change* y) {
    return x->path.back().index < y->path.back().index;
  });
  for (Change* c : appends) ApplyWrite(item, c);
  std::sort(removes.begin(), removes.end(),
            [](const Change* x, const Change* y) { return PathLess(y->path, x->path); });
  for (const Change* c : removes) ApplyRemove(item, *c);
  return Status::OK();
}

}  // namespace strata::query
