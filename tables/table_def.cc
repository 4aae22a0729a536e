// TableDef catalog value encoding (docs/formats/catalog.md):
//
//   table_def := u8 version (1 or 2)
//                varint32 table_id
//                str account | str region | str name
//                key hash_key | u8 has_range | [key range_key]
//                varint32 n_defs | (str name | u8 attr_type)*n_defs
//                u8 billing_mode
//                varint64 rcu | varint64 wcu | varint64 last_increase_ms
//                varint64 last_decrease_ms | varint64 decreases_today
//                varint64 creation_ms | varint64 last_update_to_ppr_ms
//                str table_uuid
//                varint32 n_tags | (str key | str value)*n_tags
//                u8 deletion_protection
//                [varint32 n_indexes | index*n_indexes]      (version 2 only)
//   index    := u8 index_id | u8 global | str name | key hash_key | u8 has_range | [key range_key]
//               u8 projection (ProjectionType) | varint32 n | str*n non_key_attributes
//               varint64 rcu | varint64 wcu | varint64 last_increase_ms
//               varint64 last_decrease_ms | varint64 decreases_today | u8 status (IndexStatus)
//   key      := str name | u8 attr_type          (item::AttrType value: S=0, N=1, B=2)
//   str      := varint32 length | bytes
//
// Decoding rejects unknown versions, unknown enum values and trailing bytes.

#include "tables/table_def.h"

#include "util/coding.h"

