#include "tables/write_condition.h"

#include "item/api_error.h"
#include "query/evaluate.h"

namespace strata::tables {

void AddLegacyViolations(const std::vector<query::LegacyConstraintViolation>& violations,
                         ValidationCollector* errors) {
  for (const query::LegacyConstraintViolation& v : violations) {
    if (v.value) {
      errors->Add(*v.value, v.path, v.constraint);
    } else {
      errors->AddNull(v.path, v.constraint);
    }
  }
}

void WriteCondition::CheckConstraints(const WriteConditionInput& in, ValidationCollector* errors) {
  if (in.expected)
    AddLegacyViolations(query::ExpectedConstraintViolations(*in.expected, "Expected"), errors);
  const auto& op = in.conditional_operator;
  if (op && *op != "AND" && *op != "OR") {
    errors->Add(*op, "conditionalOperator", EnumConstraint({"OR", "AND"}));
  }
  const auto& rv = in.return_values_on_condition_check_failure;
  if (rv && *rv != "ALL_OLD" && *rv != "NONE") {
    errors->Add(*rv, "returnValuesOnConditionCheckFailure", EnumConstraint({"ALL_OLD", "NONE"}));
  }
}

Status WriteCondition::Prepare(const WriteConditionInput& in, const query::ExpressionParams& params,
                               query::CompiledExpressions* compiled) {
  if (in.expected || in.conditional_operator) {
    RETURN_IF_ERROR(
        query::ConvertExpected(in.expected.value_or(std::vector<query::ExpectedAttributeInput>{}),
                               in.conditional_operator, "Expected", &legacy_));
    expr_ = &legacy_.expr;
    bindings_ = &legacy_.bindings;
  }
  RETURN_IF_ERROR(query::CompileExpressions(params, compiled));
  UseExpression(*compiled);
  return Status::OK();
}

void WriteCondition::UseExpression(const query::CompiledExpressions& compiled) {
  if (!compiled.condition) return;
  expr_ = compiled.condition.get();
  bindings_ = &compiled.condition_bindings;
}

bool WriteCondition::Holds(const item::Item* current) const {
  return expr_ == nullptr || query::EvaluateCondition(*expr_, *bindings_, current);
}

Status ConditionFailed(const WriteConditionInput& in, const item::Item* current,
                       std::optional<item::Item>* failed_item) {
  if (current != nullptr && failed_item != nullptr &&
      in.return_values_on_condition_check_failure.value_or("NONE") == "ALL_OLD") {
    *failed_item = *current;
  }
  return item::MakeApiError(item::ApiError::kConditionalCheckFailed,
                            "The conditional request failed");
}

}  // namespace strata::tables
