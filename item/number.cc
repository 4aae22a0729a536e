// Number: DynamoDB's exact decimal (DESIGN 2.8, 5.1) and its order-preserving key form.
//
// Text syntax accepted by Parse (the syntax of Java's BigDecimal, which DynamoDB accepts):
//
//   number   := sign? mantissa exponent?
//   sign     := '+' | '-'
//   mantissa := digit+ ( '.' digit* )? | '.' digit+
//   exponent := ( 'e' | 'E' ) sign? digit+
//
// Key form (DESIGN 2.7; full grammar with examples in docs/formats/keys.md). The value is
// written as +-0.d1 d2 ... dk x 10^E with d1 != 0, dk != 0, k <= 38, E in [-129, 126]:
//
//   zero     := 0x02
//   positive := 0x03 | u8 (E + 129) | mantissa
//   negative := 0x01 | u8 (255 - (E + 129)) | complement(mantissa)   (every byte 255 - b)
//   mantissa := ( u8 2X+1 )* | u8 2X    X = one base-100 digit: (d1 d2), (d3 d4), ...; an odd
//                                       last digit dk is padded as (dk 0)
//
// Mantissa bytes are in [2, 199]: continuation bytes are odd and the last byte even, so the
// mantissa is self-delimiting and a shorter mantissa sorts before its extensions.

#include "item/number.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "item/api_error.h"

namespace strata::item {
namespace {

using u128 = unsigned __int128;

// AWS's messages, as validated against live DynamoDB by dynalite
// (github.com/mhart/dynalite validations/index.js, checkNum).
constexpr std::string_view kNotNumeric = "The parameter cannot be converted to a numeric value";
constexpr std::string_view kTooPrecise =
    "Attempting to store more than 38 significant digits in a Number";
constexpr std::string_view kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr std::string_view kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

// The exponent of the most significant digit (d.ddd x 10^e) must lie in [-130, 125].
constexpr int64_t kMaxMsdExponent = 125;
constexpr int64_t kMinMsdExponent = -130;
// Exponent text is accumulated with saturation here: far beyond the range, far from overflow.
constexpr int64_t kExponentCap = int64_t{1} << 50;

constexpr uint64_t kTen19 = 10000000000000000000ULL;

constexpr std::array<u128, 39> MakePow10() {
  std::array<u128, 39> t{};
  t[0] = 1;
  for (size_t i = 1; i < t.size(); i++) t[i] = t[i - 1] * 10;
  return t;
}
constexpr std::array<u128, 39> kPow10 = MakePow10();

// 2 * 10^38: the largest aligned operand that can still give a 38-digit sum (see Add).
constexpr u128 kTwoE38 = kPow10[38] * 2;

Status NotNumeric(std::string_view text) {
  // dynalite (and so AWS) omits ": <text>" when the text is empty.
  if (text.empty()) return ValidationError(kNotNumeric);
  std::string msg(kNotNumeric);
  msg += ": ";
  msg += text;
  return ValidationError(msg);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int CountDigits(u128 v) {
  // Number of decimal digits of v (0 for 0), from its bit length: t = floor(log10(2^(bits-1)))
  // is the digit count or one less. REQUIRES: v < 10^38.
  if (v == 0) return 0;
  const uint64_t hi = static_cast<uint64_t>(v >> 64);
  const int bits =
      hi != 0 ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll(static_cast<uint64_t>(v));
  const int t = ((bits - 1) * 1233) >> 12;
  return t + 1 + (v >= kPow10[t + 1] ? 1 : 0);
}

// Writes the decimal digits of 0 < v < 10^38 to out (no terminator); returns their count.
int FormatDigits(u128 v, char* out) {
  char buf[40];
  char* p = buf + sizeof(buf);
  uint64_t lo;
  uint64_t hi = 0;
  if ((v >> 64) == 0) {
    lo = static_cast<uint64_t>(v);  // no 128-bit division for the common case
  } else {
    const u128 q = v / kTen19;
    hi = static_cast<uint64_t>(q);
    lo = static_cast<uint64_t>(v - q * kTen19);
  }
  if (hi != 0) {
    for (int i = 0; i < 19; i++) {
      *--p = static_cast<char>('0' + lo % 10);
      lo /= 10;
    }
    lo = hi;
  }
  do {
    *--p = static_cast<char>('0' + lo % 10);
    lo /= 10;
  } while (lo != 0);
  int n = static_cast<int>(buf + sizeof(buf) - p);
  std::memcpy(out, p, n);
  return n;
}

}  // namespace

Result<Number> Number::Parse(std::string_view text) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;
  bool negative = false;
  if (p < end && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    ++p;
  }
  const char* int_begin = p;
  while (p < end && IsDigit(*p)) ++p;
  const char* int_end = p;
  const char* frac_begin = p;
  const char* frac_end = p;
  if (p < end && *p == '.') {
    ++p;
    frac_begin = p;
    while (p < end && IsDigit(*p)) ++p;
    frac_end = p;
  }
  if (int_begin == int_end && frac_begin == frac_end) return NotNumeric(text);
  int64_t exp = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_negative = false;
    if (p < end && (*p == '+' || *p == '-')) {
      exp_negative = *p == '-';
      ++p;
    }
    if (p == end || !IsDigit(*p)) return NotNumeric(text);
    while (p < end && IsDigit(*p)) {
      exp = std::min(exp * 10 + (*p - '0'), kExponentCap);
      ++p;
    }
    if (exp_negative) exp = -exp;
  }
  if (p != end) return NotNumeric(text);

