#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "item/attribute_value.h"
#include "util/result.h"

namespace strata::item {

// Order-preserving encoding of DynamoDB keys into engine user keys (DESIGN 2.7, grammar in
// docs/formats/keys.md):
//
//   base item : u32BE table_id | u8 index_id=0 | u64BE XXH3_64(canon(pk)) | enc(pk) | [enc(sk)]
//
// enc(S|B) = bytes with 0x00 -> 0x00 0xFF, terminated by 0x00 0x01 (prefix-free, unsigned
// byte order). enc(N) = Number::EncodeKey. memcmp order of enc() equals DynamoDB order for
// each key type. canon(pk) is enc(pk), so "1e3" and "1000" hash alike.

// Appends enc(value). REQUIRES: value is S, N or B.
void AppendKeyComponent(const AttributeValue& value, std::string* dst);
// Decodes one component of the given type (S, N or B) from the front of *in, advancing it.
Result<AttributeValue> DecodeKeyComponent(AttrType type, std::string_view* in);

// The 13-byte prefix u32BE table_id | u8 index_id | u64BE hash.
void AppendKeyPrefix(uint32_t table_id, uint8_t index_id, uint64_t hash, std::string* dst);
// XXH3_64 of enc(pk).
uint64_t PartitionHash(const AttributeValue& pk);

// The full user key of a base-table item. `sk` may be nullptr for hash-only tables.
std::string EncodeItemKey(uint32_t table_id, const AttributeValue& pk, const AttributeValue* sk);
// The prefix shared by every key of a table (u32BE table_id | u8 0): for scans and drops.
std::string TablePrefix(uint32_t table_id);

}  // namespace strata::item
