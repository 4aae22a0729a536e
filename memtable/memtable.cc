#include "memtable/memtable.h"

#include <cassert>
#include <cstring>

#include "util/coding.h"

namespace strata::memtable {

namespace {

char* EncodeVarint32(char* dst, uint32_t v) {
  auto* p = reinterpret_cast<uint8_t*>(dst);
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return reinterpret_cast<char*>(p);
}

// Decodes a varint32 written by EncodeVarint32 into our own arena (trusted input).
const char* DecodeVarint32(const char* p, uint32_t* v) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    uint32_t byte = static_cast<uint8_t>(*p++);
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  *v = result;
  return p;
}

// The length-prefixed string at p.
std::string_view GetLengthPrefixedAt(const char* p) {
  uint32_t len;
  const char* data = DecodeVarint32(p, &len);
  return std::string_view(data, len);
}

}  // namespace

int MemTable::KeyComparator::operator()(const char* a, const char* b) const {
  return CompareInternalKeys(GetLengthPrefixedAt(a), GetLengthPrefixedAt(b));
}

MemTable::MemTable() : table_(KeyComparator(), &arena_) {}

void MemTable::Add(uint64_t seq, EntryKind kind, std::string_view user_key,
                   std::string_view value) {
  assert(seq <= kMaxSequenceNumber);
  if (kind == EntryKind::kDelete) value = {};
  const auto internal_key_size = static_cast<uint32_t>(user_key.size() + kTagSize);
  const auto value_size = static_cast<uint32_t>(value.size());
  const size_t encoded_len =
      VarintLength(internal_key_size) + internal_key_size + VarintLength(value_size) + value_size;
  char* buf = arena_.Allocate(encoded_len);
  char* p = EncodeVarint32(buf, internal_key_size);
  std::memcpy(p, user_key.data(), user_key.size());
  p += user_key.size();
  EncodeFixed64(p, PackSequenceAndKind(seq, kind));
  p += kTagSize;
  p = EncodeVarint32(p, value_size);
  if (value_size > 0) std::memcpy(p, value.data(), value_size);
  assert(p + value_size == buf + encoded_len);
  table_.Insert(buf);
}

MemTable::GetResult MemTable::Get(std::string_view user_key, uint64_t snapshot_seq,
                                  std::string* value) const {
  Iterator iter(this);
  iter.Seek(user_key, snapshot_seq);
  if (!iter.Valid() || iter.user_key() != user_key) return GetResult::kAbsent;
  if (iter.kind() == EntryKind::kDelete) return GetResult::kDeleted;
  std::string_view v = iter.value();
  value->assign(v.data(), v.size());
  return GetResult::kFound;
}

void MemTable::Iterator::Seek(std::string_view internal_key) {
  scratch_.clear();
  PutLengthPrefixed(&scratch_, internal_key);
  iter_.Seek(scratch_.data());
}

void MemTable::Iterator::Seek(std::string_view user_key, uint64_t seq) {
  scratch_.clear();
  PutVarint32(&scratch_, static_cast<uint32_t>(user_key.size() + kTagSize));
  AppendInternalKey(&scratch_, user_key, seq, kKindForSeek);
  iter_.Seek(scratch_.data());
}

void MemTable::Iterator::SeekForPrev(std::string_view internal_key) {
  scratch_.clear();
  PutLengthPrefixed(&scratch_, internal_key);
  iter_.SeekForPrev(scratch_.data());
}

std::string_view MemTable::Iterator::key() const { return GetLengthPrefixedAt(iter_.key()); }

uint64_t MemTable::Iterator::sequence() const {
  std::string_view k = key();
  return DecodeFixed64(k.data() + k.size() - kTagSize) >> 8;
}

EntryKind MemTable::Iterator::kind() const {
  std::string_view k = key();
  return static_cast<EntryKind>(DecodeFixed64(k.data() + k.size() - kTagSize) & 0xff);
}

std::string_view MemTable::Iterator::value() const {
  std::string_view k = key();
  return GetLengthPrefixedAt(k.data() + k.size());
}

}  // namespace strata::memtable
