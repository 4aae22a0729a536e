#include "util/base64.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  std::string out;
  EXPECT_TRUE(Base64Decode("Zm9vYmE=", &out));
  EXPECT_EQ(out, "fooba");
}

TEST(Base64Test, EncodeAppends) {
  std::string out = "x";
  Base64Encode("fo", &out);
  EXPECT_EQ(out, "xZm8=");
  EXPECT_EQ(Base64EncodedLength(4), 8u);
}

TEST(Base64Test, RoundTripsRandomBytes) {
  std::mt19937 rng(42);
  for (int len = 0; len < 200; ++len) {
    std::string bytes(len, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    const std::string text = Base64Encode(bytes);
    ASSERT_EQ(text.size(), Base64EncodedLength(len));
    std::string back;
    ASSERT_TRUE(Base64Decode(text, &back)) << text;
    ASSERT_EQ(back, bytes);
  }
}

TEST(Base64Test, RejectsInvalidText) {
  for (const char* bad : {"Z", "Zg", "Zg=", "Zm9vY", "Zg=a", "Z===", "====", "Zm9v!A==", "Zm 9",
                          "=Zg=", "Zm8=Zm8=", "Zh==", "Zm9=", "Zm9vYmF=", "\xff\xff\xff\xff"}) {
    std::string out;
    EXPECT_FALSE(Base64Decode(bad, &out)) << bad;
  }
}

}  // namespace
}  // namespace strata
