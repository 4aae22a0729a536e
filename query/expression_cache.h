#pragma once

#include <memory>
#include <string_view>

#include "query/ast.h"
#include "util/result.h"

namespace strata::query {

// A bounded cache of parsed expressions keyed by (kind, text), so that a request repeating an
// expression it sent before skips the parser. Parse errors are not cached.
//
// Thread-safety: every method may be called concurrently (sharded locks). Lifecycle: one per
// process (Global()) or per test.
class ExpressionCache {
 public:
  explicit ExpressionCache(size_t capacity = 4096);
  ~ExpressionCache();
  ExpressionCache(const ExpressionCache&) = delete;
  ExpressionCache& operator=(const ExpressionCache&) = delete;

  // The parsed expression for `text`, from the cache or from ParseExpression().
  Result<std::shared_ptr<const ParsedExpression>> Get(ExpressionKind kind, std::string_view text);

  static ExpressionCache& Global();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::query
