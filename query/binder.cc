#include "query/binder.h"

#include <algorithm>
#include <compare>
#include <string_view>
#include <utility>

#include "item/number.h"
#include "util/base64.h"

namespace strata::query {
namespace {

using item::AttributeValue;
using item::AttrType;

constexpr std::string_view kNoType;  // "no static type" (a path, or unknown)

const char* FunctionName(Function f) {
  switch (f) {
    case Function::kAttributeExists:
      return "attribute_exists";
    case Function::kAttributeNotExists:
      return "attribute_not_exists";
    case Function::kAttributeType:
      return "attribute_type";
    case Function::kBeginsWith:
      return "begins_with";
    case Function::kContains:
      return "contains";
  }
  return "";
}

size_t FunctionArity(Function f) {
  return (f == Function::kAttributeExists || f == Function::kAttributeNotExists) ? 1 : 2;
}

const char* CompareSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "";
}

// How dynalite/JavaScript prints a value's payload in BETWEEN messages ("{N:5}").
std::string PayloadText(const AttributeValue& v) {
  switch (v.type()) {
    case AttrType::kS:
      return v.as<std::string>();
    case AttrType::kN:
      return v.as<item::Number>().ToString();
    case AttrType::kB:
      return Base64Encode(v.as<item::Binary>().bytes);
    case AttrType::kBool:
      return v.as<bool>() ? "true" : "false";
    case AttrType::kNull:
      return "true";
    case AttrType::kSS: {
      std::string s;
      for (const std::string& e : v.as<item::StringSet>().values) {
        if (!s.empty()) s += ",";
        s += e;
      }
      return s;
    }
    case AttrType::kNS: {
      std::string s;
      for (const item::Number& e : v.as<item::NumberSet>().values) {
        if (!s.empty()) s += ",";
        s += e.ToString();
      }
      return s;
    }
    case AttrType::kBS: {
      std::string s;
      for (const std::string& e : v.as<item::BinarySet>().values) {
        if (!s.empty()) s += ",";
        s += Base64Encode(e);
      }
      return s;
    }
    case AttrType::kL:
    case AttrType::kM:
      return "[object Object]";
  }
  return "";
}

// a > b for two values of one type (only S, N and B are ordered).
bool Greater(const AttributeValue& a, const AttributeValue& b) {
  switch (a.type()) {
    case AttrType::kS:
      return a.as<std::string>() > b.as<std::string>();
    case AttrType::kN:
      return (a.as<item::Number>() <=> b.as<item::Number>()) > 0;
    case AttrType::kB:
      return a.as<item::Binary>().bytes > b.as<item::Binary>().bytes;
    default:
      return false;
  }
}

// Runs the checks of one expression; `bound` selects between the structural checks only and
// the full binding.
class Checker {
 public:
  Checker(const ParsedExpression& expr, bool bound, const NameMap* names, const item::Map* values,
          std::vector<bool>* used_names, std::vector<bool>* used_values)
      : expr_(expr),
        bound_(bound),
        names_(names),
        values_(values),
        used_names_(used_names),
        used_values_(used_values) {
    if (bound_) {
      bindings_.names.assign(expr.name_placeholders.size(), nullptr);
      bindings_.values.assign(expr.value_placeholders.size(), nullptr);
      for (size_t i = 0; i < expr.name_placeholders.size(); ++i) {
        bindings_.names[i] = LookupName(expr.name_placeholders[i]);
      }
      for (size_t i = 0; i < expr.value_placeholders.size(); ++i) {
        bindings_.values[i] = LookupValue(expr.value_placeholders[i]);
      }
    }
  }

  std::string Run() {
    switch (expr_.kind) {
      case ExpressionKind::kCondition:
      case ExpressionKind::kKeyCondition:
      case ExpressionKind::kFilter:
        return CheckCondition();
      case ExpressionKind::kUpdate:
        return CheckUpdate();
      case ExpressionKind::kProjection:
        return CheckProjection();
    }
    return "";
  }

  Bindings TakeBindings() { return std::move(bindings_); }

 private:
  const std::string* LookupName(const std::string& placeholder) {
    if (names_ == nullptr) return nullptr;
    auto it = std::lower_bound(names_->begin(), names_->end(), placeholder,
                               [](const std::pair<std::string, std::string>& e,
                                  const std::string& k) { return e.first < k; });
    if (it == names_->end() || it->first != placeholder) return nullptr;
    (*used_names_)[static_cast<size_t>(it - names_->begin())] = true;
    return &it->second;
  }

  const AttributeValue* LookupValue(const std::string& placeholder) {
    if (values_ == nullptr) return nullptr;
    auto it = std::lower_bound(values_->begin(), values_->end(), placeholder,
                               [](const std::pair<std::string, AttributeValue>& e,
                                  const std::string& k) { return e.first < k; });
    if (it == values_->end() || it->first != placeholder) return nullptr;
    (*used_values_)[static_cast<size_t>(it - values_->begin())] = true;
    return &it->second;
  }

