#include "engine/flush.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <utility>
#include <vector>

#include "engine/compaction_job.h"
#include "engine/file_names.h"
#include "engine/table_format.h"
#include "memtable/internal_key.h"
#include "sstable/table_builder.h"
#include "wal/file_util.h"

namespace strata::engine {

Status BuildTable(const sstable::TableOptions& options, const memtable::MemTable& mem,
                  sstable::WritableFile* file, FileMetaData* meta) {
  TableWriter writer(options, file);
  memtable::MemTable::Iterator iter(&mem);
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
    RETURN_IF_ERROR(writer.Add(iter.key(), iter.value()));
  }
  if (writer.empty()) return Status::InvalidArgument("BuildTable: empty memtable");
  writer.SetCommitTimeRange(mem.min_commit_time_us(), mem.max_commit_time_us());
  return writer.Finish(meta);  // writes the meta blocks and footer, fsyncs, closes
}

Flusher::Flusher(FlusherOptions options, VisibleMemTable* mem, VersionSet* versions,
                 const TableSet* tables)
    : options_(std::move(options)),
      mem_(mem),
      versions_(versions),
      tables_(tables),
      picker_(options_.compaction) {}

Flusher::~Flusher() { Stop().IgnoreError(); }

void Flusher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stop_) return;
  started_ = true;
  l0_files_.store(static_cast<int>(versions_->current()->NumFiles(0)), std::memory_order_release);
  thread_ = std::thread(&Flusher::Run, this);
}

void Flusher::Schedule() {
  std::lock_guard<std::mutex> lock(mu_);
  work_cv_.notify_one();
}

Status Flusher::background_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bg_error_;
}

uint64_t Flusher::flushes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_.flushes;
}

BackgroundStats Flusher::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void Flusher::Latch(std::string_view what, const Status& s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bg_error_.ok()) {
    bg_error_ = Status::IOError(std::string(what) + " failed; writes are refused until restart: " +
                                std::string(s.message()));
    has_error_.store(true, std::memory_order_release);
  }
  stall_cv_.notify_all();
}

Status Flusher::MakeRoomForWrite() {
  const CompactionOptions& c = options_.compaction;
  // The common case without a lock: no error, fewer than two memtables waiting, few L0 files.
  if (!has_error_.load(std::memory_order_acquire) && mem_->num_immutables() < 2 &&
      l0_files_.load(std::memory_order_acquire) < c.l0_slowdown_writes_trigger) {
    return Status::OK();
  }
  const int l0 = l0_files_.load(std::memory_order_acquire);
  if (l0 >= c.l0_slowdown_writes_trigger && l0 < c.l0_stop_writes_trigger &&
      !has_error_.load(std::memory_order_acquire)) {
    // LevelDB's slowdown: one 1 ms delay per write hands the CPU to the compaction, spreading
    // the cost over many writes instead of stopping one for seconds.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu_);
    stats_.write_slowdowns++;
  }
  std::unique_lock<std::mutex> lock(mu_);
  bool counted = false;
  while (true) {
    if (!bg_error_.ok()) return bg_error_;
    if (stop_ || !started_) return Status::OK();
    const bool memtables_full =
        mem_->num_immutables() >= 2 && mem_->ApproximateMemoryUsage() > options_.memtable_bytes;
    const bool l0_full = l0_files_.load(std::memory_order_acquire) >= c.l0_stop_writes_trigger;
    if (!memtables_full && !l0_full) return Status::OK();
    if (!counted) {
      stats_.write_stops++;
      counted = true;
    }
    work_cv_.notify_one();
    stall_cv_.wait(lock);
  }
}

Status Flusher::WaitForFlushes() {
  std::unique_lock<std::mutex> lock(mu_);
  while (bg_error_.ok() && started_ && !stopped_ && mem_->num_immutables() > 0) {
    work_cv_.notify_one();
    stall_cv_.wait(lock);
  }
  if (!started_ || stopped_) {
    // No thread: flush here.
    lock.unlock();
    while (mem_->num_immutables() > 0) {
      RETURN_IF_ERROR(FlushOldest());
    }
    lock.lock();
  }
  return bg_error_;
}

bool Flusher::NeedsCompaction() const {
  return CompactionLevel(*versions_->current(), options_.compaction) >= 0;
}

Status Flusher::WaitForCompactions() {
  std::unique_lock<std::mutex> lock(mu_);
  while (bg_error_.ok() && started_ && !stopped_ &&
         (mem_->num_immutables() > 0 || compacting_ || manual_ != nullptr || NeedsCompaction())) {
    work_cv_.notify_one();
    stall_cv_.wait(lock);
  }
  return bg_error_;
}