  // The mantissa digits are int part then fraction part; the digit at index i of the int part
  // has power (int_len - 1 - i), the fraction digit at index j has power -(j + 1).
  const int64_t int_len = int_end - int_begin;
  auto power_of = [&](const char* q) -> int64_t {
    return q < int_end ? int_len - 1 - (q - int_begin) : -((q - frac_begin) + 1);
  };
  const char* first = nullptr;
  for (const char* q = int_begin; q < int_end && first == nullptr; ++q) {
    if (*q != '0') first = q;
  }
  for (const char* q = frac_begin; q < frac_end && first == nullptr; ++q) {
    if (*q != '0') first = q;
  }
  if (first == nullptr) return Number();  // zero, whatever its sign and exponent
  const char* last = nullptr;
  for (const char* q = frac_end; q > frac_begin && last == nullptr; --q) {
    if (q[-1] != '0') last = q - 1;
  }
  for (const char* q = int_end; q > int_begin && last == nullptr; --q) {
    if (q[-1] != '0') last = q - 1;
  }

  // Checked in dynalite's order: magnitude first, then precision.
  const int64_t msd = power_of(first) + exp;
  if (msd > kMaxMsdExponent) return ValidationError(kOverflow);
  if (msd < kMinMsdExponent) return ValidationError(kUnderflow);
  const int64_t lsd = power_of(last) + exp;
  if (msd - lsd + 1 > kMaxDigits) return ValidationError(kTooPrecise);

  // At most 38 digits: accumulate 19 at a time in 64 bits.
  u128 coefficient = 0;
  uint64_t chunk = 0;
  int chunk_len = 0;
  for (const char* q = first; q <= last; ++q) {
    if (*q == '.') continue;
    chunk = chunk * 10 + static_cast<uint64_t>(*q - '0');
    if (++chunk_len == 19) {
      coefficient = coefficient * kTen19 + chunk;
      chunk = 0;
      chunk_len = 0;
    }
  }
  coefficient = coefficient * static_cast<uint64_t>(kPow10[chunk_len]) + chunk;
  return Number(coefficient, static_cast<int32_t>(lsd), negative);
}

Number Number::FromInt64(int64_t v) {
  if (v == 0) return Number();
  bool negative = v < 0;
  uint64_t mag = negative ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int32_t exponent = 0;
  while (mag % 10 == 0) {
    mag /= 10;
    exponent++;
  }
  return Number(mag, exponent, negative);
}

int Number::digits() const { return CountDigits(coefficient_); }

