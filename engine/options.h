#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace strata::wal {
class Sink;
}  // namespace strata::wal

namespace strata::engine {

// How the engine stores data (DESIGN 3). kWal and kPersistent run on the WAL (DurableDb);
// kMemory and, until SSTables exist, kHybrid keep everything in memory (MemoryDb).
enum class StorageMode : uint8_t {
  kMemory,      // nothing on disk
  kWal,         // every write group reaches the WAL before its response; fdatasync per interval
  kPersistent,  // fdatasync before every response (group commit)
  kHybrid,      // memory, flushed to SSTables every flush interval and at shutdown
};

std::string_view StorageModeName(StorageMode mode);
// Parses "memory", "wal", "persistent", "hybrid".
Result<StorageMode> ParseStorageMode(std::string_view name);

struct Options {
  StorageMode mode = StorageMode::kWal;
  std::string data_dir = "./data";  // the engine's files live in <data_dir>/dynamodb/
  uint32_t flush_interval_ms = 5000;
  // Memtable size that triggers a rebuild dropping versions no snapshot needs (until SSTables
  // exist the memtable keeps all live data, so the next rebuild waits for 2x what was kept).
  size_t memtable_bytes = 64 << 20;
  // Size of each preallocated, zero-filled WAL segment (kWal, kPersistent).
  uint64_t wal_segment_bytes = 64 << 20;
  // Tests only: makes the WAL sink (e.g. testutil::FaultInjectionSink). Empty: io_uring, or
  // the pwrite+fdatasync fallback when io_uring is unavailable.
  std::function<std::unique_ptr<wal::Sink>()> wal_sink_factory;
};

struct ReadOptions {
  // Read at this sequence number; 0 = the latest visible one. Older versions are dropped by
  // memtable rebuilds, so use a registered Db::GetSnapshot() sequence for repeatable reads.
  uint64_t snapshot = 0;
};

}  // namespace strata::engine
