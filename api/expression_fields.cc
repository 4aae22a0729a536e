#include "api/expression_fields.h"

#include <algorithm>

#include "api/dynamodb_request_fields.h"
#include "item/api_error.h"
#include "item/json.h"
#include "item/json_shape.h"

namespace strata::api {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A map-valued field; `collection` names the Java map type in the array error.
Status GetMap(object request, std::string_view field, std::string_view collection,
              std::optional<object>* out) {
  element e;
  if (request.at_key(field).get(e) != simdjson::SUCCESS || e.is_null()) return Status::OK();
  if (e.type() == element_type::ARRAY) {
    return item::SerializationError("Unrecognized collection type " + std::string(collection));
  }
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return item::SerializationError(kCastMessage);
  *out = o;
  return Status::OK();
}

// One AttributeValue that is a struct member (Value, AttributeValueList element). A semantic
// error goes to *semantic (first one wins); *out stays empty then.
Status ReadValue(element e, std::optional<item::AttributeValue>* out, Status* semantic) {
  if (e.is_null()) return Status::OK();
  item::AttributeValue v;
  Status s = item::DecodeAttributeValue(e, &v);
  if (!s.ok()) {
    if (item::ApiErrorOf(s) != item::ApiError::kValidation) return s;
    if (semantic->ok()) *semantic = std::move(s);
    return Status::OK();
  }
  *out = std::move(v);
  return Status::OK();
}

}  // namespace

Status DecodeExpressionParams(object request, query::ExpressionParams* params) {
  RETURN_IF_ERROR(GetString(request, "UpdateExpression", &params->update));
  RETURN_IF_ERROR(GetString(request, "ConditionExpression", &params->condition));
  RETURN_IF_ERROR(GetString(request, "KeyConditionExpression", &params->key_condition));
  RETURN_IF_ERROR(GetString(request, "FilterExpression", &params->filter));
  RETURN_IF_ERROR(GetString(request, "ProjectionExpression", &params->projection));

  std::optional<object> names;
  RETURN_IF_ERROR(GetMap(request, "ExpressionAttributeNames",
                         "java.util.Map<java.lang.String, java.lang.String>", &names));
  if (names) {
    params->names.emplace();
    for (auto [key, value] : *names) {
      std::string name;
      if (!value.is_null()) RETURN_IF_ERROR(ReadString(value, &name));
      params->names->emplace_back(std::string(key), std::move(name));
    }
    std::stable_sort(params->names->begin(), params->names->end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // Java map semantics: a repeated key keeps the last value.
    query::NameMap unique;
    for (auto& entry : *params->names) {
      if (!unique.empty() && unique.back().first == entry.first) {
        unique.back().second = std::move(entry.second);
      } else {
        unique.push_back(std::move(entry));
      }
    }
    params->names = std::move(unique);
  }

  std::optional<object> values;
  RETURN_IF_ERROR(GetMap(request, "ExpressionAttributeValues",
                         "java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.AttributeValue>",
                         &values));
  if (values) {
    params->values.emplace();
    for (auto [key, value] : *values) {
      if (value.is_null()) continue;
      item::AttributeValue v;
      Status s = item::DecodeAttributeValue(value, &v);
      if (!s.ok()) {
        if (item::ApiErrorOf(s) != item::ApiError::kValidation) return s;
        if (!params->invalid_value) params->invalid_value.emplace(std::string(key), s.message());
        continue;
      }
      item::SetAttribute(&*params->values, std::string(key), std::move(v));
    }
  }
  return Status::OK();
}

namespace {

// A map of structures that each carry an AttributeValue `Value` (Expected, AttributeUpdates):
// one Entry per map key with its name, is_null for a JSON null entry, Value decoded (semantic
// errors to *values_status), and the rest of its fields read by `read_fields`.
template <typename Entry, typename ReadFields>
Status DecodeValueStructMap(object request, std::string_view field, std::string_view shape,
                            std::optional<std::vector<Entry>>* out, Status* values_status,
                            const ReadFields& read_fields) {
  std::optional<object> map;
  RETURN_IF_ERROR(GetMap(request, field,
                         "java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810." +
                             std::string(shape) + ">",
                         &map));
  if (!map) return Status::OK();
  out->emplace();
  for (auto [key, value] : *map) {
    Entry entry;
    entry.name = std::string(key);
    std::optional<object> o;
    RETURN_IF_ERROR(ReadListStruct(value, shape, &o));
    if (!o) {
      entry.is_null = true;
    } else {
      element v;
      if (o->at_key("Value").get(v) == simdjson::SUCCESS) {
        RETURN_IF_ERROR(ReadValue(v, &entry.value, values_status));
      }
      RETURN_IF_ERROR(read_fields(*o, &entry));
    }
    (*out)->push_back(std::move(entry));
  }
  return Status::OK();
}

}  // namespace

Status DecodeExpected(object request, std::string_view field,
                      std::optional<std::vector<query::ExpectedAttributeInput>>* out,
                      Status* values_status) {
  return DecodeValueStructMap(
      request, field, "ExpectedAttributeValue", out, values_status,
      [values_status](object o, query::ExpectedAttributeInput* in) -> Status {
        RETURN_IF_ERROR(GetBool(o, "Exists", &in->exists));
        RETURN_IF_ERROR(GetString(o, "ComparisonOperator", &in->comparison_operator));
        std::optional<simdjson::dom::array> list;
        RETURN_IF_ERROR(GetList(o, "AttributeValueList", &list));
        if (list) {
          in->attribute_value_list.emplace();
          for (element e : *list) {
            std::optional<item::AttributeValue> av;
            RETURN_IF_ERROR(ReadValue(e, &av, values_status));
            in->attribute_value_list->push_back(av ? std::move(*av) : item::AttributeValue());
          }
        }
        return Status::OK();
      });
}

Status DecodeAttributeUpdates(object request,
                              std::optional<std::vector<query::AttributeUpdateInput>>* out,
                              Status* values_status) {
  return DecodeValueStructMap(request, "AttributeUpdates", "AttributeValueUpdate", out,
                              values_status,
                              [](object o, query::AttributeUpdateInput* in) -> Status {
                                return GetString(o, "Action", &in->action);
                              });
}

Status DecodeAttributesToGet(object request, std::optional<std::vector<std::string>>* out) {
  std::optional<simdjson::dom::array> list;
  RETURN_IF_ERROR(GetList(request, "AttributesToGet", &list));
  if (!list) return Status::OK();
  out->emplace();
  for (element e : *list) {
    std::string s;
    if (!e.is_null()) RETURN_IF_ERROR(ReadString(e, &s));
    (*out)->push_back(std::move(s));
  }
  return Status::OK();
}

}  // namespace strata::api
