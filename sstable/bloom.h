#pragma once

// The whole-file filter: a cache-line-blocked bloom filter (RocksDB's FastLocalBloom idea), so
// a probe touches one 64-byte line. Built over filter keys (TableOptions::filter_key_extractor
// output), so one filter serves point reads and partition-prefix scans.
//
//   filter     := line[num_lines] | fixed32 num_lines | u8 num_probes | u8 filter_type
//   line       := 64 bytes = 512 bits
//   filter_type:= 1  (blocked bloom, XXH3_64)
//   for a filter key k, h = XXH3_64(k):
//     line     = ((h & 0xffffffff) * num_lines) >> 32
//     h2       = h >> 32; repeat num_probes times: set/test bit (h2 >> 23) of line;
//                h2 = h2 * 0x9e3779b9 (mod 2^32)
// A filter of an unknown type, or one too short to parse, matches everything.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::sstable {

// Filter type byte. Stored in every filter block: DO NOT CHANGE.
inline constexpr uint8_t kBlockedBloomFilterType = 1;

// BloomFilterBuilder collects key hashes and lays out the filter.
// Thread-safety: none. Lifecycle: AddKey* then Finish once.
class BloomFilterBuilder {
 public:
  explicit BloomFilterBuilder(int bits_per_key);

  // Consecutive duplicate keys (a partition's many items share one prefix) are added once.
  void AddKey(std::string_view key);
  size_t num_keys() const { return hashes_.size(); }
  std::string Finish();

 private:
  const int bits_per_key_;
  std::vector<uint64_t> hashes_;
};

// BloomFilterReader answers "may contain" over a filter it does not own.
// Thread-safety: immutable; share freely. Lifecycle: the filter bytes must outlive it.
class BloomFilterReader {
 public:
  BloomFilterReader() = default;
  explicit BloomFilterReader(std::string_view filter);

  // False only when `key` was certainly never added.
  bool MayContain(std::string_view key) const;

 private:
  const char* lines_ = nullptr;
  uint32_t num_lines_ = 0;
  int num_probes_ = 0;
  bool match_all_ = true;
};

// Probes per key for a bits-per-key budget (fewer than a classic bloom: all in one line).
int BloomProbesForBitsPerKey(int bits_per_key);

}  // namespace strata::sstable
