#include "item/item_size.h"

#include <gtest/gtest.h>

#include <string>

#include "item/json.h"

namespace strata::item {
namespace {

// The size of the item written as DynamoDB JSON.
size_t SizeOf(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(padded).get(e), simdjson::SUCCESS) << json;
  Map item;
  Status s = DecodeAttributeMap(e, &item);
  EXPECT_TRUE(s.ok()) << json << ": " << s.ToString();
  return ItemSize(item);
}

TEST(ItemSizeTest, Scalars) {
  EXPECT_EQ(SizeOf(R"({"a":{"S":"xyz"}})"), 4u);
  EXPECT_EQ(SizeOf(R"({"a":{"S":""}})"), 1u);
  // UTF-8 bytes, not characters: "é" is 2 bytes, "€" 3.
  EXPECT_EQ(SizeOf(R"({"é":{"S":"€"}})"), 5u);
  // Binary counts raw bytes, not base64: "AAEC" is 3 bytes.
  EXPECT_EQ(SizeOf(R"({"bb":{"B":"AAEC"}})"), 5u);
  EXPECT_EQ(SizeOf(R"({"t":{"BOOL":true}})"), 2u);
  EXPECT_EQ(SizeOf(R"({"z":{"NULL":true}})"), 2u);
}

TEST(ItemSizeTest, Numbers) {
  // 1 + ceil(digits / 2) (+1 for an even digit count with an even exponent, +1 if negative).
  EXPECT_EQ(SizeOf(R"({"n":{"N":"0"}})"), 2u);
  EXPECT_EQ(SizeOf(R"({"n":{"N":"1"}})"), 3u);
  EXPECT_EQ(SizeOf(R"({"n":{"N":"-1"}})"), 4u);
  EXPECT_EQ(SizeOf(R"({"n":{"N":"12"}})"), 3u);
  EXPECT_EQ(SizeOf(R"({"n":{"N":"123"}})"), 4u);
  EXPECT_EQ(SizeOf(R"({"n":{"N":"1.2"}})"), 4u);
}

TEST(ItemSizeTest, Sets) {
  EXPECT_EQ(SizeOf(R"({"s":{"SS":["a","bc"]}})"), 4u);
  EXPECT_EQ(SizeOf(R"({"s":{"BS":["AAEC","AA=="]}})"), 5u);
  EXPECT_EQ(SizeOf(R"({"s":{"NS":["1","-1"]}})"), 1u + 2u + 3u);
}

TEST(ItemSizeTest, Documents) {
  // L: 3 + 1 per element + elements.
  EXPECT_EQ(SizeOf(R"({"l":{"L":[]}})"), 1u + 3u);
  EXPECT_EQ(SizeOf(R"({"l":{"L":[{"S":"ab"},{"N":"1"}]}})"), 1u + 3u + (1u + 2u) + (1u + 2u));
  // M: 3 + 1 per entry + names + values.
  EXPECT_EQ(SizeOf(R"({"m":{"M":{}}})"), 1u + 3u);
  EXPECT_EQ(SizeOf(R"({"m":{"M":{"k":{"S":"v"}}}})"), 1u + 3u + 1u + 1u + 1u);
  // Nested: m -> {x: [true]}.
  EXPECT_EQ(SizeOf(R"({"m":{"M":{"x":{"L":[{"BOOL":true}]}}}})"),
            1u + (3u + 1u + 1u + (3u + 1u + 1u)));
  // Whole item: sum over attributes.
  EXPECT_EQ(SizeOf(R"({"a":{"S":"xyz"},"m":{"M":{"k":{"S":"v"}}},"t":{"BOOL":false}})"),
            4u + 7u + 2u);
}

TEST(ItemSizeTest, AttributeValueSizeAndLimit) {
  EXPECT_EQ(AttributeValueSize(AttributeValue::String("abcd")), 4u);
  EXPECT_EQ(AttributeValueSize(AttributeValue(List{AttributeValue(Null{})})), 5u);
  EXPECT_EQ(ItemSize(Item{}), 0u);
  EXPECT_EQ(kMaxItemSize, 409600u);
  Item big;
  SetAttribute(&big, "p", AttributeValue::String(std::string(kMaxItemSize - 1, 'x')));
  EXPECT_EQ(ItemSize(big), kMaxItemSize);
}

}  // namespace
}  // namespace strata::item
