#include "engine/db.h"

#include "engine/memory_db.h"

namespace strata::engine {

Result<std::unique_ptr<Db>> Db::Open(const Options& options) {
  switch (options.mode) {
    case StorageMode::kMemory:
    case StorageMode::kWal:
    case StorageMode::kPersistent:
    case StorageMode::kHybrid:
      // Every mode runs on the memory backend for now: durable backends arrive with the WAL
      // (issue B). The server reports which modes are durable.
      break;
  }
  return std::unique_ptr<Db>(std::make_unique<MemoryDb>(options));
}

}  // namespace strata::engine
