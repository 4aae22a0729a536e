#include "engine/visible_memtable.h"

#include <algorithm>
#include <utility>

#include "engine/db_iter.h"
#include "engine/internal_iterator.h"
#include "engine/write_batch.h"
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

// Decodes ops without doing anything with them.
class NullHandler final : public WriteBatch::Handler {
 public:
  void Put(std::string_view, std::string_view) override {}
  void Delete(std::string_view) override {}
};

}  // namespace

VisibleMemTable::VisibleMemTable(size_t rebuild_bytes)
    : rebuild_bytes_(rebuild_bytes),
      rebuild_limit_(rebuild_bytes),
      snapshots_(std::make_shared<SnapshotRegistry>()),
      mem_(std::make_shared<memtable::MemTable>()),
      visible_seq_(kFirstSequence - 1) {}

Status VisibleMemTable::CheckOps(std::string_view ops, uint32_t count) {
  NullHandler check;
  return WriteBatch::IterateOps(ops, count, &check);
}

Status VisibleMemTable::Insert(std::string_view ops, uint32_t count, uint64_t first_seq) {
  if (first_seq < kFirstSequence || first_seq > kMaxSequence ||
      kMaxSequence - first_seq + 1 < count) {
    return Status::Corruption("sequence number " + std::to_string(first_seq) + " out of range");
  }
  MemTableInserter inserter(mem_.get(), first_seq);
  return WriteBatch::IterateOps(ops, count, &inserter);
}

void VisibleMemTable::MaybeRebuild() {
  const size_t usage = mem_->ApproximateMemoryUsage();
  if (usage <= rebuild_limit_) return;
  // Nothing is inserted while we run (one writer), so every entry of mem_ is visible.
  const uint64_t horizon = snapshots_->OldestOr([this] { return visible_seq(); });
  auto fresh = std::make_shared<memtable::MemTable>();
  memtable::MemTable::Iterator iter(mem_.get());
  std::string_view skipping;  // the user key whose version at or below horizon was handled
  bool skip = false;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
    const std::string_view user_key = iter.user_key();
    if (skip && user_key == skipping) continue;
    skip = false;
    const uint64_t seq = iter.sequence();
    const memtable::EntryKind kind = iter.kind();
    if (seq <= horizon) {
      // The newest version a read at or after the horizon can see; older ones are garbage,
      // and so is this one when it is a tombstone (nothing older is kept, no SSTables yet).
      skipping = user_key;  // a view into mem_, which outlives the loop
      skip = true;
      if (kind == memtable::EntryKind::kDelete) continue;
    }
    fresh->Add(seq, kind, user_key, iter.value());
  }
  const size_t kept = fresh->ApproximateMemoryUsage();
  rebuild_limit_ = std::max(rebuild_bytes_, 2 * kept);
  std::shared_ptr<memtable::MemTable> old;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    old = std::exchange(mem_, std::move(fresh));
  }
  rebuilds_.fetch_add(1, std::memory_order_relaxed);
  // `old` is freed here unless a reader still pins it.
}

std::shared_ptr<const Snapshot> VisibleMemTable::GetSnapshot() {
  return snapshots_->Register([this] { return visible_seq(); });
}

size_t VisibleMemTable::ApproximateMemoryUsage() const {
  std::shared_ptr<const memtable::MemTable> mem;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    mem = mem_;
  }
  return mem->ApproximateMemoryUsage();
}

VisibleMemTable::Pinned VisibleMemTable::Pin(const ReadOptions& options) const {
  Pinned pinned;
  uint64_t visible;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    pinned.mem = mem_;
    visible = visible_seq();
  }
  pinned.seq = options.snapshot == 0 ? visible : std::min(options.snapshot, visible);
  return pinned;
}

Status VisibleMemTable::Get(const ReadOptions& options, std::string_view key,
                            std::string* value) const {
  const Pinned pinned = Pin(options);
  switch (pinned.mem->Get(key, pinned.seq, value)) {
    case memtable::MemTable::GetResult::kFound:
      return Status::OK();
    case memtable::MemTable::GetResult::kDeleted:
    case memtable::MemTable::GetResult::kAbsent:
      break;
  }
  return Status::NotFound("key not found");
}

std::unique_ptr<Iterator> VisibleMemTable::NewIterator(const ReadOptions& options) const {
  Pinned pinned = Pin(options);
  return NewDbIterator(NewMemTableIterator(std::move(pinned.mem)), pinned.seq);
}

}  // namespace strata::engine
