#include "query/request_expressions.h"

#include <string_view>

#include "item/api_error.h"
#include "query/binder.h"
#include "query/expression_cache.h"
#include "query/parser_internal.h"

namespace strata::query {
namespace {

// The longest placeholder ("#name" / ":value") AWS accepts, in bytes.
constexpr size_t kMaxPlaceholderBytes = 255;

bool IsPlaceholderChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// ^<prefix>[0-9a-zA-Z_]+$
bool IsValidPlaceholder(std::string_view key, char prefix) {
  if (key.size() < 2 || key[0] != prefix) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    if (!IsPlaceholderChar(key[i])) return false;
  }
  return true;
}

Status CheckPlaceholderKey(std::string_view param, std::string_view key, char prefix) {
  if (!IsValidPlaceholder(key, prefix)) {
    return item::ValidationError(std::string(param) +
                                 " contains invalid key: Syntax error; key: \"" + std::string(key) +
                                 "\"");
  }
  if (key.size() > kMaxPlaceholderBytes) {
    return item::ValidationError(
        std::string(param) +
        " contains invalid key: The expression attribute map contains a key that is too long; "
        "key: " +
        std::string(key));
  }
  return Status::OK();
}

// Parses (through the global cache) and binds one expression.
Status CompileOne(ExpressionKind kind, const std::string& text, const ExpressionParams& params,
                  std::shared_ptr<const ParsedExpression>* expr, Bindings* bindings,
                  std::vector<bool>* used_names, std::vector<bool>* used_values) {
  const NameMap* names = params.names ? &*params.names : nullptr;
  const item::Map* values = params.values ? &*params.values : nullptr;
  auto parsed = ExpressionCache::Global().Get(kind, text);
  if (!parsed.ok()) {
    // Operand-count and document-path errors rank below undefined placeholders (and, in
    // conditions, below errors of earlier operands): re-parse without them and bind, which
    // reports whichever AWS would.
    ParsedExpression unchecked;
    if (!internal::ParseUnchecked(kind, text, &unchecked).ok()) return parsed.status();
    Bindings ignored;
    std::string error = BindExpression(unchecked, names, values, &ignored, used_names, used_values);
    if (error.empty()) return parsed.status();
    return internal::ExpressionError(kind, error);
  }
  std::string error =
      BindExpression(*parsed.value(), names, values, bindings, used_names, used_values);
  if (!error.empty()) return internal::ExpressionError(kind, error);
  *expr = std::move(parsed).value();
  return Status::OK();
}

std::string JoinUnused(const std::vector<std::string_view>& keys) {
  std::string s = "keys: {";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) s += ", ";
    s += keys[i];
  }
  s += "}";
  return s;
}

const std::optional<std::string>* ExpressionField(const ExpressionParams& params,
                                                  std::string_view name) {
  if (name == "UpdateExpression") return &params.update;
  if (name == "ConditionExpression") return &params.condition;
  if (name == "KeyConditionExpression") return &params.key_condition;
  if (name == "FilterExpression") return &params.filter;
  if (name == "ProjectionExpression") return &params.projection;
  return nullptr;
}

std::string JoinList(const std::vector<std::string_view>& items, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += sep;
    s += items[i];
  }
  return s;
}

}  // namespace