int Number::scientific_exponent() const { return is_zero() ? 0 : exponent_ + digits(); }

std::string Number::ToString() const {
  std::string s;
  AppendTo(&s);
  return s;
}

void Number::AppendTo(std::string* dst) const {
  if (is_zero()) {
    dst->push_back('0');
    return;
  }
  char digits[40];
  const int k = FormatDigits(coefficient_, digits);
  if (negative_) dst->push_back('-');
  if (exponent_ >= 0) {
    dst->append(digits, k);
    dst->append(static_cast<size_t>(exponent_), '0');
    return;
  }
  const int point = k + exponent_;  // digits before the decimal point
  if (point > 0) {
    dst->append(digits, point);
    dst->push_back('.');
    dst->append(digits + point, k - point);
  } else {
    dst->append("0.");
    dst->append(static_cast<size_t>(-point), '0');
    dst->append(digits, k);
  }
}

// Exact addition. With the operands aligned to the smaller exponent (x has the larger one,
// shifted left by d digits), the sum's lowest digit sits at y's exponent and, when d > 0, is
// non-zero (x contributes a 0 there and y's last digit is non-zero). So the exact result fits in
// 38 digits only if the aligned sum is below 10^38, which needs the aligned x below
// 10^38 + 10^38 = 2 * 10^38: anything larger (including every d > 38) cannot be represented, and
// everything smaller is computed exactly in 128 bits (< 3 * 10^38 < 2^128).
//
// A result needing more than 38 digits (1e50 + 1) fails with the *overflow* message: that is
// what DynamoDB answers (ScyllaDB test/alternator/test_number.py,
// test_update_expression_plus_imprecise: "Strangely, DynamoDB says that the error is: Number
// overflow. Attempting to store a number with magnitude larger than supported range").
Result<Number> Number::Add(const Number& a, const Number& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  const Number* x = &a;
  const Number* y = &b;
  if (x->exponent_ < y->exponent_) std::swap(x, y);
  const int64_t d = int64_t{x->exponent_} - y->exponent_;
  if (d > kMaxDigits || x->coefficient_ > (kTwoE38 - 1) / kPow10[d]) {
    return ValidationError(kOverflow);
  }
  const u128 xv = x->coefficient_ * kPow10[d];
  const u128 yv = y->coefficient_;
  u128 mag;
  bool negative;
  if (x->negative_ == y->negative_) {
    mag = xv + yv;
    negative = x->negative_;
  } else if (xv >= yv) {
    mag = xv - yv;
    negative = x->negative_;
  } else {
    mag = yv - xv;
    negative = y->negative_;
  }
  if (mag == 0) return Number();
  int64_t exponent = y->exponent_;
  while (mag % 10 == 0) {
    mag /= 10;
    exponent++;
  }
  if (mag >= kPow10[kMaxDigits]) return ValidationError(kOverflow);
  const int64_t msd = exponent + CountDigits(mag) - 1;
  if (msd > kMaxMsdExponent) return ValidationError(kOverflow);
  if (msd < kMinMsdExponent) return ValidationError(kUnderflow);
  return Number(mag, static_cast<int32_t>(exponent), negative);
}

Result<Number> Number::Subtract(const Number& a, const Number& b) {
  if (b.is_zero()) return a;
  Number neg_b = b;
  neg_b.negative_ = !b.negative_;
  return Add(a, neg_b);
}

std::strong_ordering Number::operator<=>(const Number& other) const {
  const int sa = is_zero() ? 0 : (negative_ ? -1 : 1);
  const int sb = other.is_zero() ? 0 : (other.negative_ ? -1 : 1);
  if (sa != sb) return sa <=> sb;
  if (sa == 0) return std::strong_ordering::equal;
  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  std::strong_ordering mag = std::strong_ordering::equal;
  const int ka = digits();
  const int kb = other.digits();
  const int ea = exponent_ + ka;
  const int eb = other.exponent_ + kb;
  if (ea != eb) {
    mag = ea <=> eb;
  } else {
    // Same leading position: align the coefficients to the same digit count (stays < 10^38).
    u128 ca = coefficient_;
    u128 cb = other.coefficient_;
    if (ka < kb) ca *= kPow10[kb - ka];
    if (kb < ka) cb *= kPow10[ka - kb];
    mag = ca <=> cb;
  }
  if (sa > 0) return mag;
  return 0 <=> mag;
}

