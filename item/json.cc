#include "item/json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "item/api_error.h"
#include "item/json_shape.h"
#include "util/base64.h"

namespace strata::item {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// DynamoDB documents nest at most 32 levels; a top-level attribute value is level 1, so a
// value at level 33 is rejected (captured against real DynamoDB).
constexpr int kMaxNestingLevel = 32;
// The shape re-check (error path only) recurses over a DOM whose depth simdjson bounds; this
// is a second guard against stack exhaustion.
constexpr int kMaxShapeDepth = 4096;

constexpr std::string_view kNestingMessage =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
constexpr std::string_view kEmptyValueMessage =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr std::string_view kManyTypesMessage =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";

// dynalite (validated against AWS) checks the members of an AttributeValue structure in this
// order, so with several types set the first failing one in this order is reported.
constexpr std::array<AttrType, 10> kCheckOrder = {
    AttrType::kS,  AttrType::kB,  AttrType::kN,  AttrType::kBool, AttrType::kNull,
    AttrType::kBS, AttrType::kNS, AttrType::kSS, AttrType::kL,    AttrType::kM,
};

// The AttrType a JSON key names, or -1 for an unknown key (unknown keys are ignored, as AWS
// ignores unknown structure members).
int TypeOfKey(std::string_view key) {
  switch (key.size()) {
    case 1:
      switch (key[0]) {
        case 'S':
          return static_cast<int>(AttrType::kS);
        case 'N':
          return static_cast<int>(AttrType::kN);
        case 'B':
          return static_cast<int>(AttrType::kB);
        case 'L':
          return static_cast<int>(AttrType::kL);
        case 'M':
          return static_cast<int>(AttrType::kM);
      }
      return -1;
    case 2:
      if (key[1] != 'S') return -1;
      switch (key[0]) {
        case 'S':
          return static_cast<int>(AttrType::kSS);
        case 'N':
          return static_cast<int>(AttrType::kNS);
        case 'B':
          return static_cast<int>(AttrType::kBS);
      }
      return -1;
    case 4:
      if (key == "BOOL") return static_cast<int>(AttrType::kBool);
      if (key == "NULL") return static_cast<int>(AttrType::kNull);
      return -1;
  }
  return -1;
}

// ---- Shape (SerializationException) errors, worded as AWS's coral JSON layer words them. ----

// `e` was expected to be a JSON string; `java_type` is "String" or "Blob".
Status NotAString(element e, std::string_view java_type) { return WrongJsonType(e, java_type); }

Status NotAList(element e) {
  if (e.type() == element_type::OBJECT) return SerializationError(kStartOfStructure);
  return SerializationError("Expected list or null");
}

Status NotAMap(element e) {
  if (e.type() == element_type::ARRAY) return SerializationError(kStartOfList);
  return SerializationError("Expected map or null");
}

Status NotAStructure(element e) {
  if (e.type() == element_type::ARRAY) return SerializationError(kStartOfList);
  return SerializationError("Expected null");
}

// A JSON boolean, or a string AWS coerces ("true"/"1"/"yes", "false"/"0"/"no", any case).
Status CoerceBool(element e, bool* out) {
  switch (e.type()) {
    case element_type::BOOL:
      return e.get_bool().get(*out) ? Status::Corruption("bool") : Status();
    case element_type::STRING: {
      std::string_view sv;
      if (e.get_string().get(sv)) return Status::Corruption("string");
      std::string upper(sv);
      for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      if (upper == "TRUE" || upper == "1" || upper == "YES") {
        *out = true;
        return Status::OK();
      }
      if (upper == "FALSE" || upper == "0" || upper == "NO") {
        *out = false;
        return Status::OK();
      }
      return SerializationError("'" + upper + "' can not be converted to an Boolean");
    }
    case element_type::ARRAY:
      return SerializationError(kStartOfList);
    case element_type::OBJECT:
      return SerializationError(kStartOfStructure);
    default:
      return WrongJsonType(e, "Boolean");
  }
}

// Decodes base64 text of a B value; on failure, the error AWS gives for that text.
Status DecodeBlob(std::string_view text, std::string* out) {
  if (Base64Decode(text, out)) return Status::OK();
  std::string msg;
  msg.reserve(text.size() + 96);
  msg += '\'';
  msg += text;
  msg += "' can not be converted to a Blob: ";
  if (text.size() % 4 != 0) {
    msg += "Base64 encoded length is expected a multiple of 4 bytes but found: ";
    msg += std::to_string(text.size());
    return SerializationError(msg);
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '/';
    if ((!alpha && c != '=') || (c == '=' && i + 1 < text.size() && text[i + 1] != '=')) {
      msg += "Invalid Base64 character: '";
      msg += c;
      msg += "'";
      return SerializationError(msg);
    }
  }
  // AWS's own misspelling.
  msg += "Invalid last non-pad Base64 character dectected";
  return SerializationError(msg);
}

Status CheckStringShape(element e) {
  if (e.type() == element_type::STRING || e.type() == element_type::NULL_VALUE) return Status();
  return NotAString(e, "String");
}

Status CheckBlobShape(element e) {
  if (e.type() == element_type::NULL_VALUE) return Status();
  if (e.type() != element_type::STRING) return NotAString(e, "Blob");
  std::string_view sv;
  if (e.get_string().get(sv)) return Status::Corruption("string");
  std::string scratch;
  return DecodeBlob(sv, &scratch);
}

Status CheckValueShape(element e, int depth);

// Checks a list's shape and each element with `check`.
template <typename Fn>
Status CheckListShape(element e, Fn check) {
  if (e.type() == element_type::NULL_VALUE) return Status();
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return NotAList(e);
  for (element child : arr) RETURN_IF_ERROR(check(child));
  return Status();
}

Status CheckMapShape(element e, int depth) {
  if (e.type() == element_type::NULL_VALUE) return Status();
  simdjson::dom::object obj;
  if (e.get_object().get(obj)) return NotAMap(e);
  for (auto field : obj) RETURN_IF_ERROR(CheckValueShape(field.value, depth + 1));
  return Status();
}

// Mirrors AWS's type check of an AttributeValue structure (which runs over the whole request
// before any semantic validation): only SerializationExceptions, no semantics.
Status CheckValueShape(element e, int depth) {
  if (depth > kMaxShapeDepth) return Status();
  if (e.type() == element_type::NULL_VALUE) return Status();
  simdjson::dom::object obj;
  if (e.get_object().get(obj)) return NotAStructure(e);
  for (AttrType type : kCheckOrder) {
    for (auto field : obj) {
      if (TypeOfKey(field.key) != static_cast<int>(type)) continue;
      element v = field.value;
      bool ignored;
      switch (type) {
        case AttrType::kS:
        case AttrType::kN:
          RETURN_IF_ERROR(CheckStringShape(v));
          break;
        case AttrType::kB:
          RETURN_IF_ERROR(CheckBlobShape(v));
          break;
        case AttrType::kBool:
        case AttrType::kNull:
          if (!v.is_null()) RETURN_IF_ERROR(CoerceBool(v, &ignored));
          break;
        case AttrType::kSS:
        case AttrType::kNS:
          RETURN_IF_ERROR(CheckListShape(v, CheckStringShape));
          break;
        case AttrType::kBS:
          RETURN_IF_ERROR(CheckListShape(v, CheckBlobShape));
          break;
        case AttrType::kL:
          RETURN_IF_ERROR(
              CheckListShape(v, [depth](element c) { return CheckValueShape(c, depth + 1); }));
          break;
        case AttrType::kM:
          RETURN_IF_ERROR(CheckMapShape(v, depth));
          break;
      }
    }
  }
  return Status();
}

// AWS reports type (serialization) errors anywhere in the input before semantic
// (validation) errors; the decoder works in one pass, so on a validation error it re-checks
// the input's shape (error path only).
Status PreferShapeError(Status status, const Status& shape) {
  if (!status.ok() && ApiErrorOf(status) == ApiError::kValidation && !shape.ok()) return shape;
  return status;
}

// ---- Decoding. ----

// "[a, b, a]" as AWS quotes an input collection (JSON null members as "null").
std::string CollectionText(simdjson::dom::array arr) {
  std::string text = "[";
  bool first = true;
  for (element child : arr) {
    if (!first) text += ", ";
    first = false;
    std::string_view sv;
    if (child.get_string().get(sv)) {
      text += "null";
    } else {
      text += sv;
    }
  }
  text += "]";
  return text;
}

Status ParseNumber(std::string_view text, Number* out) {
  if (text.empty()) return ValidationError("The parameter cannot be converted to a numeric value");
  Result<Number> n = Number::Parse(text);
  if (!n.ok()) return std::move(n).TakeStatus();
  *out = std::move(n).value();
  return Status();
}

Status GetString(element e, std::string_view* out, std::string_view target) {
  if (e.get_string().get(*out)) return NotAString(e, target);
  return Status();
}

Status DecodeValue(element e, int level, AttributeValue* out);
Status DecodeMapBody(simdjson::dom::object obj, int level, Map* out);

Status DecodeStringSet(element e, AttributeValue* out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return NotAList(e);
  if (arr.size() == 0) {
    return ValidationError(
        "One or more parameter values were invalid: An string set  may not be empty");
  }
  StringSet set;
  set.values.reserve(arr.size());
  for (element child : arr) {
    if (child.is_null()) {
      return ValidationError(
          "One or more parameter values were invalid: An string set may not have a empty string "
          "as a member");
    }
    std::string_view sv;
    RETURN_IF_ERROR(GetString(child, &sv, "String"));
    set.values.emplace_back(sv);
  }
  std::sort(set.values.begin(), set.values.end());
  if (std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end()) {
    return ValidationError("One or more parameter values were invalid: Input collection " +
                           CollectionText(arr) + " contains duplicates.");
  }
  *out = std::move(set);
  return Status();
}

Status DecodeBinarySet(element e, AttributeValue* out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return NotAList(e);
  if (arr.size() == 0) {
    return ValidationError(
        "One or more parameter values were invalid: Binary sets should not be empty");
  }
  BinarySet set;
  set.values.reserve(arr.size());
  for (element child : arr) {
    if (child.is_null()) {
      return ValidationError(
          "One or more parameter values were invalid: Binary sets may not contain null or empty "
          "values");
    }
    std::string_view sv;
    RETURN_IF_ERROR(GetString(child, &sv, "Blob"));
    std::string bytes;
    RETURN_IF_ERROR(DecodeBlob(sv, &bytes));
    set.values.push_back(std::move(bytes));
  }
  std::sort(set.values.begin(), set.values.end());
  if (std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end()) {
    // AWS's wording, missing space included.
    return ValidationError("One or more parameter values were invalid: Input collection " +
                           CollectionText(arr) + "of type BS contains duplicates.");
  }
  *out = std::move(set);
  return Status();
}

Status DecodeNumberSet(element e, AttributeValue* out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return NotAList(e);
  if (arr.size() == 0) {
    return ValidationError(
        "One or more parameter values were invalid: An number set  may not be empty");
  }
  NumberSet set;
  set.values.reserve(arr.size());
  for (element child : arr) {
    if (child.is_null()) {
      return ValidationError("The parameter cannot be converted to a numeric value");
    }
    std::string_view sv;
    RETURN_IF_ERROR(GetString(child, &sv, "String"));
    Number n;
    RETURN_IF_ERROR(ParseNumber(sv, &n));
    set.values.push_back(n);
  }
  std::sort(set.values.begin(), set.values.end());
  // Numbers are normalised, so == is numeric equality ("1" and "1.0" are duplicates).
  if (std::adjacent_find(set.values.begin(), set.values.end()) != set.values.end()) {
    return ValidationError("Input collection contains duplicates");
  }
  *out = std::move(set);
  return Status();
}

Status DecodeList(element e, int level, AttributeValue* out) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr)) return NotAList(e);
  List list;
  list.reserve(arr.size());
  for (element child : arr) {
    if (level + 1 > kMaxNestingLevel) return ValidationError(kNestingMessage);
    list.emplace_back();
    RETURN_IF_ERROR(DecodeValue(child, level + 1, &list.back()));
  }
  *out = std::move(list);
  return Status();
}