  static void Record(std::string* slot, std::string message) {
    if (slot->empty()) *slot = std::move(message);
  }

  // ---- placeholders ----
  std::string UndefinedName(uint32_t index) const {
    return "An expression attribute name used in the document path is not defined; "
           "attribute name: " +
           expr_.name_placeholders[index];
  }
  std::string UndefinedValue(uint32_t index) const {
    return "An expression attribute value used in expression is not defined; "
           "attribute value: " +
           expr_.value_placeholders[index];
  }

  void VisitPathNames(const Path& p, std::string* slot) {
    if (!bound_) return;
    for (const PathElement& e : p.elements) {
      if (e.kind == PathElement::Kind::kNamePlaceholder && bindings_.names[e.index] == nullptr) {
        Record(slot, UndefinedName(e.index));
      }
    }
  }

  // The static type of an operand in a condition ("N" for size()), or kNoType.
  std::string_view StaticType(const Operand& o) const {
    if (o.kind == Operand::Kind::kSize) return "N";
    return ImmediateType(o);
  }
  // The type of a constant operand, or kNoType.
  std::string_view ImmediateType(const Operand& o) const {
    if (!bound_ || o.kind != Operand::Kind::kValue) return kNoType;
    const AttributeValue* v = bindings_.values[o.value];
    return v == nullptr ? kNoType : item::AttrTypeName(v->type());
  }

  // ---- conditions ----
  struct LeafErrors {
    std::string attr, operand, distinct, function;
  };

  std::string CheckCondition() {
    std::string result;
    WalkCondition(expr_.condition, &result);
    return result;
  }

  // Returns true to stop (an error was found and stored in *result).
  bool WalkCondition(const Condition& c, std::string* result) {
    switch (c.kind) {
      case Condition::Kind::kAnd:
      case Condition::Kind::kOr:
      case Condition::Kind::kNot:
        for (const Condition& child : c.children) {
          if (WalkCondition(child, result)) return true;
        }
        return false;
      default:
        break;
    }
    for (const Operand& o : c.operands) VisitConditionOperand(o);
    switch (c.kind) {
      case Condition::Kind::kCompare:
        if (c.operands.size() == 2) CheckDistinct(CompareSymbol(c.op), c.operands);
        break;
      case Condition::Kind::kBetween:
        if (c.operands.size() == 3) CheckBetween(c.operands[1], c.operands[2]);
        break;
      case Condition::Kind::kFunction:
        CheckConditionFunction(c);
        break;
      default:
        break;
    }
    // AWS settles the error at the first leaf that has one, by rank.
    for (std::string* e : {&leaf_.attr, &leaf_.operand, &leaf_.distinct, &leaf_.function}) {
      if (!e->empty()) {
        *result = std::move(*e);
        return true;
      }
    }
    return false;
  }

  void VisitConditionOperand(const Operand& o) {
    switch (o.kind) {
      case Operand::Kind::kPath:
        VisitPathNames(o.path, &leaf_.attr);
        break;
      case Operand::Kind::kValue:
        if (bound_ && bindings_.values[o.value] == nullptr) {
          Record(&leaf_.attr, UndefinedValue(o.value));
        }
        break;
      case Operand::Kind::kSize: {
        size_t count = 1;
        if (o.args.empty()) {
          VisitPathNames(o.path, &leaf_.attr);
        } else {
          for (const Operand& a : o.args) VisitConditionOperand(a);
          count = o.args.size();
        }
        if (count != 1) {
          Record(&leaf_.operand, OperandCount("size", count));
        } else if (!o.args.empty()) {
          std::string_view t = StaticType(o.args[0]);
          if (t == "N" || t == "BOOL" || t == "NULL")
            Record(&leaf_.function, OperandType("size", t));
        }
        break;
      }
      default:
        for (const Operand& a : o.args) VisitConditionOperand(a);
        break;
    }
  }

  static std::string OperandCount(std::string_view name, size_t n) {
    return "Incorrect number of operands for operator or function; operator or function: " +
           std::string(name) + ", number of operands: " + std::to_string(n);
  }
  static std::string OperandType(std::string_view name, std::string_view type) {
    return "Incorrect operand type for operator or function; operator or function: " +
           std::string(name) + ", operand type: " + std::string(type);
  }
  static std::string RequiresPath(std::string_view name) {
    return "Operator or function requires a document path; operator or function: " +
           std::string(name);
  }

