#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/compaction.h"
#include "engine/table_set.h"
#include "engine/table_writer.h"
#include "engine/version_edit.h"
#include "util/status.h"

namespace strata::engine {

struct CompactionJobOptions {
  std::string dir;  // where the outputs are written
  const TableSet* tables = nullptr;
  TableFileFactory file_factory;  // empty: POSIX
  CompactionOptions sizes;        // target_file_size and the grandparent overlap limit
  // The oldest sequence number a reader may still read at (the oldest registered snapshot, or
  // the visible sequence). For each user key the compaction keeps every version above it plus
  // the newest at or below it; that one too is dropped when it is a tombstone and no deeper
  // level holds the key (LevelDB's rules).
  uint64_t horizon = 0;
  // Allocates the number of an output file (the caller keeps it from garbage collection until
  // the edit is applied or abandoned).
  std::function<uint64_t()> new_file_number;
  // Asked between entries (every few hundred): false abandons the compaction (Aborted). The
  // background thread flushes waiting memtables from here (flush has priority) and stops here
  // at shutdown.
  std::function<bool()> keep_going;
};

struct CompactionStats {
  uint64_t bytes_read = 0;  // input file sizes
  uint64_t bytes_written = 0;
  uint64_t entries_read = 0;
  uint64_t entries_written = 0;
  uint64_t entries_dropped = 0;   // shadowed versions, obsolete tombstones, dropped tables
  std::vector<uint64_t> outputs;  // numbers of the output files, written or attempted
};

// Runs `c` (not a trivial move): merges its inputs in internal key order, drops what no reader
// can see, and writes the rest into new tables at the output level, cut at
// sizes.target_file_size or when an output overlaps too much of the grandparent level, always
// between two user keys. Every output is fsynced, then the directory. On success `edit` removes
// every input and adds the outputs. On failure (or Aborted) the outputs are deleted and `edit`
// is untouched: the inputs stay as they were.
//
// Thread-safety: reads only the pinned inputs; runs on the caller's thread.
Status RunCompaction(const Compaction& c, const CompactionJobOptions& options, VersionEdit* edit,
                     CompactionStats* stats);

}  // namespace strata::engine
