#include "engine/memory_db.h"

#include <algorithm>

#include "engine/db_iter.h"
#include "engine/internal_iterator.h"
#include "memtable/internal_key.h"

namespace strata::engine {

static_assert(static_cast<uint8_t>(ValueKind::kDelete) ==
              static_cast<uint8_t>(memtable::EntryKind::kDelete));
static_assert(static_cast<uint8_t>(ValueKind::kPut) ==
              static_cast<uint8_t>(memtable::EntryKind::kPut));
static_assert(kMaxSequence == memtable::kMaxSequenceNumber);

namespace {

// Inserts a batch's ops into a memtable with consecutive sequence numbers.
class MemTableInserter final : public WriteBatch::Handler {
 public:
  MemTableInserter(memtable::MemTable* mem, uint64_t first_seq) : mem_(mem), seq_(first_seq) {}

  void Put(std::string_view key, std::string_view value) override {
    mem_->Add(seq_++, memtable::EntryKind::kPut, key, value);
  }
  void Delete(std::string_view key) override {
    mem_->Add(seq_++, memtable::EntryKind::kDelete, key, {});
  }

 private:
  memtable::MemTable* mem_;
  uint64_t seq_;
};

// Checks that a batch decodes completely, so a malformed one is rejected before any of it
// reaches the memtable.
class NullHandler final : public WriteBatch::Handler {
 public:
  void Put(std::string_view, std::string_view) override {}
  void Delete(std::string_view) override {}
};

}  // namespace

MemoryDb::MemoryDb(const Options& options)
    : options_(options),
      mem_(std::make_shared<memtable::MemTable>()),
      last_seq_(kFirstSequence - 1),
      visible_seq_(kFirstSequence - 1) {}

MemoryDb::~MemoryDb() { Close().IgnoreError(); }

Status MemoryDb::Write(const WriteBatch& batch, uint64_t* first_seq) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (closed_) return Status::Aborted("database is closed");
  const uint64_t first = last_seq_ + 1;
  if (first_seq != nullptr) *first_seq = first;
  const uint32_t count = batch.Count();
  if (count == 0) return Status::OK();
  if (kMaxSequence - last_seq_ < count) return Status::IOError("sequence numbers exhausted");
  NullHandler check;
  RETURN_IF_ERROR(batch.Iterate(&check));

  MemTableInserter inserter(mem_.get(), first);
  RETURN_IF_ERROR(batch.Iterate(&inserter));  // cannot fail: checked above
  last_seq_ += count;
  // Publish the whole batch at once: readers load visible_seq_ with acquire.
  visible_seq_.store(last_seq_, std::memory_order_release);
  return Status::OK();
}

uint64_t MemoryDb::SnapshotFor(const ReadOptions& options) const {
  const uint64_t visible = visible_seq_.load(std::memory_order_acquire);
  return options.snapshot == 0 ? visible : std::min(options.snapshot, visible);
}

Status MemoryDb::Get(const ReadOptions& options, std::string_view key, std::string* value) {
  switch (mem_->Get(key, SnapshotFor(options), value)) {
    case memtable::MemTable::GetResult::kFound:
      return Status::OK();
    case memtable::MemTable::GetResult::kDeleted:
    case memtable::MemTable::GetResult::kAbsent:
      break;
  }
  return Status::NotFound("key not found");
}

std::unique_ptr<Iterator> MemoryDb::NewIterator(const ReadOptions& options) {
  return NewDbIterator(NewMemTableIterator(mem_), SnapshotFor(options));
}

Status MemoryDb::Close() {
  std::lock_guard<std::mutex> lock(write_mu_);
  closed_ = true;  // memory mode has nothing to make durable
  return Status::OK();
}

}  // namespace strata::engine
