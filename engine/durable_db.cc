#include "engine/durable_db.h"

#include <chrono>
#include <filesystem>
#include <span>
#include <system_error>
#include <utility>

#include "engine/file_names.h"
#include "util/clock.h"
#include "wal/file_util.h"
#include "wal/recovery.h"
#include "wal/sink.h"

namespace strata::engine {

namespace {

static_assert(static_cast<uint8_t>(ValueKind::kDelete) ==
              static_cast<uint8_t>(wal::OpKind::kDelete));
static_assert(static_cast<uint8_t>(ValueKind::kPut) == static_cast<uint8_t>(wal::OpKind::kPut));
static_assert(kFirstSequence == wal::kMinUserSeq);
static_assert(kMaxSequence == wal::kMaxSeq);

// mkdir -p, then fsync the parent of `dir` so its entry is durable.
Status CreateDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  return wal::SyncDirectory(parent.empty() ? "." : parent.string());
}

Status WithContext(const Status& s, const std::string& context) {
  return Status(s.code(), context + std::string(s.message()));
}

}  // namespace

DurableDb::DurableDb(const Options& options)
    : options_(options),
      dir_((std::filesystem::path(options.data_dir) / "dynamodb").string()),
      tables_(std::make_shared<TableSet>(dir_, options.block_cache_bytes, options.max_open_tables)),
      mem_(options.memtable_bytes, tables_) {}

Result<std::unique_ptr<DurableDb>> DurableDb::Open(const Options& options) {
  if (options.mode != StorageMode::kWal && options.mode != StorageMode::kPersistent &&
      options.mode != StorageMode::kHybrid) {
    return Status::InvalidArgument("DurableDb serves the wal, persistent and hybrid modes only");
  }
  const CompactionOptions& c = options.compaction;
  if (c.l0_compaction_trigger < 1 || c.l0_stop_writes_trigger < 1 || c.l1_max_bytes == 0 ||
      c.level_size_multiplier == 0 || c.target_file_size == 0) {
    return Status::InvalidArgument("compaction options need positive triggers and sizes");
  }
  std::unique_ptr<DurableDb> db(new DurableDb(options));
  RETURN_IF_ERROR(db->OpenFiles());
  return db;
}

Status DurableDb::OpenFiles() {
  RETURN_IF_ERROR(CreateDirs(dir_));
  ASSIGN_OR_RETURN(lock_, DirLock::Acquire(LockFileName(dir_), options_.data_dir));

  VersionSetOptions vs;
  vs.dir = dir_;
  vs.sink_factory = options_.manifest_sink_factory;
  versions_ = std::make_unique<VersionSet>(std::move(vs));
  if (Status s = versions_->Recover(); !s.ok()) {
    return WithContext(s, "MANIFEST recovery in " + dir_ + " failed, refusing to open: ");
  }
  if (versions_->manifest_file_number() == 0) {
    // A new directory: make a MANIFEST current before any table exists (a table without a
    // MANIFEST would make the next Open refuse the directory).
    VersionEdit first;
    RETURN_IF_ERROR(versions_->LogAndApply(&first));
  }
  mem_.InstallVersion(versions_->current(), /*drop_oldest_immutable=*/false);

  FlusherOptions fo;
  fo.dir = dir_;
  fo.memtable_bytes = options_.memtable_bytes;
  fo.file_factory = options_.table_file_factory;
  fo.compaction = options_.compaction;
  if (!has_wal()) {
    fo.switch_interval =
        std::chrono::milliseconds(std::max<uint32_t>(options_.flush_interval_ms, 1));
    fo.switch_memtable = [this] { SwitchHybridMemTable(/*force=*/false); };
  }
  flusher_ = std::make_unique<Flusher>(std::move(fo), &mem_, versions_.get(), tables_.get());

  uint64_t next_seq = 0;
  uint64_t prev_tail = wal::kPrevSealed;
  RETURN_IF_ERROR(Recover(&next_seq, &prev_tail));
  mem_.Publish(next_seq - 1);

  uint64_t log_number = 0;
  if (has_wal()) {
    RETURN_IF_ERROR(StartWal(next_seq, prev_tail));
    log_number = wal_->current_segment();
    if (log_number < versions_->log_number()) {
      return Status::Corruption("new WAL segment " + std::to_string(log_number) +
                                " is numbered below the MANIFEST's log number " +
                                std::to_string(versions_->log_number()) + " in " + dir_);
    }
  }
  // Recovered data is flushed in the background; its flush moves log_number to the new segment.
  // Without any, the recovered segments are obsolete now.
  VersionEdit edit;
  if (!mem_.SwitchMemTable(log_number) && log_number != 0) edit.SetLogNumber(log_number);
  RETURN_IF_ERROR(versions_->LogAndApply(&edit));
  mem_.InstallVersion(versions_->current(), /*drop_oldest_immutable=*/false);
  flusher_->DeleteObsoleteFiles().IgnoreError();  // retried after every flush
  flusher_->Start();
  return Status::OK();
}

