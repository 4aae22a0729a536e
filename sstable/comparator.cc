#include "sstable/comparator.h"

#include <algorithm>
#include <cstdint>

namespace strata::sstable {

int BytewiseCompare(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

void BytewiseShortestSeparator(std::string* start, std::string_view limit) {
  size_t min_length = std::min(start->size(), limit.size());
  size_t diff = 0;
  while (diff < min_length && (*start)[diff] == limit[diff]) diff++;
  if (diff >= min_length) return;  // one is a prefix of the other: keep *start
  uint8_t byte = static_cast<uint8_t>((*start)[diff]);
  if (byte < 0xff && byte + 1 < static_cast<uint8_t>(limit[diff])) {
    (*start)[diff] = static_cast<char>(byte + 1);
    start->resize(diff + 1);
  }
}

void BytewiseShortSuccessor(std::string* key) {
  for (size_t i = 0; i < key->size(); i++) {
    uint8_t byte = static_cast<uint8_t>((*key)[i]);
    if (byte != 0xff) {
      (*key)[i] = static_cast<char>(byte + 1);
      key->resize(i + 1);
      return;
    }
  }
  // All 0xff: keep the key as it is.
}

const Comparator* BytewiseComparator() {
  static const Comparator kBytewise{"strata.Bytewise", &BytewiseCompare, &BytewiseShortestSeparator,
                                    &BytewiseShortSuccessor};
  return &kBytewise;
}

}  // namespace strata::sstable