Status Flusher::CompactRange(std::optional<std::string> begin, std::optional<std::string> end) {
  ManualCompaction m;
  m.begin = std::move(begin);
  m.end = std::move(end);
  std::unique_lock<std::mutex> lock(mu_);
  // One request at a time.
  stall_cv_.wait(lock, [&] { return manual_ == nullptr || stop_ || !bg_error_.ok(); });
  if (!bg_error_.ok()) return bg_error_;
  if (!started_ || stop_) return Status::Aborted("the background thread is not running");
  manual_ = &m;
  work_cv_.notify_one();
  stall_cv_.wait(lock, [&] { return m.done; });
  return m.status;
}

Status Flusher::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopped_) return bg_error_;
    stop_ = true;
    stopping_.store(true, std::memory_order_release);
    work_cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  if (manual_ != nullptr) {
    manual_->status = Status::Aborted("the background thread stopped");
    manual_->done = true;
    manual_ = nullptr;
  }
  stall_cv_.notify_all();
  return bg_error_;
}

Status Flusher::FlushOldest() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!bg_error_.ok()) return bg_error_;
  }
  std::optional<ImmutableMemTable> imm = mem_->OldestImmutable();
  if (!imm.has_value()) return Status::OK();
  Status s = FlushOne(*imm);
  if (!s.ok()) {
    Latch("memtable flush", s);
    return background_error();
  }
  return Status::OK();
}

void Flusher::Run() {
  using Clock = std::chrono::steady_clock;
  const bool interval = options_.switch_interval.count() > 0 && options_.switch_memtable;
  Clock::time_point next_switch = Clock::now() + options_.switch_interval;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (bg_error_.ok() && mem_->num_immutables() > 0) {
      // Flush first.
      lock.unlock();
      FlushOldest().IgnoreError();  // latched on failure
      lock.lock();
      continue;
    }
    if (stop_) break;
    if (!bg_error_.ok() && manual_ != nullptr) {
      // Latched before the request ran: it fails now, not at Stop().
      manual_->status = bg_error_;
      manual_->done = true;
      manual_ = nullptr;
      stall_cv_.notify_all();
      continue;
    }
    if (bg_error_.ok() && manual_ != nullptr) {
      ManualCompaction* m = manual_;
      compacting_ = true;
      lock.unlock();
      RunManualCompaction(m);
      lock.lock();
      compacting_ = false;
      m->done = true;
      manual_ = nullptr;
      stall_cv_.notify_all();
      continue;
    }
    if (bg_error_.ok()) {
      std::optional<Compaction> c = picker_.Pick(versions_->current());
      if (c.has_value()) {
        compacting_ = true;
        lock.unlock();
        DoCompaction(std::move(*c)).IgnoreError();  // latched on failure, Aborted at Stop()
        lock.lock();
        compacting_ = false;
        stall_cv_.notify_all();
        continue;
      }
    }
    if (interval && bg_error_.ok()) {
      if (Clock::now() >= next_switch) {
        lock.unlock();
        options_.switch_memtable();  // switches under the Db's write lock, then Schedule()
        lock.lock();
        next_switch = Clock::now() + options_.switch_interval;
        continue;
      }
      work_cv_.wait_until(lock, next_switch);
    } else {
      work_cv_.wait(lock);
    }
  }
}

void Flusher::RunManualCompaction(ManualCompaction* m) {
  std::optional<std::string_view> begin, end;
  if (m->begin.has_value()) begin = *m->begin;
  if (m->end.has_value()) end = *m->end;
  // Down to the deepest level holding a file of the range, like LevelDB's CompactRange.
  int max_level = 1;
  {
    const std::shared_ptr<const Version> start = versions_->current();  // unpinned below
    for (int level = 1; level < kNumLevels; level++) {
      if (!start->OverlappingInputs(level, begin, end).empty()) max_level = level;
    }
  }
  // Then the deepest level rewritten in place: files there that nothing above overlapped
  // would keep their garbage otherwise (LevelDB's CompactRange stops before it).
  for (int level = 0; level <= max_level; level++) {
    std::optional<Compaction> c = picker_.PickRange(versions_->current(), level, begin, end,
                                                    /*same_level=*/level == max_level);
    if (!c.has_value()) continue;
    Status s = DoCompaction(std::move(*c));
    if (!s.ok()) {
      m->status = s.IsAborted() ? s : background_error();
      return;
    }
  }
  m->status = background_error();
}

