#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "util/status.h"

namespace strata {

// Result<T> holds either a value of type T or a non-OK Status (GCC 12 has no std::expected).
//
// Thread-safety: a value type, like Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok()
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }
  Result(T value) : v_(std::move(value)) {}

  bool ok() const { return v_.index() == 1; }
  // OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }
  // REQUIRES: !ok(). Moves the error out.
  Status TakeStatus() && { return std::move(std::get<Status>(v_)); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace strata

#define STRATA_CONCAT_INNER_(a, b) a##b
#define STRATA_CONCAT_(a, b) STRATA_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::strata::Status _strata_status = (expr);        \
    if (!_strata_status.ok()) return _strata_status; \
  } while (0)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(STRATA_CONCAT_(_strata_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)           \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return std::move(tmp).TakeStatus();     \
  lhs = std::move(tmp).value()
