#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace strata::item {

// Number is DynamoDB's N type: an exact decimal of at most 38 significant digits, with
// magnitude 0 or within [1E-130, 9.99..9E+125]. It is held normalised as
// (-1)^negative * coefficient * 10^exponent with no trailing zeros in the coefficient
// (zero is coefficient 0, exponent 0, not negative), so equal values have equal
// representations and == is numeric equality.
//
// Thread-safety: a value type.
class Number {
 public:
  static constexpr int kMaxDigits = 38;

  Number() = default;  // zero

  // Parses DynamoDB's number syntax ("1", "-1.5", ".5", "+3", "1e3", "001000", "1.50E-2").
  // Errors are ValidationException Statuses with AWS's wording (checked in this order):
  // - junk, NaN, Infinity, spaces:
  //   "The parameter cannot be converted to a numeric value: <text>"
  //   (empty text: the same without ": <text>", as dynalite answers);
  // - too large:
  //   "Number overflow. Attempting to store a number with magnitude larger than supported range"
  // - too small:
  //   "Number underflow. Attempting to store a number with magnitude smaller than supported range"
  // - more than 38 significant digits:
  //   "Attempting to store more than 38 significant digits in a Number"
  static Result<Number> Parse(std::string_view text);
  static Number FromInt64(int64_t v);

  // The canonical text: no exponent notation, no leading/trailing zeros, "-" for negatives,
  // "0" for zero. "1e3" -> "1000", "1.50" -> "1.5", ".5" -> "0.5", "-0" -> "0".
  std::string ToString() const;
  void AppendTo(std::string* dst) const;

  // Exact arithmetic. Fails (ValidationException) when the exact result needs more than 38
  // significant digits or leaves the supported range, with AWS's wording: the overflow message
  // for both too large and too precise (DynamoDB answers 1e50 + 1 so), underflow for too small.
  static Result<Number> Add(const Number& a, const Number& b);
  static Result<Number> Subtract(const Number& a, const Number& b);

  // Numeric comparison.
  std::strong_ordering operator<=>(const Number& other) const;
  bool operator==(const Number& other) const = default;

  bool is_zero() const { return coefficient_ == 0; }
  bool negative() const { return negative_; }
  // Number of significant digits in the coefficient (0 for zero).
  int digits() const;
  // The decimal exponent E of the value written as 0.d1d2...dk x 10^E (0 for zero).
  int scientific_exponent() const;
  unsigned __int128 coefficient() const { return coefficient_; }
  int32_t exponent() const { return exponent_; }

  // DynamoDB's size of the value in bytes for item size accounting (about 1 byte per two
  // significant digits, plus 1; exactly dynalite's formula, see number.cc).
  size_t DynamoSize() const;

  // Order-preserving key form (DESIGN 2.7, docs/formats/keys.md): memcmp order of encodings ==
  // numeric order. At most 21 bytes and self-delimiting, so it needs no terminator. Mantissa
  // bytes are never 0x00, but the exponent byte is 0x00 for E = -129 (positive) or E = 126
  // (negative): never search an encoded key for 0x00.
  void EncodeKey(std::string* dst) const;
  // Decodes one key-encoded number from the front of *in and advances *in.
  static Result<Number> DecodeKey(std::string_view* in);

 private:
  // REQUIRES: normalised (no trailing zeros, coefficient < 10^38, zero is (0, 0, false)).
  Number(unsigned __int128 coefficient, int32_t exponent, bool negative)
      : coefficient_(coefficient), exponent_(exponent), negative_(negative) {}

  unsigned __int128 coefficient_ = 0;  // < 10^38, no trailing decimal zeros unless zero
  int32_t exponent_ = 0;
  bool negative_ = false;
};

}  // namespace strata::item
