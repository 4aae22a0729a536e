#include "engine/visible_memtable.h"

#include <algorithm>

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

VisibleMemTable::VisibleMemTable()
    : mem_(std::make_shared<memtable::MemTable>()), visible_seq_(kFirstSequence - 1) {}

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

uint64_t VisibleMemTable::SnapshotFor(const ReadOptions& options) const {
  const uint64_t visible = visible_seq();
  return options.snapshot == 0 ? visible : std::min(options.snapshot, visible);
}

Status VisibleMemTable::Get(const ReadOptions& options, std::string_view key,
                            std::string* value) const {
  switch (mem_->Get(key, SnapshotFor(options), value)) {
    case memtable::MemTable::GetResult::kFound:
      return Status::OK();
    case memtable::MemTable::GetResult::kDeleted:
    case memtable::MemTable::GetResult::kAbsent:
      break;
  }
  return Status::NotFound("key not found");
}

std::unique_ptr<Iterator> VisibleMemTable::NewIterator(const ReadOptions& options) const {
  return NewDbIterator(NewMemTableIterator(mem_), SnapshotFor(options));
}

}  // namespace strata::engine
