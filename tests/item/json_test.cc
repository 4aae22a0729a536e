#include "item/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "item/api_error.h"

namespace strata::item {
namespace {

Status DecodeValueText(std::string_view text, AttributeValue* out) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(padded).get(e), simdjson::SUCCESS) << text;
  return DecodeAttributeValue(e, out);
}

Status DecodeMapText(std::string_view text, Map* out) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(padded).get(e), simdjson::SUCCESS) << text;
  return DecodeAttributeMap(e, out);
}

std::string ValueJson(const AttributeValue& v) {
  std::string out;
  JsonWriter w(&out);
  w.AttributeValue(v);
  return out;
}

// Decodes `in` and expects it to re-encode as `out`.
void ExpectValueRoundTrip(std::string_view in, std::string_view out) {
  AttributeValue v;
  Status s = DecodeValueText(in, &v);
  ASSERT_TRUE(s.ok()) << in << ": " << s.ToString();
  EXPECT_EQ(ValueJson(v), out) << in;
  // And the output decodes to the same value.
  AttributeValue again;
  ASSERT_TRUE(DecodeValueText(ValueJson(v), &again).ok());
  EXPECT_EQ(again, v);
}

void ExpectValueError(std::string_view in, ApiError type, std::string_view message) {
  AttributeValue v;
  Status s = DecodeValueText(in, &v);
  ASSERT_FALSE(s.ok()) << in;
  EXPECT_EQ(ApiErrorOf(s), type) << in << ": " << s.ToString();
  EXPECT_EQ(s.message(), message) << in;
}

void ExpectMapError(std::string_view in, ApiError type, std::string_view message) {
  Map m;
  Status s = DecodeMapText(in, &m);
  ASSERT_FALSE(s.ok()) << in;
  EXPECT_EQ(ApiErrorOf(s), type) << in << ": " << s.ToString();
  EXPECT_EQ(s.message(), message) << in;
}

constexpr ApiError kVal = ApiError::kValidation;
constexpr ApiError kSer = ApiError::kSerialization;

TEST(JsonDecodeTest, ScalarsRoundTrip) {
  ExpectValueRoundTrip(R"({"S":"hello"})", R"({"S":"hello"})");
  ExpectValueRoundTrip(R"({"S":""})", R"({"S":""})");  // empty non-key strings are allowed
  ExpectValueRoundTrip(R"({"N":"1e3"})", R"({"N":"1000"})");
  ExpectValueRoundTrip(R"({"N":"-1.50"})", R"({"N":"-1.5"})");
  ExpectValueRoundTrip(R"({"N":".5"})", R"({"N":"0.5"})");
  ExpectValueRoundTrip(R"({"B":"aGVsbG8="})", R"({"B":"aGVsbG8="})");
  ExpectValueRoundTrip(R"({"B":""})", R"({"B":""})");
  ExpectValueRoundTrip(R"({"BOOL":true})", R"({"BOOL":true})");
  ExpectValueRoundTrip(R"({"BOOL":false})", R"({"BOOL":false})");
  ExpectValueRoundTrip(R"({"NULL":true})", R"({"NULL":true})");
}

TEST(JsonDecodeTest, DecodesIntoTheTypedModel) {
  AttributeValue v;
  ASSERT_TRUE(DecodeValueText(R"({"B":"AP8="})", &v).ok());
  ASSERT_EQ(v.type(), AttrType::kB);
  EXPECT_EQ(v.as<Binary>().bytes, std::string("\x00\xff", 2));
  ASSERT_TRUE(DecodeValueText(R"({"N":"00120"})", &v).ok());
  ASSERT_EQ(v.type(), AttrType::kN);
  EXPECT_EQ(v.as<Number>(), Number::FromInt64(120));
}

TEST(JsonDecodeTest, SetsAreSortedOnDecode) {
  ExpectValueRoundTrip(R"({"SS":["b","a","c",""]})", R"({"SS":["","a","b","c"]})");
  ExpectValueRoundTrip(R"({"NS":["10","-1","2.50","0"]})", R"({"NS":["-1","0","2.5","10"]})");
  // Binary sets sort by unsigned bytes: 0x01 < 0x7f < 0xff.
  ExpectValueRoundTrip(R"({"BS":["/w==","fw==","AQ=="]})", R"({"BS":["AQ==","fw==","/w=="]})");
  // String sets sort by unsigned UTF-8 bytes too: "z" < "é".
  ExpectValueRoundTrip(R"({"SS":["é","z"]})", R"({"SS":["z","é"]})");
}

