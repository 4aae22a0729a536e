#include "item/api_error.h"

namespace strata::item {
namespace {

constexpr ApiErrorInfo kInfos[] = {
    /* kNone */ {500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "InternalServerError"},
    {400, "com.amazon.coral.validate#ValidationException", "ValidationException"},
    {400, "com.amazon.coral.service#SerializationException", "SerializationException"},
    {400, "com.amazon.coral.service#UnknownOperationException", "UnknownOperationException"},
    {400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "ResourceNotFoundException"},
    {400, "com.amazonaws.dynamodb.v20120810#ResourceInUseException", "ResourceInUseException"},
    {400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
     "ConditionalCheckFailedException"},
    {400, "com.amazonaws.dynamodb.v20120810#LimitExceededException", "LimitExceededException"},
    {500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "InternalServerError"},
    {400, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
     "TransactionCanceledException"},
    {400, "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
     "TransactionConflictException"},
    {400, "com.amazonaws.dynamodb.v20120810#TransactionInProgressException",
     "TransactionInProgressException"},
    {400, "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
     "IdempotentParameterMismatchException"},
    {400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
     "ProvisionedThroughputExceededException"},
    {400, "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException",
     "ItemCollectionSizeLimitExceededException"},
    {400, "com.amazon.coral.service#AccessDeniedException", "AccessDeniedException"},
    {400, "com.amazon.coral.service#MissingAuthenticationTokenException",
     "MissingAuthenticationTokenException"},
    {400, "com.amazon.coral.service#UnrecognizedClientException", "UnrecognizedClientException"},
    {400, "com.amazon.coral.service#InvalidSignatureException", "InvalidSignatureException"},
    {400, "com.amazon.coral.service#IncompleteSignatureException", "IncompleteSignatureException"},
};

static_assert(sizeof(kInfos) / sizeof(kInfos[0]) ==
              static_cast<size_t>(ApiError::kIncompleteSignature) + 1);

}  // namespace

const ApiErrorInfo& InfoOf(ApiError error) { return kInfos[static_cast<size_t>(error)]; }

ApiError ApiErrorOf(const Status& status) {
  if (status.subcode() != 0) return static_cast<ApiError>(status.subcode());
  switch (status.code()) {
    case Status::Code::kInvalidArgument: return ApiError::kValidation;
    case Status::Code::kConditionFailed: return ApiError::kConditionalCheckFailed;
    case Status::Code::kNotFound: return ApiError::kResourceNotFound;
    default: return ApiError::kInternalServerError;
  }
}

Status MakeApiError(ApiError error, std::string_view message) {
  Status::Code code = Status::Code::kInvalidArgument;
  switch (error) {
    case ApiError::kResourceNotFound: code = Status::Code::kNotFound; break;
    case ApiError::kConditionalCheckFailed: code = Status::Code::kConditionFailed; break;
    case ApiError::kInternalServerError: code = Status::Code::kIOError; break;
    case ApiError::kResourceInUse:
    case ApiError::kTransactionConflict:
    case ApiError::kTransactionInProgress: code = Status::Code::kBusy; break;
    default: break;
  }
  return Status(code, message, static_cast<uint16_t>(error));
}

}  // namespace strata::item
