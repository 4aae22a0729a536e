#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "engine/compaction.h"
#include "engine/options.h"
#include "engine/table_set.h"
#include "engine/table_writer.h"
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

struct FlusherOptions {
  std::string dir;            // where tables are written (the VersionSet's directory)
  size_t memtable_bytes = 0;  // the active memtable's limit (Options::memtable_bytes)
  // Null: sstable::NewPosixWritableFile. Tests inject faults here.
  TableFileFactory file_factory;
  // hybrid mode: every switch_interval the flush thread calls switch_memtable (which switches
  // the active memtable under the Db's write lock, then calls Schedule()). 0: never.
  std::chrono::milliseconds switch_interval{0};
  std::function<void()> switch_memtable;
  // When levels are compacted, and how large their files get.
  CompactionOptions compaction;
};

// What the background thread did since it was constructed.
struct BackgroundStats {
  uint64_t flushes = 0;        // memtables written to L0
  uint64_t compactions = 0;    // compactions that merged files (trivial moves not counted)
  uint64_t trivial_moves = 0;  // files moved down a level by a MANIFEST edit alone
  uint64_t compaction_bytes_read = 0;
  uint64_t compaction_bytes_written = 0;
  uint64_t entries_dropped = 0;  // versions and tombstones compactions garbage-collected
  uint64_t write_slowdowns = 0;  // writes delayed 1 ms at l0_slowdown_writes_trigger
  uint64_t write_stops = 0;      // writes that waited for a flush or compaction
};

// Flusher is the engine's one background thread (DESIGN 2.12: one thread for flush and
// compaction, flush first). Each immutable memtable, oldest first, becomes an L0 SSTable:
//   1. the table is written and fsynced (BuildTable), its directory fsynced;
//   2. a VersionEdit (new L0 file, log_number = the memtable's, last_sequence = its last_seq)
//      is appended to the MANIFEST and made durable (VersionSet::LogAndApply);
//   3. the new Version and the removal of the memtable are installed for readers at once;
//   4. obsolete files are deleted: SSTables no Version references, WAL segments below the
//      new log_number, old MANIFESTs.
// When no memtable waits, the thread runs leveled compactions (engine/compaction.h) while a
// level scores >= 1, and CompactRange() requests: outputs are written and fsynced
// (RunCompaction), then one MANIFEST edit removes the inputs and adds the outputs, then the
// new Version is installed; a file with nothing to merge below it moves down by the edit
// alone. A compaction checks every few hundred entries whether a memtable waits and flushes it
// there and then, so writers never wait for a compaction to end before their memtable is
// flushed. GC keeps what the oldest registered snapshot (or the visible sequence) can read.
//
// Write stalls (LevelDB's MakeRoomForWrite): writers call MakeRoomForWrite() before writing.
// With l0_slowdown_writes_trigger L0 files each write first sleeps 1 ms (compaction gets CPU);
// with l0_stop_writes_trigger files, or while the active memtable is over memtable_bytes and
// two immutable memtables already wait, it blocks until the background thread catches up.
// Memory and read cost stay bounded instead of growing with the write rate.
//
// Storage faults: the first failure of a table write, fsync or MANIFEST write, in a flush or a
// compaction, is latched and never retried (a failed memtable stays readable as an immutable;
// the WAL still holds its data; a failed compaction leaves its inputs in place). MakeRoomForWrite
// then returns the error, so every later write fails with IOError; reads keep working. A table
// whose MANIFEST edit failed is kept (its fate is unknown until the next Recover); a table whose
// own write failed is deleted.
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
  // Blocks until no immutable memtable waits, no compaction runs and no level scores >= 1 (or
  // an error is latched); returns that error.
  Status WaitForCompactions();
  // Compacts every file overlapping [begin, end] (user keys; nullopt: unbounded) level by level
  // into the deepest level holding any of them (at least L1), then rewrites that level's files
  // of the range in place (so its garbage goes too), on the background thread; returns
  // when done. Immutable memtables are flushed first; the active one is not (DurableDb's
  // CompactRange switches it before). Aborted when the thread stops meanwhile or is not running.
  Status CompactRange(std::optional<std::string> begin, std::optional<std::string> end);
  // Flushes the immutable memtables still waiting (unless an error is latched), then stops the
  // thread. Idempotent. Returns the latched error.
  Status Stop();
  // Deletes the files VersionSet::ObsoleteFiles names (tables being written are kept).
  Status DeleteObsoleteFiles();

  Status background_error() const;
  // Tables written by flushes so far.
  uint64_t flushes() const;
  BackgroundStats stats() const;

 private:
  struct ManualCompaction {
    std::optional<std::string> begin;
    std::optional<std::string> end;
    bool done = false;
    Status status;
  };

  void Run();
  Status FlushOne(const ImmutableMemTable& imm);
  Status WriteTable(const memtable::MemTable& mem, uint64_t number, FileMetaData* meta);
  // Installs the current Version for readers (dropping the oldest immutable memtable when a
  // flush wrote it) and wakes stalled writers.
  void InstallCurrent(bool drop_oldest_immutable);
  // Whether some level of the current version scores >= 1.
  bool NeedsCompaction() const;
  // Runs c (merge, or trivial move), applies its edit, installs the result and deletes the
  // inputs no reader pins. Aborted when abandoned at Stop(); other failures are latched.
  Status DoCompaction(Compaction c);
  void RunManualCompaction(ManualCompaction* m);
  // Latches s (unless an error is latched already) and wakes stalled writers.
  void Latch(std::string_view what, const Status& s);

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
  BackgroundStats stats_;               // guarded by mu_
  std::set<uint64_t> pending_outputs_;  // guarded by mu_: tables being written
  bool compacting_ = false;             // guarded by mu_
  ManualCompaction* manual_ = nullptr;  // guarded by mu_: the CompactRange request in wait
  std::atomic<bool> stopping_{false};   // stop_, readable without mu_ (abandons compactions)
  std::atomic<int> l0_files_{0};        // files at L0 in the installed Version
  CompactionPicker picker_;             // the background thread's
  std::thread thread_;
};

}  // namespace strata::engine
