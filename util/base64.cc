#include "util/base64.h"

#include <array>
#include <cstdint>

namespace strata {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

void Base64Encode(std::string_view bytes, std::string* dst) {
  const size_t old_size = dst->size();
  dst->resize(old_size + Base64EncodedLength(bytes.size()));
  char* out = dst->data() + old_size;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    const uint32_t v = uint32_t{in[i]} << 16;
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = '=';
    *out++ = '=';
  } else if (n - i == 2) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = '=';
  }
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  Base64Encode(bytes, &out);
  return out;
}

bool Base64Decode(std::string_view text, std::string* dst) {
  const size_t n = text.size();
  if (n % 4 != 0) return false;
  if (n == 0) return true;
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  size_t pad = 0;
  if (in[n - 1] == '=') pad = (in[n - 2] == '=') ? 2 : 1;
  const size_t old_size = dst->size();
  dst->resize(old_size + n / 4 * 3 - pad);
  char* out = dst->data() + old_size;

  // All groups but the last have no padding.
  const size_t full_end = n - 4;
  for (size_t i = 0; i < full_end; i += 4) {
    const uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]],
                  d = kDecode[in[i + 3]];
    if (((a | b | c | d) & 0xc0) != 0) return false;  // kInvalid has the high bits set
    const uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
    *out++ = static_cast<char>(v >> 16);
    *out++ = static_cast<char>(v >> 8);
    *out++ = static_cast<char>(v);
  }
  const uint8_t a = kDecode[in[full_end]], b = kDecode[in[full_end + 1]];
  const uint8_t c = pad >= 2 ? 0 : kDecode[in[full_end + 2]];
  const uint8_t d = pad >= 1 ? 0 : kDecode[in[full_end + 3]];
  if (((a | b | c | d) & 0xc0) != 0) return false;
  const uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
  if (pad == 2) {
    if ((v & 0xffff) != 0) return false;  // non-canonical trailing bits
    *out++ = static_cast<char>(v >> 16);
  } else if (pad == 1) {
    if ((v & 0xff) != 0) return false;
    *out++ = static_cast<char>(v >> 16);
    *out++ = static_cast<char>(v >> 8);
  } else {
    *out++ = static_cast<char>(v >> 16);
    *out++ = static_cast<char>(v >> 8);
    *out++ = static_cast<char>(v);
  }
  return true;
}

}  // namespace strata
