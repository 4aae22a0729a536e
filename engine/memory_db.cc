#include "engine/memory_db.h"

namespace strata::engine {

MemoryDb::MemoryDb(const Options& options)
    : options_(options), mem_(options.memtable_bytes), last_seq_(kFirstSequence - 1) {}

MemoryDb::~MemoryDb() { Close().IgnoreError(); }

Status MemoryDb::Write(const WriteBatch& batch, uint64_t* first_seq) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (closed_) return Status::Aborted("database is closed");
  const uint64_t first = last_seq_ + 1;
  if (first_seq != nullptr) *first_seq = first;
  const uint32_t count = batch.Count();
  if (count == 0) return Status::OK();
  if (kMaxSequence - last_seq_ < count) return Status::IOError("sequence numbers exhausted");
  RETURN_IF_ERROR(VisibleMemTable::CheckOps(batch.rep(), count));
  RETURN_IF_ERROR(mem_.Insert(batch.rep(), count, first));  // cannot fail: checked above
  last_seq_ += count;
  mem_.Publish(last_seq_);  // the whole batch at once
  mem_.MaybeRebuild();      // under write_mu_: one writer
  return Status::OK();
}

Status MemoryDb::Close() {
  std::lock_guard<std::mutex> lock(write_mu_);
  closed_ = true;  // memory mode has nothing to make durable
  return Status::OK();
}

}  // namespace strata::engine
