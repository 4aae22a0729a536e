#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace strata::tables {

// ValidationCollector gathers AWS "coral" constraint violations and turns them into one
// ValidationException with AWS's wording:
//
//   1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint:
//   Member must have length greater than or equal to 3
//   2 validation errors detected: <first>; <second>
//
// Like AWS it keeps at most 10 violations.
//
// Thread-safety: none; one collector per request. Lifecycle: a value type.
class ValidationCollector {
 public:
  static constexpr size_t kMaxErrors = 10;

  // "Value '<value>' at '<path>' failed to satisfy constraint: <constraint>"
  void Add(std::string_view value, std::string_view path, std::string_view constraint);
  // "Value null at '<path>' failed to satisfy constraint: <constraint>"
  void AddNull(std::string_view path, std::string_view constraint);

  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<std::string>& errors() const { return errors_; }

  // OK when nothing was collected, else the ValidationException.
  Status ToStatus() const;

 private:
  std::vector<std::string> errors_;
};

// The constraint texts AWS uses.
std::string MinLengthConstraint(int64_t n);  // Member must have length greater than or equal to n
std::string MaxLengthConstraint(int64_t n);  // Member must have length less than or equal to n
std::string MinValueConstraint(int64_t n);   // Member must have value greater than or equal to n
std::string MaxValueConstraint(int64_t n);   // Member must have value less than or equal to n
std::string PatternConstraint(std::string_view pattern);
std::string EnumConstraint(std::initializer_list<std::string_view> values);
inline constexpr std::string_view kNotNullConstraint = "Member must not be null";
inline constexpr std::string_view kTableNamePattern = "[a-zA-Z0-9_.-]+";

// True when every byte of `name` is in [a-zA-Z0-9_.-] and it is non-empty.
bool MatchesTableNamePattern(std::string_view name);

}  // namespace strata::tables
