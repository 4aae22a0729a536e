#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "item/attribute_value.h"
#include "query/ast.h"
#include "query/bindings.h"
#include "util/status.h"

namespace strata::query {

// The legacy (pre-expression) parameters of DynamoDB, converted into the expression AST so
// that one evaluator serves both: Expected + ConditionalOperator (and later QueryFilter /
// ScanFilter / KeyConditions, which share the Condition shape), AttributeUpdates and
// AttributesToGet. Validation follows AWS's wording (dynalite validations/*.js and
// db/index.js, validated against AWS).

// One entry of Expected (or of QueryFilter / ScanFilter), as sent.
struct ExpectedAttributeInput {
  std::string name;                                // the map key
  bool is_null = false;                            // the entry itself was JSON null
  std::optional<item::AttributeValue> value;       // Value
  std::optional<bool> exists;                      // Exists
  std::optional<std::string> comparison_operator;  // ComparisonOperator
  std::optional<std::vector<item::AttributeValue>> attribute_value_list;  // AttributeValueList
};

// One entry of AttributeUpdates, as sent.
struct AttributeUpdateInput {
  std::string name;
  bool is_null = false;
  std::optional<item::AttributeValue> value;  // Value
  std::optional<std::string> action;          // Action: PUT (default), ADD, DELETE
};

// A legacy parameter converted to an expression. Owns the values its bindings point to; do not
// copy or move the object after conversion (the bindings would dangle).
//
// Thread-safety: a value type, immutable after conversion.
struct LegacyExpression {
  LegacyExpression() = default;
  LegacyExpression(const LegacyExpression&) = delete;
  LegacyExpression& operator=(const LegacyExpression&) = delete;

  ParsedExpression expr;
  std::vector<std::unique_ptr<item::AttributeValue>> owned_values;
  std::vector<std::unique_ptr<std::string>> owned_names;
  Bindings bindings;
};

// Expected + ConditionalOperator -> a kCondition expression whose evaluation with
// EvaluateCondition() is AWS's legacy semantics (Exists true/false with or without Value,
// ComparisonOperator EQ NE LE LT GE GT NOT_NULL NULL CONTAINS NOT_CONTAINS BEGINS_WITH IN
// BETWEEN, AttributeValueList counts and types; ConditionalOperator AND (default) / OR).
// `param` names the parameter in messages ("Expected", "QueryFilter", "ScanFilter").
// Invalid input -> ValidationException with AWS's message.
Status ConvertExpected(const std::vector<ExpectedAttributeInput>& expected,
                       const std::optional<std::string>& conditional_operator,
                       std::string_view param, LegacyExpression* out);

// AttributeUpdates -> a kUpdate expression whose ApplyUpdate() is AWS's legacy semantics (PUT
// replaces, DELETE without Value removes, DELETE with a set Value subtracts, ADD adds numbers,
// unions sets and appends lists, creating the attribute when absent).
Status ConvertAttributeUpdates(const std::vector<AttributeUpdateInput>& updates,
                               LegacyExpression* out);

// Applies a converted AttributeUpdates expression to *item (an empty item when none was
// stored): AWS's legacy type check first (ADD or DELETE on an attribute of another type is
// "Type mismatch for attribute to update", where ApplyUpdate() would word it as an expression
// error), then ApplyUpdate(). On error *item is unchanged.
Status ApplyAttributeUpdates(const LegacyExpression& updates, item::Item* item);

// One coral constraint violation of a legacy parameter, for the caller's
// "N validation errors detected: ..." message (AWS reports them together with the other
// members' violations, before any semantic check).
struct LegacyConstraintViolation {
  std::optional<std::string> value;  // the offending value; std::nullopt prints "Value null"
  std::string path;                  // e.g. "expected.a.member.comparisonOperator"
  std::string constraint;            // e.g. "Member must satisfy enum value set: [...]"
};

// The ComparisonOperator enum of each entry of Expected / QueryFilter / ScanFilter (for the
// filters also "Member must not be null"), in request order. ConvertExpected() reports these
// itself (with ConditionalOperator's enum) when the caller has not.
std::vector<LegacyConstraintViolation> ExpectedConstraintViolations(
    const std::vector<ExpectedAttributeInput>& expected, std::string_view param);

// The Action enum of each AttributeUpdates entry, in request order. ConvertAttributeUpdates()
// reports these itself when the caller has not.
std::vector<LegacyConstraintViolation> AttributeUpdatesConstraintViolations(
    const std::vector<AttributeUpdateInput>& updates);

// AttributesToGet -> projection paths (top-level names). Duplicates are a ValidationException
// as AWS ("One or more parameter values were invalid: Duplicate value in attribute name: a").
Status ConvertAttributesToGet(const std::vector<std::string>& names, LegacyExpression* out);

}  // namespace strata::query