  void CheckDistinct(std::string_view name, const std::vector<Operand>& args) {
    if (!bound_ || args.size() != 2) return;
    const Operand& a = args[0];
    const Operand& b = args[1];
    if (a.kind != Operand::Kind::kPath || b.kind != Operand::Kind::kPath) return;
    if (a.path.elements.size() != b.path.elements.size()) return;
    ResolvedPath ra = Resolve(a.path);
    ResolvedPath rb = Resolve(b.path);
    if (ra != rb) return;
    Record(&leaf_.distinct,
           "The first operand must be distinct from the remaining operands for this operator or "
           "function; operator: " +
               std::string(name) + ", first operand: " + PathToString(ra));
  }

  // ResolvePath(), tolerating undefined names (they resolve to "").
  ResolvedPath Resolve(const Path& p) const {
    ResolvedPath out;
    out.reserve(p.elements.size());
    for (const PathElement& e : p.elements) {
      ResolvedElement r;
      if (e.kind == PathElement::Kind::kIndex) {
        r.is_index = true;
        r.index = e.index;
      } else if (e.kind == PathElement::Kind::kName) {
        r.name = e.name;
      } else if (bindings_.names[e.index] != nullptr) {
        r.name = *bindings_.names[e.index];
      }
      out.push_back(r);
    }
    return out;
  }

