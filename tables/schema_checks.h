#pragma once

#include <optional>
#include <string>
#include <vector>

#include "item/attribute_value.h"
#include "tables/requests.h"
#include "tables/table_def.h"
#include "tables/validation_collector.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::tables {

// Checks of table and index schemas shared by CreateTable and UpdateTable, with AWS's wording
// and order (dynalite validations/createTable.js and updateTable.js, validated against AWS).
//
// Thread-safety: pure functions.

// A ValidationException "One or more parameter values were invalid: <what>".
Status InvalidParameterValue(const std::string& what);

// "S" / "N" / "B" -> the type; false otherwise.
bool ParseScalarType(std::string_view s, item::AttrType* type);

// Constraint violations of a ProvisionedThroughput at `path` ("provisionedThroughput", or
// "globalSecondaryIndexes.1.member.provisionedThroughput").
void CheckThroughput(const std::optional<ProvisionedThroughputInput>& pt, const std::string& path,
                     ValidationCollector* errors);
// Violations of an attribute name at `path`: not null, 1..255 bytes.
void CheckAttributeName(const std::optional<std::string>& name, const std::string& path,
                        ValidationCollector* errors);

// Violations of AttributeDefinitions elements: names, and types among S, N, B.
void CheckAttributeDefinitions(const std::vector<AttributeDefinitionInput>& defs,
                               ValidationCollector* errors);

// The order rules of a key schema: distinct names, HASH first, RANGE second.
Status CheckKeyTypes(const std::vector<KeySchemaElementInput>& ks);

// "[KeySchemaElement(attributeName=a, keyType=HASH), ...]", as constraint messages quote it.
std::string KeySchemaToString(const std::vector<KeySchemaElementInput>& ks);

// Constraint violations of one index definition; `path` ends with ".member." or similar.
void CheckIndexShape(const SecondaryIndexInput& index, const std::string& path, bool global,
                     ValidationCollector* errors);
// Constraint violations of LocalSecondaryIndexes / GlobalSecondaryIndexes elements under
// `list_path` ("localSecondaryIndexes" / "globalSecondaryIndexes").
void CheckIndexShapes(const std::vector<SecondaryIndexInput>& indexes, const std::string& list_path,
                      bool global, ValidationCollector* errors);

// The checks of one index definition (dynalite createTable.js custom(), in its order): key
// definitions in `defined`, key types, an LSI's range key and table hash key, projection,
// throughput per billing mode.
Status CheckIndexDefinition(const SecondaryIndexInput& index, bool global,
                            const std::string& table_hash, bool pay_per_request,
                            const std::vector<std::string>& defined);

// The CreateTable index checks that follow the table key-schema checks: definitions of every
// index key, key types, range key of LSIs, projections, duplicate names, counts, throughput
// rules per billing mode, and no unused AttributeDefinitions.
Status CheckCreateTableIndexes(const CreateTableInput& in, bool pay_per_request);

// The IndexDef of a validated index input. Types come from `definitions`; ids are assigned by
// the caller.
IndexDef BuildIndexDef(const SecondaryIndexInput& in, bool global,
                       const std::vector<AttributeDefinition>& definitions);

}  // namespace strata::tables
