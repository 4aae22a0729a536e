#include "engine/options.h"

#include <string>

namespace strata::engine {

std::string_view StorageModeName(StorageMode mode) {
  switch (mode) {
    case StorageMode::kMemory:
      return "memory";
    case StorageMode::kWal:
      return "wal";
    case StorageMode::kPersistent:
      return "persistent";
    case StorageMode::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

Result<StorageMode> ParseStorageMode(std::string_view name) {
  for (StorageMode mode :
       {StorageMode::kMemory, StorageMode::kWal, StorageMode::kPersistent, StorageMode::kHybrid}) {
    if (name == StorageModeName(mode)) return mode;
  }
  return Status::InvalidArgument("unknown storage mode '" + std::string(name) +
                                 "' (expected memory, wal, persistent or hybrid)");
}

uint64_t CompactionOptions::MaxBytesForLevel(int level) const {
  uint64_t result = l1_max_bytes;
  for (int l = 1; l < level; l++) result *= level_size_multiplier;
  return result;
}

}  // namespace strata::engine
