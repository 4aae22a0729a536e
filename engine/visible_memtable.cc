#include "engine/visible_memtable.h"

#include <algorithm>
#include <utility>

#include "engine/db_iter.h"
#include "engine/internal_iterator.h"
#include "engine/merging_iterator.h"
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

VisibleMemTable::VisibleMemTable(size_t rebuild_bytes, std::shared_ptr<const TableSet> tables)
    : rebuild_bytes_(rebuild_bytes),
      tables_(std::move(tables)),
      rebuild_limit_(rebuild_bytes),
      snapshots_(std::make_shared<SnapshotRegistry>()),
      active_(std::make_shared<memtable::MemTable>()),
      visible_seq_(kFirstSequence - 1) {
  auto view = std::make_shared<View>();
  view->mem = active_;
  view_ = std::move(view);
}

Status VisibleMemTable::CheckOps(std::string_view ops, uint32_t count) {
  NullHandler check;
  return WriteBatch::IterateOps(ops, count, &check);
}

Status VisibleMemTable::Insert(std::string_view ops, uint32_t count, uint64_t first_seq,
                               uint64_t commit_time_us) {
  if (first_seq < kFirstSequence || first_seq > kMaxSequence ||
      kMaxSequence - first_seq + 1 < count) {
    return Status::Corruption("sequence number " + std::to_string(first_seq) + " out of range");
  }
  active_->NoteCommitTime(commit_time_us);
  MemTableInserter inserter(active_.get(), first_seq);
  return WriteBatch::IterateOps(ops, count, &inserter);
}

std::shared_ptr<const VisibleMemTable::View> VisibleMemTable::CurrentView() const {
  std::lock_guard<std::mutex> lock(pin_mu_);
  return view_;
}

void VisibleMemTable::SetView(std::shared_ptr<const View> view) {
  std::shared_ptr<const View> old;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    old = std::exchange(view_, std::move(view));
  }
  // `old` (and what only it held) is freed here, outside the lock, unless a reader pins it.
}

void VisibleMemTable::MaybeRebuild() {
  const size_t usage = active_->ApproximateMemoryUsage();
  if (usage <= rebuild_limit_) return;
  // Nothing is inserted while we run (one writer), so every entry of active_ is visible.
  const uint64_t horizon = OldestReadableSequence();
  auto fresh = std::make_shared<memtable::MemTable>();
  memtable::MemTable::Iterator iter(active_.get());
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
      // and so is this one when it is a tombstone (memory mode: nothing older exists elsewhere).
      skipping = user_key;  // a view into active_, which outlives the loop
      skip = true;
      if (kind == memtable::EntryKind::kDelete) continue;
    }
    fresh->Add(seq, kind, user_key, iter.value());
  }
  const size_t kept = fresh->ApproximateMemoryUsage();
  rebuild_limit_ = std::max(rebuild_bytes_, 2 * kept);
  std::shared_ptr<memtable::MemTable> old = std::exchange(active_, std::move(fresh));
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    auto view = std::make_shared<View>(*view_);
    view->mem = active_;
    view_ = std::move(view);
  }
  rebuilds_.fetch_add(1, std::memory_order_relaxed);
  // `old` is freed here unless a reader still pins it.
}

bool VisibleMemTable::SwitchMemTable(uint64_t log_number) {
  memtable::MemTable::Iterator probe(active_.get());
  probe.SeekToFirst();
  if (!probe.Valid()) return false;  // empty: nothing to flush
  ImmutableMemTable imm;
  imm.mem = active_;
  imm.log_number = log_number;
  imm.last_seq = visible_seq();
  active_ = std::make_shared<memtable::MemTable>();
  std::lock_guard<std::mutex> lock(pin_mu_);
  auto view = std::make_shared<View>(*view_);
  view->mem = active_;
  view->immutables.push_back(std::move(imm));
  num_immutables_.store(view->immutables.size(), std::memory_order_release);
  view_ = std::move(view);
  return true;
}

