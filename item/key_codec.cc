// Key codec: DynamoDB key values -> memcmp-ordered engine user keys (DESIGN 2.7).
//
//   item key   := u32BE table_id | u8 index_id | u64BE hash | enc(pk) | enc(sk)?
//   hash       := XXH3_64(enc(pk))
//   enc(S | B) := ( byte != 0x00 | 0x00 0xFF )* 0x00 0x01     (0x00 escaped, then terminator)
//   enc(N)     := Number::EncodeKey (self-delimiting; see item/number.cc)
//
// Full grammar with examples: docs/formats/keys.md.

#include "item/key_codec.h"

#include <cstring>

#include "util/coding.h"
#include "util/hash.h"

namespace strata::item {
namespace {

constexpr size_t kPrefixSize = 4 + 1 + 8;

void AppendEscaped(std::string_view bytes, std::string* dst) {
  size_t start = 0;
  while (start < bytes.size()) {
    const void* hit = std::memchr(bytes.data() + start, 0, bytes.size() - start);
    if (hit == nullptr) break;
    const size_t zero = static_cast<const char*>(hit) - bytes.data();
    dst->append(bytes.data() + start, zero - start);
    dst->push_back('\x00');
    dst->push_back('\xFF');
    start = zero + 1;
  }
  dst->append(bytes.data() + start, bytes.size() - start);
  dst->push_back('\x00');
  dst->push_back('\x01');
}

Result<std::string> DecodeEscaped(std::string_view* in) {
  std::string out;
  size_t start = 0;
  for (;;) {
    const void* hit =
        start < in->size() ? std::memchr(in->data() + start, 0, in->size() - start) : nullptr;
    if (hit == nullptr) return Status::Corruption("key component: missing terminator");
    const size_t zero = static_cast<const char*>(hit) - in->data();
    out.append(in->data() + start, zero - start);
    if (zero + 1 >= in->size()) return Status::Corruption("key component: truncated escape");
    const uint8_t next = static_cast<uint8_t>((*in)[zero + 1]);
    if (next == 0x01) {
      in->remove_prefix(zero + 2);
      return out;
    }
    if (next != 0xFF) return Status::Corruption("key component: bad escape");
    out.push_back('\x00');
    start = zero + 2;
  }
}

void StoreBigEndian64(char* dst, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(dst, &v, 8);
}

}  // namespace

void AppendKeyComponent(const AttributeValue& value, std::string* dst) {
  switch (value.type()) {
    case AttrType::kS:
      AppendEscaped(value.as<std::string>(), dst);
      break;
    case AttrType::kB:
      AppendEscaped(value.as<Binary>().bytes, dst);
      break;
    case AttrType::kN:
      value.as<Number>().EncodeKey(dst);
      break;
    default:
      break;  // REQUIRES violated: key attributes are S, N or B.
  }
}

Result<AttributeValue> DecodeKeyComponent(AttrType type, std::string_view* in) {
  switch (type) {
    case AttrType::kS: {
      ASSIGN_OR_RETURN(std::string s, DecodeEscaped(in));
      return AttributeValue(std::move(s));
    }
    case AttrType::kB: {
      ASSIGN_OR_RETURN(std::string b, DecodeEscaped(in));
      return AttributeValue(Binary{std::move(b)});
    }
    case AttrType::kN: {
      ASSIGN_OR_RETURN(Number n, Number::DecodeKey(in));
      return AttributeValue(n);
    }
    default:
      return Status::InvalidArgument("key component: type is not S, N or B");
  }
}

void AppendKeyPrefix(uint32_t table_id, uint8_t index_id, uint64_t hash, std::string* dst) {
  PutBigEndian32(dst, table_id);
  dst->push_back(static_cast<char>(index_id));
  PutBigEndian64(dst, hash);
}

uint64_t PartitionHash(const AttributeValue& pk) {
  std::string enc;
  AppendKeyComponent(pk, &enc);
  return Hash64(enc);
}

std::string EncodeItemKey(uint32_t table_id, const AttributeValue& pk, const AttributeValue* sk) {
  // Encode pk once: reserve the prefix, append enc(pk), then hash it in place.
  std::string key;
  key.reserve(64);
  AppendKeyPrefix(table_id, 0, 0, &key);
  AppendKeyComponent(pk, &key);
  const uint64_t hash =
      Hash64(std::string_view(key.data() + kPrefixSize, key.size() - kPrefixSize));
  StoreBigEndian64(key.data() + 5, hash);
  if (sk != nullptr) AppendKeyComponent(*sk, &key);
  return key;
}

std::string TablePrefix(uint32_t table_id) {
  std::string prefix;
  PutBigEndian32(&prefix, table_id);
  prefix.push_back('\x00');
  return prefix;
}

}  // namespace strata::item
