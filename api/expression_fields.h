#pragma once

#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "query/legacy.h"
#include "query/request_expressions.h"
#include "util/status.h"

namespace strata::api {

// Decoding of the expression parameters (UpdateExpression, ConditionExpression,
// ProjectionExpression, ExpressionAttributeNames/Values, ...) and of the legacy ones
// (Expected, AttributeUpdates, AttributesToGet) into the query layer's input structs. Shape
// errors are SerializationExceptions with AWS's wording (see dynamodb_request_fields.h);
// semantic errors of attribute values are kept for TableService to report in AWS's order.
//
// Thread-safety: stateless functions.

// The string expressions present in `request` (any of UpdateExpression, ConditionExpression,
// KeyConditionExpression, FilterExpression, ProjectionExpression) and the two maps.
// Semantic errors of ExpressionAttributeValues go to params->invalid_value.
Status DecodeExpressionParams(simdjson::dom::object request, query::ExpressionParams* params);

// Expected (or QueryFilter / ScanFilter): a map of ExpectedAttributeValue. The first semantic
// error of a value goes to *values_status.
Status DecodeExpected(simdjson::dom::object request, std::string_view field,
                      std::optional<std::vector<query::ExpectedAttributeInput>>* out,
                      Status* values_status);

// AttributeUpdates: a map of AttributeValueUpdate.
Status DecodeAttributeUpdates(simdjson::dom::object request,
                              std::optional<std::vector<query::AttributeUpdateInput>>* out,
                              Status* values_status);

// AttributesToGet: a list of strings.
Status DecodeAttributesToGet(simdjson::dom::object request,
                             std::optional<std::vector<std::string>>* out);

}  // namespace strata::api