// Decodes the value of type `type` held by JSON `e` (the value of the type key).
Status DecodeTyped(AttrType type, element e, int level, AttributeValue* out) {
  std::string_view sv;
  switch (type) {
    case AttrType::kS:
      RETURN_IF_ERROR(GetString(e, &sv, "String"));
      *out = std::string(sv);
      return Status();
    case AttrType::kN: {
      RETURN_IF_ERROR(GetString(e, &sv, "String"));
      Number n;
      RETURN_IF_ERROR(ParseNumber(sv, &n));
      *out = n;
      return Status();
    }
    case AttrType::kB: {
      RETURN_IF_ERROR(GetString(e, &sv, "Blob"));
      Binary b;
      RETURN_IF_ERROR(DecodeBlob(sv, &b.bytes));
      *out = std::move(b);
      return Status();
    }
    case AttrType::kBool: {
      bool b = false;
      RETURN_IF_ERROR(CoerceBool(e, &b));
      *out = b;
      return Status();
    }
    case AttrType::kNull: {
      bool b = false;
      RETURN_IF_ERROR(CoerceBool(e, &b));
      if (!b) {
        return ValidationError(
            "One or more parameter values were invalid: Null attribute value types must have the "
            "value of true");
      }
      *out = item::Null{};
      return Status();
    }
    case AttrType::kSS:
      return DecodeStringSet(e, out);
    case AttrType::kNS:
      return DecodeNumberSet(e, out);
    case AttrType::kBS:
      return DecodeBinarySet(e, out);
    case AttrType::kL:
      return DecodeList(e, level, out);
    case AttrType::kM: {
      simdjson::dom::object obj;
      if (e.get_object().get(obj)) return NotAMap(e);
      Map map;
      RETURN_IF_ERROR(DecodeMapBody(obj, level + 1, &map));
      *out = std::move(map);
      return Status();
    }
  }
  return Status::Corruption("unknown attribute type");
}