TEST(JsonDecodeTest, NestedDocumentsRoundTrip) {
  ExpectValueRoundTrip(
      R"({"M":{"z":{"L":[{"N":"1"},{"M":{"y":{"NULL":true},"x":{"SS":["q","p"]}}},{"L":[]}]},)"
      R"("a":{"M":{}},"m":{"BS":["YQ=="]}}})",
      R"({"M":{"a":{"M":{}},"m":{"BS":["YQ=="]},"z":{"L":[{"N":"1"},)"
      R"({"M":{"x":{"SS":["p","q"]},"y":{"NULL":true}}},{"L":[]}]}}})");
}

TEST(JsonDecodeTest, MapsAreSortedAndLastDuplicateKeyWins) {
  Map m;
  ASSERT_TRUE(
      DecodeMapText(R"({"b":{"S":"1"},"a":{"N":"2"},"b":{"S":"3"},"c":{"BOOL":true}})", &m).ok());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].first, "a");
  EXPECT_EQ(m[1].first, "b");
  EXPECT_EQ(m[1].second.as<std::string>(), "3");
  EXPECT_EQ(m[2].first, "c");
  EXPECT_EQ(ToJson(m), R"({"a":{"N":"2"},"b":{"S":"3"},"c":{"BOOL":true}})");
  ASSERT_TRUE(DecodeMapText("{}", &m).ok());
  EXPECT_TRUE(m.empty());
}

TEST(JsonDecodeTest, UnknownTypeKeysAreIgnored) {
  ExpectValueRoundTrip(R"({"S":"a","X":5})", R"({"S":"a"})");
  ExpectValueRoundTrip(R"({"S":"a","N":null})", R"({"S":"a"})");
  ExpectValueError(R"({"X":"a"})", kVal,
                   "Supplied AttributeValue is empty, must contain exactly one of the supported "
                   "datatypes");
}

TEST(JsonDecodeTest, TypeCountErrors) {
  const std::string empty =
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
  ExpectValueError("{}", kVal, empty);
  ExpectValueError(R"({"S":null})", kVal, empty);
  ExpectMapError(R"({"a":null})", kVal, empty);
  ExpectValueError(R"({"S":"a","N":"1"})", kVal,
                   "Supplied AttributeValue has more than one datatypes set, must contain exactly "
                   "one of the supported datatypes");
  // A bad member is reported before the ambiguity.
  ExpectValueError(R"({"S":"a","N":"x"})", kVal,
                   "The parameter cannot be converted to a numeric value: x");
}

TEST(JsonDecodeTest, ShapeErrorsAreSerializationExceptions) {
  ExpectValueError(R"({"S":5})", kSer, "NUMBER_VALUE cannot be converted to String");
  ExpectValueError(R"({"S":1.5})", kSer, "DECIMAL_VALUE cannot be converted to String");
  ExpectValueError(R"({"S":true})", kSer, "TRUE_VALUE cannot be converted to String");
  ExpectValueError(R"({"S":[]})", kSer, "Start of list found where not expected");
  ExpectValueError(R"({"S":{}})", kSer, "Start of structure or map found where not expected");
  ExpectValueError(R"({"N":5})", kSer, "NUMBER_VALUE cannot be converted to String");
  ExpectValueError(R"({"B":5})", kSer, "NUMBER_VALUE cannot be converted to Blob");
  ExpectValueError(R"({"B":false})", kSer, "FALSE_VALUE cannot be converted to Blob");
  ExpectValueError(R"({"BOOL":"x"})", kSer, "'X' can not be converted to an Boolean");
  ExpectValueError(R"({"BOOL":3})", kSer, "NUMBER_VALUE cannot be converted to Boolean");
  ExpectValueError(R"({"BOOL":[]})", kSer, "Start of list found where not expected");
  ExpectValueError(R"({"NULL":{}})", kSer, "Start of structure or map found where not expected");
  ExpectValueError(R"({"SS":"a"})", kSer, "Expected list or null");
  ExpectValueError(R"({"NS":{}})", kSer, "Start of structure or map found where not expected");
  ExpectValueError(R"({"SS":[1]})", kSer, "NUMBER_VALUE cannot be converted to String");
  ExpectValueError(R"({"BS":[true]})", kSer, "TRUE_VALUE cannot be converted to Blob");
  ExpectValueError(R"({"L":"a"})", kSer, "Expected list or null");
  ExpectValueError(R"({"L":["a"]})", kSer, "Expected null");
  ExpectValueError(R"({"L":[[]]})", kSer, "Start of list found where not expected");
  ExpectValueError(R"({"M":"a"})", kSer, "Expected map or null");
  ExpectValueError(R"({"M":[]})", kSer, "Start of list found where not expected");
  ExpectValueError(R"({"M":{"a":1}})", kSer, "Expected null");
  ExpectValueError(R"("a")", kSer, "Expected null");
  ExpectValueError(R"([])", kSer, "Start of list found where not expected");
  ExpectMapError(R"({"a":"x"})", kSer, "Expected null");
  ExpectMapError(R"({"a":[]})", kSer, "Start of list found where not expected");
  ExpectMapError(R"([])", kSer, "Start of list found where not expected");
  ExpectMapError(R"("x")", kSer, "Expected map or null");
}