namespace strata::tables {
namespace {

constexpr uint8_t kVersionWithoutIndexes = 1;
constexpr uint8_t kVersion = 2;

void PutKey(std::string* dst, const KeyAttribute& key) {
  PutLengthPrefixed(dst, key.name);
  dst->push_back(static_cast<char>(key.type));
}

bool GetU8(std::string_view* in, uint8_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}

bool GetString(std::string_view* in, std::string* out) {
  std::string_view v;
  if (!GetLengthPrefixed(in, &v)) return false;
  out->assign(v.data(), v.size());
  return true;
}

bool GetScalarType(std::string_view* in, item::AttrType* type) {
  uint8_t t;
  if (!GetU8(in, &t)) return false;
  if (t != static_cast<uint8_t>(item::AttrType::kS) &&
      t != static_cast<uint8_t>(item::AttrType::kN) &&
      t != static_cast<uint8_t>(item::AttrType::kB)) {
    return false;
  }
  *type = static_cast<item::AttrType>(t);
  return true;
}

bool GetKey(std::string_view* in, KeyAttribute* key) {
  return GetString(in, &key->name) && GetScalarType(in, &key->type);
}

bool GetI64(std::string_view* in, int64_t* v) {
  uint64_t u;
  if (!GetVarint64(in, &u)) return false;
  *v = static_cast<int64_t>(u);
  return true;
}

void PutThroughput(std::string* dst, const ProvisionedThroughput& pt) {
  PutVarint64(dst, static_cast<uint64_t>(pt.read_capacity_units));
  PutVarint64(dst, static_cast<uint64_t>(pt.write_capacity_units));
  PutVarint64(dst, static_cast<uint64_t>(pt.last_increase_ms));
  PutVarint64(dst, static_cast<uint64_t>(pt.last_decrease_ms));
  PutVarint64(dst, static_cast<uint64_t>(pt.number_of_decreases_today));
}

bool GetThroughput(std::string_view* in, ProvisionedThroughput* pt) {
  return GetI64(in, &pt->read_capacity_units) && GetI64(in, &pt->write_capacity_units) &&
         GetI64(in, &pt->last_increase_ms) && GetI64(in, &pt->last_decrease_ms) &&
         GetI64(in, &pt->number_of_decreases_today);
}

void PutIndex(std::string* dst, const IndexDef& index) {
  dst->push_back(static_cast<char>(index.index_id));
  dst->push_back(index.global ? 1 : 0);
  PutLengthPrefixed(dst, index.name);
  PutKey(dst, index.hash_key);
  dst->push_back(index.range_key ? 1 : 0);
  if (index.range_key) PutKey(dst, *index.range_key);
  dst->push_back(static_cast<char>(index.projection));
  PutVarint32(dst, static_cast<uint32_t>(index.non_key_attributes.size()));
  for (const std::string& a : index.non_key_attributes) PutLengthPrefixed(dst, a);
  PutThroughput(dst, index.throughput);
  dst->push_back(static_cast<char>(index.status));
}

bool GetIndex(std::string_view* in, IndexDef* index) {
  uint8_t global, has_range, projection, status;
  if (!GetU8(in, &index->index_id) || index->index_id == 0 || !GetU8(in, &global) || global > 1 ||
      !GetString(in, &index->name) || !GetKey(in, &index->hash_key) || !GetU8(in, &has_range) ||
      has_range > 1) {
    return false;
  }
  index->global = global == 1;
  if (has_range == 1) {
    KeyAttribute range;
    if (!GetKey(in, &range)) return false;
    index->range_key = std::move(range);
  }
  uint32_t n;
  if (!GetU8(in, &projection) || projection > 2 || !GetVarint32(in, &n) || n > in->size()) {
    return false;
  }
  index->projection = static_cast<ProjectionType>(projection);
  for (uint32_t i = 0; i < n; ++i) {
    std::string a;
    if (!GetString(in, &a)) return false;
    index->non_key_attributes.push_back(std::move(a));
  }
  if (!GetThroughput(in, &index->throughput) || !GetU8(in, &status) || status > 1) return false;
  index->status = static_cast<IndexStatus>(status);
  return true;
}

}  // namespace

std::string_view BillingModeName(BillingMode mode) {
  return mode == BillingMode::kPayPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED";
}

std::string_view ProjectionTypeName(ProjectionType type) {
  switch (type) {
    case ProjectionType::kAll:
      return "ALL";
    case ProjectionType::kKeysOnly:
      return "KEYS_ONLY";
    case ProjectionType::kInclude:
      return "INCLUDE";
  }
  return "ALL";
}

const IndexDef* TableDef::FindIndex(std::string_view index_name) const {
  for (const IndexDef& index : indexes) {
    if (index.name == index_name) return &index;
  }
  return nullptr;
}

std::string TableDef::Arn() const {
  return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
}

void EncodeTableDef(const TableDef& def, std::string* dst) {
  dst->push_back(static_cast<char>(kVersion));
  PutVarint32(dst, def.table_id);
  PutLengthPrefixed(dst, def.account);
  PutLengthPrefixed(dst, def.region);
  PutLengthPrefixed(dst, def.name);
  PutKey(dst, def.hash_key);
  dst->push_back(def.range_key ? 1 : 0);
  if (def.range_key) PutKey(dst, *def.range_key);
  PutVarint32(dst, static_cast<uint32_t>(def.attribute_definitions.size()));
  for (const AttributeDefinition& a : def.attribute_definitions) {
    PutLengthPrefixed(dst, a.name);
    dst->push_back(static_cast<char>(a.type));
  }
  dst->push_back(static_cast<char>(def.billing_mode));
  PutThroughput(dst, def.throughput);
  PutVarint64(dst, static_cast<uint64_t>(def.creation_ms));
  PutVarint64(dst, static_cast<uint64_t>(def.last_update_to_pay_per_request_ms));
  PutLengthPrefixed(dst, def.table_uuid);
  PutVarint32(dst, static_cast<uint32_t>(def.tags.size()));
  for (const Tag& t : def.tags) {
    PutLengthPrefixed(dst, t.key);
    PutLengthPrefixed(dst, t.value);
  }
  dst->push_back(def.deletion_protection ? 1 : 0);
  PutVarint32(dst, static_cast<uint32_t>(def.indexes.size()));
  for (const IndexDef& index : def.indexes) PutIndex(dst, index);
}

Status DecodeTableDef(std::string_view src, TableDef* out) {
  const Status bad = Status::Corruption("malformed catalog table definition");
  TableDef def;
  uint8_t version;
  if (!GetU8(&src, &version) || (version != kVersion && version != kVersionWithoutIndexes)) {
    return Status::Corruption("unknown catalog table definition version");
  }
  uint8_t flag;
  if (!GetVarint32(&src, &def.table_id) || !GetString(&src, &def.account) ||
      !GetString(&src, &def.region) || !GetString(&src, &def.name) ||
      !GetKey(&src, &def.hash_key) || !GetU8(&src, &flag) || flag > 1) {
    return bad;
  }
  if (flag == 1) {
    KeyAttribute range;
    if (!GetKey(&src, &range)) return bad;
    def.range_key = std::move(range);
  }
  uint32_t n;
  if (!GetVarint32(&src, &n) || n > src.size()) return bad;
  for (uint32_t i = 0; i < n; ++i) {
    AttributeDefinition a;
    if (!GetString(&src, &a.name) || !GetScalarType(&src, &a.type)) return bad;
    def.attribute_definitions.push_back(std::move(a));
  }
  uint8_t mode;
  if (!GetU8(&src, &mode) || mode > 1) return bad;
  def.billing_mode = static_cast<BillingMode>(mode);
  if (!GetThroughput(&src, &def.throughput) || !GetI64(&src, &def.creation_ms) ||
      !GetI64(&src, &def.last_update_to_pay_per_request_ms) || !GetString(&src, &def.table_uuid) ||
      !GetVarint32(&src, &n) || n > src.size()) {
    return bad;
  }
  for (uint32_t i = 0; i < n; ++i) {
    Tag t;
    if (!GetString(&src, &t.key) || !GetString(&src, &t.value)) return bad;
    def.tags.push_back(std::move(t));
  }
  if (!GetU8(&src, &flag) || flag > 1) return bad;
  def.deletion_protection = flag == 1;
  if (version == kVersion) {
    if (!GetVarint32(&src, &n) || n > src.size()) return bad;
    for (uint32_t i = 0; i < n; ++i) {
      IndexDef index;
      if (!GetIndex(&src, &index)) return bad;
      def.indexes.push_back(std::move(index));
    }
  }
  if (!src.empty()) return bad;
  *out = std::move(def);
  return Status::OK();
}

}  // namespace strata::tables
