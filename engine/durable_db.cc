#include "engine/durable_db.h"

#include <chrono>
#include <filesystem>
#include <span>
#include <system_error>
#include <utility>

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

}  // namespace

DurableDb::DurableDb(const Options& options)
    : options_(options),
      dir_((std::filesystem::path(options.data_dir) / "dynamodb").string()),
      mem_(options.memtable_bytes) {}

Result<std::unique_ptr<DurableDb>> DurableDb::Open(const Options& options) {
  if (options.mode != StorageMode::kWal && options.mode != StorageMode::kPersistent) {
    return Status::InvalidArgument("DurableDb serves the wal and persistent modes only");
  }
  std::unique_ptr<DurableDb> db(new DurableDb(options));
  RETURN_IF_ERROR(CreateDirs(db->dir_));
  ASSIGN_OR_RETURN(db->lock_, DirLock::Acquire(db->dir_ + "/LOCK", options.data_dir));
  uint64_t next_seq = 0;
  uint64_t prev_tail = wal::kPrevSealed;
  RETURN_IF_ERROR(db->Recover(&next_seq, &prev_tail));
  RETURN_IF_ERROR(db->StartWal(next_seq, prev_tail));
  return db;
}

Status DurableDb::Recover(uint64_t* next_seq, uint64_t* prev_tail) {
  wal::RecoveryResult result;
  const Status s = wal::ReplayLog(
      dir_, wal::RecoveryOptions(),
      [this](wal::Record&& record) {
        if (record.op_count == 0) return Status::OK();
        if (Status s = mem_.Insert(record.ops, record.op_count, record.first_seq); !s.ok()) {
          return Status::Corruption("WAL record at sequence " + std::to_string(record.first_seq) +
                                    ": " + std::string(s.message()));
        }
        recovered_records_++;
        // Nobody reads yet: publish record by record so that rebuilds can bound memory.
        mem_.Publish(record.last_seq());
        mem_.MaybeRebuild();
        return Status::OK();
      },
      &result);
  if (!s.ok()) {
    // The memtable may hold part of the log: this Db is discarded, and the WAL left untouched.
    return Status(s.code(), "WAL recovery in " + dir_ +
                                " failed, refusing to open: " + std::string(s.message()));
  }
  *next_seq = result.next_seq == 0 ? kFirstSequence : result.next_seq;
  *prev_tail = result.tail;
  mem_.Publish(*next_seq - 1);
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
  gc.on_durable = [this](std::span<wal::Record* const> group) {
    // The WAL thread, in sequence order: insert, then publish the whole group at once. The ops
    // were checked in Write(), so Insert cannot fail.
    for (const wal::Record* record : group) {
      mem_.Insert(record->ops, record->op_count, record->first_seq).IgnoreError();
    }
    mem_.Publish(group.back()->last_seq());
    mem_.MaybeRebuild();  // the WAL thread is the only writer
  };
  std::unique_ptr<wal::Sink> sink =
      options_.wal_sink_factory ? options_.wal_sink_factory() : wal::NewSink(wal::SinkOptions());
  ASSIGN_OR_RETURN(wal_, wal::GroupCommit::Open(std::move(gc), std::move(sink)));
  return Status::OK();
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

Status DurableDb::Close() {
  std::lock_guard<std::mutex> lock(close_mu_);
  if (closed_.load(std::memory_order_acquire)) return close_status_;
  closed_.store(true, std::memory_order_release);
  if (wal_ != nullptr) close_status_ = wal_->Close();  // drain, seal, fdatasync, join
  if (lock_ != nullptr) lock_->Release();
  return close_status_;
}

}  // namespace strata::engine
