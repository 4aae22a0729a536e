#include "query/legacy.h"

#include <algorithm>
#include <compare>
#include <string>
#include <utility>

#include "item/api_error.h"

// The legacy parameters as expression ASTs. Attribute names are literal (PathElement kName, no
// reserved words, no placeholders); every value gets a synthesized placeholder ":0", ":1", ...
// bound to a copy owned by the LegacyExpression.
//
// Expected / QueryFilter / ScanFilter entry for attribute `a`  ->  condition
//   Value v (Exists absent or true)    a = :v
//   Exists false                       attribute_not_exists(a)
//   EQ v                               a = :v
//   NE v                               attribute_not_exists(a) OR a <> :v     (absent: true)
//   LE / LT / GE / GT v                a <= :v / a < :v / a >= :v / a > :v    (absent: false)
//   NOT_NULL                           attribute_exists(a)
//   NULL                               attribute_not_exists(a)
//   CONTAINS v                         contains(a, :v)                        (absent: false)
//   NOT_CONTAINS v                     attribute_exists(a) AND NOT contains(a, :v)
//                                      (absent: false, as DynamoDB Local's
//                                      LocalDBComparisonOperator.NOT_CONTAINS; dynalite
//                                      answers true there)
//   BEGINS_WITH v                      begins_with(a, :v)
//   IN v1..vn                          a IN (:v1, ..., :vn)
//   BETWEEN lo hi                      a BETWEEN :lo AND :hi
// A Value given with a ComparisonOperator is its single argument. Entries are joined, in
// request order, left-associatively with AND (default) or OR (ConditionalOperator). An empty
// map is `:0 = :0` (:0 = BOOL true), a condition that always holds. Exists true with a Value
// is equality, as AWS documents and DynamoDB Local implements (dynalite only checks existence);
// OR holds when any entry holds (dynalite stops at the first entry).
//
// AttributeUpdates entry for attribute `a`  ->  update action
//   PUT v (or no Action)               SET a = :v
//   DELETE without Value               REMOVE a
//   DELETE v (SS, NS, BS)              DELETE a :v
//   ADD v (N, SS, NS, BS)              ADD a :v                  (absent number starts at 0)
//   ADD v (L)                          SET a = list_append(if_not_exists(a, :empty), :v)
//                                      (:empty = L []; appends, creating the list)
// ApplyAttributeUpdates() (legacy_apply.cc) adds AWS's legacy type check on top.
//
// AttributesToGet name `a`  ->  projection path `a`.
//
// Checks run in dynalite's order (validations/index.js validateAttributeConditions,
// validateConditions, updateItem.js custom), so that the first error reported is AWS's.
// Where dynalite has no answer, DynamoDB Local's (AWS-derived) InputConverter is followed:
// null entries, ConditionalOperator with fewer than two conditions, and the Action enum of
// AttributeUpdates (dynalite does not check it; the value set is printed as DynamoDB Local
// prints it).

namespace strata::query {
namespace {

using item::AttributeValue;
using item::AttrType;

constexpr std::string_view kInvalidPrefix = "One or more parameter values were invalid: ";

// The enum value sets as AWS prints them.
constexpr std::string_view kComparisonOperatorEnum =
    "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
    "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
constexpr std::string_view kConditionalOperatorEnum =
    "Member must satisfy enum value set: [OR, AND]";
constexpr std::string_view kActionEnum = "Member must satisfy enum value set: [ADD, DELETE, PUT]";

Status Invalid(std::string_view detail) {
  std::string msg(kInvalidPrefix);
  msg.append(detail);
  return item::ValidationError(msg);
}

std::string LowerFirst(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] + 32);
  return out;
}

// "N validation error(s) detected: ..." (AWS keeps at most 10).
Status ConstraintError(const std::vector<LegacyConstraintViolation>& violations) {
  size_t n = std::min<size_t>(violations.size(), 10);
  std::string msg = std::to_string(n);
  msg += n == 1 ? " validation error detected: " : " validation errors detected: ";
  for (size_t i = 0; i < n; ++i) {
    const LegacyConstraintViolation& v = violations[i];
    if (i > 0) msg += "; ";
    msg += "Value ";
    msg += v.value ? "'" + *v.value + "'" : std::string("null");
    msg += " at '" + v.path + "' failed to satisfy constraint: " + v.constraint;
  }
  return item::ValidationError(msg);
}

