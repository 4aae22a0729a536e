#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tables/validation_collector.h"

namespace strata::tables {

// Table-name rules. CreateTable: 3..255 characters ("TableName must be at least 3 characters
// long and at most 255 characters long"), then [a-zA-Z0-9_.-]+ (a coral violation). Other
// operations take a name or a table ARN (botocore TableArn, 1..1024): a name must be non-empty,
// match the pattern and be at most 255 characters; shorter names are simply not found.

// The CreateTable TableName checks: a length error, else the coral violations in *errors.
Status CheckCreateTableName(const std::optional<std::string>& name, ValidationCollector* errors);
// Adds the violations of the TableName of any other operation.
void CheckTableNameOrArn(const std::optional<std::string>& name, ValidationCollector* errors);

// Resolves `name_or_arn` in (account, region): the name part of arn:<partition>:dynamodb:
// <region>:<account>:table/<name>, or the input itself when it is not a table ARN. False when
// the ARN names another account or region (such a table is never found).
bool ResolveTableName(std::string_view name_or_arn, std::string_view account,
                      std::string_view region, std::string_view* name);

}  // namespace strata::tables
