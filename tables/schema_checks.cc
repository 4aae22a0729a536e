#include "tables/schema_checks.h"

#include <algorithm>
#include <set>

#include "item/api_error.h"
#include "tables/table_name.h"

namespace strata::tables {
namespace {

constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;

std::string JoinNames(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s.append(", ");
    s.append(names[i]);
  }
  return s;
}

}  // namespace

Status InvalidParameterValue(const std::string& what) {
  return item::ValidationError("One or more parameter values were invalid: " + what);
}

Status CheckIndexDefinition(const SecondaryIndexInput& index, bool global,
                            const std::string& table_hash, bool pay_per_request,
                            const std::vector<std::string>& defined) {
  const std::string& name = *index.index_name;
  const auto& ks = *index.key_schema;
  std::vector<std::string> keys;
  for (const KeySchemaElementInput& k : ks) keys.push_back(*k.attribute_name);
  for (const std::string& k : keys) {
    if (std::find(defined.begin(), defined.end(), k) == defined.end()) {
      return InvalidParameterValue(
          "Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
          JoinNames(keys) + "], AttributeDefinitions: [" + JoinNames(defined) + "]");
    }
  }
  RETURN_IF_ERROR(CheckKeyTypes(ks));
  if (!global) {
    if (ks.size() != 2) {
      return InvalidParameterValue("Index KeySchema does not have a range key for index: " + name);
    }
    if (keys[0] != table_hash) {
      return InvalidParameterValue(
          "Index KeySchema does not have the same leading hash key as table KeySchema for "
          "index: " +
          name + ". index hash key: " + keys[0] + ", table hash key: " + table_hash);
    }
  }
  const ProjectionInput& projection = *index.projection;
  if (!projection.projection_type) return InvalidParameterValue("Unknown ProjectionType: null");
  if (projection.non_key_attributes && *projection.projection_type != "INCLUDE") {
    return InvalidParameterValue("ProjectionType is " + *projection.projection_type +
                                 ", but NonKeyAttributes is specified");
  }
  if (!projection.non_key_attributes && *projection.projection_type == "INCLUDE") {
    return InvalidParameterValue(
        "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  if (global) {
    if (pay_per_request && index.provisioned_throughput) {
      return InvalidParameterValue("ProvisionedThroughput should not be specified for index: " +
                                   name + " when BillingMode is PAY_PER_REQUEST");
    }
    if (!pay_per_request && !index.provisioned_throughput) {
      return InvalidParameterValue("ProvisionedThroughput is not specified for index: " + name);
    }
  }
  return Status::OK();
}

bool ParseScalarType(std::string_view s, item::AttrType* type) {
  if (s == "S")
    *type = item::AttrType::kS;
  else if (s == "N")
    *type = item::AttrType::kN;
  else if (s == "B")
    *type = item::AttrType::kB;
  else
    return false;
  return true;
}

void CheckThroughput(const std::optional<ProvisionedThroughputInput>& pt, const std::string& path,
                     ValidationCollector* errors) {
  if (!pt) return;
  // AWS reports writeCapacityUnits before readCapacityUnits.
  if (!pt->write_capacity_units) {
    errors->AddNull(path + ".writeCapacityUnits", kNotNullConstraint);
  } else if (*pt->write_capacity_units < 1) {
    errors->Add(std::to_string(*pt->write_capacity_units), path + ".writeCapacityUnits",
                MinValueConstraint(1));
  }
  if (!pt->read_capacity_units) {
    errors->AddNull(path + ".readCapacityUnits", kNotNullConstraint);
  } else if (*pt->read_capacity_units < 1) {
    errors->Add(std::to_string(*pt->read_capacity_units), path + ".readCapacityUnits",
                MinValueConstraint(1));
  }
}

void CheckAttributeName(const std::optional<std::string>& name, const std::string& path,
                        ValidationCollector* errors) {
  if (!name) {
    errors->AddNull(path, kNotNullConstraint);
  } else if (name->empty()) {
    errors->Add(*name, path, MinLengthConstraint(1));
  } else if (name->size() > 255) {
    errors->Add(*name, path, MaxLengthConstraint(255));
  }
}

void CheckAttributeDefinitions(const std::vector<AttributeDefinitionInput>& defs,
                               ValidationCollector* errors) {
  for (size_t i = 0; i < defs.size(); ++i) {
    std::string path = "attributeDefinitions." + std::to_string(i + 1) + ".member.";
    CheckAttributeName(defs[i].attribute_name, path + "attributeName", errors);
    item::AttrType t;
    if (!defs[i].attribute_type) {
      errors->AddNull(path + "attributeType", kNotNullConstraint);
    } else if (!ParseScalarType(*defs[i].attribute_type, &t)) {
      errors->Add(*defs[i].attribute_type, path + "attributeType", EnumConstraint({"B", "N", "S"}));
    }
  }
}

Status CheckKeyTypes(const std::vector<KeySchemaElementInput>& ks) {
  if (ks.size() == 2 && *ks[0].attribute_name == *ks[1].attribute_name) {
    return item::ValidationError(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (*ks[0].key_type != "HASH") {
    return item::ValidationError(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (ks.size() == 2 && *ks[1].key_type != "RANGE") {
    return item::ValidationError(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  return Status::OK();
}

std::string KeySchemaToString(const std::vector<KeySchemaElementInput>& ks) {
  std::string s = "[";
  for (size_t i = 0; i < ks.size(); ++i) {
    if (i > 0) s.append(", ");
    s.append("KeySchemaElement(attributeName=");
    s.append(ks[i].attribute_name.value_or(""));
    s.append(", keyType=");
    s.append(ks[i].key_type.value_or(""));
    s.push_back(')');
  }
  s.push_back(']');
  return s;
}

void CheckIndexShapes(const std::vector<SecondaryIndexInput>& indexes, const std::string& list_path,
                      bool global, ValidationCollector* errors) {
  for (size_t i = 0; i < indexes.size(); ++i) {
    CheckIndexShape(indexes[i], list_path + "." + std::to_string(i + 1) + ".member.", global,
                    errors);
  }
}

void CheckIndexShape(const SecondaryIndexInput& index, const std::string& path, bool global,
                     ValidationCollector* errors) {
  {
    if (!index.index_name) {
      errors->AddNull(path + "indexName", kNotNullConstraint);
    } else {
      const std::string& n = *index.index_name;
      if (!MatchesTableNamePattern(n)) {
        errors->Add(n, path + "indexName", PatternConstraint(kTableNamePattern));
      }
      if (n.size() < 3) errors->Add(n, path + "indexName", MinLengthConstraint(3));
      if (n.size() > 255) errors->Add(n, path + "indexName", MaxLengthConstraint(255));
    }
    if (!index.key_schema) {
      errors->AddNull(path + "keySchema", kNotNullConstraint);
    } else {
      const auto& ks = *index.key_schema;
      if (ks.empty()) errors->Add("[]", path + "keySchema", MinLengthConstraint(1));
      if (ks.size() > 2)
        errors->Add(KeySchemaToString(ks), path + "keySchema", MaxLengthConstraint(2));
      for (size_t k = 0; k < ks.size(); ++k) {
        const std::string kpath = path + "keySchema." + std::to_string(k + 1) + ".member.";
        CheckAttributeName(ks[k].attribute_name, kpath + "attributeName", errors);
        if (!ks[k].key_type) {
          errors->AddNull(kpath + "keyType", kNotNullConstraint);
        } else if (*ks[k].key_type != "HASH" && *ks[k].key_type != "RANGE") {
          errors->Add(*ks[k].key_type, kpath + "keyType", EnumConstraint({"HASH", "RANGE"}));
        }
      }
    }
    if (!index.projection) {
      errors->AddNull(path + "projection", kNotNullConstraint);
    } else {
      const ProjectionInput& p = *index.projection;
      if (p.projection_type && *p.projection_type != "ALL" && *p.projection_type != "INCLUDE" &&
          *p.projection_type != "KEYS_ONLY") {
        errors->Add(*p.projection_type, path + "projection.projectionType",
                    EnumConstraint({"ALL", "INCLUDE", "KEYS_ONLY"}));
      }
      if (p.non_key_attributes && p.non_key_attributes->empty()) {
        errors->Add("[]", path + "projection.nonKeyAttributes", MinLengthConstraint(1));
      }
    }
    if (global)
      CheckThroughput(index.provisioned_throughput, path + "provisionedThroughput", errors);
  }
}

Status CheckCreateTableIndexes(const CreateTableInput& in, bool pay_per_request) {
  std::vector<std::string> defined;
  for (const AttributeDefinitionInput& d : *in.attribute_definitions) {
    defined.push_back(*d.attribute_name);
  }
  const std::string& table_hash = *(*in.key_schema)[0].attribute_name;
  std::set<std::string> names;
  if (in.local_secondary_indexes) {
    const auto& lsis = *in.local_secondary_indexes;
    if (lsis.empty()) return InvalidParameterValue("List of LocalSecondaryIndexes is empty");
    if (in.key_schema->size() != 2) {
      return InvalidParameterValue(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex");
    }
    for (const SecondaryIndexInput& index : lsis) {
      RETURN_IF_ERROR(
          CheckIndexDefinition(index, /*global=*/false, table_hash, pay_per_request, defined));
      if (!names.insert(*index.index_name).second) {
        return InvalidParameterValue("Duplicate index name: " + *index.index_name);
      }
    }
    if (lsis.size() > kMaxLocalIndexes) {
      return InvalidParameterValue("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
    }
  }
  if (in.global_secondary_indexes) {
    const auto& gsis = *in.global_secondary_indexes;
    if (gsis.empty()) return InvalidParameterValue("List of GlobalSecondaryIndexes is empty");
    for (const SecondaryIndexInput& index : gsis) {
      RETURN_IF_ERROR(
          CheckIndexDefinition(index, /*global=*/true, table_hash, pay_per_request, defined));
      if (!names.insert(*index.index_name).second) {
        return InvalidParameterValue("Duplicate index name: " + *index.index_name);
      }
    }
    if (gsis.size() > kMaxGlobalIndexes) {
      return InvalidParameterValue("GlobalSecondaryIndex count exceeds the per-table limit of 20");
    }
  }
  // Every AttributeDefinition must key the table or an index.
  std::vector<std::string> used;
  auto use = [&](const std::vector<KeySchemaElementInput>& ks) {
    for (const KeySchemaElementInput& k : ks) {
      if (std::find(used.begin(), used.end(), *k.attribute_name) == used.end()) {
        used.push_back(*k.attribute_name);
      }
    }
  };
  use(*in.key_schema);
  for (const auto* list : {&in.local_secondary_indexes, &in.global_secondary_indexes}) {
    if (!*list) continue;
    for (const SecondaryIndexInput& index : **list) use(*index.key_schema);
  }
  if (used.size() != defined.size()) {
    return InvalidParameterValue("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
                                 JoinNames(defined) + "], keys used: [" + JoinNames(used) + "]");
  }
  return Status::OK();
}

IndexDef BuildIndexDef(const SecondaryIndexInput& in, bool global,
                       const std::vector<AttributeDefinition>& definitions) {
  auto key = [&](const KeySchemaElementInput& k) {
    KeyAttribute a{*k.attribute_name, item::AttrType::kS};
    for (const AttributeDefinition& d : definitions) {
      if (d.name == a.name) a.type = d.type;
    }
    return a;
  };
  IndexDef index;
  index.global = global;
  index.name = *in.index_name;
  index.hash_key = key((*in.key_schema)[0]);
  if (in.key_schema->size() == 2) index.range_key = key((*in.key_schema)[1]);
  const std::string& type = *in.projection->projection_type;
  index.projection = type == "KEYS_ONLY" ? ProjectionType::kKeysOnly
                     : type == "INCLUDE" ? ProjectionType::kInclude
                                         : ProjectionType::kAll;
  if (index.projection == ProjectionType::kInclude && in.projection->non_key_attributes) {
    index.non_key_attributes = *in.projection->non_key_attributes;
  }
  if (in.provisioned_throughput) {
    index.throughput.read_capacity_units = *in.provisioned_throughput->read_capacity_units;
    index.throughput.write_capacity_units = *in.provisioned_throughput->write_capacity_units;
  }
  return index;
}

}  // namespace strata::tables