enum class LegacyOp {
  kEq,
  kNe,
  kLe,
  kLt,
  kGe,
  kGt,
  kNotNull,
  kNull,
  kContains,
  kNotContains,
  kBeginsWith,
  kIn,
  kBetween,
};

bool ParseOp(std::string_view s, LegacyOp* op) {
  static constexpr std::pair<std::string_view, LegacyOp> kOps[] = {
      {"EQ", LegacyOp::kEq},
      {"NE", LegacyOp::kNe},
      {"LE", LegacyOp::kLe},
      {"LT", LegacyOp::kLt},
      {"GE", LegacyOp::kGe},
      {"GT", LegacyOp::kGt},
      {"NOT_NULL", LegacyOp::kNotNull},
      {"NULL", LegacyOp::kNull},
      {"CONTAINS", LegacyOp::kContains},
      {"NOT_CONTAINS", LegacyOp::kNotContains},
      {"BEGINS_WITH", LegacyOp::kBeginsWith},
      {"IN", LegacyOp::kIn},
      {"BETWEEN", LegacyOp::kBetween},
  };
  for (const auto& [name, value] : kOps) {
    if (s == name) {
      *op = value;
      return true;
    }
  }
  return false;
}

// Whether `count` arguments suit `op` (dynalite validateAttributeConditions).
bool ValidArgCount(LegacyOp op, size_t count) {
  switch (op) {
    case LegacyOp::kNotNull:
    case LegacyOp::kNull:
      return count == 0;
    case LegacyOp::kIn:
      return count > 0;
    case LegacyOp::kBetween:
      return count == 2;
    default:
      return count == 1;
  }
}

// The argument types QueryFilter / ScanFilter accept per operator (dynalite
// validateConditions); NULL and NOT_NULL take no arguments.
bool FilterTypeAllowed(LegacyOp op, AttrType t) {
  bool scalar = t == AttrType::kS || t == AttrType::kN || t == AttrType::kB;
  switch (op) {
    case LegacyOp::kEq:
    case LegacyOp::kNe:
      return scalar || t == AttrType::kSS || t == AttrType::kNS || t == AttrType::kBS;
    case LegacyOp::kBeginsWith:
      return t == AttrType::kS || t == AttrType::kB;
    case LegacyOp::kNotNull:
    case LegacyOp::kNull:
      return true;
    default:
      return scalar;
  }
}

// lo > hi for BETWEEN bounds of one scalar type (N numerically, S and B by unsigned bytes).
bool GreaterThan(const AttributeValue& lo, const AttributeValue& hi) {
  if (lo.type() != hi.type()) return false;
  switch (lo.type()) {
    case AttrType::kN:
      return (lo.as<item::Number>() <=> hi.as<item::Number>()) == std::strong_ordering::greater;
    case AttrType::kS:
      return lo.as<std::string>() > hi.as<std::string>();
    case AttrType::kB:
      return lo.as<item::Binary>().bytes > hi.as<item::Binary>().bytes;
    default:
      return false;
  }
}

// Builds the AST of a LegacyExpression, owning the values its bindings point to.
class Builder {
 public:
  explicit Builder(LegacyExpression* out) : out_(out) {
    out_->expr = ParsedExpression();
    out_->owned_values.clear();
    out_->owned_names.clear();
    out_->bindings = Bindings();
  }

  Operand Value(const AttributeValue& v) {
    uint32_t index = static_cast<uint32_t>(out_->owned_values.size());
    out_->owned_values.push_back(std::make_unique<AttributeValue>(v));
    out_->expr.value_placeholders.push_back(":" + std::to_string(index));
    out_->bindings.values.push_back(out_->owned_values.back().get());
    Operand o;
    o.kind = Operand::Kind::kValue;
    o.value = index;
    return o;
  }

  static Path NamePath(const std::string& name) {
    Path p;
    PathElement e;
    e.kind = PathElement::Kind::kName;
    e.name = name;
    p.elements.push_back(std::move(e));
    return p;
  }

