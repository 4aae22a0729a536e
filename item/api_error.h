#pragma once

#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace strata::item {

// The DynamoDB error types strata answers with. A Status carries one of these in its subcode;
// ApiErrorInfo() maps each to AWS's `__type` and HTTP status, the one place that does so.
// Values are not stored on disk.
enum class ApiError : uint16_t {
  kNone = 0,  // not an API error: mapped from the Status code (see ApiErrorOf)
  kValidation,
  kSerialization,
  kUnknownOperation,
  kResourceNotFound,
  kResourceInUse,
  kConditionalCheckFailed,
  kLimitExceeded,
  kInternalServerError,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kProvisionedThroughputExceeded,
  kItemCollectionSizeLimitExceeded,
  kAccessDenied,
  kMissingAuthenticationToken,
  kUnrecognizedClient,
  kInvalidSignature,
  kIncompleteSignature,
};

struct ApiErrorInfo {
  int http_status;
  std::string_view type;  // the namespaced `__type`, e.g. "com.amazon.coral.validate#ValidationException"
  std::string_view code;  // the bare code, e.g. "ValidationException"
};

// The wire shape of an error type.
const ApiErrorInfo& InfoOf(ApiError error);

// The API error a non-OK Status stands for: its subcode when set, else by Status code
// (InvalidArgument -> Validation, ConditionFailed -> ConditionalCheckFailed,
// NotFound -> ResourceNotFound, anything else -> InternalServerError).
ApiError ApiErrorOf(const Status& status);

// A Status carrying a DynamoDB error type and AWS's message wording.
Status MakeApiError(ApiError error, std::string_view message);

inline Status ValidationError(std::string_view message) {
  return MakeApiError(ApiError::kValidation, message);
}
inline Status SerializationError(std::string_view message) {
  return MakeApiError(ApiError::kSerialization, message);
}

}  // namespace strata::item
