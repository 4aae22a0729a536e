#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "item/attribute_value.h"
#include "util/status.h"

namespace strata::tables {

// Billing mode of a table. Stored in the catalog: DO NOT CHANGE the values.
enum class BillingMode : uint8_t { kProvisioned = 0, kPayPerRequest = 1 };

std::string_view BillingModeName(BillingMode mode);  // "PROVISIONED" / "PAY_PER_REQUEST"

// One AttributeDefinitions entry. `type` is S, N or B.
struct AttributeDefinition {
  std::string name;
  item::AttrType type = item::AttrType::kS;
  bool operator==(const AttributeDefinition&) const = default;
};

// A primary-key attribute with its scalar type (from AttributeDefinitions).
struct KeyAttribute {
  std::string name;
  item::AttrType type = item::AttrType::kS;
  bool operator==(const KeyAttribute&) const = default;
};

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  int64_t last_increase_ms = 0;  // epoch milliseconds; 0 = never
  int64_t last_decrease_ms = 0;
  int64_t number_of_decreases_today = 0;
  bool operator==(const ProvisionedThroughput&) const = default;
};

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// Which attributes a secondary index copies. Stored in the catalog: DO NOT CHANGE the values.
enum class ProjectionType : uint8_t { kAll = 0, kKeysOnly = 1, kInclude = 2 };

std::string_view ProjectionTypeName(ProjectionType type);  // "ALL" / "KEYS_ONLY" / "INCLUDE"

// State of a secondary index. Stored in the catalog: DO NOT CHANGE the values.
//   kActive   : every item is indexed; queries allowed.
//   kCreating : writers maintain it but the backfill of older items is still running (a GSI added
//               by UpdateTable); queries are refused.
enum class IndexStatus : uint8_t { kActive = 0, kCreating = 1 };

// One local or global secondary index of a table. Its entries live under
// item::TablePrefix-like keys with `index_id` instead of 0 (docs/formats/keys.md).
struct IndexDef {
  uint8_t index_id = 0;  // 1..255, unique among the table's live indexes
  bool global = false;
  std::string name;
  KeyAttribute hash_key;
  std::optional<KeyAttribute> range_key;
  ProjectionType projection = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // INCLUDE only, request order
  ProvisionedThroughput throughput;             // GSIs of PROVISIONED tables
  IndexStatus status = IndexStatus::kActive;
  bool operator==(const IndexDef&) const = default;
};

// TableDef is the definition of one table as stored in the catalog (table id 0). The binary
// encoding is documented in docs/formats/catalog.md and at the top of table_def.cc.
//
// Thread-safety: a value type; the catalog shares immutable instances
// (shared_ptr<const TableDef>) and replaces them on UpdateTable.
struct TableDef {
  uint32_t table_id = 0;  // never reused; 0 is the catalog itself
  std::string account;
  std::string region;
  std::string name;
  KeyAttribute hash_key;
  std::optional<KeyAttribute> range_key;
  std::vector<AttributeDefinition> attribute_definitions;  // request order
  BillingMode billing_mode = BillingMode::kProvisioned;
  ProvisionedThroughput throughput;               // 0/0 for PAY_PER_REQUEST
  int64_t creation_ms = 0;                        // epoch milliseconds
  int64_t last_update_to_pay_per_request_ms = 0;  // 0 = never
  std::string table_uuid;                         // TableId: random UUID v4
  std::vector<Tag> tags;
  bool deletion_protection = false;
  std::vector<IndexDef> indexes;  // LSIs and GSIs in request / creation order

  // The index named `name`; nullptr when absent.
  const IndexDef* FindIndex(std::string_view index_name) const;

  // arn:aws:dynamodb:<region>:<account>:table/<name>
  std::string Arn() const;

  bool operator==(const TableDef&) const = default;
};

// Catalog value codec.
void EncodeTableDef(const TableDef& def, std::string* dst);
// Corruption on malformed input; never reads out of bounds.
Status DecodeTableDef(std::string_view src, TableDef* out);

}  // namespace strata::tables
