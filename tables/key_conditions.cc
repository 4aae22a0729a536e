#include "tables/key_conditions.h"

#include <algorithm>

#include "item/api_error.h"
#include "item/key_codec.h"
#include "util/coding.h"

namespace strata::tables {
namespace {

using Op = KeyConditionTerm::Op;

const char* FunctionName(query::Function f) {
  switch (f) {
    case query::Function::kAttributeExists:
      return "attribute_exists";
    case query::Function::kAttributeNotExists:
      return "attribute_not_exists";
    case query::Function::kAttributeType:
      return "attribute_type";
    case query::Function::kBeginsWith:
      return "begins_with";
    case query::Function::kContains:
      return "contains";
  }
  return "";
}

const char* LegacyName(Op op) {
  switch (op) {
    case Op::kEq:
      return "EQ";
    case Op::kLt:
      return "LT";
    case Op::kLe:
      return "LE";
    case Op::kGt:
      return "GT";
    case Op::kGe:
      return "GE";
    case Op::kBetween:
      return "BETWEEN";
    case Op::kBeginsWith:
      return "BEGINS_WITH";
    case Op::kOther:
      break;
  }
  return "";
}

Status KeyError(const std::string& message) { return item::ValidationError(message); }

// dynalite checkExpr: one node of the key condition.
Status Visit(const query::Condition& c, const query::Bindings& b,
             std::vector<KeyConditionTerm>* out) {
  using Kind = query::Condition::Kind;
  switch (c.kind) {
    case Kind::kOr:
      return KeyError("Invalid operator used in KeyConditionExpression: OR");
    case Kind::kNot:
      return KeyError("Invalid operator used in KeyConditionExpression: NOT");
    case Kind::kIn:
      return KeyError("Invalid operator used in KeyConditionExpression: IN");
    case Kind::kCompare:
      if (c.op == query::CompareOp::kNe) {
        return KeyError("Invalid operator used in KeyConditionExpression: <>");
      }
      break;
    case Kind::kFunction:
      if (c.function != query::Function::kBeginsWith) {
        return KeyError(std::string("Invalid operator used in KeyConditionExpression: ") +
                        FunctionName(c.function));
      }
      break;
    case Kind::kAnd:
      for (const query::Condition& child : c.children) RETURN_IF_ERROR(Visit(child, b, out));
      return Status::OK();
    case Kind::kBetween:
      break;
  }
  using OKind = query::Operand::Kind;
  if ((c.kind == Kind::kBetween || c.kind == Kind::kFunction) &&
      (c.operands.empty() || c.operands[0].kind != OKind::kPath)) {
    return KeyError(std::string("Invalid condition in KeyConditionExpression: ") +
                    (c.kind == Kind::kBetween ? "BETWEEN" : "begins_with") +
                    " operator must have the key attribute as its first operand");
  }
  std::string attr;
  bool have_attr = false;
  size_t attr_index = 0;
  for (size_t i = 0; i < c.operands.size(); ++i) {
    const query::Operand& o = c.operands[i];
    if (o.kind == OKind::kPath) {
      if (have_attr) {
        return KeyError(
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
      }
      query::ResolvedPath path = query::ResolvePath(o.path, b);
      if (path.size() > 1) {
        return KeyError("KeyConditionExpressions cannot have conditions on nested attributes");
      }
      attr = std::string(path.front().name);
      have_attr = true;
      attr_index = i;
    } else if (o.kind != OKind::kValue) {
      return KeyError("KeyConditionExpressions cannot contain nested operations");
    }
  }
  if (!have_attr) {
    return KeyError("Invalid condition in KeyConditionExpression: No key attribute specified");
  }
  for (const KeyConditionTerm& t : *out) {
    if (t.attribute == attr) {
      return KeyError("KeyConditionExpressions must only contain one condition per key");
    }
  }
  KeyConditionTerm term;
  term.attribute = attr;
  if (c.kind == Kind::kBetween) {
    term.op = Op::kBetween;
  } else if (c.kind == Kind::kFunction) {
    term.op = Op::kBeginsWith;
  } else {
    const bool flip = attr_index != 0;
    switch (c.op) {
      case query::CompareOp::kEq:
        term.op = Op::kEq;
        break;
      case query::CompareOp::kLt:
        term.op = flip ? Op::kGt : Op::kLt;
        break;
      case query::CompareOp::kLe:
        term.op = flip ? Op::kGe : Op::kLe;
        break;
      case query::CompareOp::kGt:
        term.op = flip ? Op::kLt : Op::kGt;
        break;
      case query::CompareOp::kGe:
        term.op = flip ? Op::kLe : Op::kGe;
        break;
      case query::CompareOp::kNe:
        break;
    }
  }
  term.op_name = LegacyName(term.op);
  for (size_t i = 0; i < c.operands.size(); ++i) {
    if (i == attr_index) continue;
    term.values.push_back(&query::BoundValue(b, c.operands[i].value));
  }
  out->push_back(std::move(term));
  return Status::OK();
}

std::string Encoded(const item::AttributeValue& v) {
  std::string s;
  item::AppendKeyComponent(v, &s);
  return s;
}

// esc(p) without its terminator: the prefix of every enc(s) where s begins with p.
std::string EncodedPrefix(const item::AttributeValue& v) {
  std::string s = Encoded(v);
  s.resize(s.size() - 2);  // S and B end with the 0x00 0x01 terminator
  return s;
}

std::string_view RawBytes(const item::AttributeValue& v) {
  if (v.is<item::Binary>()) return v.as<item::Binary>().bytes;
  return v.as<std::string>();
}

}  // namespace

Status KeyTermsFromExpression(const query::ParsedExpression& expr, const query::Bindings& b,
                              std::vector<KeyConditionTerm>* out) {
  out->clear();
  return Visit(expr.condition, b, out);
}

Status KeyTermsFromLegacy(const std::vector<query::ExpectedAttributeInput>& conditions,
                          std::vector<KeyConditionTerm>* out) {
  out->clear();
  {
    // The checks of each condition are QueryFilter's (dynalite validateConditions).
    query::LegacyExpression scratch;
    RETURN_IF_ERROR(query::ConvertExpected(conditions, std::nullopt, "KeyConditions", &scratch));
  }
  for (const query::ExpectedAttributeInput& in : conditions) {
    auto dup = std::find_if(out->begin(), out->end(),
                            [&](const KeyConditionTerm& t) { return t.attribute == in.name; });
    KeyConditionTerm term;
    term.attribute = in.name;
    term.op_name = in.comparison_operator.value_or("");
    const std::string& n = term.op_name;
    term.op = n == "EQ"            ? Op::kEq
              : n == "LT"          ? Op::kLt
              : n == "LE"          ? Op::kLe
              : n == "GT"          ? Op::kGt
              : n == "GE"          ? Op::kGe
              : n == "BETWEEN"     ? Op::kBetween
              : n == "BEGINS_WITH" ? Op::kBeginsWith
                                   : Op::kOther;
    if (in.attribute_value_list) {
      for (const item::AttributeValue& v : *in.attribute_value_list) term.values.push_back(&v);
    }
    if (dup != out->end()) {
      *dup = std::move(term);  // a JSON object's last duplicate wins
    } else {
      out->push_back(std::move(term));
    }
  }
  return Status::OK();
}

Status PlanQuery(const ReadTarget& target, const std::vector<KeyConditionTerm>& terms,
                 QueryPlan* plan) {
  *plan = QueryPlan();
  auto find = [&](const std::string& name) -> const KeyConditionTerm* {
    for (const KeyConditionTerm& t : terms) {
      if (t.attribute == name) return &t;
    }
    return nullptr;
  };
  const KeyAttribute* range_key = target.range_key();
  std::vector<std::pair<const KeyAttribute*, bool>> keys{{&target.hash_key(), true}};
  if (range_key != nullptr) keys.push_back({range_key, false});
  for (const auto& [key, is_hash] : keys) {
    if (is_hash && range_key == nullptr && terms.size() > 1) {
      return KeyError("Query key condition not supported");
    }
    const KeyConditionTerm* t = find(key->name);
    if (t == nullptr) {
      if (is_hash || terms.size() > 1) {
        return KeyError("Query condition missed key schema element: " + key->name);
      }
      continue;
    }
    if (t->op == Op::kOther) {
      return KeyError("Attempted conditional constraint is not an indexable operation");
    }
    for (const item::AttributeValue* v : t->values) {
      if (v->type() != key->type) {
        return KeyError(
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
      }
    }
    if (is_hash && t->op != Op::kEq) return KeyError("Query key condition not supported");
    if (!is_hash && t->op == Op::kBeginsWith && key->type == item::AttrType::kN) {
      return KeyError(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
          "operator or function: begins_with, operand type: N");
    }
    if (t->values.empty()) return KeyError("Query key condition not supported");
    if (is_hash) {
      plan->hash_term = t;
      plan->hash_value = t->values[0];
    } else {
      plan->range_term = t;
    }
  }

  // Index entries append the table key to the index key, and enc() is prefix-free, so the
  // entries of one sort-key value v are exactly the keys with prefix p + enc(v): upper bounds
  // "<= v" are PrefixSuccessor(p + enc(v)), which for base items (key == p + enc(v)) is the same.
  const std::string p =
      PartitionPrefix(target.table->table_id, target.index_id(), *plan->hash_value);
  KeyRange& r = plan->range;
  r.start = p;
  r.end = PrefixSuccessor(p);
  if (const KeyConditionTerm* t = plan->range_term) {
    const std::string a = p + Encoded(*t->values[0]);
    switch (t->op) {
      case Op::kEq:
        r.start = a;
        r.end = PrefixSuccessor(a);
        break;
      case Op::kLt:
        r.end = a;
        break;
      case Op::kLe:
        r.end = PrefixSuccessor(a);
        break;
      case Op::kGt:
        r.start = PrefixSuccessor(a);
        break;
      case Op::kGe:
        r.start = a;
        break;
      case Op::kBetween:
        r.start = a;
        r.end = PrefixSuccessor(p + Encoded(*t->values[1]));
        break;
      case Op::kBeginsWith: {
        const std::string prefix = p + EncodedPrefix(*t->values[0]);
        r.start = prefix;
        r.end = PrefixSuccessor(prefix);
        break;
      }
      case Op::kOther:
        break;
    }
  }
  return Status::OK();
}

bool RangeTermMatches(const KeyConditionTerm& term, const item::AttributeValue& value) {
  if (term.values.empty()) return false;
  if (term.op == Op::kBeginsWith) {
    if (value.type() != term.values[0]->type()) return false;
    return RawBytes(value).starts_with(RawBytes(*term.values[0]));
  }
  const std::string v = Encoded(value);
  const std::string a = Encoded(*term.values[0]);
  switch (term.op) {
    case Op::kEq:
      return v == a;
    case Op::kLt:
      return v < a;
    case Op::kLe:
      return v <= a;
    case Op::kGt:
      return v > a;
    case Op::kGe:
      return v >= a;
    case Op::kBetween:
      return term.values.size() == 2 && v >= a && v <= Encoded(*term.values[1]);
    default:
      return false;
  }
}

std::string PrefixSuccessor(std::string_view s) {
  std::string out(s);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

KeyRange SegmentRange(uint32_t table_id, uint64_t segment, uint64_t total, uint8_t index_id) {
  using u128 = unsigned __int128;
  const u128 span = static_cast<u128>(1) << 64;
  auto bound = [&](uint64_t i) -> u128 { return (i * span + total - 1) / total; };
  const std::string table = IndexPrefix(table_id, index_id);
  KeyRange r;
  r.start = table;
  PutBigEndian64(&r.start, static_cast<uint64_t>(bound(segment)));
  const u128 hi = bound(segment + 1);
  if (hi >= span) {
    r.end = PrefixSuccessor(table);
  } else {
    r.end = table;
    PutBigEndian64(&r.end, static_cast<uint64_t>(hi));
  }
  return r;
}

}  // namespace strata::tables
