#include "tools/key_render.h"

#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <optional>
#include <vector>

#include "item/item_codec.h"
#include "item/json.h"
#include "item/key_codec.h"
#include "memtable/internal_key.h"
#include "tables/catalog.h"
#include "tables/idempotency.h"
#include "util/coding.h"
#include "util/escape.h"

namespace strata::tools {
namespace {

constexpr size_t kTableIdBytes = 4;
constexpr size_t kKindOffset = kTableIdBytes + 1;  // catalog: after TablePrefix(0)
constexpr size_t kHashOffset = kTableIdBytes + 1;
constexpr size_t kPrefixBytes = kHashOffset + 8;  // table id, index id, partition hash

std::string Quoted(std::string_view bytes) { return "'" + EscapeBytes(bytes) + "'"; }

std::string Undecodable(std::string_view bytes, const Status& why) {
  return "<" + std::to_string(bytes.size()) + " bytes, " + std::string(why.message()) + "> " +
         HexBytes(bytes);
}

bool IsCatalogKey(std::string_view user_key) {
  return user_key.size() > kKindOffset && user_key.substr(0, kKindOffset) == item::TablePrefix(0);
}

// The catalog key payload "str account | str region | rest" as account/region/'rest'.
std::string RenderScopedName(std::string_view payload) {
  std::string_view account, region;
  if (!GetLengthPrefixed(&payload, &account) || !GetLengthPrefixed(&payload, &region)) {
    return "<malformed> " + Quoted(payload);
  }
  return EscapeBytes(account) + "/" + EscapeBytes(region) + "/" + Quoted(payload);
}

std::string RenderCatalogKey(std::string_view user_key) {
  const char kind = user_key[kKindOffset];
  std::string_view payload = user_key.substr(kKindOffset + 1);
  switch (kind) {
    case tables::Catalog::kNextIdKind:
      return payload.empty() ? "catalog next-table-id" : "catalog next-table-id " + Quoted(payload);
    case tables::Catalog::kTableKind:
      return "catalog table " + RenderScopedName(payload);
    case tables::Catalog::kDroppedKind:
      if (payload.size() != 4) return "catalog dropped-table <malformed> " + Quoted(payload);
      return "catalog dropped-table " + std::to_string(DecodeBigEndian32(payload.data()));
    case tables::IdempotencyStore::kTokenKind:
      return "catalog request-token " + RenderScopedName(payload);
    default:
      return "catalog kind " + std::to_string(static_cast<uint8_t>(kind)) + " " + Quoted(payload);
  }
}

void AppendKeyAttribute(std::string* out, const tables::KeyAttribute& attr) {
  *out += attr.name + ":" + std::string(item::AttrTypeName(attr.type));
}

void AppendKeySchema(std::string* out, const tables::KeyAttribute& hash,
                     const std::optional<tables::KeyAttribute>& range) {
  *out += " hash ";
  AppendKeyAttribute(out, hash);
  if (range) {
    *out += " range ";
    AppendKeyAttribute(out, *range);
  }
}

std::string RenderTableDef(std::string_view value) {
  tables::TableDef def;
  if (Status s = tables::DecodeTableDef(value, &def); !s.ok()) return Undecodable(value, s);
  std::string out = "table_def {id " + std::to_string(def.table_id) + " name " + Quoted(def.name);
  AppendKeySchema(&out, def.hash_key, def.range_key);
  out += " billing " + std::string(tables::BillingModeName(def.billing_mode));
  for (const tables::IndexDef& index : def.indexes) {
    out += std::string(index.global ? " gsi " : " lsi ") + std::to_string(index.index_id) + " " +
           Quoted(index.name);
    AppendKeySchema(&out, index.hash_key, index.range_key);
    out += " " + std::string(tables::ProjectionTypeName(index.projection));
    if (index.status == tables::IndexStatus::kCreating) out += " CREATING";
  }
  return out + "}";
}

std::string RenderTokenRecord(std::string_view value) {
  tables::IdempotencyStore::Record record;
  if (Status s = tables::IdempotencyStore::DecodeRecord(value, &record); !s.ok()) {
    return Undecodable(value, s);
  }
  char fingerprint[17];
  std::snprintf(fingerprint, sizeof(fingerprint), "%016" PRIx64, record.fingerprint);
  std::string out = "token_record {fingerprint " + std::string(fingerprint) + " completed " +
                    FormatMicros(static_cast<uint64_t>(record.completed_ms) * 1000);
  for (const auto& t : record.tables) {
    out += " table " + Quoted(t.table_name) + " write_half_units " +
           std::to_string(t.write_half_units) + " read_half_units " +
           std::to_string(t.read_half_units);
  }
  return out + "}";
}

std::string RenderCatalogValue(std::string_view user_key, std::string_view value) {
  switch (user_key[kKindOffset]) {
    case tables::Catalog::kNextIdKind: {
      std::string_view in = value;
      uint32_t next_id;
      if (!GetVarint32(&in, &next_id) || !in.empty()) {
        return Undecodable(value, Status::Corruption("not a varint32"));
      }
      return "next_table_id " + std::to_string(next_id);
    }
    case tables::Catalog::kTableKind:
      return RenderTableDef(value);
    case tables::IdempotencyStore::kTokenKind:
      return RenderTokenRecord(value);
    default:
      return value.empty() ? "(empty)" : Undecodable(value, Status::Corruption("unknown kind"));
  }
}

// The key attributes stored after the 13-byte prefix, in key order (docs/formats/keys.md),
// split into the index key and the table key; index entries only have the second part.
struct KeyLayout {
  std::vector<tables::KeyAttribute> index_key;
  std::vector<tables::KeyAttribute> table_key;
};

KeyLayout LayoutOf(const tables::TableDef& def, const tables::IndexDef* index) {
  KeyLayout layout;
  std::vector<tables::KeyAttribute>& first = index ? layout.index_key : layout.table_key;
  first.push_back(index ? index->hash_key : def.hash_key);
  if (index && index->range_key) first.push_back(*index->range_key);
  if (index && index->global) layout.table_key.push_back(def.hash_key);
  if (def.range_key) layout.table_key.push_back(*def.range_key);
  return layout;
}

// Decodes `attrs` from the front of *in as a DynamoDB JSON map appended to *out.
Status AppendComponents(const std::vector<tables::KeyAttribute>& attrs, std::string_view* in,
                        std::string* out) {
  std::string json;
  item::JsonWriter writer(&json);
  writer.StartObject();
  for (const tables::KeyAttribute& attr : attrs) {
    Result<item::AttributeValue> value = item::DecodeKeyComponent(attr.type, in);
    if (!value.ok()) return value.status();
    writer.Key(attr.name);
    writer.AttributeValue(*value);
  }
  writer.EndObject();
  *out += json;
  return Status::OK();
}

std::string RenderItemKey(std::string_view user_key, const TableSchemas& schemas) {
  const uint32_t table_id = DecodeBigEndian32(user_key.data());
  std::string out = "table " + std::to_string(table_id);
  if (user_key.size() < kPrefixBytes) return out + " <short key> " + Quoted(user_key);
  const tables::TableDef* def = schemas.Find(table_id);
  if (def != nullptr) out += " " + Quoted(def->name);
  const uint8_t index_id = static_cast<uint8_t>(user_key[kTableIdBytes]);
  const tables::IndexDef* index = nullptr;
  if (index_id == 0) {
    out += " base";
  } else {
    out += " index " + std::to_string(index_id);
    if (def != nullptr) {
      for (const tables::IndexDef& candidate : def->indexes) {
        if (candidate.index_id == index_id) index = &candidate;
      }
      if (index != nullptr) out += " " + Quoted(index->name);
    }
  }
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016" PRIx64,
                DecodeBigEndian64(user_key.data() + kHashOffset));
  out += " hash " + std::string(hash) + " ";
  std::string_view rest = user_key.substr(kPrefixBytes);
  if (def == nullptr || (index_id != 0 && index == nullptr)) return out + Quoted(rest);

