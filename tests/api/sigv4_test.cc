#include "api/sigv4.h"

#include <gtest/gtest.h>

namespace strata::api {
namespace {

TEST(SigV4Test, ParsesAnSdkHeader) {
  SigV4Authorization auth = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/dynamodb/aws4_request, "
      "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd");
  EXPECT_EQ(auth.credential, "AKIDEXAMPLE/20240101/eu-west-1/dynamodb/aws4_request");
  EXPECT_EQ(auth.signed_headers, "host;x-amz-date;x-amz-target");
  EXPECT_EQ(auth.signature, "0123abcd");
}

TEST(SigV4Test, AcceptsCommasSpacesOrBothAsSeparators) {
  for (const char* header : {"AWS4- Signature=b Credential=a SignedHeaders=c",
                             "AWS4- Signature=b,Credential=a,SignedHeaders=c",
                             "AWS4-   Signature=b, ,Credential=a ,  SignedHeaders=c"}) {
    SigV4Authorization auth = ParseAuthorization(header);
    EXPECT_EQ(auth.signature, "b") << header;
    EXPECT_EQ(auth.credential, "a") << header;
    EXPECT_EQ(auth.signed_headers, "c") << header;
  }
}

TEST(SigV4Test, FirstTokenIsTheAlgorithmAndIsSkipped) {
  // Even when it looks like a parameter.
  SigV4Authorization auth = ParseAuthorization("Credential=x Signature=y");
  EXPECT_EQ(auth.credential, "");
  EXPECT_EQ(auth.signature, "y");
}

TEST(SigV4Test, MissingAndEmptyParametersAreEmpty) {
  SigV4Authorization auth = ParseAuthorization("AWS4- Credential= Signature Other=1");
  EXPECT_EQ(auth.credential, "");
  EXPECT_EQ(auth.signature, "");
  EXPECT_EQ(auth.signed_headers, "");
  EXPECT_EQ(ParseAuthorization("").credential, "");
  EXPECT_EQ(ParseAuthorization("AWS4-").credential, "");
}

TEST(SigV4Test, ValueStopsAtASecondEqualsSign) {
  EXPECT_EQ(ParseAuthorization("AWS4- Credential=a=b").credential, "a");
}

TEST(SigV4Test, ParsesCredentialScope) {
  auto scope = ParseCredentialScope("AKID/20240101/ap-southeast-2/dynamodb/aws4_request");
  ASSERT_TRUE(scope.has_value());
  EXPECT_EQ(scope->access_key_id, "AKID");
  EXPECT_EQ(scope->date, "20240101");
  EXPECT_EQ(scope->region, "ap-southeast-2");
  EXPECT_EQ(scope->service, "dynamodb");
  EXPECT_EQ(scope->terminator, "aws4_request");
}

TEST(SigV4Test, CredentialScopeIgnoresTrailingSlashes) {
  auto scope = ParseCredentialScope("AKID/20240101/us-west-2/dynamodb/aws4_request//");
  ASSERT_TRUE(scope.has_value());
  EXPECT_EQ(scope->terminator, "aws4_request");
}

TEST(SigV4Test, CredentialScopeNeedsExactlyFiveElements) {
  EXPECT_FALSE(ParseCredentialScope("").has_value());
  EXPECT_FALSE(ParseCredentialScope("a/b/c/d").has_value());
  EXPECT_FALSE(ParseCredentialScope("a/b/c/d/e/f").has_value());
  auto empty_parts = ParseCredentialScope("////x");
  ASSERT_TRUE(empty_parts.has_value());
  EXPECT_EQ(empty_parts->region, "");
}

TEST(SigV4Test, AccountIdIsExactlyTwelveDigits) {
  EXPECT_TRUE(IsAccountId("123456789012"));
  EXPECT_TRUE(IsAccountId("000000000000"));
  EXPECT_FALSE(IsAccountId("12345678901"));
  EXPECT_FALSE(IsAccountId("1234567890123"));
  EXPECT_FALSE(IsAccountId("12345678901a"));
  EXPECT_FALSE(IsAccountId("AKIAIOSFODNN"));
  EXPECT_FALSE(IsAccountId(""));
}

}  // namespace
}  // namespace strata::api