  void CheckBetween(const Operand& lo, const Operand& hi) {
    if (!bound_ || lo.kind != Operand::Kind::kValue || hi.kind != Operand::Kind::kValue) return;
    const AttributeValue* a = bindings_.values[lo.value];
    const AttributeValue* b = bindings_.values[hi.value];
    if (a == nullptr || b == nullptr) return;
    std::string bounds = "lower bound operand: AttributeValue: {" +
                         std::string(item::AttrTypeName(a->type())) + ":" + PayloadText(*a) +
                         "}, upper bound operand: AttributeValue: {" +
                         std::string(item::AttrTypeName(b->type())) + ":" + PayloadText(*b) + "}";
    if (a->type() != b->type()) {
      Record(&leaf_.function,
             "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    } else if (Greater(*a, *b)) {
      Record(&leaf_.function,
             "The BETWEEN operator requires upper bound to be greater than or equal to lower "
             "bound; " +
                 bounds);
    }
  }

  void CheckConditionFunction(const Condition& c) {
    const char* name = FunctionName(c.function);
    if (c.operands.size() != FunctionArity(c.function)) {
      Record(&leaf_.operand, OperandCount(name, c.operands.size()));
      return;
    }
    if (c.operands.size() == 2) CheckDistinct(name, c.operands);
    switch (c.function) {
      case Function::kAttributeExists:
      case Function::kAttributeNotExists:
        if (c.operands[0].kind != Operand::Kind::kPath) Record(&leaf_.function, RequiresPath(name));
        break;
      case Function::kBeginsWith:
        if (!bound_) break;
        for (const Operand& o : c.operands) {
          std::string_view t = StaticType(o);
          if (!t.empty() && t != "S" && t != "B") {
            Record(&leaf_.function, OperandType(name, t));
            break;
          }
        }
        break;
      case Function::kAttributeType: {
        if (!bound_) break;
        std::string_view t = StaticType(c.operands[1]);
        if (t != "S") {
          if (t.empty()) t = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
          Record(&leaf_.function, OperandType(name, t));
          break;
        }
        const std::string& type_name = bindings_.values[c.operands[1].value]->as<std::string>();
        static constexpr std::string_view kTypes[] = {"S",    "N", "B",  "NULL", "SS",
                                                      "BOOL", "L", "BS", "NS",   "M"};
        if (std::find(std::begin(kTypes), std::end(kTypes), type_name) == std::end(kTypes)) {
          Record(&leaf_.function, "Invalid attribute type name found; type: " + type_name +
                                      ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        break;
      }
      case Function::kContains:
        break;
    }
  }

  // ---- updates ----
  std::string CheckUpdate() {
    if (bound_) {
      for (size_t i = 0; i < bindings_.names.size(); ++i) {
        if (bindings_.names[i] == nullptr) return UndefinedName(static_cast<uint32_t>(i));
      }
      for (size_t i = 0; i < bindings_.values.size(); ++i) {
        if (bindings_.values[i] == nullptr) return UndefinedValue(static_cast<uint32_t>(i));
      }
      std::vector<const Path*> paths;
      paths.reserve(expr_.actions.size());
      for (const UpdateAction& a : expr_.actions) paths.push_back(&a.path);
      std::string e = CheckOverlaps(paths);
      if (!e.empty()) return e;
      static constexpr std::string_view kLongNames[] = {"STRING", "NUMBER", "BINARY", "BOOLEAN",
                                                        "NULL"};
      for (const UpdateAction& a : expr_.actions) {
        if (a.kind != UpdateAction::Kind::kAdd && a.kind != UpdateAction::Kind::kDelete) continue;
        if (a.value.kind != Operand::Kind::kValue) continue;
        AttrType t = bindings_.values[a.value.value]->type();
        std::string_view long_name;
        switch (t) {
          case AttrType::kS:
          case AttrType::kN:
          case AttrType::kB:
          case AttrType::kBool:
          case AttrType::kNull:
            long_name = kLongNames[static_cast<int>(t)];
            break;
          case AttrType::kL:
            long_name = "LIST";
            break;
          case AttrType::kM:
            long_name = "MAP";
            break;
          default:
            break;
        }
        bool is_add = a.kind == UpdateAction::Kind::kAdd;
        if (!long_name.empty() && !(is_add && t == AttrType::kN)) {
          return "Incorrect operand type for operator or function; operator: " +
                 std::string(is_add ? "ADD" : "DELETE") +
                 ", operand type: " + std::string(long_name);
        }
      }
    }
    std::string function;
    for (const UpdateAction& a : expr_.actions) {
      if (a.kind == UpdateAction::Kind::kSet) VisitUpdateOperand(a.value, &function);
      if (!function.empty()) return function;
    }
    return "";
  }

  // Post-order, as AWS checks nested functions from the inside out.
  void VisitUpdateOperand(const Operand& o, std::string* slot) {
    const char* name = nullptr;
    switch (o.kind) {
      case Operand::Kind::kIfNotExists:
        name = "if_not_exists";
        break;
      case Operand::Kind::kListAppend:
        name = "list_append";
        break;
      case Operand::Kind::kPlus:
        name = "+";
        break;
      case Operand::Kind::kMinus:
        name = "-";
        break;
      default:
        return;
    }
    for (const Operand& a : o.args) VisitUpdateOperand(a, slot);
    if (!slot->empty()) return;
    if (o.args.size() != 2) {
      *slot = OperandCount(name, o.args.size());
      return;
    }
    if (o.kind == Operand::Kind::kIfNotExists) {
      if (o.args[0].kind != Operand::Kind::kPath) *slot = RequiresPath(name);
      return;
    }
    std::string_view want = o.kind == Operand::Kind::kListAppend ? "L" : "N";
    for (const Operand& a : o.args) {
      std::string_view t = ImmediateType(a);
      if (!t.empty() && t != want) {
        *slot = OperandType(name, t);
        return;
      }
    }
  }

  // Overlapping / conflicting document paths, in AWS's wording; "" when none.
  std::string CheckOverlaps(const std::vector<const Path*>& paths) {
    std::vector<ResolvedPath> seen;
    seen.reserve(paths.size());
    std::string conflict;
    for (const Path* p : paths) {
      ResolvedPath rp = Resolve(*p);
      for (const ResolvedPath& prev : seen) {
        size_t n = std::min(prev.size(), rp.size());
        bool related = true;
        bool conflicting = false;
        for (size_t i = 0; i < n; ++i) {
          if (prev[i].is_index != rp[i].is_index) {
            conflicting = true;
            break;
          }
          if (!(prev[i] == rp[i])) {
            related = false;
            break;
          }
        }
        if (conflicting) {
          Record(&conflict,
                 "Two document paths conflict with each other; must remove or rewrite one of "
                 "these paths; path one: " +
                     PathToString(prev) + ", path two: " + PathToString(rp));
          continue;
        }
        if (related) {
          return "Two document paths overlap with each other; must remove or rewrite one of "
                 "these paths; path one: " +
                 PathToString(prev) + ", path two: " + PathToString(rp);
        }
      }
      seen.push_back(std::move(rp));
    }
    return conflict;
  }

  // ---- projections ----
  std::string CheckProjection() {
    if (!bound_) return "";
    for (size_t i = 0; i < bindings_.names.size(); ++i) {
      if (bindings_.names[i] == nullptr) return UndefinedName(static_cast<uint32_t>(i));
    }
    std::vector<const Path*> paths;
    paths.reserve(expr_.projection.size());
    for (const Path& p : expr_.projection) paths.push_back(&p);
    return CheckOverlaps(paths);
  }

  const ParsedExpression& expr_;
  const bool bound_;
  const NameMap* names_;
  const item::Map* values_;
  std::vector<bool>* used_names_;
  std::vector<bool>* used_values_;
  Bindings bindings_;
  LeafErrors leaf_;
};

}  // namespace

std::string CheckStructure(const ParsedExpression& expr) {
  Checker checker(expr, /*bound=*/false, nullptr, nullptr, nullptr, nullptr);
  return checker.Run();
}

std::string BindExpression(const ParsedExpression& expr, const NameMap* names,
                           const item::Map* values, Bindings* bindings,
                           std::vector<bool>* used_names, std::vector<bool>* used_values) {
  Checker checker(expr, /*bound=*/true, names, values, used_names, used_values);
  std::string error = checker.Run();
  if (error.empty()) *bindings = checker.TakeBindings();
  return error;
}

}  // namespace strata::query
