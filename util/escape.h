#pragma once

#include <string>
#include <string_view>

namespace strata {

// Printable forms of raw bytes, for debug strings and strata-dump.
//
// Thread-safety: free functions without state.

// Printable ASCII as is except '\\' and '\'', every other byte as \xNN (lowercase hex).
std::string EscapeBytes(std::string_view bytes);
// Two lowercase hex digits per byte.
std::string HexBytes(std::string_view bytes);

}  // namespace strata
