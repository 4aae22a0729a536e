#include "engine/version_set.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <unordered_map>
#include <utility>

#include "engine/file_names.h"
#include "memtable/internal_key.h"
#include "util/coding.h"
#include "wal/chunk.h"
#include "wal/format.h"
#include "wal/log_reader.h"
#include "wal/recovery.h"

namespace strata::engine {

namespace {

int CompareUserKeys(std::string_view a, std::string_view b) { return a.compare(b); }

Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return wal::ErrnoStatus("opendir", dir, errno);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  return names;
}

}  // namespace

std::string_view SmallestUserKey(const FileMetaData& f) {
  return memtable::ExtractUserKey(f.smallest);
}
std::string_view LargestUserKey(const FileMetaData& f) {
  return memtable::ExtractUserKey(f.largest);
}

uint64_t TotalFileSize(const std::vector<FileRef>& files) {
  uint64_t sum = 0;
  for (const FileRef& f : files) sum += f->file_size;
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Version

Version::Version() : dropped_table_ids_(std::make_shared<const std::set<uint32_t>>()) {}

uint64_t Version::LevelBytes(int level) const { return TotalFileSize(files_[level]); }

std::vector<FileRef> Version::OverlappingInputs(int level, std::optional<std::string_view> begin,
                                                std::optional<std::string_view> end) const {
  std::vector<FileRef> inputs;
  const std::vector<FileRef>& files = files_[level];
  if (level > 0) {
    // Sorted and disjoint: the first candidate is the first file ending at or after begin.
    auto it = files.begin();
    if (begin.has_value()) {
      it = std::partition_point(files.begin(), files.end(), [&](const FileRef& f) {
        return CompareUserKeys(LargestUserKey(*f), *begin) < 0;
      });
    }
    for (; it != files.end(); ++it) {
      if (end.has_value() && CompareUserKeys(SmallestUserKey(**it), *end) > 0) break;
      inputs.push_back(*it);
    }
    return inputs;
  }
  for (size_t i = 0; i < files.size();) {
    const FileRef& f = files[i++];
    const std::string_view file_begin = SmallestUserKey(*f);
    const std::string_view file_end = LargestUserKey(*f);
    if (begin.has_value() && CompareUserKeys(file_end, *begin) < 0) continue;
    if (end.has_value() && CompareUserKeys(file_begin, *end) > 0) continue;
    inputs.push_back(f);
    // A chosen L0 file reaching outside the range widens it: start over.
    if (begin.has_value() && CompareUserKeys(file_begin, *begin) < 0) {
      begin = file_begin;
      inputs.clear();
      i = 0;
    } else if (end.has_value() && CompareUserKeys(file_end, *end) > 0) {
      end = file_end;
      inputs.clear();
      i = 0;
    }
  }
  return inputs;
}

void Version::AddFileNumbers(std::set<uint64_t>* numbers) const {
  for (const auto& level : files_) {
    for (const FileRef& f : level) numbers->insert(f->number);
  }
}

std::string Version::DebugString() const {
  std::string r;
  for (int level = 0; level < kNumLevels; level++) {
    r += "L" + std::to_string(level) + ":";
    for (const FileRef& f : files_[level]) {
      r += " " + std::to_string(f->number) + ":" + std::to_string(f->file_size);
    }
    r += "\n";
  }
  if (!dropped_table_ids_->empty()) {
    r += "dropped:";
    for (uint32_t id : *dropped_table_ids_) r += " " + std::to_string(id);
    r += "\n";
  }
  r += "pitr_horizon_seq: " + std::to_string(pitr_horizon_seq_) + "\n";
  return r;
}

Result<std::shared_ptr<const Version>> ApplyEdit(const Version& base, const VersionEdit& edit,
                                                 uint64_t next_file_number) {
  auto v = std::make_shared<Version>();
  v->files_ = base.files_;
  std::unordered_map<uint64_t, int> level_of;
  for (int level = 0; level < kNumLevels; level++) {
    for (const FileRef& f : v->files_[level]) level_of[f->number] = level;
  }
  for (const auto& [level, number] : edit.deleted_files()) {
    std::vector<FileRef>& files = v->files_[level];
    auto it = std::find_if(files.begin(), files.end(),
                           [number = number](const FileRef& f) { return f->number == number; });
    if (it == files.end()) {
      return Status::Corruption("version edit deletes file " + std::to_string(number) +
                                " from level " + std::to_string(level) +
                                ", which does not hold it");
    }
    files.erase(it);
    level_of.erase(number);
  }
  for (const auto& [level, meta] : edit.new_files()) {
    if (auto it = level_of.find(meta.number); it != level_of.end()) {
      return Status::Corruption("version edit adds file " + std::to_string(meta.number) +
                                " to level " + std::to_string(level) +
                                ", but it is live at level " + std::to_string(it->second));
    }
    if (meta.number >= next_file_number) {
      return Status::Corruption("version edit adds file " + std::to_string(meta.number) +
                                ", never allocated (next file number " +
                                std::to_string(next_file_number) + ")");
    }
    level_of.emplace(meta.number, level);
    v->files_[level].push_back(std::make_shared<const FileMetaData>(meta));
  }
  std::sort(v->files_[0].begin(), v->files_[0].end(),
            [](const FileRef& a, const FileRef& b) { return a->number > b->number; });
  for (int level = 1; level < kNumLevels; level++) {
    std::vector<FileRef>& files = v->files_[level];
    std::sort(files.begin(), files.end(), [](const FileRef& a, const FileRef& b) {
      const int c = memtable::CompareInternalKeys(a->smallest, b->smallest);
      return c != 0 ? c < 0 : a->number < b->number;
    });
    for (size_t i = 1; i < files.size(); i++) {
      if (memtable::CompareInternalKeys(files[i - 1]->largest, files[i]->smallest) >= 0) {
        return Status::Corruption("files " + std::to_string(files[i - 1]->number) + " and " +
                                  std::to_string(files[i]->number) + " overlap at level " +
                                  std::to_string(level));
      }
    }
  }
  if (edit.dropped_table_ids().empty()) {
    v->dropped_table_ids_ = base.dropped_table_ids_;
  } else {
    auto ids = std::make_shared<std::set<uint32_t>>(*base.dropped_table_ids_);
    ids->insert(edit.dropped_table_ids().begin(), edit.dropped_table_ids().end());
    v->dropped_table_ids_ = std::move(ids);
  }
  v->pitr_horizon_seq_ =
      edit.has_pitr_horizon_seq() ? edit.pitr_horizon_seq() : base.pitr_horizon_seq_;
  return std::shared_ptr<const Version>(std::move(v));
}

// ---------------------------------------------------------------------------------------------
// VersionSet

VersionSet::VersionSet(VersionSetOptions options)
    : options_(std::move(options)),
      sink_(options_.sink_factory ? options_.sink_factory() : wal::NewPosixSink()) {
  auto empty = std::make_shared<Version>();
  current_ = std::move(empty);
  versions_.push_back(current_);
}

VersionSet::~VersionSet() = default;

std::shared_ptr<const Version> VersionSet::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

uint64_t VersionSet::NewFileNumber() {
  std::lock_guard<std::mutex> lock(mu_);
  return next_file_number_++;
}

uint64_t VersionSet::next_file_number() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_file_number_;
}