// dynalite's valSize for N (github.com/mhart/dynalite db/index.js), which matches the item
// sizes live DynamoDB reports. With n significant digits and e the exponent of the most
// significant digit (d.ddd x 10^e):
//   size = 1 + ceil(n / 2) + (n even and e even ? 1 : 0) + (negative ? 1 : 0);  zero = 1.
// (Digits are stored in base-100 pairs aligned on even powers of ten, plus an exponent byte and,
// for negatives, a terminator.) The AWS docs state it as "about 1 byte per two significant
// digits, plus 1 byte".
size_t Number::DynamoSize() const {
  if (is_zero()) return 1;
  const int n = digits();
  const int e = exponent_ + n - 1;
  size_t size = 1 + static_cast<size_t>((n + 1) / 2);
  if (n % 2 == 0 && e % 2 == 0) size++;
  if (negative_) size++;
  return size;
}

void Number::EncodeKey(std::string* dst) const {
  if (is_zero()) {
    dst->push_back('\x02');
    return;
  }
  char digits[40];
  const int k = FormatDigits(coefficient_, digits);
  const int biased = exponent_ + k + 129;  // E + 129, in [0, 255] for valid numbers
  const uint8_t flip = negative_ ? 0xFF : 0x00;
  char out[21];
  int n = 0;
  out[n++] = negative_ ? '\x01' : '\x03';
  out[n++] = static_cast<char>(static_cast<uint8_t>(biased) ^ flip);
  for (int i = 0; i < k; i += 2) {
    const int hi = digits[i] - '0';
    const int lo = i + 1 < k ? digits[i + 1] - '0' : 0;
    const int x = hi * 10 + lo;
    const bool last = i + 2 >= k;
    const uint8_t b = static_cast<uint8_t>(last ? 2 * x : 2 * x + 1);
    out[n++] = static_cast<char>(b ^ flip);  // 255 - b == b ^ 0xFF
  }
  dst->append(out, n);
}

Result<Number> Number::DecodeKey(std::string_view* in) {
  if (in->empty()) return Status::Corruption("number key: truncated");
  const uint8_t tag = static_cast<uint8_t>((*in)[0]);
  if (tag == 0x02) {
    in->remove_prefix(1);
    return Number();
  }
  if (tag != 0x01 && tag != 0x03) return Status::Corruption("number key: bad tag");
  const bool negative = tag == 0x01;
  const uint8_t flip = negative ? 0xFF : 0x00;
  if (in->size() < 3) return Status::Corruption("number key: truncated");
  const int e = static_cast<int>(static_cast<uint8_t>((*in)[1]) ^ flip) - 129;
  u128 coefficient = 0;
  int k = 0;  // digits accumulated into coefficient so far
  size_t pos = 2;
  for (;;) {
    if (pos >= in->size()) return Status::Corruption("number key: truncated mantissa");
    if (pos - 2 >= 19) return Status::Corruption("number key: mantissa too long");
    const uint8_t b = static_cast<uint8_t>((*in)[pos]) ^ flip;
    pos++;
    const bool last = (b & 1) == 0;
    const int x = b >> 1;
    if (x > 99) return Status::Corruption("number key: bad mantissa byte");
    if (pos == 3 && x < 10) return Status::Corruption("number key: leading zero digit");
    if (!last) {
      coefficient = coefficient * 100 + x;
      k += 2;
      continue;
    }
    if (x == 0) return Status::Corruption("number key: trailing zero digit");
    if (x % 10 == 0) {
      coefficient = coefficient * 10 + x / 10;
      k += 1;
    } else {
      coefficient = coefficient * 100 + x;
      k += 2;
    }
    break;
  }
  in->remove_prefix(pos);
  return Number(coefficient, e - k, negative);
}

}  // namespace strata::item