Status DurableDb::Recover(uint64_t* next_seq, uint64_t* prev_tail) {
  // Records at or below it are in SSTables already.
  const uint64_t flushed_seq = versions_->last_sequence();
  wal::RecoveryOptions ro;
  ro.min_log_number = versions_->log_number();
  wal::RecoveryResult result;
  const Status s = wal::ReplayLog(
      dir_, ro,
      [this, flushed_seq](wal::Record&& record) {
        if (record.op_count == 0 || record.last_seq() <= flushed_seq) return Status::OK();
        if (Status s =
                mem_.Insert(record.ops, record.op_count, record.first_seq, record.commit_time_us);
            !s.ok()) {
          return Status::Corruption("WAL record at sequence " + std::to_string(record.first_seq) +
                                    ": " + std::string(s.message()));
        }
        recovered_records_++;
        mem_.Publish(record.last_seq());  // nobody reads yet
        if (mem_.WriterMemoryUsage() > options_.memtable_bytes) {
          // Bound memory: flush now. log_number stays (the rest of the log is still needed);
          // last_sequence tells the next recovery which records to skip.
          mem_.SwitchMemTable(/*log_number=*/0);
          RETURN_IF_ERROR(flusher_->FlushOldest());
        }
        return Status::OK();
      },
      &result);
  if (!s.ok()) {
    // The memtable may hold part of the log: this Db is discarded, and the WAL left untouched.
    return WithContext(s, "WAL recovery in " + dir_ + " failed, refusing to open: ");
  }
  *next_seq = std::max<uint64_t>({kFirstSequence, result.next_seq, flushed_seq + 1});
  *prev_tail = result.tail;
  return Status::OK();
}

Status DurableDb::StartWal(uint64_t first_seq, uint64_t prev_tail) {
  wal::GroupCommitOptions gc;
  gc.dir = dir_;
  gc.segment_size = options_.wal_segment_bytes;
  gc.sync_policy = options_.mode == StorageMode::kPersistent ? wal::SyncPolicy::kEveryGroup
                                                             : wal::SyncPolicy::kInterval;
  gc.sync_interval = std::chrono::milliseconds(options_.flush_interval_ms);
  // A new segment, numbered above the recovered ones, whose header says where the recovered
  // log ended (docs/formats/wal.md: never append to a recovered segment).
  gc.first_seq = first_seq;
  gc.prev_tail = prev_tail;
  gc.on_durable = [this](std::span<wal::Record* const> group) { ApplyGroup(group); };
  std::unique_ptr<wal::Sink> sink =
      options_.wal_sink_factory ? options_.wal_sink_factory() : wal::NewSink(wal::SinkOptions());
  ASSIGN_OR_RETURN(wal_, wal::GroupCommit::Open(std::move(gc), std::move(sink)));
  return Status::OK();
}

void DurableDb::ApplyGroup(std::span<wal::Record* const> group) {
  // The group's leader, serialised, in sequence order: insert, then publish the whole group at
  // once. The ops were checked in Write(), so Insert cannot fail.
  for (const wal::Record* record : group) {
    if (record->op_count == 0) continue;
    mem_.Insert(record->ops, record->op_count, record->first_seq, record->commit_time_us)
        .IgnoreError();
  }
  mem_.Publish(group.back()->next_seq() - 1);
  const bool force = force_switch_.exchange(false, std::memory_order_acq_rel);
  if (force || (mem_.WriterMemoryUsage() > options_.memtable_bytes && mem_.num_immutables() < 2)) {
    // Every record of this group is in a segment <= the current one, every later record in it
    // or a later one: once the switched memtable is flushed, older segments are obsolete.
    if (mem_.SwitchMemTable(wal_->current_segment())) flusher_->Schedule();
  }
}