  const KeyLayout layout = LayoutOf(*def, index);
  const std::string_view components = rest;
  std::string decoded;
  Status s;
  if (!layout.index_key.empty()) {
    s = AppendComponents(layout.index_key, &rest, &decoded);
    decoded += " item ";
  }
  if (s.ok()) s = AppendComponents(layout.table_key, &rest, &decoded);
  if (!s.ok()) return out + Quoted(components) + " <" + std::string(s.message()) + ">";
  if (!rest.empty()) decoded += " <trailing> " + Quoted(rest);
  return out + decoded;
}

}  // namespace

void TableSchemas::Learn(std::string_view user_key, std::string_view value) {
  if (!IsCatalogKey(user_key) || user_key[kKindOffset] != tables::Catalog::kTableKind) return;
  tables::TableDef def;
  if (tables::DecodeTableDef(value, &def).ok()) defs_[def.table_id] = std::move(def);
}

const tables::TableDef* TableSchemas::Find(uint32_t table_id) const {
  auto it = defs_.find(table_id);
  return it == defs_.end() ? nullptr : &it->second;
}

std::string RenderUserKey(std::string_view user_key, const TableSchemas& schemas) {
  if (user_key.size() < kTableIdBytes) return "<short key> " + Quoted(user_key);
  if (IsCatalogKey(user_key)) return RenderCatalogKey(user_key);
  return RenderItemKey(user_key, schemas);
}

std::string RenderInternalKey(std::string_view internal_key, const TableSchemas& schemas) {
  memtable::ParsedInternalKey parsed;
  if (!memtable::ParseInternalKey(internal_key, &parsed)) {
    return "<bad internal key> " + Quoted(internal_key);
  }
  return RenderUserKey(parsed.user_key, schemas) + " @" + std::to_string(parsed.sequence) +
         (parsed.kind == memtable::EntryKind::kPut ? " PUT" : " DEL");
}

std::string RenderValue(std::string_view user_key, std::string_view value) {
  if (IsCatalogKey(user_key)) return RenderCatalogValue(user_key, value);
  item::Item item;
  if (Status s = item::DecodeItem(value, &item); !s.ok()) return Undecodable(value, s);
  return item::ToJson(item);
}

std::string FormatMicros(uint64_t micros) {
  const time_t seconds = static_cast<time_t>(micros / 1000000);
  struct tm tm;
  if (gmtime_r(&seconds, &tm) == nullptr) return std::to_string(micros) + "us";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRIu64 "Z", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros % 1000000);
  return buf;
}

}  // namespace strata::tools
