#include "item/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "util/coding.h"
#include "util/hash.h"

namespace strata::item {
namespace {

constexpr uint32_t kSeed = 20240611;

std::string Enc(const AttributeValue& v) {
  std::string out;
  AppendKeyComponent(v, &out);
  return out;
}

Number N(std::string_view text) {
  Result<Number> r = Number::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Number();
}

// Random bytes biased towards 0x00, 0x01, 0xFF and shared prefixes, where escaping matters.
std::string RandomBytes(std::mt19937& rng) {
  static const char kAlphabet[] = {'\x00', '\x01', '\xFF', '\xFE', 'a', 'b', '\x7F', '\x80'};
  std::string s;
  const int len = static_cast<int>(rng() % 8);
  for (int i = 0; i < len; i++) {
    if (rng() % 4 == 0) {
      s.push_back(static_cast<char>(rng() & 0xFF));
    } else {
      s.push_back(kAlphabet[rng() % sizeof(kAlphabet)]);
    }
  }
  return s;
}

// Random valid number text: random sign, 1..38 significant digits (with zeros inside), random
// exponent across the whole range, sometimes extra leading/trailing zeros.
std::string RandomNumberText(std::mt19937& rng) {
  if (rng() % 20 == 0) return "0";
  const int k = 1 + static_cast<int>(rng() % 38);
  std::string digits;
  digits.push_back(static_cast<char>('1' + rng() % 9));
  for (int i = 1; i < k; i++) {
    digits.push_back(rng() % 3 == 0 ? '0' : static_cast<char>('0' + rng() % 10));
  }
  // Small exponents most of the time so that values collide and share prefixes.
  int msd = rng() % 2 ? static_cast<int>(rng() % 7) - 3 : static_cast<int>(rng() % 256) - 130;
  std::string text = rng() % 2 ? "-" : "";
  if (rng() % 4 == 0) text += "00";
  text.push_back(digits[0]);
  text.push_back('.');
  text.append(digits, 1);
  if (rng() % 4 == 0) text.append("000");
  text.push_back('e');
  text.append(std::to_string(msd));
  return text;
}

AttributeValue RandomKey(AttrType type, std::mt19937& rng) {
  switch (type) {
    case AttrType::kS:
      return AttributeValue::String(RandomBytes(rng));
    case AttrType::kB:
      return AttributeValue::Bytes(RandomBytes(rng));
    default:
      return AttributeValue(N(RandomNumberText(rng)));
  }
}

// DynamoDB's key order: unsigned bytes for S and B, numeric for N.
std::strong_ordering DynamoOrder(const AttributeValue& a, const AttributeValue& b) {
  auto bytes_cmp = [](std::string_view x, std::string_view y) {
    int c = x.compare(y);  // char_traits<char>::compare is memcmp: unsigned byte order
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
  };
  switch (a.type()) {
    case AttrType::kS:
      return bytes_cmp(a.as<std::string>(), b.as<std::string>());
    case AttrType::kB:
      return bytes_cmp(a.as<Binary>().bytes, b.as<Binary>().bytes);
    default:
      return a.as<Number>() <=> b.as<Number>();
  }
}

class KeyCodecOrderTest : public ::testing::TestWithParam<AttrType> {};

TEST_P(KeyCodecOrderTest, EncodingOrderEqualsDynamoOrder) {
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  std::mt19937 rng(kSeed + static_cast<uint32_t>(GetParam()));
  std::vector<AttributeValue> values;
  for (int i = 0; i < 3000; i++) values.push_back(RandomKey(GetParam(), rng));
  // Pairwise on a sample, then a full sort.
  for (size_t i = 0; i + 1 < values.size(); i++) {
    const AttributeValue& a = values[i];
    const AttributeValue& b = values[i + 1];
    const std::strong_ordering want = DynamoOrder(a, b);
    const std::string ea = Enc(a);
    const std::string eb = Enc(b);
    const int c = ea.compare(eb);
    const std::strong_ordering got =
        c < 0 ? std::strong_ordering::less
              : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
    ASSERT_EQ(got, want) << "pair " << i;
  }
  std::vector<AttributeValue> by_value = values;
  std::stable_sort(
      by_value.begin(), by_value.end(),
      [](const AttributeValue& a, const AttributeValue& b) { return DynamoOrder(a, b) < 0; });
  std::vector<std::string> by_bytes;
  for (const AttributeValue& v : values) by_bytes.push_back(Enc(v));
  std::sort(by_bytes.begin(), by_bytes.end());
  ASSERT_EQ(by_bytes.size(), by_value.size());
  for (size_t i = 0; i < by_value.size(); i++) {
    ASSERT_EQ(Enc(by_value[i]), by_bytes[i]) << "rank " << i;
  }
}

TEST_P(KeyCodecOrderTest, RoundTripsAndIsPrefixFree) {
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  std::mt19937 rng(kSeed * 7 + static_cast<uint32_t>(GetParam()));
  for (int i = 0; i < 3000; i++) {
    // pk of the parameter type, sk of a random key type: pk|sk decodes back to both.
    const AttributeValue pk = RandomKey(GetParam(), rng);
    const AttrType sk_type = static_cast<AttrType>(rng() % 3);
    const AttributeValue sk = RandomKey(sk_type, rng);
    std::string both = Enc(pk) + Enc(sk);
    std::string_view in = both;
    Result<AttributeValue> pk2 = DecodeKeyComponent(GetParam(), &in);
    ASSERT_TRUE(pk2.ok()) << pk2.status().ToString();
    EXPECT_TRUE(*pk2 == pk);
    EXPECT_EQ(pk2->type(), GetParam());
    Result<AttributeValue> sk2 = DecodeKeyComponent(sk_type, &in);
    ASSERT_TRUE(sk2.ok()) << sk2.status().ToString();
    EXPECT_TRUE(*sk2 == sk);
    EXPECT_TRUE(in.empty());
    // The full item key decodes too, after the 13-byte prefix.
    std::string key = EncodeItemKey(9, pk, &sk);
    ASSERT_EQ(key.substr(13), both);
    EXPECT_EQ(DecodeBigEndian64(key.data() + 5), PartitionHash(pk));
  }
}

std::string TypeLabel(const ::testing::TestParamInfo<AttrType>& info) {
  switch (info.param) {
    case AttrType::kS:
      return "S";
    case AttrType::kN:
      return "N";
    default:
      return "B";
  }
}

INSTANTIATE_TEST_SUITE_P(Types, KeyCodecOrderTest,
                         ::testing::Values(AttrType::kS, AttrType::kN, AttrType::kB), TypeLabel);

TEST(KeyCodecTest, EscapesZeroBytesAndTerminates) {
  EXPECT_EQ(Enc(AttributeValue::String("")), std::string("\x00\x01", 2));
  EXPECT_EQ(Enc(AttributeValue::String("ab")), std::string("ab\x00\x01", 4));
  EXPECT_EQ(Enc(AttributeValue::Bytes(std::string("a\x00"
                                                  "b\x00",
                                                  4))),
            std::string("a\x00\xFF"
                        "b\x00\xFF\x00\x01",
                        8));
  EXPECT_EQ(Enc(AttributeValue::Bytes(std::string("\xFF", 1))), std::string("\xFF\x00\x01", 3));
  // "a" < "a\0" < "a\x01" < "ab" in both orders.
  std::vector<std::string> ordered = {
      "a", std::string("a\x00", 2), std::string("a\x00\x00", 3), "a\x01", "ab", "b", "\xFF"};
  for (size_t i = 1; i < ordered.size(); i++) {
    EXPECT_LT(Enc(AttributeValue::String(ordered[i - 1])), Enc(AttributeValue::String(ordered[i])))
        << i;
  }
}

TEST(KeyCodecTest, EquivalentNumbersEncodeAndHashIdentically) {
  const AttributeValue a(N("1e3"));
  const AttributeValue b(N("1000"));
  const AttributeValue c(N("+001000.000"));
  EXPECT_EQ(Enc(a), Enc(b));
  EXPECT_EQ(Enc(a), Enc(c));
  EXPECT_EQ(PartitionHash(a), PartitionHash(b));
  EXPECT_EQ(EncodeItemKey(3, a, &c), EncodeItemKey(3, b, &a));
}

TEST(KeyCodecTest, ItemKeyLayout) {
  const AttributeValue pk = AttributeValue::String("user#1");
  const AttributeValue sk(N("-2.5"));
  const std::string key = EncodeItemKey(0x01020304, pk, &sk);
  const std::string enc_pk = Enc(pk);
  EXPECT_EQ(PartitionHash(pk), Hash64(enc_pk));
  std::string want("\x01\x02\x03\x04\x00", 5);
  PutBigEndian64(&want, Hash64(enc_pk));
  want += enc_pk;
  want += Enc(sk);
  EXPECT_EQ(key, want);
  EXPECT_EQ(EncodeItemKey(0x01020304, pk, nullptr), want.substr(0, 13 + enc_pk.size()));

  std::string prefix;
  AppendKeyPrefix(0x01020304, 7, 0x1122334455667788ULL, &prefix);
  EXPECT_EQ(prefix, std::string("\x01\x02\x03\x04\x07\x11\x22\x33\x44\x55\x66\x77\x88", 13));

  EXPECT_EQ(TablePrefix(0x01020304), std::string("\x01\x02\x03\x04\x00", 5));
  EXPECT_EQ(key.compare(0, 5, TablePrefix(0x01020304)), 0);
  // Table prefixes order by table id, and a table's keys stay inside its prefix range.
  EXPECT_LT(TablePrefix(1), TablePrefix(2));
  EXPECT_LT(TablePrefix(255), TablePrefix(256));
  EXPECT_LT(EncodeItemKey(1, pk, &sk), TablePrefix(2));
}

TEST(KeyCodecTest, DecodeRejectsMalformedComponents) {
  const std::vector<std::string> bad_bytes = {
      std::string(""),               // no terminator
      std::string("abc"),            // no terminator
      std::string("ab\x00", 3),      // truncated escape
      std::string("ab\x00\x02", 4),  // bad escape
      std::string("a\x00\xFF", 3),   // escape then no terminator
  };
  for (AttrType t : {AttrType::kS, AttrType::kB}) {
    for (const std::string& b : bad_bytes) {
      std::string_view in = b;
      Result<AttributeValue> r = DecodeKeyComponent(t, &in);
      EXPECT_FALSE(r.ok()) << "accepted size " << b.size();
      if (!r.ok()) {
        EXPECT_TRUE(r.status().IsCorruption());
      }
    }
  }
  std::string_view bad_number("\x05", 1);
  EXPECT_FALSE(DecodeKeyComponent(AttrType::kN, &bad_number).ok());
  std::string_view any("\x00\x01", 2);
  EXPECT_FALSE(DecodeKeyComponent(AttrType::kBool, &any).ok());
}

}  // namespace
}  // namespace strata::item
