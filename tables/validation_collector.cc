#include "tables/validation_collector.h"

#include "item/api_error.h"

namespace strata::tables {

void ValidationCollector::Add(std::string_view value, std::string_view path,
                              std::string_view constraint) {
  if (errors_.size() >= kMaxErrors) return;
  std::string e = "Value '";
  e.append(value);
  e.append("' at '");
  e.append(path);
  e.append("' failed to satisfy constraint: ");
  e.append(constraint);
  errors_.push_back(std::move(e));
}

void ValidationCollector::AddNull(std::string_view path, std::string_view constraint) {
  if (errors_.size() >= kMaxErrors) return;
  std::string e = "Value null at '";
  e.append(path);
  e.append("' failed to satisfy constraint: ");
  e.append(constraint);
  errors_.push_back(std::move(e));
}

Status ValidationCollector::ToStatus() const {
  if (errors_.empty()) return Status::OK();
  std::string msg = std::to_string(errors_.size());
  msg.append(errors_.size() == 1 ? " validation error detected: "
                                 : " validation errors detected: ");
  for (size_t i = 0; i < errors_.size(); ++i) {
    if (i > 0) msg.append("; ");
    msg.append(errors_[i]);
  }
  return item::ValidationError(msg);
}

std::string MinLengthConstraint(int64_t n) {
  return "Member must have length greater than or equal to " + std::to_string(n);
}
std::string MaxLengthConstraint(int64_t n) {
  return "Member must have length less than or equal to " + std::to_string(n);
}
std::string MinValueConstraint(int64_t n) {
  return "Member must have value greater than or equal to " + std::to_string(n);
}
std::string MaxValueConstraint(int64_t n) {
  return "Member must have value less than or equal to " + std::to_string(n);
}
std::string PatternConstraint(std::string_view pattern) {
  return "Member must satisfy regular expression pattern: " + std::string(pattern);
}
std::string EnumConstraint(std::initializer_list<std::string_view> values) {
  std::string s = "Member must satisfy enum value set: [";
  bool first = true;
  for (std::string_view v : values) {
    if (!first) s.append(", ");
    first = false;
    s.append(v);
  }
  s.push_back(']');
  return s;
}

bool MatchesTableNamePattern(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace strata::tables