Status CompileExpressions(const ExpressionParams& params, CompiledExpressions* out) {
  *out = CompiledExpressions();
  if (params.names) {
    if (params.names->empty()) {
      return item::ValidationError("ExpressionAttributeNames must not be empty");
    }
    for (const auto& [key, name] : *params.names) {
      RETURN_IF_ERROR(CheckPlaceholderKey("ExpressionAttributeNames", key, '#'));
    }
  }
  if (params.values) {
    if (params.values->empty() && !params.invalid_value) {
      return item::ValidationError("ExpressionAttributeValues must not be empty");
    }
    for (const auto& [key, value] : *params.values) {
      RETURN_IF_ERROR(CheckPlaceholderKey("ExpressionAttributeValues", key, ':'));
    }
  }
  if (params.invalid_value) {
    RETURN_IF_ERROR(
        CheckPlaceholderKey("ExpressionAttributeValues", params.invalid_value->first, ':'));
    return item::ValidationError(
        "ExpressionAttributeValues contains invalid value: " + params.invalid_value->second +
        " for key " + params.invalid_value->first);
  }

  std::vector<bool> used_names(params.names ? params.names->size() : 0, false);
  std::vector<bool> used_values(params.values ? params.values->size() : 0, false);
  struct Slot {
    ExpressionKind kind;
    const std::optional<std::string>* text;
    std::shared_ptr<const ParsedExpression>* expr;
    Bindings* bindings;
  };
  const Slot slots[] = {
      {ExpressionKind::kUpdate, &params.update, &out->update, &out->update_bindings},
      {ExpressionKind::kCondition, &params.condition, &out->condition, &out->condition_bindings},
      {ExpressionKind::kKeyCondition, &params.key_condition, &out->key_condition,
       &out->key_condition_bindings},
      {ExpressionKind::kFilter, &params.filter, &out->filter, &out->filter_bindings},
      {ExpressionKind::kProjection, &params.projection, &out->projection,
       &out->projection_bindings},
  };
  for (const Slot& slot : slots) {
    if (!slot.text->has_value()) continue;
    RETURN_IF_ERROR(CompileOne(slot.kind, **slot.text, params, slot.expr, slot.bindings,
                               &used_names, &used_values));
  }

  std::vector<std::string_view> unused;
  for (size_t i = 0; i < used_names.size(); ++i) {
    if (!used_names[i]) unused.push_back((*params.names)[i].first);
  }
  if (!unused.empty()) {
    return item::ValidationError(
        "Value provided in ExpressionAttributeNames unused in expressions: " + JoinUnused(unused));
  }
  for (size_t i = 0; i < used_values.size(); ++i) {
    if (!used_values[i]) unused.push_back((*params.values)[i].first);
  }
  if (!unused.empty()) {
    return item::ValidationError(
        "Value provided in ExpressionAttributeValues unused in expressions: " + JoinUnused(unused));
  }
  return Status::OK();
}

Status CheckExpressionParams(const ExpressionParams& params,
                             const std::vector<std::string_view>& expression_fields,
                             const std::vector<std::string_view>& present_legacy_fields) {
  std::vector<std::string_view> present;
  for (std::string_view f : expression_fields) {
    const std::optional<std::string>* v = ExpressionField(params, f);
    if (v != nullptr && v->has_value()) present.push_back(f);
  }
  if (!present.empty()) {
    std::vector<std::string_view> legacy;
    for (std::string_view f : present_legacy_fields) {
      // KeyConditions may accompany expressions other than KeyConditionExpression (callers
      // usually leave it out already; applying the rule twice is harmless).
      if (f == "KeyConditions" && !params.key_condition) continue;
      legacy.push_back(f);
    }
    if (!legacy.empty()) {
      return item::ValidationError(
          "Can not use both expression and non-expression parameters in the same request: "
          "Non-expression parameters: {" +
          JoinList(legacy, ", ") + "} Expression parameters: {" + JoinList(present, ", ") + "}");
    }
  }
  if (params.names && present.empty()) {
    return item::ValidationError(
        "ExpressionAttributeNames can only be specified when using expressions");
  }
  std::vector<std::string_view> value_exprs;
  bool any_value_expr = false;
  for (std::string_view f : expression_fields) {
    if (f == "ProjectionExpression") continue;
    value_exprs.push_back(f);
    const std::optional<std::string>* v = ExpressionField(params, f);
    if (v != nullptr && v->has_value()) any_value_expr = true;
  }
  if (!value_exprs.empty() && params.values && !any_value_expr) {
    return item::ValidationError(
        "ExpressionAttributeValues can only be specified when using expressions: " +
        JoinList(value_exprs, " and ") + (value_exprs.size() > 1 ? " are null" : " is null"));
  }
  return Status::OK();
}

}  // namespace strata::query