TEST(JsonDecodeTest, BooleanStringsAreCoercedLikeAws) {
  ExpectValueRoundTrip(R"({"BOOL":"true"})", R"({"BOOL":true})");
  ExpectValueRoundTrip(R"({"BOOL":"Yes"})", R"({"BOOL":true})");
  ExpectValueRoundTrip(R"({"BOOL":"1"})", R"({"BOOL":true})");
  ExpectValueRoundTrip(R"({"BOOL":"FALSE"})", R"({"BOOL":false})");
  ExpectValueRoundTrip(R"({"BOOL":"no"})", R"({"BOOL":false})");
  ExpectValueRoundTrip(R"({"NULL":"true"})", R"({"NULL":true})");
}

TEST(JsonDecodeTest, SerializationErrorsWinOverValidationErrors) {
  // AWS type-checks the whole input before validating it.
  ExpectMapError(R"({"a":{"NULL":false},"b":{"S":5}})", kSer, "NUMBER_VALUE cannot be converted to String");
  ExpectValueError(R"({"NS":["x",5]})", kSer, "NUMBER_VALUE cannot be converted to String");
  ExpectValueError(R"({"L":[{},{"B":"a"}]})", kSer,
                   "'a' can not be converted to a Blob: Base64 encoded length is expected a "
                   "multiple of 4 bytes but found: 1");
}

TEST(JsonDecodeTest, NullMustBeTrue) {
  ExpectValueError(R"({"NULL":false})", kVal,
                   "One or more parameter values were invalid: Null attribute value types must "
                   "have the value of true");
}

TEST(JsonDecodeTest, InvalidBase64) {
  ExpectValueError(R"({"B":"abc"})", kSer,
                   "'abc' can not be converted to a Blob: Base64 encoded length is expected a "
                   "multiple of 4 bytes but found: 3");
  ExpectValueError(R"({"B":"ab!="})", kSer,
                   "'ab!=' can not be converted to a Blob: Invalid Base64 character: '!'");
  ExpectValueError(R"({"B":"a=bc"})", kSer,
                   "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='");
  ExpectValueError(R"({"B":"YR=="})", kSer,
                   "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 character "
                   "dectected");
  ExpectValueError(R"({"BS":["YQ==","Y"]})", kSer,
                   "'Y' can not be converted to a Blob: Base64 encoded length is expected a "
                   "multiple of 4 bytes but found: 1");
}

TEST(JsonDecodeTest, EmptySets) {
  ExpectValueError(R"({"SS":[]})", kVal,
                   "One or more parameter values were invalid: An string set  may not be empty");
  ExpectValueError(R"({"NS":[]})", kVal,
                   "One or more parameter values were invalid: An number set  may not be empty");
  ExpectValueError(R"({"BS":[]})", kVal,
                   "One or more parameter values were invalid: Binary sets should not be empty");
}

TEST(JsonDecodeTest, NullSetMembers) {
  ExpectValueError(R"({"SS":["a",null]})", kVal,
                   "One or more parameter values were invalid: An string set may not have a empty "
                   "string as a member");
  ExpectValueError(R"({"BS":[null]})", kVal,
                   "One or more parameter values were invalid: Binary sets may not contain null "
                   "or empty values");
  ExpectValueError(R"({"NS":[null]})", kVal,
                   "The parameter cannot be converted to a numeric value");
}

