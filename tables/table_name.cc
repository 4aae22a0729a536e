#include "tables/table_name.h"

#include "item/api_error.h"

namespace strata::tables {
namespace {

struct TableArn {
  std::string_view region;
  std::string_view account;
  std::string_view name;
};

bool ParseTableArn(std::string_view s, TableArn* arn) {
  // arn:<partition>:dynamodb:<region>:<account>:table/<name>
  if (s.substr(0, 4) != "arn:") return false;
  size_t pos = 4;
  for (int field = 0; field < 4; ++field) {  // partition, service, region, account
    size_t colon = s.find(':', pos);
    if (colon == std::string_view::npos) return false;
    std::string_view value = s.substr(pos, colon - pos);
    if (field == 1 && value != "dynamodb") return false;
    if (field == 2) arn->region = value;
    if (field == 3) arn->account = value;
    pos = colon + 1;
  }
  std::string_view resource = s.substr(pos);
  if (resource.substr(0, 6) != "table/") return false;
  resource.remove_prefix(6);
  if (resource.empty() || resource.find('/') != std::string_view::npos) return false;
  arn->name = resource;
  return true;
}

}  // namespace

Status CheckCreateTableName(const std::optional<std::string>& name, ValidationCollector* errors) {
  if (!name) {
    errors->AddNull("tableName", kNotNullConstraint);
    return Status::OK();
  }
  if (name->size() < 3 || name->size() > 255) {
    return item::ValidationError(
        "TableName must be at least 3 characters long and at most 255 characters long");
  }
  if (!MatchesTableNamePattern(*name)) {
    errors->Add(*name, "tableName", PatternConstraint(kTableNamePattern));
  }
  return Status::OK();
}

void CheckTableNameOrArn(const std::optional<std::string>& name, ValidationCollector* errors) {
  if (!name) {
    errors->AddNull("tableName", kNotNullConstraint);
    return;
  }
  if (name->empty()) {
    errors->Add(*name, "tableName", MinLengthConstraint(1));
    return;
  }
  TableArn arn;
  if (ParseTableArn(*name, &arn)) {
    if (name->size() > 1024) errors->Add(*name, "tableName", MaxLengthConstraint(1024));
    return;
  }
  if (!MatchesTableNamePattern(*name)) {
    errors->Add(*name, "tableName", PatternConstraint(kTableNamePattern));
  }
  if (name->size() > 255) errors->Add(*name, "tableName", MaxLengthConstraint(255));
}

bool ResolveTableName(std::string_view name_or_arn, std::string_view account,
                      std::string_view region, std::string_view* name) {
  TableArn arn;
  if (!ParseTableArn(name_or_arn, &arn)) {
    *name = name_or_arn;
    return true;
  }
  if (arn.account != account || arn.region != region) return false;
  *name = arn.name;
  return true;
}

}  // namespace strata::tables
