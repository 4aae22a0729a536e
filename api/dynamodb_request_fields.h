#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "item/attribute_value.h"
#include "util/status.h"

namespace strata::api {

// Typed reads of DynamoDB request fields with AWS's SerializationException wording for a
// wrong JSON type (as recorded by dynalite's test/helpers.js assertType, validated against
// live AWS). An absent field or a JSON null reads as std::nullopt. Unknown fields are ignored,
// as AWS ignores them.
//
//   String    : TRUE_VALUE / FALSE_VALUE / NUMBER_VALUE / DECIMAL_VALUE cannot be converted to
//               String; [] -> Unrecognized collection type class java.lang.String;
//               {} -> Start of structure or map found where not expected
//   Boolean   : "x" -> Unexpected token received from parser; NUMBER_VALUE / DECIMAL_VALUE ...
//   Long/Integer : STRING_VALUE / TRUE_VALUE / FALSE_VALUE cannot be converted to Long
//   List      : scalars -> Unexpected field type; {} -> Start of structure ...
//   Structure : scalars -> Unexpected field type (a field) / Unexpected value type in payload
//               (a list element); [] -> Unrecognized collection type class
//               com.amazonaws.dynamodb.v20120810.<Shape>
//   Item/Key  : [] -> Unrecognized collection type java.util.Map<java.lang.String,
//               com.amazonaws.dynamodb.v20120810.AttributeValue>
//
// Thread-safety: stateless functions.

// What AWS answers when a scalar stands where a parameterized collection (a Map or List of
// model objects) is expected.
inline constexpr std::string_view kCastMessage =
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
    "java.lang.Class are in module java.base of loader 'bootstrap')";

Status ReadString(simdjson::dom::element e, std::string* out);
Status ReadBool(simdjson::dom::element e, bool* out);
// `java_type` is "Long" or "Integer" (Integer clamps to 2^31-1 as AWS does).
Status ReadInteger(simdjson::dom::element e, std::string_view java_type, int64_t* out);

Status GetString(simdjson::dom::object obj, std::string_view field,
                 std::optional<std::string>* out);
Status GetBool(simdjson::dom::object obj, std::string_view field, std::optional<bool>* out);
Status GetInteger(simdjson::dom::object obj, std::string_view field, std::string_view java_type,
                  std::optional<int64_t>* out);
Status GetList(simdjson::dom::object obj, std::string_view field,
               std::optional<simdjson::dom::array>* out);
// A structure-valued field; `shape` names it in the array error (e.g. "ProvisionedThroughput").
Status GetStruct(simdjson::dom::object obj, std::string_view field, std::string_view shape,
                 std::optional<simdjson::dom::object>* out);
// A list element that must be a structure (null elements read as std::nullopt).
Status ReadListStruct(simdjson::dom::element e, std::string_view shape,
                      std::optional<simdjson::dom::object>* out);

// An Item or Key (map of AttributeValue). A JSON-shape error is returned; a semantic
// ValidationException of the values is stored in *semantic (AWS reports it after the request's
// constraint violations), leaving *out empty.
Status GetAttributeMap(simdjson::dom::object obj, std::string_view field,
                       std::optional<item::Item>* out, Status* semantic);
// The same for a value that is not a field (e.g. a list element); JSON null reads as nullopt.
Status ReadAttributeMap(simdjson::dom::element e, std::optional<item::Item>* out, Status* semantic);

// True when the field is present and not null.
bool HasField(simdjson::dom::object obj, std::string_view field);

}  // namespace strata::api
