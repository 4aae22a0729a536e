#include "util/status.h"

#include <gtest/gtest.h>

#include "util/coding.h"
#include "util/hash.h"
#include "util/result.h"

namespace strata {
namespace {

TEST(StatusTest, OkIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, ErrorKeepsCodeMessageAndSubcode) {
  Status s(Status::Code::kInvalidArgument, "bad thing", 7);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.subcode(), 7);
  EXPECT_EQ(s.message(), "bad thing");
  EXPECT_EQ(s.ToString(), "Invalid argument: bad thing");
  Status copy = s;
  EXPECT_EQ(copy.message(), "bad thing");
  EXPECT_EQ(copy.subcode(), 7);
  Status moved = std::move(copy);
  EXPECT_TRUE(moved.IsInvalidArgument());
}

Result<int> Half(int v) {
  if (v % 2) return Status::InvalidArgument("odd");
  return v / 2;
}

Status Quarter(int v, int* out) {
  ASSIGN_OR_RETURN(int half, Half(v));
  ASSIGN_OR_RETURN(*out, Half(half));
  return Status::OK();
}

Status Chain(int v) {
  int out;
  RETURN_IF_ERROR(Quarter(v, &out));
  return Status::OK();
}

TEST(ResultTest, ValueAndErrorPropagate) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "odd");
  EXPECT_TRUE(Chain(8).ok());
  EXPECT_FALSE(Chain(2).ok());
  Result<int> r = Half(3);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
}

TEST(CodingTest, VarintRoundTripAndTruncation) {
  std::string buf;
  const uint64_t values[] = {0, 1, 127, 128, 300, UINT32_MAX, UINT64_MAX};
  for (uint64_t v : values) PutVarint64(&buf, v);
  std::string_view in(buf);
  for (uint64_t v : values) {
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got));
    EXPECT_EQ(got, v);
  }
  EXPECT_TRUE(in.empty());
  std::string trunc;
  PutVarint64(&trunc, UINT64_MAX);
  trunc.pop_back();
  std::string_view t(trunc);
  uint64_t got;
  EXPECT_FALSE(GetVarint64(&t, &got));
  std::string_view lp("\x05" "abc");
  std::string_view value;
  EXPECT_FALSE(GetLengthPrefixed(&lp, &value));
}

TEST(CodingTest, BigEndianOrdersLikeNumbers) {
  std::string a, b;
  PutBigEndian64(&a, 255);
  PutBigEndian64(&b, 256);
  EXPECT_LT(a, b);
  EXPECT_EQ(DecodeBigEndian64(b.data()), 256u);
}

TEST(HashTest, Crc32MatchesKnownValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_NE(Hash64("a"), Hash64("b"));
}

}  // namespace
}  // namespace strata
