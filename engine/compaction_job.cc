#include "engine/compaction_job.h"

#include <unistd.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>
#include <utility>

#include "engine/file_names.h"
#include "engine/merging_iterator.h"
#include "engine/table_format.h"
#include "memtable/internal_key.h"
#include "wal/file_util.h"

namespace strata::engine {

namespace {

// How often (in entries) keep_going is asked.
constexpr uint64_t kCheckInterval = 256;

// The table id of a user key (its first 4 bytes, big-endian: docs/formats/keys.md); false when
// the key is too short to have one (engine tests use arbitrary keys).
bool TableIdOf(std::string_view user_key, uint32_t* table_id) {
  if (user_key.size() < 4) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(user_key.data());
  *table_id = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  return true;
}

// Writes the outputs of one compaction, one table at a time.
class OutputSet {
 public:
  OutputSet(const Compaction& c, const CompactionJobOptions& options, CompactionStats* stats)
      : c_(c), options_(options), stats_(stats) {}

  // Every output records [min_us, max_us] as its commit-time range.
  void SetCommitTimeRange(uint64_t min_us, uint64_t max_us) {
    min_commit_time_us_ = min_us;
    max_commit_time_us_ = max_us;
  }

  // Whether the output being written should end before `internal_key` (the first version of a
  // new user key): it is large enough, or it overlaps too much of the grandparent level
  // (LevelDB's ShouldStopBefore).
  bool ShouldStopBefore(std::string_view internal_key) {
    const std::vector<FileRef>& gp = c_.grandparents;
    while (grandparent_index_ < gp.size() &&
           memtable::CompareInternalKeys(internal_key, gp[grandparent_index_]->largest) > 0) {
      if (seen_key_) overlapped_bytes_ += gp[grandparent_index_]->file_size;
      grandparent_index_++;
    }
    seen_key_ = true;
    if (writer_ == nullptr) return false;
    return writer_->FileSize() >= options_.sizes.target_file_size ||
           overlapped_bytes_ > options_.sizes.MaxGrandparentOverlapBytes();
  }

  Status Add(std::string_view internal_key, std::string_view value) {
    if (writer_ == nullptr) RETURN_IF_ERROR(Open());
    stats_->entries_written++;
    return writer_->Add(internal_key, value);
  }

  // Finishes the output being written, if any.
  Status FinishOutput() {
    if (writer_ == nullptr) return Status::OK();
    FileMetaData meta;
    meta.number = stats_->outputs.back();
    Status s = writer_->Finish(&meta);  // fsyncs and closes
    if (s.ok()) s = file_->Close();
    writer_.reset();
    file_.reset();
    overlapped_bytes_ = 0;
    if (!s.ok()) return s;
    stats_->bytes_written += meta.file_size;
    done_.push_back(std::move(meta));
    return Status::OK();
  }

  const std::vector<FileMetaData>& done() const { return done_; }

  // Deletes every output (after a failure): none is referenced by any version.
  void DeleteAll() {
    writer_.reset();
    file_.reset();
    for (uint64_t number : stats_->outputs) {
      ::unlink(TableFileName(options_.dir, number).c_str());
    }
  }

 private:
  Status Open() {
    const uint64_t number = options_.new_file_number();
    stats_->outputs.push_back(number);
    ASSIGN_OR_RETURN(file_,
                     NewTableFile(options_.file_factory, TableFileName(options_.dir, number)));
    writer_ = std::make_unique<TableWriter>(
        TableOptionsForLevel(options_.tables->table_options(), c_.output_level()), file_.get());
    writer_->SetCommitTimeRange(min_commit_time_us_, max_commit_time_us_);
    return Status::OK();
  }