uint64_t VersionSet::log_number() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_number_;
}

uint64_t VersionSet::last_sequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_sequence_;
}

uint64_t VersionSet::manifest_file_number() const {
  std::lock_guard<std::mutex> lock(mu_);
  return manifest_file_number_;
}

uint64_t VersionSet::manifest_file_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return manifest_file_size_;
}

Status VersionSet::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

Status VersionSet::Latch(Status s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (error_.ok()) {
    error_ = Status(s.code(), "MANIFEST write failed, no further version changes are accepted: " +
                                  std::string(s.message()));
  }
  return error_;
}

std::set<uint64_t> VersionSet::LiveFiles() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<uint64_t> live;
  std::erase_if(versions_, [&](const std::weak_ptr<const Version>& w) {
    std::shared_ptr<const Version> v = w.lock();
    if (v == nullptr) return true;
    v->AddFileNumbers(&live);
    return false;
  });
  return live;
}

Result<std::vector<std::string>> VersionSet::ObsoleteFiles(
    const std::set<uint64_t>& pending_outputs) const {
  std::set<uint64_t> keep = LiveFiles();
  keep.insert(pending_outputs.begin(), pending_outputs.end());
  uint64_t manifest_number, log_number;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return error_;
    manifest_number = manifest_file_number_;
    log_number = log_number_;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(options_.dir));
  std::vector<std::string> obsolete;
  for (std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    bool drop = false;
    switch (type) {
      case FileType::kTable:
        drop = keep.count(number) == 0;
        break;
      case FileType::kManifest:
      case FileType::kTemp:
        // A MANIFEST (or CURRENT temp file) numbered above the live one is being created.
        drop = number < manifest_number;
        break;
      case FileType::kWalSegment:
        drop = number < log_number;
        break;
      case FileType::kLock:
      case FileType::kCurrent:
      case FileType::kWalSegmentTemp:  // wal::SegmentManager's
        break;
    }
    if (drop) obsolete.push_back(std::move(name));
  }
  std::sort(obsolete.begin(), obsolete.end());
  return obsolete;
}

