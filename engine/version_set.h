#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/version_edit.h"
#include "util/result.h"
#include "util/status.h"
#include "wal/file_util.h"
#include "wal/log_writer.h"
#include "wal/sink.h"

namespace strata::engine {

// The name the version set records in its MANIFEST for the internal key order
// (memtable::CompareInternalKeys); a MANIFEST written with another order is refused.
inline constexpr std::string_view kInternalKeyComparatorName = "strata.InternalKeyComparator";

using FileRef = std::shared_ptr<const FileMetaData>;

// The user keys of a file's smallest and largest internal keys (its user-key range).
std::string_view SmallestUserKey(const FileMetaData& f);
std::string_view LargestUserKey(const FileMetaData& f);
// The sum of the files' sizes.
uint64_t TotalFileSize(const std::vector<FileRef>& files);

// Version is one immutable state of the LSM tree: the SSTables at each level, plus the
// dropped table ids and the PITR horizon in force. L0 files may overlap and are ordered newest
// first (descending file number); L1+ files are ordered by smallest internal key and do not
// overlap (each file's largest internal key is below the next file's smallest).
//
// Thread-safety: immutable once published, so any number of threads may read it.
// Lifecycle: shared_ptr-counted; readers and iterators pin one by holding the shared_ptr
// returned by VersionSet::current(), and its files stay live (VersionSet::LiveFiles) until the
// last holder lets go.
class Version {
 public:
  // An empty version: no files.
  Version();

  const std::vector<FileRef>& files(int level) const { return files_[level]; }
  size_t NumFiles(int level) const { return files_[level].size(); }
  uint64_t LevelBytes(int level) const;

  // The files of `level` whose user-key range intersects [smallest_user_key, largest_user_key]
  // (nullopt: unbounded on that side), in level order. At L0 the range grows to cover every
  // file overlapping a file already chosen, transitively, as LevelDB's GetOverlappingInputs:
  // compacting only some of a set of overlapping L0 files would reorder versions of a key.
  // User keys compare bytewise (DESIGN 2.7).
  std::vector<FileRef> OverlappingInputs(int level,
                                         std::optional<std::string_view> smallest_user_key,
                                         std::optional<std::string_view> largest_user_key) const;

  const std::set<uint32_t>& dropped_table_ids() const { return *dropped_table_ids_; }
  uint64_t pitr_horizon_seq() const { return pitr_horizon_seq_; }

  // Inserts the numbers of this version's files into *numbers.
  void AddFileNumbers(std::set<uint64_t>* numbers) const;

  std::string DebugString() const;

 private:
  friend class VersionSet;
  friend Result<std::shared_ptr<const Version>> ApplyEdit(const Version& base,
                                                          const VersionEdit& edit,
                                                          uint64_t next_file_number);

  std::array<std::vector<FileRef>, kNumLevels> files_;
  std::shared_ptr<const std::set<uint32_t>> dropped_table_ids_;
  uint64_t pitr_horizon_seq_ = 0;
};

// The version `edit` makes of `base`. Corruption when the edit is inconsistent with base: a
// deleted file not at that level, a file added while already live (or twice), a new file
// number >= next_file_number (never allocated), or overlapping files at L1+.
Result<std::shared_ptr<const Version>> ApplyEdit(const Version& base, const VersionEdit& edit,
                                                 uint64_t next_file_number);

struct VersionSetOptions {
  std::string dir;  // the data directory (DurableDb's <data_dir>/dynamodb)
  std::string comparator_name = std::string(kInternalKeyComparatorName);
  // Writes the MANIFEST and the next CURRENT (tests inject faults here); null: wal::NewPosixSink.
  std::function<std::unique_ptr<wal::Sink>()> sink_factory;
  // A MANIFEST larger than this is replaced by a new one (a single snapshot record) at the next
  // LogAndApply.
  uint64_t max_manifest_bytes = uint64_t{4} << 20;
};

// VersionSet owns the sequence of Versions and its persistent log, the MANIFEST
// (docs/formats/manifest.md): each LogAndApply appends one VersionEdit record, in the WAL's
// chunk format (wal::LogWriter / wal::LogReader over a plain file, the chunk log number being
// the MANIFEST's file number), makes it durable, then installs the resulting Version.
//
// A new MANIFEST (after Recover: a recovered MANIFEST is never appended to, like a recovered
// WAL segment; or when the current one exceeds max_manifest_bytes) starts with one snapshot
// edit of the whole state, is fdatasync'ed and its directory fsynced, and is made current by
// writing "MANIFEST-NNNNNN\n" to the temp file NNNNNN.dbtmp, fdatasync, rename over CURRENT,
// fsync of the directory.
//
// Storage faults: a failed write or fsync of the MANIFEST, CURRENT or the directory latches
// the error; every later LogAndApply (and ObsoleteFiles) returns it. A failed fsync is never
// retried. The edit whose write failed may or may not be on disk: the caller must treat its
// outcome as unknown (e.g. keep a compaction's inputs); the next Recover decides.
//
// Thread-safety: every method is thread-safe. LogAndApply calls are serialized among
// themselves; current(), NewFileNumber() and the accessors never wait for a MANIFEST fsync.
// Lifecycle: construct, Recover() once, then LogAndApply as needed. The caller holds the
// directory's LOCK (engine/dir_lock.h).
class VersionSet {
 public:
  explicit VersionSet(VersionSetOptions options);
  ~VersionSet();