std::optional<ImmutableMemTable> VisibleMemTable::OldestImmutable() const {
  std::shared_ptr<const View> view = CurrentView();
  if (view->immutables.empty()) return std::nullopt;
  return view->immutables.front();
}

void VisibleMemTable::InstallVersion(std::shared_ptr<const Version> version,
                                     bool drop_oldest_immutable) {
  std::shared_ptr<const View> old;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    auto view = std::make_shared<View>(*view_);
    view->version = std::move(version);
    if (drop_oldest_immutable && !view->immutables.empty()) {
      view->immutables.erase(view->immutables.begin());
    }
    num_immutables_.store(view->immutables.size(), std::memory_order_release);
    old = std::exchange(view_, std::move(view));
  }
}

std::shared_ptr<const Version> VisibleMemTable::version() const { return CurrentView()->version; }

std::shared_ptr<const Snapshot> VisibleMemTable::GetSnapshot() {
  return snapshots_->Register([this] { return visible_seq(); });
}

uint64_t VisibleMemTable::OldestReadableSequence() const {
  return snapshots_->OldestOr([this] { return visible_seq(); });
}

size_t VisibleMemTable::ApproximateMemoryUsage() const {
  return CurrentView()->mem->ApproximateMemoryUsage();
}

size_t VisibleMemTable::TotalMemoryUsage() const {
  std::shared_ptr<const View> view = CurrentView();
  size_t total = view->mem->ApproximateMemoryUsage();
  for (const ImmutableMemTable& imm : view->immutables) total += imm.mem->ApproximateMemoryUsage();
  return total;
}

VisibleMemTable::Pinned VisibleMemTable::Pin(const ReadOptions& options) const {
  Pinned pinned;
  uint64_t visible;
  {
    std::lock_guard<std::mutex> lock(pin_mu_);
    pinned.view = view_;
    visible = visible_seq();
  }
  pinned.seq = options.snapshot == 0 ? visible : std::min(options.snapshot, visible);
  return pinned;
}

namespace {

// kFound / kDeleted end a lookup; kAbsent goes on to older data.
bool Decided(memtable::MemTable::GetResult r) {
  return r != memtable::MemTable::GetResult::kAbsent;
}

Status FoundOrNotFound(bool found) {
  return found ? Status::OK() : Status::NotFound("key not found");
}

}  // namespace

Status VisibleMemTable::Get(const ReadOptions& options, std::string_view key,
                            std::string* value) const {
  const Pinned pinned = Pin(options);
  const View& view = *pinned.view;
  memtable::MemTable::GetResult r = view.mem->Get(key, pinned.seq, value);
  if (Decided(r)) return FoundOrNotFound(r == memtable::MemTable::GetResult::kFound);
  for (auto it = view.immutables.rbegin(); it != view.immutables.rend(); ++it) {
    r = it->mem->Get(key, pinned.seq, value);
    if (Decided(r)) return FoundOrNotFound(r == memtable::MemTable::GetResult::kFound);
  }
  if (view.version == nullptr || tables_ == nullptr) return FoundOrNotFound(false);
  ASSIGN_OR_RETURN(TableSet::GetResult t, tables_->Get(*view.version, key, pinned.seq, value));
  return FoundOrNotFound(t == TableSet::GetResult::kFound);
}

std::unique_ptr<Iterator> VisibleMemTable::NewIterator(const ReadOptions& options) const {
  Pinned pinned = Pin(options);
  const View& view = *pinned.view;
  std::vector<std::unique_ptr<InternalIterator>> children;
  children.push_back(NewMemTableIterator(view.mem));
  for (auto it = view.immutables.rbegin(); it != view.immutables.rend(); ++it) {
    children.push_back(NewMemTableIterator(it->mem));
  }
  if (view.version != nullptr && tables_ != nullptr) {
    tables_->AddIterators(view.version, &children);
  }
  // The merging iterator pins the view: its Version keeps the SSTables from being deleted.
  std::shared_ptr<const void> pin;
  if (view.version != nullptr) pin = pinned.view;
  return NewDbIterator(NewMergingIterator(std::move(children), std::move(pin)), pinned.seq);
}

}  // namespace strata::engine
