#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "item/attribute_value.h"
#include "util/status.h"

namespace strata::item {

// DynamoDB JSON <-> typed model.
//
// Decoding reads a simdjson DOM element (the request envelope is parsed once per request by
// the api layer) straight into AttributeValue; no DOM is kept. Errors carry AWS's types and
// wording: a JSON shape error (e.g. {"S": 5}, an attribute value that is not an object) is a
// SerializationException; a semantic one (no type / two types, empty set, duplicate set
// members, a bad number, bad base64) is a ValidationException. `context` is unused by the
// decoder except to build messages.

// Decodes one AttributeValue: {"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"BOOL":true},
// {"NULL":true}, {"SS":[...]}, {"NS":[...]}, {"BS":[...]}, {"L":[...]}, {"M":{...}}.
Status DecodeAttributeValue(simdjson::dom::element json, AttributeValue* out);
// Decodes a map of name -> AttributeValue (an Item, a Key, ExpressionAttributeValues...).
// The result is sorted by name.
Status DecodeAttributeMap(simdjson::dom::element json, Map* out);

// JsonWriter appends compact JSON text to a string. No validation of nesting: callers write
// well-formed sequences. Strings are escaped per RFC 8259 (control characters as \u00XX;
// non-ASCII UTF-8 is written as is).
//
// Thread-safety: none; one writer per thread. Lifecycle: writes into *out, which must outlive it.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void StartObject();
  void EndObject();
  void StartArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Writes `json` verbatim as a value. REQUIRES: json is valid JSON text.
  void Raw(std::string_view json);

  // DynamoDB JSON of a value / of a map ({"name":{"S":"x"},...}).
  void AttributeValue(const item::AttributeValue& value);
  void AttributeMap(const Map& map);

  std::string* out() { return out_; }

 private:
  void Separator();

  std::string* out_;
  bool need_comma_ = false;
};

// Convenience: the DynamoDB JSON text of a map.
std::string ToJson(const Map& map);

}  // namespace strata::item
