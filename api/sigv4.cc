#include "api/sigv4.h"

#include <array>
#include <cstddef>

namespace strata::api {
namespace {

bool IsSeparator(char c) { return c == ',' || c == ' '; }

}  // namespace

SigV4Authorization ParseAuthorization(std::string_view header) {
  SigV4Authorization auth;
  bool first = true;
  size_t i = 0;
  while (i < header.size()) {
    // dynalite splits on /,| / and drops the first piece (the algorithm), even when empty.
    size_t end = i;
    while (end < header.size() && !IsSeparator(header[end])) ++end;
    std::string_view token = header.substr(i, end - i);
    i = end + 1;
    if (first) {
      first = false;
      continue;
    }
    if (token.empty()) continue;
    size_t eq = token.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = token.substr(0, eq);
    std::string_view value = token.substr(eq + 1);
    // JS split('=')[1]: the value stops at a second '='.
    value = value.substr(0, value.find('='));
    if (key == "Credential") {
      auth.credential = value;
    } else if (key == "SignedHeaders") {
      auth.signed_headers = value;
    } else if (key == "Signature") {
      auth.signature = value;
    }
  }
  return auth;
}

std::optional<CredentialScope> ParseCredentialScope(std::string_view credential) {
  while (!credential.empty() && credential.back() == '/') credential.remove_suffix(1);
  std::array<std::string_view, 5> parts;
  size_t n = 0;
  size_t start = 0;
  while (true) {
    size_t slash = credential.find('/', start);
    if (n == parts.size()) return std::nullopt;
    parts[n++] = credential.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (n != parts.size()) return std::nullopt;
  return CredentialScope{parts[0], parts[1], parts[2], parts[3], parts[4]};
}

bool IsAccountId(std::string_view access_key_id) {
  if (access_key_id.size() != 12) return false;
  for (char c : access_key_id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace strata::api
