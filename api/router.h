#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <simdjson.h>

#include "api/request_context.h"
#include "util/status.h"

namespace strata::api {

// An operation handler: reads the parsed request body (always a JSON object) and appends the
// JSON response body to *response. A non-OK Status becomes an error reply via
// item::ApiErrorOf / item::InfoOf (the one place errors are mapped to AWS's shapes); the
// response text is then discarded.
using OperationHandler = std::function<Status(
    const RequestContext& ctx, simdjson::dom::object request, std::string* response)>;

// Router maps X-Amz-Target values ("DynamoDB_20120810.PutItem") to handlers. Targets that are
// not registered answer UnknownOperationException.
//
// Thread-safety: Register() only before the server starts; Find() concurrently afterwards.
class Router {
 public:
  void Register(std::string target, OperationHandler handler);
  // nullptr when not registered.
  const OperationHandler* Find(std::string_view target) const;

 private:
  // Transparent hashing: Find() looks up a string_view without building a std::string.
  struct TargetHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, OperationHandler, TargetHash, std::equal_to<>> handlers_;
};

}  // namespace strata::api