VersionEdit VersionSet::SnapshotEdit() const {
  std::lock_guard<std::mutex> lock(mu_);
  return SnapshotEditLocked(*current_);
}

VersionEdit VersionSet::SnapshotEditLocked(const Version& v) const {
  VersionEdit edit;
  edit.SetComparatorName(options_.comparator_name);
  edit.SetLogNumber(log_number_);
  edit.SetNextFileNumber(next_file_number_);
  edit.SetLastSequence(last_sequence_);
  edit.SetPitrHorizonSeq(v.pitr_horizon_seq());
  for (uint32_t id : v.dropped_table_ids()) edit.AddDroppedTableId(id);
  for (int level = 0; level < kNumLevels; level++) {
    for (const FileRef& f : v.files(level)) edit.AddFile(level, *f);
  }
  return edit;
}

// ---------------------------------------------------------------------------------------------
// Recovery

Status VersionSet::Recover() {
  std::lock_guard<std::mutex> apply_lock(apply_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (recovered_) return Status::InvalidArgument("VersionSet::Recover called twice");
  }
  RETURN_IF_ERROR(RecoverState());
  std::lock_guard<std::mutex> lock(mu_);
  recovered_ = true;
  return Status::OK();
}

Status VersionSet::RecoverState() {
  const std::string current_path = CurrentFileName(options_.dir);
  std::string current;
  if (::access(current_path.c_str(), F_OK) != 0) {
    if (errno != ENOENT) return wal::ErrnoStatus("access", current_path, errno);
    // No MANIFEST was ever made current. Stray MANIFESTs (a first creation cut short) hold
    // nothing anyone relied on; SSTables would (their MANIFEST is lost).
    ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(options_.dir));
    uint64_t max_number = 0;
    for (const std::string& name : names) {
      uint64_t number;
      FileType type;
      if (!ParseFileName(name, &number, &type)) continue;
      if (type == FileType::kTable) {
        return Status::Corruption("CURRENT is missing in " + options_.dir + " but it holds table " +
                                  name + ": refusing to start without its MANIFEST");
      }
      if (type == FileType::kManifest || type == FileType::kTemp) {
        max_number = std::max(max_number, number);
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    next_file_number_ = std::max(next_file_number_, max_number + 1);
    return Status::OK();
  }

  RETURN_IF_ERROR(wal::ReadWholeFile(current_path, &current));
  uint64_t number = 0;
  FileType type;
  if (current.empty() || current.back() != '\n' ||
      !ParseFileName(std::string_view(current).substr(0, current.size() - 1), &number, &type) ||
      type != FileType::kManifest) {
    return Status::Corruption("CURRENT in " + options_.dir + " does not name a MANIFEST");
  }
  const std::string manifest_path = ManifestFileName(options_.dir, number);
  if (::access(manifest_path.c_str(), F_OK) != 0) {
    if (errno != ENOENT) return wal::ErrnoStatus("access", manifest_path, errno);
    return Status::Corruption("CURRENT names " + ManifestBaseName(number) +
                              ", which does not exist in " + options_.dir);
  }
  return ReplayManifest(manifest_path, number);
}

Status VersionSet::ReplayManifest(const std::string& path, uint64_t number) {
  std::string data;
  RETURN_IF_ERROR(wal::SyncAndRead(path, &data));
  const std::string name = ManifestBaseName(number);
  auto corrupt = [&](uint64_t offset, std::string_view what) {
    return Status::Corruption(name + " at offset " + std::to_string(offset) + ": " +
                              std::string(what));
  };

  wal::LogReader reader(data, number);
  std::shared_ptr<const Version> v = std::make_shared<Version>();
  uint64_t next_file = 0, log_number = 0, last_sequence = 0;
  bool have_snapshot = false;
  std::string_view record;
  while (true) {
    const wal::LogReader::Outcome outcome = reader.ReadRecord(&record);
    if (outcome == wal::LogReader::Outcome::kEnd || outcome == wal::LogReader::Outcome::kSealed) {
      break;
    }
    if (outcome == wal::LogReader::Outcome::kInvalid) {
      const uint64_t x = reader.stop_offset();
      uint64_t later = 0;
      if (wal::FindChunkSyncedPast(data, static_cast<uint32_t>(number), x, &later, nullptr)) {
        return corrupt(x, reader.reason() + ", yet the record at offset " + std::to_string(later) +
                              " was written after it was durable");
      }
      break;  // torn tail: the last edit never completed
    }
    const uint64_t offset = reader.record_offset();
    VersionEdit edit;
    if (Status s = edit.DecodeFrom(record); !s.ok()) return corrupt(offset, s.message());
    if (!have_snapshot) {
      if (!edit.has_comparator() || !edit.has_next_file_number() || !edit.has_log_number() ||
          !edit.has_last_sequence()) {
        return corrupt(offset, "the first record is not a snapshot");
      }
      have_snapshot = true;
    }
    if (edit.has_comparator() && edit.comparator() != options_.comparator_name) {
      return Status::InvalidArgument(name + " was written with comparator " + edit.comparator() +
                                     ", not " + options_.comparator_name);
    }
    if (edit.has_next_file_number()) next_file = std::max(next_file, edit.next_file_number());
    if (edit.has_log_number()) {
      if (edit.log_number() < log_number) return corrupt(offset, "log number goes backwards");
      log_number = edit.log_number();
    }
    if (edit.has_last_sequence()) {
      if (edit.last_sequence() < last_sequence) {
        return corrupt(offset, "last sequence goes backwards");
      }
      last_sequence = edit.last_sequence();
    }
    Result<std::shared_ptr<const Version>> next = ApplyEdit(*v, edit, next_file);
    if (!next.ok()) return corrupt(offset, next.status().message());
    v = std::move(next).value();
  }
  if (!have_snapshot) {
    return corrupt(0, "no complete snapshot record (" + reader.reason() + ")");
  }

  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(v);
  versions_.push_back(current_);
  next_file_number_ = std::max(next_file, number + 1);
  log_number_ = log_number;
  last_sequence_ = last_sequence;
  manifest_file_number_ = number;
  manifest_file_size_ = data.size();
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// LogAndApply

Status VersionSet::LogAndApply(VersionEdit* edit) {
  std::lock_guard<std::mutex> apply_lock(apply_mu_);
  std::shared_ptr<const Version> base;
  uint64_t next_file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return error_;
    if (!recovered_) return Status::InvalidArgument("VersionSet::LogAndApply before Recover");
    if (edit->has_comparator() && edit->comparator() != options_.comparator_name) {
      return Status::InvalidArgument("version edit for comparator " + edit->comparator() +
                                     ", the version set uses " + options_.comparator_name);
    }
    if (edit->has_log_number() && edit->log_number() < log_number_) {
      return Status::InvalidArgument("log number " + std::to_string(edit->log_number()) +
                                     " is below the current " + std::to_string(log_number_));
    }
    if (edit->has_last_sequence() && edit->last_sequence() < last_sequence_) {
      return Status::InvalidArgument("last sequence " + std::to_string(edit->last_sequence()) +
                                     " is below the current " + std::to_string(last_sequence_));
    }
    if (!edit->has_log_number()) edit->SetLogNumber(log_number_);
    if (!edit->has_last_sequence()) edit->SetLastSequence(last_sequence_);
    base = current_;
    next_file = next_file_number_;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Version> v, ApplyEdit(*base, *edit, next_file));

  // A new MANIFEST after recovery (never append to a recovered one) or when this one is large.
  uint64_t new_manifest = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!manifest_fd_.valid() || manifest_file_size_ >= options_.max_manifest_bytes) {
      new_manifest = next_file_number_++;
    }
    edit->SetNextFileNumber(next_file_number_);
  }

  uint64_t new_size = 0;
  if (new_manifest != 0) {
    VersionEdit snapshot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      snapshot = SnapshotEditLocked(*v);
    }
    snapshot.SetLogNumber(edit->log_number());
    snapshot.SetLastSequence(edit->last_sequence());
    snapshot.SetNextFileNumber(edit->next_file_number());
    wal::UniqueFd fd;
    std::unique_ptr<wal::LogWriter> writer;
    if (Status s = CreateManifest(new_manifest, snapshot, &fd, &writer); !s.ok()) {
      return Latch(std::move(s));
    }
    manifest_fd_ = std::move(fd);
    manifest_writer_ = std::move(writer);
    new_size = manifest_writer_->offset();
  } else {
    std::string record;
    edit->EncodeTo(&record);
    // Every earlier byte is durable: stamp the record with the current size (torn-tail test).
    const uint64_t synced = manifest_writer_->offset();
    manifest_writer_->AddRecord(record, synced);
    const Status s = sink_->Write(manifest_fd_.get(), manifest_writer_->pending_offset(),
                                  manifest_writer_->pending(), /*durable=*/true);
    manifest_writer_->ClearPending();
    if (!s.ok()) return Latch(s);
    new_size = manifest_writer_->offset();
  }

  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(v);
  versions_.push_back(current_);
  log_number_ = edit->log_number();
  last_sequence_ = edit->last_sequence();
  if (new_manifest != 0) manifest_file_number_ = new_manifest;
  manifest_file_size_ = new_size;
  return Status::OK();
}

