#include "sstable/bloom.h"

#include <algorithm>

#include "util/coding.h"
#include "util/hash.h"

namespace strata::sstable {
namespace {

constexpr uint32_t kLineBytes = 64;
constexpr size_t kFilterTrailer = 6;  // fixed32 num_lines | u8 num_probes | u8 type

inline uint32_t LineFor(uint64_t h, uint32_t num_lines) {
  return static_cast<uint32_t>(((h & 0xffffffffu) * num_lines) >> 32);
}

}  // namespace

int BloomProbesForBitsPerKey(int bits_per_key) {
  // Optimal probe counts for a 512-bit blocked bloom (from RocksDB's measurements).
  if (bits_per_key <= 2) return 1;
  if (bits_per_key <= 3) return 2;
  if (bits_per_key <= 5) return 3;
  if (bits_per_key <= 6) return 4;
  if (bits_per_key <= 8) return 5;
  if (bits_per_key <= 10) return 6;
  if (bits_per_key <= 11) return 7;
  if (bits_per_key <= 14) return 8;
  return std::min(24, bits_per_key / 2 - 1);
}

BloomFilterBuilder::BloomFilterBuilder(int bits_per_key)
    : bits_per_key_(std::max(1, bits_per_key)) {}

void BloomFilterBuilder::AddKey(std::string_view key) {
  uint64_t h = Hash64(key);
  if (!hashes_.empty() && hashes_.back() == h) return;
  hashes_.push_back(h);
}

std::string BloomFilterBuilder::Finish() {
  const uint64_t bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
  const uint32_t num_lines =
      hashes_.empty() ? 0 : static_cast<uint32_t>(std::max<uint64_t>(1, (bits + 511) / 512));
  const int num_probes = BloomProbesForBitsPerKey(bits_per_key_);
  std::string filter(size_t{num_lines} * kLineBytes, '\0');
  for (uint64_t h : hashes_) {
    char* line = filter.data() + size_t{LineFor(h, num_lines)} * kLineBytes;
    uint32_t h2 = static_cast<uint32_t>(h >> 32);
    for (int i = 0; i < num_probes; i++) {
      uint32_t bit = h2 >> 23;
      line[bit >> 3] = static_cast<char>(line[bit >> 3] | (1 << (bit & 7)));
      h2 *= 0x9e3779b9u;
    }
  }
  PutFixed32(&filter, num_lines);
  filter.push_back(static_cast<char>(num_probes));
  filter.push_back(static_cast<char>(kBlockedBloomFilterType));
  hashes_.clear();
  return filter;
}

BloomFilterReader::BloomFilterReader(std::string_view filter) {
  if (filter.size() < kFilterTrailer) return;  // match everything
  const char* trailer = filter.data() + filter.size() - kFilterTrailer;
  uint32_t num_lines = DecodeFixed32(trailer);
  int num_probes = static_cast<uint8_t>(trailer[4]);
  uint8_t type = static_cast<uint8_t>(trailer[5]);
  if (type != kBlockedBloomFilterType || num_probes == 0 || num_probes > 30) return;
  if (filter.size() - kFilterTrailer != uint64_t{num_lines} * kLineBytes) return;
  lines_ = filter.data();
  num_lines_ = num_lines;
  num_probes_ = num_probes;
  match_all_ = false;
}

bool BloomFilterReader::MayContain(std::string_view key) const {
  if (match_all_) return true;
  if (num_lines_ == 0) return false;  // an empty filter: no key was added
  uint64_t h = Hash64(key);
  const char* line = lines_ + size_t{LineFor(h, num_lines_)} * kLineBytes;
  uint32_t h2 = static_cast<uint32_t>(h >> 32);
  for (int i = 0; i < num_probes_; i++) {
    uint32_t bit = h2 >> 23;
    if ((line[bit >> 3] & (1 << (bit & 7))) == 0) return false;
    h2 *= 0x9e3779b9u;
  }
  return true;
}

}  // namespace strata::sstable