TEST(JsonDecodeTest, DuplicateSetMembers) {
  ExpectValueError(R"({"SS":["a","b","a"]})", kVal,
                   "One or more parameter values were invalid: Input collection [a, b, a] contains "
                   "duplicates.");
  ExpectValueError(R"({"BS":["YQ==","YQ=="]})", kVal,
                   "One or more parameter values were invalid: Input collection [YQ==, YQ==]of "
                   "type BS contains duplicates.");
  // Number sets compare numerically.
  ExpectValueError(R"({"NS":["1","1.0"]})", kVal, "Input collection contains duplicates");
  ExpectValueError(R"({"NS":["100","1e2","3"]})", kVal, "Input collection contains duplicates");
  // Distinct strings that are not duplicates.
  ExpectValueRoundTrip(R"({"SS":["a","A"]})", R"({"SS":["A","a"]})");
}

TEST(JsonDecodeTest, NumberErrorsPropagate) {
  ExpectValueError(R"({"N":""})", kVal, "The parameter cannot be converted to a numeric value");
  ExpectValueError(R"({"N":"abc"})", kVal,
                   "The parameter cannot be converted to a numeric value: abc");
  ExpectValueError(R"({"N":"1e126"})", kVal,
                   "Number overflow. Attempting to store a number with magnitude larger than "
                   "supported range");
  ExpectValueError(R"({"N":"1e-131"})", kVal,
                   "Number underflow. Attempting to store a number with magnitude smaller than "
                   "supported range");
  ExpectValueError(R"({"NS":["1","123456789012345678901234567890123456789"]})", kVal,
                   "Attempting to store more than 38 significant digits in a Number");
  ExpectValueError(R"({"M":{"a":{"L":[{"N":"NaN"}]}}})", kVal,
                   "The parameter cannot be converted to a numeric value: NaN");
}

// `wraps` single-key maps around a string leaf: the leaf sits at level wraps + 1.
std::string DeepMap(int wraps) {
  std::string s;
  for (int i = 0; i < wraps; ++i) s += R"({"M":{"n":)";
  s += R"({"S":"leaf"})";
  for (int i = 0; i < wraps; ++i) s += "}}";
  return s;
}

std::string DeepList(int wraps) {
  std::string s;
  for (int i = 0; i < wraps; ++i) s += R"({"L":[)";
  s += R"({"N":"1"})";
  for (int i = 0; i < wraps; ++i) s += "]}";
  return s;
}

TEST(JsonDecodeTest, NestingLimitIs32Levels) {
  const std::string msg =
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
      "beyond supported limit";
  AttributeValue v;
  EXPECT_TRUE(DecodeValueText(DeepMap(31), &v).ok());
  EXPECT_TRUE(DecodeValueText(DeepList(31), &v).ok());
  ExpectValueError(DeepMap(32), kVal, msg);
  ExpectValueError(DeepList(32), kVal, msg);
  ExpectValueError(DeepMap(200), kVal, msg);
  Map m;
  EXPECT_TRUE(DecodeMapText(R"({"a":)" + DeepMap(31) + "}", &m).ok());
  ExpectMapError(R"({"a":)" + DeepMap(32) + "}", kVal, msg);
  // An empty container at level 32 is fine; one at level 33 is not.
  std::string s;
  for (int i = 0; i < 32; ++i) s += R"({"L":[)";
  for (int i = 0; i < 32; ++i) s += "]}";
  EXPECT_TRUE(DecodeValueText(s, &v).ok());
  s.clear();
  for (int i = 0; i < 33; ++i) s += R"({"L":[)";
  for (int i = 0; i < 33; ++i) s += "]}";
  ExpectValueError(s, kVal, msg);
  s.clear();
  for (int i = 0; i < 31; ++i) s += R"({"L":[)";
  s += R"({"M":{}})";
  for (int i = 0; i < 31; ++i) s += "]}";
  EXPECT_TRUE(DecodeValueText(s, &v).ok());
}

TEST(JsonWriterTest, EscapesStrings) {
  std::string out;
  JsonWriter w(&out);
  w.String(std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f", 14));
  EXPECT_EQ(out, R"("q\"b\\s/\b\f\n\r\t\u0001\u001f)"
                 "\x7f\"");
  out.clear();
  JsonWriter w2(&out);
  w2.String("é€😀");
  EXPECT_EQ(out, "\"é€😀\"");
  out.clear();
  JsonWriter w3(&out);
  w3.String(std::string("a\0b", 3));
  EXPECT_EQ(out, R"("a\u0000b")");
}

TEST(JsonWriterTest, EscapedStringsRoundTripThroughAParser) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  all += "é€😀";
  Map m;
  SetAttribute(&m, all, AttributeValue::String(all));
  const std::string json = ToJson(m);
  Map back;
  ASSERT_TRUE(DecodeMapText(json, &back).ok());
  EXPECT_EQ(back, m);
}

