#include "engine/db.h"

#include "engine/durable_db.h"
#include "engine/memory_db.h"

namespace strata::engine {

Result<std::unique_ptr<Db>> Db::Open(const Options& options) {
  switch (options.mode) {
    case StorageMode::kWal:
    case StorageMode::kPersistent:
    case StorageMode::kHybrid: {
      ASSIGN_OR_RETURN(std::unique_ptr<DurableDb> db, DurableDb::Open(options));
      return std::unique_ptr<Db>(std::move(db));
    }
    case StorageMode::kMemory:
      break;
  }
  return std::unique_ptr<Db>(std::make_unique<MemoryDb>(options));
}

}  // namespace strata::engine
