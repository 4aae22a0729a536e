#include "engine/flush.h"

#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "engine/file_names.h"
#include "memtable/internal_key.h"
#include "sstable/table_builder.h"
#include "wal/file_util.h"

namespace strata::engine {

Status BuildTable(const sstable::TableOptions& options, const memtable::MemTable& mem,
                  sstable::WritableFile* file, FileMetaData* meta) {
  sstable::TableBuilder builder(options, file);
  memtable::MemTable::Iterator iter(&mem);
  bool first = true;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
    const std::string_view key = iter.key();
    const uint64_t seq = iter.sequence();
    if (first) {
      meta->smallest.assign(key);
      meta->smallest_seq = seq;
      meta->largest_seq = seq;
      first = false;
    }
    meta->largest.assign(key);
    meta->smallest_seq = std::min(meta->smallest_seq, seq);
    meta->largest_seq = std::max(meta->largest_seq, seq);
    RETURN_IF_ERROR(builder.Add(key, iter.value()));
    // The memtable does not keep commit times; the table's commit-time range stays 0.
    builder.NoteSequence(seq, 0);
  }
  if (first) return Status::InvalidArgument("BuildTable: empty memtable");
  RETURN_IF_ERROR(builder.Finish());  // writes the meta blocks and footer, fsyncs, closes
  meta->file_size = builder.FileSize();
  return Status::OK();
}

Flusher::Flusher(FlusherOptions options, VisibleMemTable* mem, VersionSet* versions,
                 const TableSet* tables)
    : options_(std::move(options)), mem_(mem), versions_(versions), tables_(tables) {}

Flusher::~Flusher() { Stop().IgnoreError(); }

void Flusher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stop_) return;
  started_ = true;
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
  return flushes_;
}

void Flusher::Latch(const Status& s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bg_error_.ok()) {
    bg_error_ = Status::IOError("memtable flush failed; writes are refused until restart: " +
                                std::string(s.message()));
    has_error_.store(true, std::memory_order_release);
  }
  stall_cv_.notify_all();
}

Status Flusher::MakeRoomForWrite() {
  // The common case without a lock: no error and fewer than two memtables waiting.
  if (!has_error_.load(std::memory_order_acquire) && mem_->num_immutables() < 2) {
    return Status::OK();
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!bg_error_.ok()) return bg_error_;
    if (stop_ || !started_) return Status::OK();
    // Two immutable memtables wait and the active one is full: wait for a flush.
    if (mem_->num_immutables() < 2 || mem_->ApproximateMemoryUsage() <= options_.memtable_bytes) {
      return Status::OK();
    }
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

Status Flusher::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopped_) return bg_error_;
    stop_ = true;
    work_cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
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
    Latch(s);
    return background_error();
  }
  std::lock_guard<std::mutex> lock(mu_);
  flushes_++;
  stall_cv_.notify_all();
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
    // (A compaction step would go here: after the flushes, before sleeping.)
    if (stop_) break;
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

Status Flusher::WriteTable(const memtable::MemTable& mem, uint64_t number, FileMetaData* meta) {
  const std::string path = TableFileName(options_.dir, number);
  Result<std::unique_ptr<sstable::WritableFile>> file =
      options_.file_factory ? options_.file_factory(path) : sstable::NewPosixWritableFile(path);
  if (!file.ok()) return file.status();
  meta->number = number;
  Status s = BuildTable(tables_->table_options(), mem, file->get(), meta);
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
  mem_->InstallVersion(versions_->current(), /*drop_oldest_immutable=*/true);
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