// Decodes an AttributeValue structure at nesting `level` (a top-level attribute is 1).
Status DecodeValue(element e, int level, AttributeValue* out) {
  if (e.is_null()) return ValidationError(kEmptyValueMessage);
  simdjson::dom::object obj;
  if (e.get_object().get(obj)) return NotAStructure(e);
  // Type keys with a non-null value; the last of repeated keys wins, as in most JSON readers.
  std::array<element, 10> values;
  uint16_t present = 0;
  int count = 0;
  int only = -1;
  for (auto field : obj) {
    const int type = TypeOfKey(field.key);
    if (type < 0 || field.value.is_null()) continue;
    if (!(present & (1u << type))) {
      ++count;
      present |= static_cast<uint16_t>(1u << type);
    }
    values[type] = field.value;
    only = type;
  }
  if (count == 0) return ValidationError(kEmptyValueMessage);
  if (count == 1) return DecodeTyped(static_cast<AttrType>(only), values[only], level, out);
  // Several types: AWS reports a bad member first, then the ambiguity.
  for (AttrType type : kCheckOrder) {
    if (!(present & (1u << static_cast<int>(type)))) continue;
    AttributeValue scratch;
    RETURN_IF_ERROR(DecodeTyped(type, values[static_cast<int>(type)], level, &scratch));
  }
  return ValidationError(kManyTypesMessage);
}

