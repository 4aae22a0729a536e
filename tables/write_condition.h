#pragma once

#include <optional>
#include <vector>

#include "item/attribute_value.h"
#include "query/legacy.h"
#include "query/request_expressions.h"
#include "tables/requests.h"
#include "tables/validation_collector.h"
#include "util/status.h"

namespace strata::tables {

// The condition of one conditional write (PutItem, UpdateItem, DeleteItem): a compiled
// ConditionExpression or the legacy Expected + ConditionalOperator, evaluated against the
// stored item under the item lock.
//
// Thread-safety: immutable after preparation; Holds() may run on any thread. Lifecycle: one
// per request; not movable (the legacy bindings point into it); the CompiledExpressions it
// uses must outlive it.
class WriteCondition {
 public:
  WriteCondition() = default;
  WriteCondition(const WriteCondition&) = delete;
  WriteCondition& operator=(const WriteCondition&) = delete;

  // Coral enum constraints of ConditionalOperator and ReturnValuesOnConditionCheckFailure.
  static void CheckConstraints(const WriteConditionInput& in, ValidationCollector* errors);

  // Converts Expected (AWS validates it before the expressions), then compiles `params` into
  // *compiled and uses its ConditionExpression, when there is one.
  Status Prepare(const WriteConditionInput& in, const query::ExpressionParams& params,
                 query::CompiledExpressions* compiled);
  // Uses the compiled ConditionExpression, when there is one.
  void UseExpression(const query::CompiledExpressions& compiled);

  // True when there is no condition or it holds for `current` (nullptr: no stored item).
  bool Holds(const item::Item* current) const;

 private:
  query::LegacyExpression legacy_;
  const query::ParsedExpression* expr_ = nullptr;
  const query::Bindings* bindings_ = nullptr;
};

// Adds the coral constraint violations of a legacy parameter (query/legacy.h) to `errors`.
void AddLegacyViolations(const std::vector<query::LegacyConstraintViolation>& violations,
                         ValidationCollector* errors);

// ConditionalCheckFailedException "The conditional request failed". When `in` asks for
// ReturnValuesOnConditionCheckFailure=ALL_OLD and an item is stored, *failed_item receives it
// (the api layer adds it to the error body as `Item`).
Status ConditionFailed(const WriteConditionInput& in, const item::Item* current,
                       std::optional<item::Item>* failed_item);

}  // namespace strata::tables