  VersionSet(const VersionSet&) = delete;
  VersionSet& operator=(const VersionSet&) = delete;

  // Reads CURRENT, then every edit of the MANIFEST it names, and installs the resulting
  // version. A torn tail (the last edit cut short by a crash) is dropped; a MANIFEST damaged
  // before data written after it was durable is Corruption, as is a MANIFEST without its
  // snapshot record, a CURRENT naming a missing MANIFEST, or an inconsistent edit. A directory
  // without CURRENT starts empty, unless it holds SSTables (Corruption: their MANIFEST is lost).
  // A MANIFEST written with another comparator is InvalidArgument.
  Status Recover();

  // Fills in edit->next_file_number (and log_number / last_sequence when unset, keeping the
  // current values), writes the edit to the MANIFEST, makes it durable, and installs the new
  // version. InvalidArgument when log_number or last_sequence would go backwards or the
  // comparator differs; Corruption (nothing written, nothing latched) when the edit does not
  // apply to the current version; IOError (latched) on a storage fault.
  Status LogAndApply(VersionEdit* edit);

  // The current version, pinned.
  std::shared_ptr<const Version> current() const;

  // Allocates a file number (for an SSTable; MANIFEST numbers come from the same counter).
  uint64_t NewFileNumber();

  uint64_t next_file_number() const;
  // The first WAL segment still needed: older segments' data is in SSTables.
  uint64_t log_number() const;
  // The largest sequence number recorded as persisted in SSTables or needed WAL segments.
  uint64_t last_sequence() const;
  // The live MANIFEST's number (0 when none exists yet) and size in bytes.
  uint64_t manifest_file_number() const;
  uint64_t manifest_file_size() const;
  // The latched storage error, or OK.
  Status error() const;

  // Numbers of the SSTables in any version still referenced (the current one included):
  // deleting any other table is safe, except outputs being written (see ObsoleteFiles).
  std::set<uint64_t> LiveFiles() const;

  // Base names of the files of the directory that can be deleted: SSTables neither live nor in
  // `pending_outputs` (numbers allocated for tables being written), MANIFESTs older than the
  // live one, temp files older than it, and WAL segments below log_number(). Fails with the
  // latched error (GC must stop when the MANIFEST state is unknown).
  Result<std::vector<std::string>> ObsoleteFiles(const std::set<uint64_t>& pending_outputs) const;

  // One snapshot edit of the current state (what a new MANIFEST starts with).
  VersionEdit SnapshotEdit() const;

 private:
  VersionEdit SnapshotEditLocked(const Version& v) const;
  Status RecoverState();
  Status ReplayManifest(const std::string& path, uint64_t number);
  // Writes the snapshot as MANIFEST-<number>, then switches CURRENT to it.
  Status CreateManifest(uint64_t number, const VersionEdit& snapshot, wal::UniqueFd* fd,
                        std::unique_ptr<wal::LogWriter>* writer);
  Status SetCurrentFile(uint64_t manifest_number);
  Status Latch(Status s);

  const VersionSetOptions options_;

  // Serializes Recover and LogAndApply; guards the MANIFEST file state below.
  std::mutex apply_mu_;
  std::unique_ptr<wal::Sink> sink_;
  wal::UniqueFd manifest_fd_;  // invalid until the first LogAndApply creates a MANIFEST
  std::unique_ptr<wal::LogWriter> manifest_writer_;

  // Guards everything below (never held across I/O).
  mutable std::mutex mu_;
  std::shared_ptr<const Version> current_;
  // Every version ever installed that may still be pinned (pruned lazily).
  mutable std::vector<std::weak_ptr<const Version>> versions_;
  uint64_t next_file_number_ = 1;
  uint64_t log_number_ = 0;
  uint64_t last_sequence_ = 0;
  uint64_t manifest_file_number_ = 0;
  uint64_t manifest_file_size_ = 0;
  bool recovered_ = false;  // Recover succeeded
  Status error_;
};

}  // namespace strata::engine