  static Operand PathOperand(const std::string& name) {
    Operand o;
    o.kind = Operand::Kind::kPath;
    o.path = NamePath(name);
    return o;
  }

  static Condition Compare(CompareOp op, Operand a, Operand b) {
    Condition c;
    c.kind = Condition::Kind::kCompare;
    c.op = op;
    c.operands.push_back(std::move(a));
    c.operands.push_back(std::move(b));
    return c;
  }

  static Condition Func(Function f, std::vector<Operand> operands) {
    Condition c;
    c.kind = Condition::Kind::kFunction;
    c.function = f;
    c.operands = std::move(operands);
    return c;
  }

  static Condition Join(Condition::Kind kind, Condition a, Condition b) {
    Condition c;
    c.kind = kind;
    c.children.push_back(std::move(a));
    c.children.push_back(std::move(b));
    return c;
  }

  static Condition Not(Condition a) {
    Condition c;
    c.kind = Condition::Kind::kNot;
    c.children.push_back(std::move(a));
    return c;
  }

  LegacyExpression* out() { return out_; }

 private:
  LegacyExpression* out_;
};

// One validated Expected / filter entry, ready to be built.
struct Entry {
  const std::string* name;
  bool has_op = false;
  LegacyOp op = LegacyOp::kEq;
  bool exists = true;  // without an operator: Exists (absent = true)
  std::vector<const AttributeValue*> args;
};

Condition BuildEntry(Builder* b, const Entry& e) {
  using K = Condition::Kind;
  const std::string& name = *e.name;
  auto exists = [&] { return b->Func(Function::kAttributeExists, {b->PathOperand(name)}); };
  auto not_exists = [&] { return b->Func(Function::kAttributeNotExists, {b->PathOperand(name)}); };
  auto compare = [&](CompareOp op) {
    return b->Compare(op, b->PathOperand(name), b->Value(*e.args[0]));
  };
  if (!e.has_op) return e.exists ? compare(CompareOp::kEq) : not_exists();
  switch (e.op) {
    case LegacyOp::kEq:
      return compare(CompareOp::kEq);
    case LegacyOp::kNe: {
      Condition absent = not_exists();
      return b->Join(K::kOr, std::move(absent), compare(CompareOp::kNe));
    }
    case LegacyOp::kLe:
      return compare(CompareOp::kLe);
    case LegacyOp::kLt:
      return compare(CompareOp::kLt);
    case LegacyOp::kGe:
      return compare(CompareOp::kGe);
    case LegacyOp::kGt:
      return compare(CompareOp::kGt);
    case LegacyOp::kNotNull:
      return exists();
    case LegacyOp::kNull:
      return not_exists();
    case LegacyOp::kContains:
      return b->Func(Function::kContains, {b->PathOperand(name), b->Value(*e.args[0])});
    case LegacyOp::kNotContains: {
      Condition present = exists();
      Condition contains =
          b->Func(Function::kContains, {b->PathOperand(name), b->Value(*e.args[0])});
      return b->Join(K::kAnd, std::move(present), b->Not(std::move(contains)));
    }
    case LegacyOp::kBeginsWith:
      return b->Func(Function::kBeginsWith, {b->PathOperand(name), b->Value(*e.args[0])});
    case LegacyOp::kIn: {
      Condition c;
      c.kind = K::kIn;
      c.operands.push_back(b->PathOperand(name));
      for (const AttributeValue* v : e.args) c.operands.push_back(b->Value(*v));
      return c;
    }
    case LegacyOp::kBetween: {
      Condition c;
      c.kind = K::kBetween;
      c.operands.push_back(b->PathOperand(name));
      c.operands.push_back(b->Value(*e.args[0]));
      c.operands.push_back(b->Value(*e.args[1]));
      return c;
    }
  }
  return not_exists();  // unreachable
}

// Java map semantics for a key sent twice: the last value, at the first key's position.
template <typename T>
std::vector<const T*> Dedupe(const std::vector<T>& in) {
  std::vector<const T*> out;
  out.reserve(in.size());
  for (const T& e : in) {
    auto same = std::find_if(out.begin(), out.end(), [&](const T* p) { return p->name == e.name; });
    if (same != out.end()) {
      *same = &e;
    } else {
      out.push_back(&e);
    }
  }
  return out;
}

