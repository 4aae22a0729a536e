#include "api/dynamodb_request_fields.h"

#include <cmath>
#include <limits>

#include "item/api_error.h"
#include "item/json.h"
#include "item/json_shape.h"

namespace strata::api {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

using item::kStartOfStructure;
constexpr std::string_view kUnexpectedFieldType = "Unexpected field type";
constexpr std::string_view kUnexpectedValueType = "Unexpected value type in payload";
constexpr std::string_view kModelPackage = "com.amazonaws.dynamodb.v20120810.";
constexpr std::string_view kMapOfAttributeValue =
    "Unrecognized collection type java.util.Map<java.lang.String, "
    "com.amazonaws.dynamodb.v20120810.AttributeValue>";

Status Serialization(std::string_view message) { return item::SerializationError(message); }

// Looks up a field; false when absent or null.
bool Lookup(simdjson::dom::object obj, std::string_view field, element* out) {
  element e;
  if (obj.at_key(field).get(e) != simdjson::SUCCESS) return false;
  if (e.is_null()) return false;
  *out = e;
  return true;
}

}  // namespace

Status ReadString(element e, std::string* out) {
  switch (e.type()) {
    case element_type::STRING: {
      std::string_view sv;
      if (e.get_string().get(sv) != simdjson::SUCCESS) sv = {};
      out->assign(sv.data(), sv.size());
      return Status::OK();
    }
    case element_type::ARRAY:
      return Serialization("Unrecognized collection type class java.lang.String");
    case element_type::OBJECT:
      return Serialization(kStartOfStructure);
    default:
      return Serialization(std::string(item::CoralTokenName(e)) + " cannot be converted to String");
  }
}

Status ReadBool(element e, bool* out) {
  switch (e.type()) {
    case element_type::BOOL:
      if (e.get_bool().get(*out) != simdjson::SUCCESS) *out = false;
      return Status::OK();
    case element_type::STRING:
      return Serialization("Unexpected token received from parser");
    case element_type::ARRAY:
      return Serialization("Unrecognized collection type class java.lang.Boolean");
    case element_type::OBJECT:
      return Serialization(kStartOfStructure);
    default:
      return Serialization(std::string(item::CoralTokenName(e)) +
                           " cannot be converted to Boolean");
  }
}

Status ReadInteger(element e, std::string_view java_type, int64_t* out) {
  const int64_t max = java_type == "Integer" ? std::numeric_limits<int32_t>::max()
                                             : std::numeric_limits<int64_t>::max();
  const int64_t min = java_type == "Integer" ? std::numeric_limits<int32_t>::min()
                                             : std::numeric_limits<int64_t>::min();
  switch (e.type()) {
    case element_type::INT64: {
      int64_t v = 0;
      if (e.get_int64().get(v) != simdjson::SUCCESS) v = 0;
      *out = v > max ? max : v < min ? min : v;
      return Status::OK();
    }
    case element_type::UINT64:
      *out = max;
      return Status::OK();
    case element_type::DOUBLE: {
      double d = 0;
      if (e.get_double().get(d) != simdjson::SUCCESS) d = 0;
      d = std::floor(d);
      if (d >= static_cast<double>(max))
        *out = max;
      else if (d <= static_cast<double>(min))
        *out = min;
      else
        *out = static_cast<int64_t>(d);
      return Status::OK();
    }
    case element_type::ARRAY:
      return Serialization("Unrecognized collection type class java.lang." +
                           std::string(java_type));
    case element_type::OBJECT:
      return Serialization(kStartOfStructure);
    default:
      return Serialization(std::string(item::CoralTokenName(e)) + " cannot be converted to " +
                           std::string(java_type));
  }
}

Status GetString(simdjson::dom::object obj, std::string_view field,
                 std::optional<std::string>* out) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  std::string s;
  RETURN_IF_ERROR(ReadString(e, &s));
  *out = std::move(s);
  return Status::OK();
}

Status GetBool(simdjson::dom::object obj, std::string_view field, std::optional<bool>* out) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  bool b = false;
  RETURN_IF_ERROR(ReadBool(e, &b));
  *out = b;
  return Status::OK();
}

Status GetInteger(simdjson::dom::object obj, std::string_view field, std::string_view java_type,
                  std::optional<int64_t>* out) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  int64_t v = 0;
  RETURN_IF_ERROR(ReadInteger(e, java_type, &v));
  *out = v;
  return Status::OK();
}

Status GetList(simdjson::dom::object obj, std::string_view field,
               std::optional<simdjson::dom::array>* out) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  if (e.type() == element_type::OBJECT) return Serialization(kStartOfStructure);
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return Serialization(kUnexpectedFieldType);
  *out = a;
  return Status::OK();
}

Status GetStruct(simdjson::dom::object obj, std::string_view field, std::string_view shape,
                 std::optional<simdjson::dom::object>* out) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  if (e.type() == element_type::ARRAY) {
    return Serialization("Unrecognized collection type class " + std::string(kModelPackage) +
                         std::string(shape));
  }
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return Serialization(kUnexpectedFieldType);
  *out = o;
  return Status::OK();
}

Status ReadListStruct(element e, std::string_view shape,
                      std::optional<simdjson::dom::object>* out) {
  if (e.is_null()) return Status::OK();
  if (e.type() == element_type::ARRAY) {
    return Serialization("Unrecognized collection type class " + std::string(kModelPackage) +
                         std::string(shape));
  }
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return Serialization(kUnexpectedValueType);
  *out = o;
  return Status::OK();
}

Status ReadAttributeMap(element e, std::optional<item::Item>* out, Status* semantic) {
  if (e.is_null()) return Status::OK();
  if (e.type() == element_type::ARRAY) return Serialization(kMapOfAttributeValue);
  if (e.type() != element_type::OBJECT) return Serialization(kCastMessage);
  item::Item map;
  Status s = item::DecodeAttributeMap(e, &map);
  if (!s.ok()) {
    if (item::ApiErrorOf(s) == item::ApiError::kValidation) {
      *semantic = std::move(s);
      return Status::OK();
    }
    return s;
  }
  *out = std::move(map);
  return Status::OK();
}

Status GetAttributeMap(simdjson::dom::object obj, std::string_view field,
                       std::optional<item::Item>* out, Status* semantic) {
  element e;
  if (!Lookup(obj, field, &e)) return Status::OK();
  return ReadAttributeMap(e, out, semantic);
}

bool HasField(simdjson::dom::object obj, std::string_view field) {
  element e;
  return Lookup(obj, field, &e);
}

}  // namespace strata::api