  const Compaction& c_;
  const CompactionJobOptions& options_;
  CompactionStats* const stats_;
  std::unique_ptr<sstable::WritableFile> file_;
  std::unique_ptr<TableWriter> writer_;
  std::vector<FileMetaData> done_;
  uint64_t min_commit_time_us_ = 0;
  uint64_t max_commit_time_us_ = 0;
  size_t grandparent_index_ = 0;
  bool seen_key_ = false;
  uint64_t overlapped_bytes_ = 0;
};

// The union of the inputs' commit-time ranges (0 where none recorded one): what each output
// records, a superset of its own entries' range.
Status SetOutputCommitTimes(const Compaction& c, const CompactionJobOptions& options,
                            OutputSet* out) {
  uint64_t min_us = 0, max_us = 0;
  for (int which = 0; which < (c.same_level ? 1 : 2); which++) {
    for (const FileRef& f : c.inputs[which]) {
      ASSIGN_OR_RETURN(std::shared_ptr<const sstable::TableReader> table,
                       options.tables->FindTable(*f));
      const sstable::TableProperties& p = table->properties();
      if (p.min_commit_time_us != 0 && (min_us == 0 || p.min_commit_time_us < min_us)) {
        min_us = p.min_commit_time_us;
      }
      max_us = std::max(max_us, p.max_commit_time_us);
    }
  }
  out->SetCommitTimeRange(min_us, max_us);
  return Status::OK();
}

Status MergeInputs(const Compaction& c, const CompactionJobOptions& options, OutputSet* out,
                   CompactionStats* stats) {
  RETURN_IF_ERROR(SetOutputCommitTimes(c, options, out));
  sstable::ReadOptions read;
  read.fill_cache = false;  // a compaction reads everything once: keep the readers' blocks
  std::vector<std::unique_ptr<InternalIterator>> children;
  for (int which = 0; which < (c.same_level ? 1 : 2); which++) {
    options.tables->AddFileIterators(c.level + which, c.inputs[which], read, &children);
  }
  std::unique_ptr<InternalIterator> iter = NewMergingIterator(std::move(children));

  const std::set<uint32_t>& dropped_tables = c.version->dropped_table_ids();
  std::string current_user_key;
  bool has_current_user_key = false;
  // Sequence number of the previous version of the current user key (max: none yet).
  uint64_t last_sequence_for_key = std::numeric_limits<uint64_t>::max();
  std::string previous_key;
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
    if (++stats->entries_read % kCheckInterval == 0 && options.keep_going &&
        !options.keep_going()) {
      return Status::Aborted("compaction abandoned");
    }
    const std::string_view key = iter->key();
    memtable::ParsedInternalKey ikey;
    if (!memtable::ParseInternalKey(key, &ikey)) {
      return Status::Corruption("malformed internal key in a compaction input (" + c.DebugString() +
                                ")");
    }
    if (!has_current_user_key || ikey.user_key != current_user_key) {
      // A new user key: the only place an output may end.
      if (out->ShouldStopBefore(key)) RETURN_IF_ERROR(out->FinishOutput());
      current_user_key.assign(ikey.user_key);
      has_current_user_key = true;
      last_sequence_for_key = std::numeric_limits<uint64_t>::max();
    } else if (key == previous_key) {
      // The same entry in two inputs (never written so, but harmless): keep one.
      stats->entries_dropped++;
      continue;
    }
    previous_key.assign(key);

    bool drop = false;
    uint32_t table_id = 0;
    if (last_sequence_for_key <= options.horizon) {
      // A newer version of this key is visible at the horizon: no reader sees this one.
      drop = true;
    } else if (ikey.kind == memtable::EntryKind::kDelete && ikey.sequence <= options.horizon &&
               c.IsBaseLevelForKey(ikey.user_key)) {
      // The newest version at the horizon is a tombstone hiding nothing deeper.
      drop = true;
    } else if (!dropped_tables.empty() && TableIdOf(ikey.user_key, &table_id) &&
               dropped_tables.count(table_id) != 0) {
      drop = true;  // DESIGN 2.9: a dropped table's keys go at its next compaction
    }
    last_sequence_for_key = ikey.sequence;
    if (drop) {
      stats->entries_dropped++;
      continue;
    }
    RETURN_IF_ERROR(out->Add(key, iter->value()));
  }
  RETURN_IF_ERROR(iter->status());
  return out->FinishOutput();
}

}  // namespace

Status RunCompaction(const Compaction& c, const CompactionJobOptions& options, VersionEdit* edit,
                     CompactionStats* stats) {
  stats->bytes_read += c.InputBytes();
  OutputSet out(c, options, stats);
  Status s = MergeInputs(c, options, &out, stats);
  // The outputs' directory entries are durable before the MANIFEST names them.
  if (s.ok() && !out.done().empty()) s = wal::SyncDirectory(options.dir);
  if (!s.ok()) {
    out.DeleteAll();
    if (s.IsAborted()) return s;
    return Status(s.code(), "compaction " + c.DebugString() + ": " + std::string(s.message()));
  }
  c.AddInputDeletions(edit);
  for (const FileMetaData& meta : out.done()) edit->AddFile(c.output_level(), meta);
  return Status::OK();
}

}  // namespace strata::engine