// Expected (validateAttributeConditions): one entry.
Status ValidateExpectedEntry(const ExpectedAttributeInput& in, Entry* e) {
  const std::string& key = in.name;
  if (in.is_null) {
    return Invalid("ExpectedAttributeValue must not be null for Attribute: " + key);
  }
  if (in.attribute_value_list && in.value) {
    return Invalid("Value and AttributeValueList cannot be used together for Attribute: " + key);
  }
  if (in.comparison_operator) {
    const std::string& op_name = *in.comparison_operator;
    if (in.exists) {
      return Invalid("Exists and ComparisonOperator cannot be used together for Attribute: " + key);
    }
    if (!ParseOp(op_name, &e->op)) {
      // Reported as a constraint violation before any of this runs; kept defensive.
      return ConstraintError({{op_name, "expected." + key + ".member.comparisonOperator",
                               std::string(kComparisonOperatorEnum)}});
    }
    e->has_op = true;
    if (e->op != LegacyOp::kNull && e->op != LegacyOp::kNotNull && !in.attribute_value_list &&
        !in.value) {
      return Invalid("Value or AttributeValueList must be used with ComparisonOperator: " +
                     op_name + " for Attribute: " + key);
    }
    if (in.attribute_value_list) {
      for (const AttributeValue& v : *in.attribute_value_list) e->args.push_back(&v);
    } else if (in.value) {
      e->args.push_back(&*in.value);
    }
    if (!ValidArgCount(e->op, e->args.size())) {
      return Invalid("Invalid number of argument(s) for the " + op_name + " ComparisonOperator");
    }
    if (in.attribute_value_list && !e->args.empty()) {
      AttrType t = e->args[0]->type();
      for (const AttributeValue* v : e->args) {
        if (v->type() != t) {
          return Invalid("AttributeValues inside AttributeValueList must be of same type");
        }
      }
      if (e->op == LegacyOp::kBetween && GreaterThan(*e->args[0], *e->args[1])) {
        return item::ValidationError(
            "The BETWEEN condition was provided a range where the lower bound is greater than "
            "the upper bound");
      }
    }
    return Status::OK();
  }
  if (in.attribute_value_list) {
    return Invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: " +
                   key);
  }
  e->exists = !in.exists.has_value() || *in.exists;
  if (e->exists && !in.value) {
    return Invalid(std::string("Value must be provided when Exists is ") +
                   (in.exists ? "true" : "null") + " for Attribute: " + key);
  }
  if (!e->exists && in.value) {
    return Invalid("Value cannot be used when Exists is false for Attribute: " + key);
  }
  if (in.value) e->args.push_back(&*in.value);
  return Status::OK();
}

// QueryFilter / ScanFilter (validateConditions): one entry. Only ComparisonOperator and
// AttributeValueList belong to a Condition.
Status ValidateFilterEntry(const ExpectedAttributeInput& in, std::string_view param, Entry* e) {
  if (in.is_null) {
    return item::ValidationError("The filter condition for an attribute cannot be null: " +
                                 in.name);
  }
  const std::string op_name = in.comparison_operator.value_or("");
  if (!ParseOp(op_name, &e->op)) {
    LegacyConstraintViolation v;
    if (in.comparison_operator) v.value = op_name;
    v.path = LowerFirst(param) + "." + in.name + ".member.comparisonOperator";
    v.constraint = in.comparison_operator ? std::string(kComparisonOperatorEnum)
                                          : std::string("Member must not be null");
    return ConstraintError({v});
  }
  e->has_op = true;
  if (in.attribute_value_list) {
    for (const AttributeValue& v : *in.attribute_value_list) e->args.push_back(&v);
  }
  if (!ValidArgCount(e->op, e->args.size())) {
    return Invalid("Invalid number of argument(s) for the " + op_name + " ComparisonOperator");
  }
  if (!e->args.empty()) {
    AttrType t = e->args[0]->type();
    for (const AttributeValue* v : e->args) {
      if (v->type() != t) {
        return Invalid("AttributeValues inside AttributeValueList must be of same type");
      }
    }
  }
  for (const AttributeValue* v : e->args) {
    if (!FilterTypeAllowed(e->op, v->type())) {
      return Invalid("ComparisonOperator " + op_name + " is not valid for " +
                     std::string(item::AttrTypeName(v->type())) + " AttributeValue type");
    }
  }
  if (e->op == LegacyOp::kBetween && GreaterThan(*e->args[0], *e->args[1])) {
    return item::ValidationError(
        "The BETWEEN condition was provided a range where the lower bound is greater than the "
        "upper bound");
  }
  return Status::OK();
}

}  // namespace

