#include "tables/read_projection.h"

#include "query/projection.h"

namespace strata::tables {

Status ReadProjection::CheckParams(
    const query::ExpressionParams& params,
    const std::optional<std::vector<std::string>>& attributes_to_get) {
  std::vector<std::string_view> legacy;
  if (attributes_to_get) legacy.push_back("AttributesToGet");
  return query::CheckExpressionParams(params, {"ProjectionExpression"}, legacy);
}

Status ReadProjection::Prepare(const query::ExpressionParams& params,
                               const std::optional<std::vector<std::string>>& attributes_to_get) {
  if (attributes_to_get) {
    RETURN_IF_ERROR(query::ConvertAttributesToGet(*attributes_to_get, &legacy_));
    paths_ = &legacy_.expr.projection;
    bindings_ = &legacy_.bindings;
  }
  RETURN_IF_ERROR(query::CompileExpressions(params, &compiled_));
  if (compiled_.projection) {
    paths_ = &compiled_.projection->projection;
    bindings_ = &compiled_.projection_bindings;
  }
  return Status::OK();
}

void ReadProjection::Apply(item::Item* item) const {
  if (paths_ == nullptr) return;
  *item = query::Project(*paths_, *bindings_, *item);
}

}  // namespace strata::tables
