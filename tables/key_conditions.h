#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"
#include "query/legacy.h"
#include "tables/secondary_index.h"
#include "tables/table_def.h"
#include "util/result.h"

namespace strata::tables {

// Query key conditions: KeyConditionExpression or the legacy KeyConditions, reduced to one
// term per attribute and then, against the table's key schema, to one contiguous range of
// engine keys (DESIGN 2.7: the partition prefix, then the sort-key range). Validation follows
// AWS's wording and order (dynalite validations/index.js convertKeyCondition and
// actions/query.js, validated against AWS).
//
// Thread-safety: pure functions; the values of a term point into the request (bindings or
// the KeyConditions input), which must outlive them.

// One condition on one attribute, as KeyConditions holds it.
struct KeyConditionTerm {
  enum class Op { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith, kOther };
  std::string attribute;
  Op op = Op::kEq;
  std::string op_name;  // the legacy ComparisonOperator (EQ, LT, ..., NULL, IN, ...)
  std::vector<const item::AttributeValue*> values;
};

// KeyConditionExpression (already parsed and bound) -> terms: "Invalid operator used in
// KeyConditionExpression: OR", "KeyConditionExpressions must only contain one condition per
// key", "KeyConditionExpressions cannot have conditions on nested attributes", ...
Status KeyTermsFromExpression(const query::ParsedExpression& expr, const query::Bindings& b,
                              std::vector<KeyConditionTerm>* out);

// Legacy KeyConditions -> terms, with AWS's checks of each condition (argument counts and
// types, BETWEEN bounds) as QueryFilter has them.
Status KeyTermsFromLegacy(const std::vector<query::ExpectedAttributeInput>& conditions,
                          std::vector<KeyConditionTerm>* out);

// A half-open range [start, end) of engine user keys (bytewise); `end` empty = unbounded.
struct KeyRange {
  std::string start;
  std::string end;
  bool Contains(std::string_view key) const { return key >= start && (end.empty() || key < end); }
};

// The planned Query: its range, the partition key value and the terms by key.
struct QueryPlan {
  KeyRange range;
  const item::AttributeValue* hash_value = nullptr;
  const KeyConditionTerm* hash_term = nullptr;
  const KeyConditionTerm* range_term = nullptr;  // nullptr: the whole partition
};

// Checks the terms against the key schema ("Query condition missed key schema element: pk",
// "Query key condition not supported", "Attempted conditional constraint is not an indexable
// operation", "One or more parameter values were invalid: Condition parameter type does not
// match schema type") and computes the key range. `terms` must outlive the plan.
Status PlanQuery(const ReadTarget& target, const std::vector<KeyConditionTerm>& terms,
                 QueryPlan* plan);
inline Status PlanQuery(const TableDef& def, const std::vector<KeyConditionTerm>& terms,
                        QueryPlan* plan) {
  return PlanQuery(ReadTarget{&def, nullptr}, terms, plan);
}

// True when `value` (of the range key's type) satisfies the sort-key term.
bool RangeTermMatches(const KeyConditionTerm& term, const item::AttributeValue& value);

// The smallest string greater than every string with prefix `s` ("" when none exists).
std::string PrefixSuccessor(std::string_view s);

// The key range of segment `segment` of `total` of a table (or of its index `index_id`): the
// partition-hash range [ceil(i * 2^64 / n), ceil((i + 1) * 2^64 / n)) under the prefix.
KeyRange SegmentRange(uint32_t table_id, uint64_t segment, uint64_t total, uint8_t index_id = 0);

}  // namespace strata::tables