Status VersionSet::CreateManifest(uint64_t number, const VersionEdit& snapshot, wal::UniqueFd* fd,
                                  std::unique_ptr<wal::LogWriter>* writer) {
  const std::string path = ManifestFileName(options_.dir, number);
  wal::UniqueFd f(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!f.valid()) return wal::ErrnoStatus("create", path, errno);
  auto w = std::make_unique<wal::LogWriter>(number);
  std::string record;
  snapshot.EncodeTo(&record);
  w->AddRecord(record, 0);
  RETURN_IF_ERROR(sink_->Write(f.get(), 0, w->pending(), /*durable=*/true));
  w->ClearPending();
  // The MANIFEST's directory entry is durable before CURRENT names it.
  RETURN_IF_ERROR(wal::SyncDirectory(options_.dir));
  RETURN_IF_ERROR(SetCurrentFile(number));
  *fd = std::move(f);
  *writer = std::move(w);
  return Status::OK();
}

Status VersionSet::SetCurrentFile(uint64_t manifest_number) {
  const std::string tmp = TempFileName(options_.dir, manifest_number);
  const std::string contents = ManifestBaseName(manifest_number) + "\n";
  {
    wal::UniqueFd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!f.valid()) return wal::ErrnoStatus("create", tmp, errno);
    if (Status s = sink_->Write(f.get(), 0, contents, /*durable=*/true); !s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
  }
  const std::string current = CurrentFileName(options_.dir);
  if (::rename(tmp.c_str(), current.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return wal::ErrnoStatus("rename to", current, err);
  }
  return wal::SyncDirectory(options_.dir);
}

}  // namespace strata::engine
