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

// The expression parameters of one request, as sent (std::nullopt = absent or JSON null).
struct ExpressionParams {
  std::optional<std::string> update;         // UpdateExpression
  std::optional<std::string> condition;      // ConditionExpression
  std::optional<std::string> key_condition;  // KeyConditionExpression
  std::optional<std::string> filter;         // FilterExpression
  std::optional<std::string> projection;     // ProjectionExpression
  std::optional<NameMap> names;              // ExpressionAttributeNames
  std::optional<item::Map> values;           // ExpressionAttributeValues (decoded, sorted)
  // The first ExpressionAttributeValues entry whose value failed validation: its placeholder
  // and the ValidationException message of the value ("One or more parameter values were
  // invalid: ..."). Reported as AWS does: "ExpressionAttributeValues contains invalid value:
  // <message> for key <key>".
  std::optional<std::pair<std::string, std::string>> invalid_value;
};

// The parsed and bound expressions of a request; null pointers for absent ones. Bindings
// point into the ExpressionParams they were compiled from, which must outlive this.
struct CompiledExpressions {
  std::shared_ptr<const ParsedExpression> update, condition, key_condition, filter, projection;
  Bindings update_bindings, condition_bindings, key_condition_bindings, filter_bindings,
      projection_bindings;
};

// Validates and compiles a request's expressions in AWS's order (dynalite
// validations/index.js validateExpressions): ExpressionAttributeNames (not empty, keys
// "#..."), ExpressionAttributeValues (not empty, keys ":...", valid values), then Update,
// Condition, KeyCondition, Filter and Projection expressions (parse, then bind: undefined
// names/values, value-dependent checks such as operand types, BETWEEN bounds, attribute_type
// type names, overlapping or conflicting update paths), then unused names, then unused
// values. Expressions come from ExpressionCache::Global().
Status CompileExpressions(const ExpressionParams& params, CompiledExpressions* out);

// AWS's rules for mixing expression and legacy parameters (dynalite
// validateExpressionParams). `expression_fields` lists EVERY expression parameter the operation
// accepts, in the operation's order (e.g. {"UpdateExpression", "ConditionExpression"} for
// UpdateItem, {"ProjectionExpression"} for GetItem); which of them are present is read from
// `params`. `present_legacy_fields` lists the legacy parameters PRESENT in the request, in the
// operation's order (e.g. {"AttributeUpdates", "Expected"}); the caller applies the
// KeyConditions special case. Messages: "Can not use both expression and non-expression
// parameters in the same request: Non-expression parameters: {Expected} Expression parameters:
// {ConditionExpression}", "ExpressionAttributeNames can only be specified when using
// expressions", "ExpressionAttributeValues can only be specified when using expressions:
// UpdateExpression and ConditionExpression are null" (ProjectionExpression does not count for
// values).
Status CheckExpressionParams(const ExpressionParams& params,
                             const std::vector<std::string_view>& expression_fields,
                             const std::vector<std::string_view>& present_legacy_fields);

}  // namespace strata::query
