#pragma once

#include <optional>
#include <string_view>

namespace strata::api {

// The parameters of an AWS Signature Version 4 `Authorization` header, e.g.
//   AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request,
//   SignedHeaders=host;x-amz-date, Signature=0123abcd
// strata never verifies signatures: it only needs the access key id and region, and the
// presence checks that AWS applies before signature checking (see Dispatcher).
//
// Fields are views into the parsed header text; an absent or empty parameter is empty.
// Thread-safety: a value type.
struct SigV4Authorization {
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

// Splits the header like AWS (as reproduced by dynalite): the first token is the algorithm and
// is skipped; the rest are `key=value` tokens separated by ',' and/or ' '. Unknown keys are
// ignored; a repeated key keeps its last value.
SigV4Authorization ParseAuthorization(std::string_view header);

// The five parts of a SigV4 credential "AKID/DATE/REGION/SERVICE/aws4_request". Views into the
// credential text.
struct CredentialScope {
  std::string_view access_key_id;
  std::string_view date;
  std::string_view region;
  std::string_view service;
  std::string_view terminator;
};

// std::nullopt unless `credential` has exactly five '/'-delimited elements (trailing slashes
// are ignored, as AWS does).
std::optional<CredentialScope> ParseCredentialScope(std::string_view credential);

// True when `access_key_id` is exactly 12 ASCII digits: Floci's convention that such a key id
// names the AWS account the request is for.
bool IsAccountId(std::string_view access_key_id);

}  // namespace strata::api
