#pragma once

#include <string>

namespace strata::api {

// Who a request is for: tables are isolated per (account, region). The region comes from the
// SigV4 credential scope (Authorization: ... Credential=AKID/date/REGION/service/aws4_request),
// the account from a 12-digit access key id, else the configured defaults.
struct RequestContext {
  std::string account_id;
  std::string region;
  std::string request_id;  // the x-amzn-RequestId of the reply
};

}  // namespace strata::api
