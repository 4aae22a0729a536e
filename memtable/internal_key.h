#pragma once

// Internal keys (DESIGN 2.6): the key every engine entry is stored under.
//
//   internal_key := user_key | fixed64_le(tag)
//   tag          := (sequence << 8) | kind          sequence < 2^56, kind: EntryKind
//
// Order (CompareInternalKeys): user key bytewise ascending, then tag DESCENDING, so the newest
// version of a user key comes first and a seek to (user_key, S, kKindForSeek) lands on the
// newest version visible at snapshot S.

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::memtable {

// The kind of an entry. Stored in internal keys, SSTables and the WAL: DO NOT CHANGE.
// Equal to engine::ValueKind (the engine static_asserts it).
enum class EntryKind : uint8_t { kDelete = 0, kPut = 1 };

// The largest kind: seeking with it finds every entry of the sequence number sought.
constexpr EntryKind kKindForSeek = EntryKind::kPut;
constexpr uint64_t kMaxSequenceNumber = (uint64_t{1} << 56) - 1;
constexpr size_t kTagSize = 8;

inline uint64_t PackSequenceAndKind(uint64_t seq, EntryKind kind) {
  return (seq << 8) | static_cast<uint8_t>(kind);
}

void AppendInternalKey(std::string* dst, std::string_view user_key, uint64_t seq, EntryKind kind);

struct ParsedInternalKey {
  std::string_view user_key;
  uint64_t sequence = 0;
  EntryKind kind = EntryKind::kDelete;
};

// False when `internal_key` is shorter than a tag or has an unknown kind.
bool ParseInternalKey(std::string_view internal_key, ParsedInternalKey* result);

// REQUIRES: internal_key.size() >= kTagSize
inline std::string_view ExtractUserKey(std::string_view internal_key) {
  return internal_key.substr(0, internal_key.size() - kTagSize);
}

// <0, 0 or >0. REQUIRES: both at least kTagSize long.
int CompareInternalKeys(std::string_view a, std::string_view b);

}  // namespace strata::memtable