TEST(JsonWriterTest, NumbersAndStructure) {
  std::string out;
  JsonWriter w(&out);
  w.StartObject();
  w.Key("i");
  w.Int(std::numeric_limits<int64_t>::min());
  w.Key("u");
  w.Uint(std::numeric_limits<uint64_t>::max());
  w.Key("d");
  w.StartArray();
  w.Double(0.1);
  w.Double(5.0);
  w.Double(-1.5e300);
  w.Double(std::nan(""));
  w.Double(1.0 / 3.0);
  w.EndArray();
  w.Key("b");
  w.Bool(false);
  w.Key("n");
  w.Null();
  w.Key("r");
  w.Raw(R"({"x":[1]})");
  w.Key("e");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(out, R"({"i":-9223372036854775808,"u":18446744073709551615,)"
                 R"("d":[0.1,5,-1.5e+300,null,0.3333333333333333],"b":false,"n":null,)"
                 R"("r":{"x":[1]},"e":{}})");
  // Doubles round-trip exactly.
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  ASSERT_EQ(parser.parse(simdjson::padded_string(out)).get(e), simdjson::SUCCESS);
  double third = 0;
  ASSERT_EQ(e["d"].at(4).get_double().get(third), simdjson::SUCCESS);
  EXPECT_EQ(third, 1.0 / 3.0);
}

TEST(JsonWriterTest, WritesTheTypedModel) {
  Map m;
  SetAttribute(&m, "s", AttributeValue::String("x"));
  SetAttribute(&m, "b", AttributeValue::Bytes(std::string("\x00\x01\x02", 3)));
  SetAttribute(&m, "n", Number::FromInt64(-42));
  SetAttribute(&m, "t", true);
  SetAttribute(&m, "z", Null{});
  SetAttribute(&m, "ns", NumberSet{{Number::FromInt64(1), Number::FromInt64(20)}});
  SetAttribute(&m, "l", List{AttributeValue::String("a"), AttributeValue(List{})});
  EXPECT_EQ(ToJson(m),
            R"({"b":{"B":"AAEC"},"l":{"L":[{"S":"a"},{"L":[]}]},"n":{"N":"-42"},)"
            R"("ns":{"NS":["1","20"]},"s":{"S":"x"},"t":{"BOOL":true},"z":{"NULL":true}})");
  EXPECT_EQ(ToJson(Map{}), "{}");
}

TEST(AttributeValueTest, FindSetSort) {
  Map m;
  SetAttribute(&m, "b", AttributeValue::String("1"));
  SetAttribute(&m, "a", AttributeValue::String("2"));
  SetAttribute(&m, "c", AttributeValue::String("3"));
  SetAttribute(&m, "b", AttributeValue::String("4"));
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].first, "a");
  EXPECT_EQ(m[1].first, "b");
  EXPECT_EQ(m[2].first, "c");
  ASSERT_NE(FindAttribute(m, "b"), nullptr);
  EXPECT_EQ(FindAttribute(m, "b")->as<std::string>(), "4");
  EXPECT_EQ(FindAttribute(m, "bb"), nullptr);
  EXPECT_EQ(FindAttribute(m, ""), nullptr);
  EXPECT_EQ(FindAttribute(Map{}, "a"), nullptr);
  Map u = {{"z", AttributeValue()}, {"\xc3\xa9", AttributeValue()}, {"a", AttributeValue()}};
  SortMap(&u);
  EXPECT_EQ(u[0].first, "a");
  EXPECT_EQ(u[1].first, "z");
  EXPECT_EQ(u[2].first, "\xc3\xa9");  // bytewise: 0xc3 > 'z'
  EXPECT_EQ(AttrTypeName(AttrType::kBool), "BOOL");
  EXPECT_EQ(AttrTypeName(AttrType::kNS), "NS");
  EXPECT_EQ(AttrTypeName(AttrType::kM), "M");
}

}  // namespace
}  // namespace strata::item