// Decodes name -> AttributeValue pairs whose values sit at nesting `level`, sorted by name.
Status DecodeMapBody(simdjson::dom::object obj, int level, Map* out) {
  out->clear();
  out->reserve(obj.size());
  for (auto field : obj) {
    if (level > kMaxNestingLevel) return ValidationError(kNestingMessage);
    out->emplace_back(std::string(field.key), AttributeValue());
    RETURN_IF_ERROR(DecodeValue(field.value, level, &out->back().second));
  }
  auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
  auto not_less = [](const auto& a, const auto& b) { return !(a.first < b.first); };
  // Strictly ascending (the common, already-canonical case) needs no work.
  if (std::adjacent_find(out->begin(), out->end(), not_less) == out->end()) return Status();
  std::stable_sort(out->begin(), out->end(), less);
  // Repeated names: the last occurrence wins.
  size_t w = 0;
  for (size_t i = 0; i < out->size(); ++i) {
    if (i + 1 < out->size() && (*out)[i].first == (*out)[i + 1].first) continue;
    if (w != i) (*out)[w] = std::move((*out)[i]);
    ++w;
  }
  out->resize(w);
  return Status();
}

// ---- Writing. ----

constexpr char kHex[] = "0123456789abcdef";

// Characters that need escaping in a JSON string: '"', '\\' and controls.
constexpr std::array<bool, 256> MakeEscapeTable() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
constexpr std::array<bool, 256> kNeedsEscape = MakeEscapeTable();

void AppendEscaped(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNeedsEscape[c]) continue;
    out->append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(esc, 6);
      }
    }
  }
  out->append(s.data() + run_start, s.size() - run_start);
  out->push_back('"');
}

}  // namespace