std::vector<LegacyConstraintViolation> ExpectedConstraintViolations(
    const std::vector<ExpectedAttributeInput>& expected, std::string_view param) {
  std::vector<LegacyConstraintViolation> out;
  bool filter = param != "Expected";
  std::string prefix = LowerFirst(param) + ".";
  for (const ExpectedAttributeInput* in : Dedupe(expected)) {
    if (in->is_null) continue;  // a null member is not looked into
    LegacyOp op;
    if (in->comparison_operator && !ParseOp(*in->comparison_operator, &op)) {
      out.push_back({*in->comparison_operator, prefix + in->name + ".member.comparisonOperator",
                     std::string(kComparisonOperatorEnum)});
    } else if (!in->comparison_operator && filter) {
      out.push_back({std::nullopt, prefix + in->name + ".member.comparisonOperator",
                     "Member must not be null"});
    }
  }
  return out;
}

std::vector<LegacyConstraintViolation> AttributeUpdatesConstraintViolations(
    const std::vector<AttributeUpdateInput>& updates) {
  std::vector<LegacyConstraintViolation> out;
  for (const AttributeUpdateInput* in : Dedupe(updates)) {
    if (in->is_null || !in->action) continue;
    const std::string& a = *in->action;
    if (a != "ADD" && a != "PUT" && a != "DELETE") {
      out.push_back(
          {a, "attributeUpdates." + in->name + ".member.action", std::string(kActionEnum)});
    }
  }
  return out;
}

Status ConvertExpected(const std::vector<ExpectedAttributeInput>& expected,
                       const std::optional<std::string>& conditional_operator,
                       std::string_view param, LegacyExpression* out) {
  Builder b(out);
  out->expr.kind = param == "Expected" ? ExpressionKind::kCondition : ExpressionKind::kFilter;
  bool filter = param != "Expected";

  // Coral constraints first, in the order of the operation's members: QueryFilter precedes
  // ConditionalOperator, Expected and ScanFilter follow it.
  std::vector<LegacyConstraintViolation> violations;
  bool or_op = false;
  auto check_conditional_operator = [&] {
    if (!conditional_operator) return;
    if (*conditional_operator == "OR") {
      or_op = true;
    } else if (*conditional_operator != "AND") {
      violations.push_back(
          {*conditional_operator, "conditionalOperator", std::string(kConditionalOperatorEnum)});
    }
  };
  if (param != "QueryFilter") check_conditional_operator();
  for (LegacyConstraintViolation& v : ExpectedConstraintViolations(expected, param)) {
    violations.push_back(std::move(v));
  }
  if (param == "QueryFilter") check_conditional_operator();
  if (!violations.empty()) return ConstraintError(violations);

  std::vector<const ExpectedAttributeInput*> entries = Dedupe(expected);
  std::vector<Entry> validated(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    validated[i].name = &entries[i]->name;
    RETURN_IF_ERROR(filter ? ValidateFilterEntry(*entries[i], param, &validated[i])
                           : ValidateExpectedEntry(*entries[i], &validated[i]));
  }
  if (conditional_operator) {
    if (entries.empty()) {
      return item::ValidationError("ConditionalOperator cannot be used without Filter or Expected");
    }
    if (entries.size() == 1) {
      return item::ValidationError(
          "ConditionalOperator can only be used when Filter or Expected has two or more elements");
    }
  }

  if (validated.empty()) {
    AttributeValue truth;
    truth.variant().emplace<bool>(true);
    Operand t = b.Value(truth);
    Operand t2 = t;
    out->expr.condition = Builder::Compare(CompareOp::kEq, std::move(t), std::move(t2));
    return Status::OK();
  }
  Condition cond = BuildEntry(&b, validated[0]);
  for (size_t i = 1; i < validated.size(); ++i) {
    cond = Builder::Join(or_op ? Condition::Kind::kOr : Condition::Kind::kAnd, std::move(cond),
                         BuildEntry(&b, validated[i]));
  }
  out->expr.condition = std::move(cond);
  return Status::OK();
}

