#include "query/evaluate.h"

#include <optional>

#include "query/document_path.h"
#include "query/value_ops.h"

namespace strata::query {

using item::AttributeValue;
using item::AttrType;

namespace {

// Evaluation of one condition tree against one item. Operands resolve to pointers into the item
// or the request's values; nullptr stands for an absent operand (a missing path, or size() of a
// missing value or of a type without a size). Only size() computes a value, into a slot of
// `scratch_` (one per operand position, so a comparison's two sizes do not collide).
class Evaluator {
 public:
  Evaluator(const Bindings& b, const item::Item* item) : b_(b), item_(item) {}

  bool Eval(const Condition& c) {
    switch (c.kind) {
      case Condition::Kind::kAnd:
        return Eval(c.children[0]) && Eval(c.children[1]);
      case Condition::Kind::kOr:
        return Eval(c.children[0]) || Eval(c.children[1]);
      case Condition::Kind::kNot:
        return !Eval(c.children[0]);
      case Condition::Kind::kCompare:
        return Compare(c.op, Resolve(c.operands[0], 0), Resolve(c.operands[1], 1));
      case Condition::Kind::kBetween:
        return Between(Resolve(c.operands[0], 0), Resolve(c.operands[1], 1),
                       Resolve(c.operands[2], 2));
      case Condition::Kind::kIn:
        return In(c);
      case Condition::Kind::kFunction:
        return Function(c);
    }
    return false;
  }

 private:
  static constexpr int kSlots = 3;

  const AttributeValue* Resolve(const Operand& op, int slot) {
    switch (op.kind) {
      case Operand::Kind::kPath:
        return FindPath(item_, op.path, b_);
      case Operand::Kind::kValue:
        return &BoundValue(b_, op.value);
      case Operand::Kind::kSize: {
        // size(path): the path is op.path, or a kPath in args[0].
        const AttributeValue* v =
            op.args.empty() ? FindPath(item_, op.path, b_) : Resolve(op.args[0], slot);
        if (v == nullptr) return nullptr;
        std::optional<uint64_t> n = ValueSize(*v);
        if (!n) return nullptr;
        AttributeValue& out = scratch_[slot % kSlots];
        out = item::Number::FromInt64(static_cast<int64_t>(*n));
        return &out;
      }
      default:
        // Update-only operands cannot occur in a condition (the parser rejects them).
        return nullptr;
    }
  }

  static bool Compare(CompareOp op, const AttributeValue* a, const AttributeValue* b) {
    // An absent operand equals nothing, not even another absent one, and is unequal to
    // everything (AWS; Alternator test_update_condition_eq_two_unset / ne_two_unset).
    if (op == CompareOp::kEq) return a != nullptr && b != nullptr && ValuesEqual(*a, *b);
    if (op == CompareOp::kNe) return a == nullptr || b == nullptr || !ValuesEqual(*a, *b);
    if (a == nullptr || b == nullptr) return false;
    std::optional<int> c = CompareOrdered(*a, *b);
    if (!c) return false;
    switch (op) {
      case CompareOp::kLt:
        return *c < 0;
      case CompareOp::kLe:
        return *c <= 0;
      case CompareOp::kGt:
        return *c > 0;
      case CompareOp::kGe:
        return *c >= 0;
      default:
        return false;
    }
  }

  static bool Between(const AttributeValue* v, const AttributeValue* lo, const AttributeValue* hi) {
    if (v == nullptr || lo == nullptr || hi == nullptr) return false;
    std::optional<int> c1 = CompareOrdered(*v, *lo);
    if (!c1 || *c1 < 0) return false;
    std::optional<int> c2 = CompareOrdered(*v, *hi);
    return c2 && *c2 <= 0;
  }

  bool In(const Condition& c) {
    const AttributeValue* v = Resolve(c.operands[0], 0);
    if (v == nullptr) return false;
    for (size_t i = 1; i < c.operands.size(); ++i) {
      const AttributeValue* candidate = Resolve(c.operands[i], 1);
      if (candidate != nullptr && ValuesEqual(*v, *candidate)) return true;
    }
    return false;
  }

  bool Function(const Condition& c) {
    switch (c.function) {
      case Function::kAttributeExists:
        return Resolve(c.operands[0], 0) != nullptr;
      case Function::kAttributeNotExists:
        return Resolve(c.operands[0], 0) == nullptr;
      case Function::kAttributeType: {
        const AttributeValue* v = Resolve(c.operands[0], 0);
        const AttributeValue* t = Resolve(c.operands[1], 1);
        return v != nullptr && t != nullptr && t->type() == AttrType::kS &&
               t->as<std::string>() == item::AttrTypeName(v->type());
      }
      case Function::kBeginsWith: {
        const AttributeValue* a = Resolve(c.operands[0], 0);
        const AttributeValue* p = Resolve(c.operands[1], 1);
        return a != nullptr && p != nullptr && BeginsWith(*a, *p);
      }
      case Function::kContains: {
        const AttributeValue* a = Resolve(c.operands[0], 0);
        const AttributeValue* x = Resolve(c.operands[1], 1);
        return a != nullptr && x != nullptr && Contains(*a, *x);
      }
    }
    return false;
  }

  const Bindings& b_;
  const item::Item* item_;
  AttributeValue scratch_[kSlots];
};

}  // namespace

bool EvaluateCondition(const ParsedExpression& expr, const Bindings& b, const item::Item* item) {
  Evaluator evaluator(b, item);
  return evaluator.Eval(expr.condition);
}

}  // namespace strata::query