Status Flusher::DoCompaction(Compaction c) {
  VersionEdit edit;
  CompactionStats cs;
  const bool trivial = c.IsTrivialMove(options_.compaction);
  if (trivial) {
    const FileRef& f = c.inputs[0].front();
    edit.RemoveFile(c.level, f->number);
    edit.AddFile(c.output_level(), *f);
  } else {
    CompactionJobOptions job;
    job.dir = options_.dir;
    job.tables = tables_;
    job.file_factory = options_.file_factory;
    job.sizes = options_.compaction;
    job.horizon = mem_->OldestReadableSequence();
    job.new_file_number = [this] {
      const uint64_t number = versions_->NewFileNumber();
      std::lock_guard<std::mutex> lock(mu_);
      pending_outputs_.insert(number);
      return number;
    };
    job.keep_going = [this] {
      if (stopping_.load(std::memory_order_acquire)) return false;
      // Flush has priority: a waiting memtable is flushed now, between two entries.
      if (mem_->num_immutables() > 0 && !FlushOldest().ok()) return false;
      return true;
    };
    Status s = RunCompaction(c, job, &edit, &cs);
    if (!s.ok()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (uint64_t n : cs.outputs) pending_outputs_.erase(n);
      }
      if (s.IsAborted()) return has_error_.load() ? background_error() : s;
      Latch("compaction", s);
      return s;
    }
  }
  Status s = versions_->LogAndApply(&edit);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint64_t n : cs.outputs) pending_outputs_.erase(n);
  }
  // On failure the edit's outcome is unknown: its outputs are kept for the next Recover.
  if (!s.ok()) {
    Latch("compaction", s);
    return s;
  }
  InstallCurrent(/*drop_oldest_immutable=*/false);
  // The inputs, unless a reader still pins a Version holding them (then the next flush,
  // compaction or Open deletes them). The compaction's own pin goes first.
  c.version.reset();
  DeleteObsoleteFiles().IgnoreError();
  std::lock_guard<std::mutex> lock(mu_);
  if (trivial) {
    stats_.trivial_moves++;
  } else {
    stats_.compactions++;
    stats_.compaction_bytes_read += cs.bytes_read;
    stats_.compaction_bytes_written += cs.bytes_written;
    stats_.entries_dropped += cs.entries_dropped;
  }
  return Status::OK();
}

void Flusher::InstallCurrent(bool drop_oldest_immutable) {
  std::shared_ptr<const Version> v = versions_->current();
  const int l0 = static_cast<int>(v->NumFiles(0));
  mem_->InstallVersion(std::move(v), drop_oldest_immutable);
  l0_files_.store(l0, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mu_);
  stall_cv_.notify_all();
}

Status Flusher::WriteTable(const memtable::MemTable& mem, uint64_t number, FileMetaData* meta) {
  Result<std::unique_ptr<sstable::WritableFile>> file =
      NewTableFile(options_.file_factory, TableFileName(options_.dir, number));
  if (!file.ok()) return file.status();
  meta->number = number;
  Status s = BuildTable(TableOptionsForLevel(tables_->table_options(), 0), mem, file->get(), meta);
  if (s.ok()) s = (*file)->Close();  // no-op after Finish, but reports a late close error
  return s;
}
Status Flusher::FlushOne(const ImmutableMemTable& imm) {
  const uint64_t number = versions_->NewFileNumber();
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_outputs_.insert(number);
  }
  auto done = [this, number] {
    std::lock_guard<std::mutex> lock(mu_);
    pending_outputs_.erase(number);
  };
  FileMetaData meta;
  Status s = WriteTable(*imm.mem, number, &meta);
  // The table must be durable, and its directory entry too, before the MANIFEST names it.
  if (s.ok()) s = wal::SyncDirectory(options_.dir);
  if (!s.ok()) {
    // Never referenced: remove the partial table (best effort; GC removes it otherwise).
    ::unlink(TableFileName(options_.dir, number).c_str());
    done();
    return Status(s.code(),
                  "writing table " + std::to_string(number) + ": " + std::string(s.message()));
  }
  VersionEdit edit;
  edit.AddFile(0, meta);
  if (imm.log_number != 0) edit.SetLogNumber(imm.log_number);
  edit.SetLastSequence(imm.last_seq);
  s = versions_->LogAndApply(&edit);
  done();
  // On failure the edit's outcome is unknown: the table is kept for the next Recover to judge.
  if (!s.ok()) return s;
  // Before the immutable is dropped, so that a WaitForFlushes() that returns once it is gone
  // also sees the WAL segments below the new log number deleted. Failing to delete obsolete
  // files loses nothing: the next flush or Open retries.
  DeleteObsoleteFiles().IgnoreError();
  {
    // Counted before the memtable disappears: WaitForFlushes() returns once it is gone.
    std::lock_guard<std::mutex> lock(mu_);
    stats_.flushes++;
  }
  InstallCurrent(/*drop_oldest_immutable=*/true);
  return Status::OK();
}

Status Flusher::DeleteObsoleteFiles() {
  std::set<uint64_t> pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending = pending_outputs_;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, versions_->ObsoleteFiles(pending));
  Status result;
  for (const std::string& name : names) {
    uint64_t number = 0;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    if (type == FileType::kTable) tables_->Evict(number);
    const std::string path = options_.dir + "/" + name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && result.ok()) {
      result = wal::ErrnoStatus("unlink", path, errno);
    }
  }
  return result;
}

}  // namespace strata::engine
