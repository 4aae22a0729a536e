#include "item/api_error.h"
#include "query/legacy.h"
#include "query/update.h"

namespace strata::query {

// AWS checks the type of an AttributeUpdates ADD or DELETE against the stored attribute before
// applying anything, with its own wording; the converted expression (see the table in
// legacy.cc) would otherwise fail inside ApplyUpdate() with the expression wording.
Status ApplyAttributeUpdates(const LegacyExpression& updates, item::Item* item) {
  for (const UpdateAction& a : updates.expr.actions) {
    if (a.path.elements.empty()) continue;
    const item::AttributeValue* current = item::FindAttribute(*item, a.path.elements[0].name);
    if (current == nullptr) continue;
    item::AttrType wanted;
    if (a.kind == UpdateAction::Kind::kAdd || a.kind == UpdateAction::Kind::kDelete) {
      wanted = BoundValue(updates.bindings, a.value.value).type();
    } else if (a.kind == UpdateAction::Kind::kSet && a.value.kind == Operand::Kind::kListAppend) {
      wanted = item::AttrType::kL;  // ADD of a list
    } else {
      continue;
    }
    if (current->type() != wanted) {
      return item::ValidationError("Type mismatch for attribute to update");
    }
  }
  return ApplyUpdate(updates.expr, updates.bindings, item);
}

}  // namespace strata::query
