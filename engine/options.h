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

namespace strata::sstable {
class WritableFile;
}  // namespace strata::sstable

namespace strata::engine {

// How the engine stores data (DESIGN 3). kWal, kPersistent and kHybrid keep their data in
// <data_dir>/dynamodb (DurableDb: memtables flushed to SSTables, plus the WAL except in
// kHybrid); kMemory keeps everything in memory (MemoryDb).
enum class StorageMode : uint8_t {
  kMemory,      // nothing on disk
  kWal,         // every write group reaches the WAL before its response; fdatasync per interval
  kPersistent,  // fdatasync before every response (group commit)
  kHybrid,      // memory, flushed to SSTables every flush interval and at shutdown
};

std::string_view StorageModeName(StorageMode mode);
// Parses "memory", "wal", "persistent", "hybrid".
Result<StorageMode> ParseStorageMode(std::string_view name);

// Leveled compaction sizes (DESIGN 2.12: LevelDB's config:: with modern sizes). Tests shrink
// them to exercise every level with little data.
struct CompactionOptions {
  int l0_compaction_trigger = 4;       // L0 files that start an L0 -> L1 compaction
  int l0_slowdown_writes_trigger = 8;  // L0 files from which each write is delayed by 1 ms
  int l0_stop_writes_trigger = 12;     // L0 files from which writes wait for a compaction
  uint64_t l1_max_bytes = uint64_t{256} << 20;
  uint64_t level_size_multiplier = 10;
  // A compaction output is cut after this many bytes (at a user-key boundary).
  uint64_t target_file_size = uint64_t{64} << 20;

  // Target size of level >= 1: 256 MiB, 2.5 GiB, 25 GiB by default.
  uint64_t MaxBytesForLevel(int level) const;
  // An output overlapping more than this of the grandparent level is cut, so that a later
  // compaction of it does not rewrite too much of the level below (LevelDB's rule: 10 files).
  uint64_t MaxGrandparentOverlapBytes() const { return 10 * target_file_size; }
};

struct Options {
  StorageMode mode = StorageMode::kWal;
  std::string data_dir = "./data";  // the engine's files live in <data_dir>/dynamodb/
  // wal: fdatasync of the WAL every interval. hybrid: the memtable is flushed to an SSTable
  // every interval (and at Close), so a crash loses at most one interval.
  uint32_t flush_interval_ms = 5000;
  // Memtable size that triggers a switch to a new memtable and a flush of the full one to an
  // L0 SSTable (wal, persistent, hybrid; at most two full memtables wait for their flush, then
  // writers stall; an empty memtable already uses one 64 KiB arena block, so much smaller
  // values switch after every write). In memory mode: the size that triggers a rebuild dropping
  // versions no snapshot needs (the memtable keeps all live data, so the next rebuild waits for 2x
  // what was kept).
  size_t memtable_bytes = 64 << 20;
  // Capacity of the cache of uncompressed SSTable data blocks, shared by all tables.
  size_t block_cache_bytes = 64 << 20;
  // SSTables kept open (a file descriptor each, plus index and filter in memory); below the
  // usual 1024 descriptors per process, leaving room for sockets and WAL segments.
  size_t max_open_tables = 500;
  // Size of each preallocated, zero-filled WAL segment (kWal, kPersistent).
  uint64_t wal_segment_bytes = 64 << 20;
  // When SSTables are merged into the next level (wal, persistent, hybrid).
  CompactionOptions compaction;
  // Tests only: makes the WAL sink (e.g. testutil::FaultInjectionSink). Empty: io_uring, or
  // the pwrite+fdatasync fallback when io_uring is unavailable.
  std::function<std::unique_ptr<wal::Sink>()> wal_sink_factory;
  // Tests only: creates the file of a new SSTable at `path` (e.g. wrapping
  // sstable::NewPosixWritableFile in testutil::FaultInjectionWritableFile). Empty: POSIX.
  std::function<Result<std::unique_ptr<sstable::WritableFile>>(const std::string& path)>
      table_file_factory;
  // Tests only: makes the sink the MANIFEST and CURRENT are written with. Empty: POSIX.
  std::function<std::unique_ptr<wal::Sink>()> manifest_sink_factory;
};

struct ReadOptions {
  // Read at this sequence number; 0 = the latest visible one. Older versions are dropped by
  // memtable rebuilds (memory mode; compaction later), so use a registered Db::GetSnapshot()
  // sequence for repeatable reads.
  uint64_t snapshot = 0;
};

}  // namespace strata::engine
