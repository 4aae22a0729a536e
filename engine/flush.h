#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "engine/table_set.h"
#include "engine/version_edit.h"
#include "engine/version_set.h"
#include "engine/visible_memtable.h"
#include "memtable/memtable.h"
#include "sstable/file.h"
#include "sstable/table_options.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::engine {

// Writes every entry of `mem` (internal keys, all versions and tombstones) as one table to
// `file`, then fsyncs and closes it (TableBuilder::Finish). Fills meta's size, key range and
// sequence range (meta->number is the caller's). REQUIRES: mem is not empty and takes no more
// writes.
Status BuildTable(const sstable::TableOptions& options, const memtable::MemTable& mem,
                  sstable::WritableFile* file, FileMetaData* meta);

// Creates the file of a new table at `path`.
using TableFileFactory =
    std::function<Result<std::unique_ptr<sstable::WritableFile>>(const std::string& path)>;

struct FlusherOptions {
  std::string dir;            // where tables are written (the VersionSet's directory)
  size_t memtable_bytes = 0;  // the active memtable's limit (Options::memtable_bytes)
  // Null: sstable::NewPosixWritableFile. Tests inject faults here.
  TableFileFactory file_factory;
  // hybrid mode: every switch_interval the flush thread calls switch_memtable (which switches
  // the active memtable under the Db's write lock, then calls Schedule()). 0: never.
  std::chrono::milliseconds switch_interval{0};
  std::function<void()> switch_memtable;
};

// Flusher is the engine's one background thread (DESIGN 2.12: one thread for flush and
// compaction, flush first). Each immutable memtable, oldest first, becomes an L0 SSTable:
//   1. the table is written and fsynced (BuildTable), its directory fsynced;
//   2. a VersionEdit (new L0 file, log_number = the memtable's, last_sequence = its last_seq)
//      is appended to the MANIFEST and made durable (VersionSet::LogAndApply);
//   3. the new Version and the removal of the memtable are installed for readers at once;
//   4. obsolete files are deleted: SSTables no Version references, WAL segments below the
//      new log_number, old MANIFESTs.
// A compaction step would run after the flushes, on the same thread (not written yet: L0 grows
// without bound, one file per flush, and reads probe every L0 file whose range matches).
//
// Write stalls (LevelDB's MakeRoomForWrite): writers call MakeRoomForWrite() before writing;
// while the active memtable is over memtable_bytes and two immutable memtables already wait,
// it blocks until a flush finishes.
//
// Storage faults: the first failure of a table write, fsync or MANIFEST write is latched and
// never retried (the failed memtable stays readable as an immutable; the WAL still holds its
// data). MakeRoomForWrite then returns the error, so every later write fails with IOError;
// reads keep working. A table whose MANIFEST edit failed is kept (its fate is unknown until the
// next Recover); a table whose own write failed is deleted.
//
// Thread-safety: every public method is thread-safe. Lifecycle: construct, optionally
// FlushOldest() on the opening thread, Start(), ..., Stop() (or destroy). The memtable, version
// set and table set must outlive it.
class Flusher {
 public:
  Flusher(FlusherOptions options, VisibleMemTable* mem, VersionSet* versions,
          const TableSet* tables);
  ~Flusher();
  Flusher(const Flusher&) = delete;
  Flusher& operator=(const Flusher&) = delete;

  // Starts the background thread.
  void Start();
  // Flushes the oldest immutable memtable on the calling thread (recovery, before Start()).
  // A failure is latched.
  Status FlushOldest();
  // Wakes the thread: a memtable was switched.
  void Schedule();
  // Blocks while the write must stall; returns the latched error, if any.
  Status MakeRoomForWrite();
  // Blocks until no immutable memtable waits (or an error is latched); returns that error.
  Status WaitForFlushes();
  // Flushes the immutable memtables still waiting (unless an error is latched), then stops the
  // thread. Idempotent. Returns the latched error.
  Status Stop();
  // Deletes the files VersionSet::ObsoleteFiles names (tables being written are kept).
  Status DeleteObsoleteFiles();

  Status background_error() const;
  // Tables written by flushes so far.
  uint64_t flushes() const;

 private:
  void Run();
  Status FlushOne(const ImmutableMemTable& imm);
  Status WriteTable(const memtable::MemTable& mem, uint64_t number, FileMetaData* meta);
  // Latches s (unless an error is latched already) and wakes stalled writers.
  void Latch(const Status& s);

  const FlusherOptions options_;
  VisibleMemTable* const mem_;
  VersionSet* const versions_;
  const TableSet* const tables_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;     // the thread waits here
  std::condition_variable stall_cv_;    // writers and WaitForFlushes wait here
  bool started_ = false;                // guarded by mu_
  bool stop_ = false;                   // guarded by mu_
  bool stopped_ = false;                // guarded by mu_
  Status bg_error_;                     // guarded by mu_
  std::atomic<bool> has_error_{false};  // !bg_error_.ok(), readable without mu_
  uint64_t flushes_ = 0;                // guarded by mu_
  std::set<uint64_t> pending_outputs_;  // guarded by mu_: tables being written
  std::thread thread_;
};

}  // namespace strata::engine
