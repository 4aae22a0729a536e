#include "item/number.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "item/api_error.h"

namespace strata::item {
namespace {

constexpr std::string_view kTooPrecise =
    "Attempting to store more than 38 significant digits in a Number";
constexpr std::string_view kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr std::string_view kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

Number N(std::string_view text) {
  Result<Number> r = Number::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? r.value() : Number();
}

std::string Zeros(int n) { return std::string(n, '0'); }

TEST(NumberTest, NormalisesToCanonicalText) {
  struct Case {
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"0", "0"},
      {"-0", "0"},
      {"+0", "0"},
      {"0.000", "0"},
      {"-0.000", "0"},
      {"0e999", "0"},
      {"0e999999999999999999999999", "0"},
      {"000", "0"},
      {".0", "0"},
      {"1", "1"},
      {"+3", "3"},
      {"-7", "-7"},
      {"1e3", "1000"},
      {"1E3", "1000"},
      {"1e+3", "1000"},
      {"1000.0", "1000"},
      {"+1000", "1000"},
      {"001000", "1000"},
      {"1.50", "1.5"},
      {".5", "0.5"},
      {"-.5", "-0.5"},
      {"5.", "5"},
      {"1E-2", "0.01"},
      {"1e-2", "0.01"},
      {"-17e5", "-1700000"},
      {"-17.4E37", "-174" + Zeros(36)},
      {"0001.23", "1.23"},
      {"-7.1234", "-7.1234"},
      {".123", "0.123"},
      {"123.456e2", "12345.6"},
      {"123.456e-2", "1.23456"},
      {"0.00120e3", "1.2"},
      {"1e125", "1" + Zeros(125)},
      {"-1e125", "-1" + Zeros(125)},
      {"9.9999999999999999999999999999999999999E+125", std::string(38, '9') + Zeros(88)},
      {"1e-130", "0." + Zeros(129) + "1"},
      {"-1e-130", "-0." + Zeros(129) + "1"},
      {"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
      {"314159265358979323846.26433832795028841", "314159265358979323846.26433832795028841"},
      {"31415926535897932384626433832795028841e30",
       "31415926535897932384626433832795028841" + Zeros(30)},
      // Leading and trailing zeros are not significant digits.
      {"1" + Zeros(42), "1" + Zeros(42)},
      {"0.000" + std::string(38, '7') + "000", "0.000" + std::string(38, '7')},
      {Zeros(100) + "12" + Zeros(100), "12" + Zeros(100)},
      {"1.5e-129", "0." + Zeros(128) + "15"},
      {"0.1e-129", "0." + Zeros(129) + "1"},
  };
  for (const Case& c : cases) {
    Number n = N(c.in);
    EXPECT_EQ(n.ToString(), c.out) << "input " << c.in;
    // Canonical text parses back to the same value.
    EXPECT_EQ(N(n.ToString()), n) << "input " << c.in;
  }
  EXPECT_EQ(N("1e125").ToString().size(), 126u);
}

TEST(NumberTest, RejectsJunkWithAwsWording) {
  const std::vector<std::string> junk = {
      " 1",   "1 ",  "abc", "NaN", "-NaN", "nan", "Infinity", "-Infinity", "inf",   "0x10",
      "1..2", "1e",  "e1",  "--1", "+-1",  "+",   "-",        ".",         "1.2.3", "1e1.5",
      "1e+",  "1e-", "1f",  "dog", "-dog", "1,5", "\t1",      "1e 5",      "1_000", "١",
  };
  for (const std::string& s : junk) {
    Result<Number> r = Number::Parse(s);
    ASSERT_FALSE(r.ok()) << "accepted \"" << s << "\"";
    EXPECT_EQ(ApiErrorOf(r.status()), ApiError::kValidation);
    EXPECT_EQ(r.status().message(), "The parameter cannot be converted to a numeric value: " + s);
  }
  // dynalite: an empty string gets the message without the ": <text>" suffix.
  Result<Number> empty = Number::Parse("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(ApiErrorOf(empty.status()), ApiError::kValidation);
}

TEST(NumberTest, RejectsOutOfRangeAndTooPrecise) {
  struct Case {
    std::string in;
    std::string_view message;
  };
  const std::vector<Case> cases = {
      {"1e126", kOverflow},
      {"-1e126", kOverflow},
      {"11e125", kOverflow},
      {"10e125", kOverflow},
      {"1e999", kOverflow},
      {"1e999999999999", kOverflow},
      {"1e99999999999999999999999999999999999999", kOverflow},
      {"1" + Zeros(126), kOverflow},
      {"1e-131", kUnderflow},
      {"-1e-131", kUnderflow},
      {"0.9e-130", kUnderflow},
      {"1e-999", kUnderflow},
      {"1e-999999999999", kUnderflow},
      {"1e-99999999999999999999999999999999999999", kUnderflow},
      {"0." + Zeros(130) + "1", kUnderflow},
      {"123456789012345678901234567890123456789", kTooPrecise},
      {"-1.23456789012345678901234567890123456789", kTooPrecise},
      {"1.00000000000000000000000000000000000001", kTooPrecise},
      {"3.14159265358979323846264338327950288419", kTooPrecise},
      {"314159265358979323846.264338327950288419", kTooPrecise},
      {"314159265358979323846264338327950288419e30", kTooPrecise},
      // Magnitude is checked before precision (dynalite's order).
      {"1234567890123456789012345678901234567891e200", kOverflow},
  };
  for (const Case& c : cases) {
    Result<Number> r = Number::Parse(c.in);
    ASSERT_FALSE(r.ok()) << "accepted " << c.in;
    EXPECT_EQ(r.status().message(), c.message) << c.in;
    EXPECT_EQ(ApiErrorOf(r.status()), ApiError::kValidation);
  }
}

TEST(NumberTest, FieldsAndFromInt64) {
  Number n = N("-123.4500");
  EXPECT_TRUE(n.negative());
  EXPECT_EQ(n.digits(), 5);
  EXPECT_EQ(n.exponent(), -2);
  EXPECT_EQ(static_cast<uint64_t>(n.coefficient()), 12345u);
  EXPECT_EQ(n.scientific_exponent(), 3);  // -0.12345e3
  EXPECT_EQ(N("1000").scientific_exponent(), 4);
  EXPECT_EQ(N("0.01").scientific_exponent(), -1);
  EXPECT_EQ(Number().scientific_exponent(), 0);
  EXPECT_TRUE(N("-0").is_zero());
  EXPECT_FALSE(N("-0").negative());
  EXPECT_EQ(Number::FromInt64(0), Number());
  EXPECT_EQ(Number::FromInt64(1000), N("1e3"));
  EXPECT_EQ(Number::FromInt64(-42).ToString(), "-42");
  EXPECT_EQ(Number::FromInt64(INT64_MIN).ToString(), "-9223372036854775808");
  EXPECT_EQ(Number::FromInt64(INT64_MAX).ToString(), "9223372036854775807");
}

TEST(NumberTest, ArithmeticIsExact) {
  struct Case {
    std::string a;
    char op;
    std::string b;
    std::string want;  // canonical result, or an error message
  };
  const std::string big38(38, '9');
  const std::vector<Case> cases = {
      {"0.1", '+', "0.2", "0.3"},
      {"-1", '+', "1", "0"},
      {"1", '-', "1", "0"},
      {"0", '+', "0", "0"},
      {"0", '-', "5", "-5"},
      {"5", '-', "0", "5"},
      {"1.5", '+', "1.5", "3"},
      {"0.5", '+', "0.5", "1"},
      {"1", '+', "10000000000000000000000", "10000000000000000000001"},
      {"10000000000000000000000", '-', "1", "9999999999999999999999"},
      {"-3", '-', "-5", "2"},
      {"3", '-', "5", "-2"},
      {"-3", '+', "-5", "-8"},
      {"1e125", '-', "1e125", "0"},
      {"9e125", '-', "9e125", "0"},
      // Big cancellations stay exact.
      {"1" + Zeros(36) + "1", '-', "1" + Zeros(37), "1"},
      {"1234567890123456789012345678901234567.8", '-', "1234567890123456789012345678901234567",
       "0.8"},
      {"1.000000000000000000000000000000000001e-130", '-', "1e-130", kUnderflow.data()},
      {"1.000000000000000000000000000000000001e-94", '-', "1e-94", "0." + Zeros(129) + "1"},
      // 38 nines + 1 = 10^38: 1 significant digit, fine.
      {big38, '+', "1", "1" + Zeros(38)},
      {"-" + big38, '-', "1", "-1" + Zeros(38)},
      // 38 digits + a digit one place lower: 39 digits.
      {big38, '+', "0.1", kOverflow.data()},
      {"1" + Zeros(37), '+', "1", "1" + Zeros(36) + "1"},
      {"1" + Zeros(38), '+', "1", kOverflow.data()},
      // DynamoDB: 1e50 + 1 needs 51 digits -> the overflow message (see number.cc).
      {"1e50", '+', "1", kOverflow.data()},
      {"1e50", '-', "1", kOverflow.data()},
      {"1e100", '+', "1e-100", kOverflow.data()},
      {"1e-130", '+', "1e125", kOverflow.data()},
      {"1e125", '-', "1e-130", kOverflow.data()},
      // Magnitude overflow.
      {"9e125", '+', "9e125", kOverflow.data()},
      {"9e125", '-', "-9e125", kOverflow.data()},
      {"-9e125", '-', "9e125", kOverflow.data()},
      {"5e125", '+', "4.9e125", "99" + Zeros(124)},
      {"5e125", '+', "5e125", kOverflow.data()},
      // Precision limits at the edges.
      {"1e-130", '+', "1e-130", "0." + Zeros(129) + "2"},
      {"1e-130", '-', "2e-130", "-0." + Zeros(129) + "1"},
      {"9.9999999999999999999999999999999999999e125", '-',
       "9.9999999999999999999999999999999999999e125", "0"},
  };
  for (const Case& c : cases) {
    Number a = N(c.a);
    Number b = N(c.b);
    Result<Number> r = c.op == '+' ? Number::Add(a, b) : Number::Subtract(a, b);
    std::string got = r.ok() ? r->ToString() : std::string(r.status().message());
    EXPECT_EQ(got, c.want) << c.a << " " << c.op << " " << c.b;
    if (!r.ok()) {
      EXPECT_EQ(ApiErrorOf(r.status()), ApiError::kValidation);
    }
    // Addition commutes.
    if (c.op == '+') {
      Result<Number> r2 = Number::Add(b, a);
      std::string got2 = r2.ok() ? r2->ToString() : std::string(r2.status().message());
      EXPECT_EQ(got2, c.want) << c.b << " + " << c.a;
    }
  }
}

TEST(NumberTest, ArithmeticMatchesIntegerArithmeticOnRandomInts) {
  // Cross-check against int64 on random values (seeded, printed on failure).
  const uint64_t seed = 0x5eed1234;
  SCOPED_TRACE("seed " + std::to_string(seed));
  uint64_t s = seed;
  auto next = [&s]() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  };
  for (int i = 0; i < 20000; i++) {
    int64_t a = static_cast<int64_t>(next() % 2000000000001ULL) - 1000000000000LL;
    int64_t b = static_cast<int64_t>(next() % 2000000000001ULL) - 1000000000000LL;
    if (i % 3 == 0) a = a / 1000 * 1000;  // trailing zeros
    Result<Number> sum = Number::Add(Number::FromInt64(a), Number::FromInt64(b));
    ASSERT_TRUE(sum.ok());
    EXPECT_EQ(*sum, Number::FromInt64(a + b)) << a << " + " << b;
    Result<Number> diff = Number::Subtract(Number::FromInt64(a), Number::FromInt64(b));
    ASSERT_TRUE(diff.ok());
    EXPECT_EQ(*diff, Number::FromInt64(a - b)) << a << " - " << b;
    EXPECT_EQ(Number::FromInt64(a) <=> Number::FromInt64(b), a <=> b) << a << " <=> " << b;
  }
}

TEST(NumberTest, AddThenSubtractRestoresOperandOnRandomDecimals) {
  const uint32_t seed = 77031;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto random_number = [&rng]() {
    std::string text = rng() % 2 ? "-" : "";
    const int k = 1 + static_cast<int>(rng() % 38);
    text.push_back(static_cast<char>('1' + rng() % 9));
    text.push_back('.');
    for (int i = 1; i < k; i++) text.push_back(static_cast<char>('0' + rng() % 10));
    text.push_back('e');
    text.append(std::to_string(static_cast<int>(rng() % 41) - 20));
    return N(text);
  };
  int exact = 0;
  for (int i = 0; i < 20000; i++) {
    const Number a = random_number();
    const Number b = random_number();
    Result<Number> sum = Number::Add(a, b);
    if (!sum.ok()) {
      EXPECT_EQ(sum.status().message(), kOverflow);
      continue;
    }
    exact++;
    Result<Number> back = Number::Subtract(*sum, b);
    ASSERT_TRUE(back.ok()) << a.ToString() << " + " << b.ToString();
    EXPECT_EQ(*back, a) << a.ToString() << " + " << b.ToString();
    // Monotonic: adding a positive number increases.
    EXPECT_EQ(*sum <=> a, b <=> Number()) << a.ToString() << " + " << b.ToString();
  }
  EXPECT_GT(exact, 1000);
}

TEST(NumberTest, ComparesNumerically) {
  // Strictly increasing.
  const std::vector<std::string> ordered = {
      "-9.9999999999999999999999999999999999999e125",
      "-1e125",
      "-1000",
      "-999.99",
      "-2",
      "-1.5",
      "-1.01",
      "-1",
      "-0.1",
      "-1e-130",
      "0",
      "1e-130",
      "1.1e-130",
      "0.0001",
      "0.001",
      "0.1",
      "0.10000000000000000000000000000000000001",
      "0.2",
      "1",
      "1.0000000000000000000000000000000000001",
      "1.1",
      "2",
      "10",
      "10.5",
      "99",
      "100",
      "1e125",
      "9.9999999999999999999999999999999999999e125",
  };
  for (size_t i = 0; i < ordered.size(); i++) {
    for (size_t j = 0; j < ordered.size(); j++) {
      EXPECT_EQ(N(ordered[i]) <=> N(ordered[j]), i <=> j) << ordered[i] << " vs " << ordered[j];
    }
  }
  EXPECT_EQ(N("1e3"), N("1000"));
  EXPECT_EQ(N("1.0"), N("1"));
  EXPECT_EQ(N("-0"), N("0"));
  EXPECT_EQ(N("1e3") <=> N("1000.000"), std::strong_ordering::equal);
  EXPECT_NE(N("1"), N("-1"));
}

TEST(NumberTest, DynamoSizeFollowsDynalite) {
  // dynalite db/index.js valSize('N'): 1 + ceil(n/2) + (n even && e even) + negative.
  EXPECT_EQ(N("0").DynamoSize(), 1u);
  EXPECT_EQ(N("1").DynamoSize(), 2u);                                         // n=1
  EXPECT_EQ(N("-1").DynamoSize(), 3u);                                        // negative adds 1
  EXPECT_EQ(N("12").DynamoSize(), 2u);                                        // n=2, e=1 (odd)
  EXPECT_EQ(N("1.2").DynamoSize(), 3u);                                       // n=2, e=0 (even)
  EXPECT_EQ(N("123").DynamoSize(), 3u);                                       // n=3
  EXPECT_EQ(N("1000").DynamoSize(), 2u);                                      // n=1
  EXPECT_EQ(N("0.12").DynamoSize(), 2u);                                      // n=2, e=-1 (odd)
  EXPECT_EQ(N("0.012").DynamoSize(), 3u);                                     // n=2, e=-2 (even)
  EXPECT_EQ(N("12345678901234567890123456789012345678").DynamoSize(), 20u);   // n=38, e=37
  EXPECT_EQ(N("1.2345678901234567890123456789012345678").DynamoSize(), 21u);  // e=0
  EXPECT_EQ(N("-1.2345678901234567890123456789012345678").DynamoSize(), 22u);
}

TEST(NumberTest, KeyEncodingLayout) {
  auto enc = [](std::string_view text) {
    std::string out;
    N(text).EncodeKey(&out);
    return out;
  };
  EXPECT_EQ(enc("0"), std::string("\x02", 1));
  // 1 = 0.1 x 10^1: b = 130 = 0x82, mantissa (10) -> last byte 2*10 = 20.
  EXPECT_EQ(enc("1"), std::string("\x03\x82\x14", 3));
  // 12.3 = 0.123 x 10^2: b = 131, pairs (12)(30) -> 2*12+1 = 25, 2*30 = 60.
  EXPECT_EQ(enc("12.3"), std::string("\x03\x83\x19\x3c", 4));
  // -1: 0x01, 255-130 = 125, 255-20 = 235.
  EXPECT_EQ(enc("-1"), std::string("\x01\x7d\xeb", 3));
  // The examples of docs/formats/keys.md.
  EXPECT_EQ(enc("1000"), std::string("\x03\x85\x14", 3));
  EXPECT_EQ(enc("0.5"), std::string("\x03\x81\x64", 3));
  EXPECT_EQ(enc("-12.3"), std::string("\x01\x7c\xe6\xc3", 4));
  EXPECT_EQ(enc("1e3"), enc("1000"));
  EXPECT_EQ(enc("1e3"), enc("+1000.000"));
  // Extremes: 1e-130 has E = -129 -> b = 0; -9.99..e125 has E = 126 -> 255 - 255 = 0.
  EXPECT_EQ(enc("1e-130"), std::string("\x03\x00\x14", 3));
  std::string max_neg = enc("-9.9999999999999999999999999999999999999e125");
  EXPECT_EQ(max_neg.size(), 21u);
  EXPECT_EQ(max_neg[1], '\x00');
  EXPECT_EQ(enc("12345678901234567890123456789012345678").size(), 21u);
}

TEST(NumberTest, KeyEncodingRoundTripsAndOrders) {
  const std::vector<std::string> values = {"-9.9999999999999999999999999999999999999e125",
                                           "-1e125",
                                           "-100",
                                           "-99",
                                           "-10.01",
                                           "-10",
                                           "-9.9",
                                           "-1",
                                           "-0.5",
                                           "-1e-130",
                                           "0",
                                           "1e-130",
                                           "0.5",
                                           "1",
                                           "1.01",
                                           "9.9",
                                           "10",
                                           "10.01",
                                           "99",
                                           "100",
                                           "12345678901234567890123456789012345678",
                                           "1e125",
                                           "9.9999999999999999999999999999999999999e125"};
  std::vector<std::string> encoded;
  for (const std::string& v : values) {
    std::string e;
    N(v).EncodeKey(&e);
    e += "tail";
    std::string_view in = e;
    Result<Number> back = Number::DecodeKey(&in);
    ASSERT_TRUE(back.ok()) << v << ": " << back.status().ToString();
    EXPECT_EQ(*back, N(v));
    EXPECT_EQ(in, "tail");
    encoded.push_back(e);
  }
  for (size_t i = 1; i < encoded.size(); i++) {
    EXPECT_LT(encoded[i - 1], encoded[i]) << values[i - 1] << " vs " << values[i];
  }
}

TEST(NumberTest, DecodeKeyRejectsBadBytes) {
  const std::vector<std::string> bad = {
      std::string(""),
      std::string("\x00", 1),              // bad tag
      std::string("\x04\x82\x14", 3),      // bad tag
      std::string("\x03", 1),              // truncated
      std::string("\x03\x82", 2),          // no mantissa
      std::string("\x03\x82\x15", 3),      // continuation byte with no end
      std::string("\x03\x82\x00", 3),      // last pair 00
      std::string("\x03\x82\x02", 3),      // leading digit 0 (pair 01)
      std::string("\x03\x82\xc9\x14", 4),  // pair 100
      std::string("\x03\x82\xc8", 3),      // pair 100 (last)
      std::string("\x01\x7d\x14", 3),      // negative, byte complement is odd-> truncated
      std::string("\x03\x82") + std::string(19, '\x15') + std::string("\x14", 1),  // 20 pairs
  };
  for (const std::string& b : bad) {
    std::string_view in = b;
    Result<Number> r = Number::DecodeKey(&in);
    EXPECT_FALSE(r.ok()) << "accepted bytes of size " << b.size();
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsCorruption());
    }
  }
}

}  // namespace
}  // namespace strata::item
