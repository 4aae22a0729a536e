#pragma once

#include <string>
#include <string_view>

namespace strata {

// Standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /, '=' padding), as DynamoDB
// uses for B and BS values in JSON.
//
// Thread-safety: free functions without state.

// Appends the padded base64 encoding of `bytes` to *dst.
void Base64Encode(std::string_view bytes, std::string* dst);
std::string Base64Encode(std::string_view bytes);

// The length of the encoding of `n` bytes.
constexpr size_t Base64EncodedLength(size_t n) { return (n + 2) / 3 * 4; }

// Strict decode: the length must be a multiple of 4, every character in the alphabet, '='
// only as the last one or two characters, and the unused bits of the last group zero (so
// every accepted text is the canonical encoding of its bytes). Appends the bytes to *dst and
// returns true; returns false on invalid input (*dst may then hold a partial result).
bool Base64Decode(std::string_view text, std::string* dst);

}  // namespace strata
