#pragma once

#include <optional>
#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "query/legacy.h"
#include "query/request_expressions.h"
#include "util/status.h"

namespace strata::tables {

// The attributes a read returns: ProjectionExpression (with ExpressionAttributeNames) or the
// legacy AttributesToGet, or the whole item. Used by GetItem and BatchGetItem (and later
// Query and Scan).
//
// Thread-safety: immutable after Prepare(). Lifecycle: one per request (per table for
// batches); not movable (bindings point into it and into `params`, which must outlive it).
class ReadProjection {
 public:
  ReadProjection() = default;
  ReadProjection(const ReadProjection&) = delete;
  ReadProjection& operator=(const ReadProjection&) = delete;

  // The mixing rules of the two families (AWS checks them before the key values).
  static Status CheckParams(const query::ExpressionParams& params,
                            const std::optional<std::vector<std::string>>& attributes_to_get);

  // AttributesToGet duplicates, then the expressions of `params` (ProjectionExpression and
  // the names), in AWS's order.
  Status Prepare(const query::ExpressionParams& params,
                 const std::optional<std::vector<std::string>>& attributes_to_get);

  // Reduces *item to the projected attributes (no-op without a projection).
  void Apply(item::Item* item) const;

 private:
  query::LegacyExpression legacy_;
  query::CompiledExpressions compiled_;
  const std::vector<query::Path>* paths_ = nullptr;
  const query::Bindings* bindings_ = nullptr;
};

}  // namespace strata::tables
