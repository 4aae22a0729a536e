#include "memtable/internal_key.h"

#include "util/coding.h"

namespace strata::memtable {

void AppendInternalKey(std::string* dst, std::string_view user_key, uint64_t seq, EntryKind kind) {
  dst->append(user_key);
  PutFixed64(dst, PackSequenceAndKind(seq, kind));
}

bool ParseInternalKey(std::string_view internal_key, ParsedInternalKey* result) {
  if (internal_key.size() < kTagSize) return false;
  uint64_t tag = DecodeFixed64(internal_key.data() + internal_key.size() - kTagSize);
  uint8_t kind = static_cast<uint8_t>(tag & 0xff);
  if (kind > static_cast<uint8_t>(EntryKind::kPut)) return false;
  result->user_key = ExtractUserKey(internal_key);
  result->sequence = tag >> 8;
  result->kind = static_cast<EntryKind>(kind);
  return true;
}

int CompareInternalKeys(std::string_view a, std::string_view b) {
  int r = ExtractUserKey(a).compare(ExtractUserKey(b));
  if (r != 0) return r;
  uint64_t atag = DecodeFixed64(a.data() + a.size() - kTagSize);
  uint64_t btag = DecodeFixed64(b.data() + b.size() - kTagSize);
  if (atag > btag) return -1;
  if (atag < btag) return 1;
  return 0;
}

}  // namespace strata::memtable