Status ConvertAttributeUpdates(const std::vector<AttributeUpdateInput>& updates,
                               LegacyExpression* out) {
  Builder b(out);
  out->expr.kind = ExpressionKind::kUpdate;
  std::vector<LegacyConstraintViolation> violations = AttributeUpdatesConstraintViolations(updates);
  if (!violations.empty()) return ConstraintError(violations);

  std::vector<const AttributeUpdateInput*> entries = Dedupe(updates);
  // Validation of every entry comes before any conversion (updateItem.js custom).
  for (const AttributeUpdateInput* in : entries) {
    if (in->is_null) {
      return item::ValidationError(
          "Supplied AttributeValueUpdate is empty, must contain one of the supported actions: " +
          in->name + " is null");
    }
    const std::string action = in->action.value_or("PUT");
    if (!in->value && action != "DELETE") {
      return Invalid("Only DELETE action is allowed when no attribute value is specified");
    }
    if (!in->value) continue;
    AttrType t = in->value->type();
    std::string type_name(item::AttrTypeName(t));
    bool is_set = t == AttrType::kSS || t == AttrType::kNS || t == AttrType::kBS;
    if (action == "DELETE" && !is_set) {
      return Invalid("DELETE action with value is not supported for the type " + type_name);
    }
    if (action == "ADD" && !is_set && t != AttrType::kN && t != AttrType::kL) {
      return Invalid("ADD action is not supported for the type " + type_name);
    }
  }

  for (const AttributeUpdateInput* in : entries) {
    const std::string action = in->action.value_or("PUT");
    UpdateAction a;
    a.path = Builder::NamePath(in->name);
    if (action == "DELETE" && !in->value) {
      a.kind = UpdateAction::Kind::kRemove;
    } else if (action == "DELETE") {
      a.kind = UpdateAction::Kind::kDelete;
      a.value = b.Value(*in->value);
    } else if (action == "ADD" && in->value->type() == AttrType::kL) {
      // list_append(if_not_exists(a, :empty), :v)
      Operand if_not_exists;
      if_not_exists.kind = Operand::Kind::kIfNotExists;
      if_not_exists.args.push_back(Builder::PathOperand(in->name));
      AttributeValue empty;
      empty.variant().emplace<item::List>();
      if_not_exists.args.push_back(b.Value(empty));
      Operand append;
      append.kind = Operand::Kind::kListAppend;
      append.args.push_back(std::move(if_not_exists));
      append.args.push_back(b.Value(*in->value));
      a.kind = UpdateAction::Kind::kSet;
      a.value = std::move(append);
    } else if (action == "ADD") {
      a.kind = UpdateAction::Kind::kAdd;
      a.value = b.Value(*in->value);
    } else {
      a.kind = UpdateAction::Kind::kSet;
      a.value = b.Value(*in->value);
    }
    out->expr.actions.push_back(std::move(a));
  }
  return Status::OK();
}

Status ConvertAttributesToGet(const std::vector<std::string>& names, LegacyExpression* out) {
  Builder b(out);
  out->expr.kind = ExpressionKind::kProjection;
  // Coral: List length 1..255.
  if (names.empty() || names.size() > 255) {
    std::string value = "[";
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) value += ", ";
      value += names[i];
    }
    value += "]";
    return ConstraintError({{value, "attributesToGet",
                             names.empty() ? "Member must have length greater than or equal to 1"
                                           : "Member must have length less than or equal to 255"}});
  }
  // The first name that repeats an earlier one (dynalite findDuplicate).
  for (size_t i = 1; i < names.size(); ++i) {
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
        names.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Invalid("Duplicate value in attribute name: " + names[i]);
    }
  }
  for (const std::string& name : names) out->expr.projection.push_back(Builder::NamePath(name));
  return Status::OK();
}

}  // namespace strata::query
