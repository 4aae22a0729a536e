#include "item/item_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "util/coding.h"

namespace strata::item {
namespace {

Number N(std::string_view text) {
  Result<Number> r = Number::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Number();
}

// An item holding every type, nested.
Item RichItem() {
  Item item;
  SetAttribute(&item, "pk", AttributeValue::String("user#1"));
  SetAttribute(&item, "empty", AttributeValue::String(""));
  SetAttribute(&item, "n", N("-123.456e-7"));
  SetAttribute(&item, "zero", N("0"));
  SetAttribute(&item, "big", N("9.9999999999999999999999999999999999999e125"));
  SetAttribute(&item, "tiny", N("1e-130"));
  SetAttribute(&item, "bin", AttributeValue::Bytes(std::string("\x00\xff\x01", 3)));
  SetAttribute(&item, "t", true);
  SetAttribute(&item, "f", false);
  SetAttribute(&item, "nul", Null{});
  SetAttribute(&item, "ss", StringSet{{"", "a", "b\xc3\xa9"}});
  SetAttribute(&item, "ns", NumberSet{{N("-5"), N("0.5"), N("12")}});
  SetAttribute(&item, "bs", BinarySet{{std::string("\x00", 1), "\x7f", "\xff\xfe"}});
  Map inner;
  SetAttribute(&inner, "x",
               List{AttributeValue(N("1")), AttributeValue(Null{}), AttributeValue(List{}),
                    AttributeValue(Map{})});
  SetAttribute(&inner, "a", StringSet{{"q"}});
  SetAttribute(&item, "m", inner);
  SetAttribute(&item, "l", List{AttributeValue(inner), AttributeValue::String("s")});
  SetAttribute(&item, std::string(300, 'k'), AttributeValue::String(std::string(70000, 'v')));
  return item;
}

TEST(ItemCodecTest, RoundTripsEveryType) {
  const Item item = RichItem();
  std::string encoded;
  EncodeItem(item, &encoded);
  Item decoded;
  Status s = DecodeItem(encoded, &decoded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(decoded, item);
  // Canonical: re-encoding gives the same bytes.
  std::string again;
  EncodeItem(decoded, &again);
  EXPECT_EQ(again, encoded);
}

TEST(ItemCodecTest, EmptyItemAndAppend) {
  std::string encoded = "prefix";
  EncodeItem(Item{}, &encoded);
  EXPECT_EQ(encoded, std::string("prefix\x00", 7));
  Item decoded = RichItem();
  ASSERT_TRUE(DecodeItem(std::string_view(encoded).substr(6), &decoded).ok());
  EXPECT_TRUE(decoded.empty());
}

TEST(ItemCodecTest, KnownEncoding) {
  Item item;
  SetAttribute(&item, "a", AttributeValue::String("xy"));
  SetAttribute(&item, "b", true);
  SetAttribute(&item, "c", Null{});
  std::string encoded;
  EncodeItem(item, &encoded);
  EXPECT_EQ(encoded, std::string("\x03"
                                 "\x01"
                                 "a\x00\x02xy"
                                 "\x01"
                                 "b\x03\x01"
                                 "\x01"
                                 "c\x04",
                                 14));
}

TEST(ItemCodecTest, EveryTruncationIsCorruption) {
  std::string encoded;
  EncodeItem(RichItem(), &encoded);
  for (size_t len = 0; len < encoded.size(); ++len) {
    Item out;
    Status s = DecodeItem(std::string_view(encoded.data(), len), &out);
    ASSERT_TRUE(s.IsCorruption()) << "prefix " << len << ": " << s.ToString();
  }
  Item out;
  EXPECT_TRUE(DecodeItem(encoded + "x", &out).IsCorruption());
}

void ExpectCorrupt(const std::string& bytes, const char* why) {
  Item out;
  Status s = DecodeItem(bytes, &out);
  EXPECT_TRUE(s.IsCorruption()) << why << ": " << s.ToString();
}

TEST(ItemCodecTest, RejectsMalformedStructure) {
  using std::string;
  ExpectCorrupt(string("\x01\x01"
                       "a\x0a",
                       4),
                "unknown tag");
  ExpectCorrupt(string("\x01\x01"
                       "a\x03\x02",
                       5),
                "bool 2");
  ExpectCorrupt(string("\x02\x01"
                       "b\x04\x01"
                       "a\x04",
                       8),
                "names out of order");
  ExpectCorrupt(string("\x02\x01"
                       "a\x04\x01"
                       "a\x04",
                       8),
                "duplicate names");
  ExpectCorrupt(string("\x01\x01"
                       "a\x05\x00",
                       5),
                "empty set");
  ExpectCorrupt(string("\x01\x01"
                       "a\x05\x02\x01"
                       "b\x01"
                       "a",
                       9),
                "set out of order");
  ExpectCorrupt(string("\x01\x01"
                       "a\x07\x02\x01"
                       "a\x01"
                       "a",
                       9),
                "set duplicate");
  ExpectCorrupt(string("\x01\x01"
                       "a\x08\xff\xff\xff\xff\x0f",
                       9),
                "huge list count");
  ExpectCorrupt(string("\xff\xff\xff\xff\x0f", 5), "huge attribute count");
  ExpectCorrupt(string("\x01\x01"
                       "a\x01\x01\x07",
                       6),
                "bad number tag");
  ExpectCorrupt(string("\x01\x01"
                       "a\x01\x00",
                       5),
                "empty number");
  // A valid number followed by junk inside its varstring.
  string n;
  N("5").EncodeKey(&n);
  string item(
      "\x01\x01"
      "a\x01",
      4);
  item.push_back(static_cast<char>(n.size() + 1));
  item += n + "x";
  ExpectCorrupt(item, "number trailing bytes");
  // NS out of numeric order.
  string two, one;
  N("2").EncodeKey(&two);
  N("1").EncodeKey(&one);
  string ns(
      "\x01\x01"
      "a\x06\x02",
      5);
  PutLengthPrefixed(&ns, two);
  PutLengthPrefixed(&ns, one);
  ExpectCorrupt(ns, "number set out of order");
}

TEST(ItemCodecTest, BoundsNestingDepth) {
  // 300 nested lists: far deeper than any accepted input.
  std::string deep(
      "\x01\x01"
      "a",
      3);
  for (int i = 0; i < 300; ++i) deep += std::string("\x08\x01", 2);
  deep += "\x04";
  ExpectCorrupt(deep, "too deep");
  // 100 levels decode fine.
  std::string ok(
      "\x01\x01"
      "a",
      3);
  for (int i = 0; i < 100; ++i) ok += std::string("\x08\x01", 2);
  ok += "\x04";
  Item out;
  EXPECT_TRUE(DecodeItem(ok, &out).ok());
}

// Anything DecodeItem accepts must re-encode to something that decodes to the same item.
void CheckDecodeIsConsistent(std::string_view bytes) {
  Item out;
  Status s = DecodeItem(bytes, &out);
  if (!s.ok()) {
    ASSERT_TRUE(s.IsCorruption()) << s.ToString();
    return;
  }
  std::string re;
  EncodeItem(out, &re);
  Item again;
  ASSERT_TRUE(DecodeItem(re, &again).ok());
  ASSERT_EQ(again, out);
}

TEST(ItemCodecTest, FuzzRandomBytesAndMutations) {
  const uint32_t seed = 20240601;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  // Random bytes, biased toward small values so that structure is sometimes plausible.
  for (int iter = 0; iter < 20000; ++iter) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? rng() : rng() % 12);
    CheckDecodeIsConsistent(bytes);
  }
  // Mutations of a valid encoding.
  std::string base;
  Item small;
  SetAttribute(&small, "a", AttributeValue::String("hello"));
  SetAttribute(&small, "b", NumberSet{{N("1"), N("2.5")}});
  SetAttribute(&small, "c", List{AttributeValue(Map{{"x", AttributeValue(true)}})});
  SetAttribute(&small, "d", BinarySet{{"p", "q"}});
  EncodeItem(small, &base);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string bytes = base;
    const int edits = 1 + rng() % 3;
    for (int e = 0; e < edits; ++e) {
      const size_t pos = rng() % bytes.size();
      switch (rng() % 3) {
        case 0:
          bytes[pos] = static_cast<char>(rng());
          break;
        case 1:
          bytes.erase(pos, 1);
          break;
        case 2:
          bytes.insert(pos, 1, static_cast<char>(rng()));
          break;
      }
      if (bytes.empty()) bytes.push_back('\x01');
    }
    CheckDecodeIsConsistent(bytes);
  }
}

}  // namespace
}  // namespace strata::item
