// WriteBatch rep_ grammar (see engine/write_batch.h and docs/formats/wal.md):
//   rep := op*
//   op  := u8 kind | varint32 key_len | key | [varint32 value_len | value]   (value iff kPut)
//   kind: ValueKind (kDelete = 0, kPut = 1)

#include "engine/write_batch.h"

#include "util/coding.h"

namespace strata::engine {

void WriteBatch::Put(std::string_view key, std::string_view value) {
  rep_.push_back(static_cast<char>(ValueKind::kPut));
  PutLengthPrefixed(&rep_, key);
  PutLengthPrefixed(&rep_, value);
  count_++;
}

void WriteBatch::Delete(std::string_view key) {
  rep_.push_back(static_cast<char>(ValueKind::kDelete));
  PutLengthPrefixed(&rep_, key);
  count_++;
}

void WriteBatch::Clear() {
  rep_.clear();
  count_ = 0;
}

Status WriteBatch::Iterate(Handler* handler) const { return IterateOps(rep_, count_, handler); }

Status WriteBatch::IterateOps(std::string_view ops, uint32_t count, Handler* handler) {
  std::string_view input = ops;
  uint32_t found = 0;
  while (!input.empty()) {
    const auto kind = static_cast<uint8_t>(input.front());
    input.remove_prefix(1);
    std::string_view key;
    std::string_view value;
    if (kind == static_cast<uint8_t>(ValueKind::kPut)) {
      if (!GetLengthPrefixed(&input, &key) || !GetLengthPrefixed(&input, &value)) {
        return Status::Corruption("bad WriteBatch Put");
      }
      handler->Put(key, value);
    } else if (kind == static_cast<uint8_t>(ValueKind::kDelete)) {
      if (!GetLengthPrefixed(&input, &key)) return Status::Corruption("bad WriteBatch Delete");
      handler->Delete(key);
    } else {
      return Status::Corruption("unknown WriteBatch op kind " + std::to_string(kind));
    }
    found++;
  }
  if (found != count) return Status::Corruption("WriteBatch has wrong count");
  return Status::OK();
}

}  // namespace strata::engine