void DurableDb::SwitchHybridMemTable(bool force) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (!force && (closed_.load(std::memory_order_acquire) || mem_.num_immutables() >= 2)) return;
  if (mem_.SwitchMemTable(/*log_number=*/0)) flusher_->Schedule();
}

DurableDb::~DurableDb() { Close().IgnoreError(); }

Status DurableDb::Write(const WriteBatch& batch, uint64_t* first_seq) {
  if (closed_.load(std::memory_order_acquire)) return Status::Aborted("database is closed");
  const uint32_t count = batch.Count();
  if (count == 0) {
    if (first_seq != nullptr) *first_seq = LatestSequence() + 1;
    return Status::OK();
  }
  RETURN_IF_ERROR(VisibleMemTable::CheckOps(batch.rep(), count));
  // Stalls while two full memtables wait for their flush; fails once a flush failed.
  RETURN_IF_ERROR(flusher_->MakeRoomForWrite());
  if (!has_wal()) {
    std::lock_guard<std::mutex> lock(write_mu_);
    if (closed_.load(std::memory_order_acquire)) return Status::Aborted("database is closed");
    const uint64_t last = mem_.visible_seq();
    if (kMaxSequence - last < count) return Status::IOError("sequence numbers exhausted");
    // Cannot fail: checked above.
    RETURN_IF_ERROR(mem_.Insert(batch.rep(), count, last + 1, NowMicros()));
    mem_.Publish(last + count);  // the whole batch at once
    if (first_seq != nullptr) *first_seq = last + 1;
    if (mem_.WriterMemoryUsage() > options_.memtable_bytes && mem_.num_immutables() < 2 &&
        mem_.SwitchMemTable(/*log_number=*/0)) {
      flusher_->Schedule();
    }
    return Status::OK();
  }
  if (kMaxSequence - LatestSequence() < count) {
    return Status::IOError("sequence numbers exhausted");
  }
  wal::Record record;
  record.SetOps(batch.rep(), count);
  // Returns once the record is durable per the mode, in the memtable and visible.
  const Status s = wal_->Write(&record);
  if (!s.ok()) return s.IsAborted() ? Status::Aborted("database is closed") : s;
  if (first_seq != nullptr) *first_seq = record.first_seq;
  return Status::OK();
}

Status DurableDb::FlushMemTable() {
  if (closed_.load(std::memory_order_acquire)) return Status::Aborted("database is closed");
  if (has_wal()) {
    // Only a WAL leader may switch (it knows which segment later records go to): an empty
    // record makes it run ApplyGroup once more.
    force_switch_.store(true, std::memory_order_release);
    wal::Record record;
    record.SetOps({}, 0);
    if (Status s = wal_->Write(&record); !s.ok()) {
      force_switch_.store(false, std::memory_order_release);
      return s;
    }
  } else {
    SwitchHybridMemTable(/*force=*/true);
  }
  return flusher_->WaitForFlushes();
}

Status DurableDb::CompactRange(std::optional<std::string> begin, std::optional<std::string> end) {
  RETURN_IF_ERROR(FlushMemTable());
  return flusher_->CompactRange(std::move(begin), std::move(end));
}

Status DurableDb::WaitForCompactions() {
  if (closed_.load(std::memory_order_acquire)) return Status::Aborted("database is closed");
  return flusher_->WaitForCompactions();
}

Status DurableDb::Close() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (closed_.load(std::memory_order_acquire)) return close_status_;
  closed_.store(true, std::memory_order_release);
  Status s;
  if (wal_ != nullptr) s = wal_->Close();  // drain, seal, fdatasync, join
  if (!has_wal() && flusher_ != nullptr) {
    // hybrid: the memtable is all there is; writers in flight finish first (write_mu_).
    SwitchHybridMemTable(/*force=*/true);
  }
  if (flusher_ != nullptr) {
    // Flushes what waits, then stops the thread.
    const Status f = flusher_->Stop();
    if (s.ok()) s = f;
  }
  if (lock_ != nullptr) lock_->Release();
  close_status_ = s;
  return close_status_;
}

}  // namespace strata::engine
