#pragma once

// Human-readable rendering of engine keys and values for strata-dump (tools/dump.h). Every
// decoding step uses the project's codecs: item/key_codec.h for key components, item::DecodeItem
// for item values, tables/table_def.h and tables/idempotency.h for catalog values. The key layout
// (docs/formats/keys.md, docs/formats/catalog.md):
//
//   user key     := u32BE table_id | u8 index_id | u64BE hash | enc(component)*   table_id > 0
//                 | TablePrefix(0) | u8 kind | payload                            the catalog
//   internal key := user key | fixed64 ((seq << 8) | kind)                         SSTables
//
// Key components have no type tags: their types come from the table's definition, a catalog row
// (TableSchemas). Without it the components are printed as escaped bytes.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "tables/table_def.h"

namespace strata::tools {

// TableSchemas holds the table definitions met in catalog rows, so that keys of those tables
// can be decoded. Thread-safety: none (one dump at a time). Lifecycle: a plain value.
class TableSchemas {
 public:
  // Remembers the definition when (user_key, value) is a catalog table row that decodes.
  // A later definition of the same table id (UpdateTable) replaces an earlier one.
  void Learn(std::string_view user_key, std::string_view value);
  // nullptr when no catalog row defined `table_id`.
  const tables::TableDef* Find(uint32_t table_id) const;
  size_t size() const { return defs_.size(); }

 private:
  std::map<uint32_t, tables::TableDef> defs_;
};

// A user key, e.g. `table 1 "users" base hash 3f0c8a1d2e4b5a69 {"pk":{"S":"a"}}` or
// `catalog table 000000000000/us-east-1/users`.
std::string RenderUserKey(std::string_view user_key, const TableSchemas& schemas);
// An internal key: the user key, then `@<seq> PUT|DEL`.
std::string RenderInternalKey(std::string_view internal_key, const TableSchemas& schemas);
// The value stored under `user_key`: an item as DynamoDB JSON, a catalog value decoded, or
// `<N bytes> hex` when it does not decode.
std::string RenderValue(std::string_view user_key, std::string_view value);

// Microseconds since the epoch as ISO 8601 UTC ("2024-05-01T12:00:00.123456Z").
std::string FormatMicros(uint64_t micros);

}  // namespace strata::tools