Status DecodeAttributeValue(simdjson::dom::element json, AttributeValue* out) {
  Status s = DecodeValue(json, 1, out);
  if (s.ok() || ApiErrorOf(s) != ApiError::kValidation) return s;
  return PreferShapeError(std::move(s), CheckValueShape(json, 1));
}

Status DecodeAttributeMap(simdjson::dom::element json, Map* out) {
  if (json.is_null()) {
    out->clear();
    return Status();
  }
  simdjson::dom::object obj;
  if (json.get_object().get(obj)) return NotAMap(json);
  Status s = DecodeMapBody(obj, 1, out);
  if (s.ok() || ApiErrorOf(s) != ApiError::kValidation) return s;
  return PreferShapeError(std::move(s), CheckMapShape(json, 0));
}

void JsonWriter::Separator() {
  if (need_comma_) out_->push_back(',');
}

void JsonWriter::StartObject() {
  Separator();
  out_->push_back('{');
  need_comma_ = false;
}

void JsonWriter::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
}

void JsonWriter::StartArray() {
  Separator();
  out_->push_back('[');
  need_comma_ = false;
}

void JsonWriter::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
}

void JsonWriter::Key(std::string_view key) {
  Separator();
  AppendEscaped(key, out_);
  out_->push_back(':');
  need_comma_ = false;
}

void JsonWriter::String(std::string_view value) {
  Separator();
  AppendEscaped(value, out_);
  need_comma_ = true;
}

void JsonWriter::Int(int64_t value) {
  Separator();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, r.ptr);
  need_comma_ = true;
}

void JsonWriter::Uint(uint64_t value) {
  Separator();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, r.ptr);
  need_comma_ = true;
}

void JsonWriter::Double(double value) {
  Separator();
  if (!std::isfinite(value)) {
    out_->append("null");  // JSON has no NaN or Infinity
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof(buf), value);  // shortest round-trip form
    out_->append(buf, r.ptr);
  }
  need_comma_ = true;
}

void JsonWriter::Bool(bool value) {
  Separator();
  out_->append(value ? "true" : "false");
  need_comma_ = true;
}

void JsonWriter::Null() {
  Separator();
  out_->append("null");
  need_comma_ = true;
}

void JsonWriter::Raw(std::string_view json) {
  Separator();
  out_->append(json);
  need_comma_ = true;
}

void JsonWriter::AttributeValue(const item::AttributeValue& value) {
  StartObject();
  Key(AttrTypeName(value.type()));
  switch (value.type()) {
    case AttrType::kS:
      String(value.as<std::string>());
      break;
    case AttrType::kN:
      Separator();
      out_->push_back('"');
      value.as<Number>().AppendTo(out_);  // canonical digits need no escaping
      out_->push_back('"');
      need_comma_ = true;
      break;
    case AttrType::kB:
      Separator();
      out_->push_back('"');
      Base64Encode(value.as<Binary>().bytes, out_);
      out_->push_back('"');
      need_comma_ = true;
      break;
    case AttrType::kBool:
      Bool(value.as<bool>());
      break;
    case AttrType::kNull:
      Bool(true);
      break;
    case AttrType::kSS:
      StartArray();
      for (const std::string& s : value.as<StringSet>().values) String(s);
      EndArray();
      break;
    case AttrType::kNS:
      StartArray();
      for (const Number& n : value.as<NumberSet>().values) {
        Separator();
        out_->push_back('"');
        n.AppendTo(out_);
        out_->push_back('"');
        need_comma_ = true;
      }
      EndArray();
      break;
    case AttrType::kBS:
      StartArray();
      for (const std::string& b : value.as<BinarySet>().values) {
        Separator();
        out_->push_back('"');
        Base64Encode(b, out_);
        out_->push_back('"');
        need_comma_ = true;
      }
      EndArray();
      break;
    case AttrType::kL:
      StartArray();
      for (const item::AttributeValue& v : value.as<List>()) AttributeValue(v);
      EndArray();
      break;
    case AttrType::kM:
      AttributeMap(value.as<Map>());
      break;
  }
  EndObject();
}

void JsonWriter::AttributeMap(const Map& map) {
  StartObject();
  for (const auto& [name, value] : map) {
    Key(name);
    AttributeValue(value);
  }
  EndObject();
}

std::string ToJson(const Map& map) {
  std::string out;
  JsonWriter writer(&out);
  writer.AttributeMap(map);
  return out;
}

}  // namespace strata::item
