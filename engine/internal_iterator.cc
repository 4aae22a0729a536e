#include "engine/internal_iterator.h"

#include <utility>

namespace strata::engine {

namespace {

class MemTableInternalIterator final : public InternalIterator {
 public:
  explicit MemTableInternalIterator(std::shared_ptr<const memtable::MemTable> mem)
      : mem_(std::move(mem)), iter_(mem_.get()) {}

  bool Valid() const override { return iter_.Valid(); }
  void SeekToFirst() override { iter_.SeekToFirst(); }
  void SeekToLast() override { iter_.SeekToLast(); }
  void Seek(std::string_view internal_key) override { iter_.Seek(internal_key); }
  void Next() override { iter_.Next(); }
  void Prev() override { iter_.Prev(); }
  std::string_view key() const override { return iter_.key(); }
  std::string_view value() const override { return iter_.value(); }
  Status status() const override { return Status::OK(); }

 private:
  std::shared_ptr<const memtable::MemTable> mem_;
  memtable::MemTable::Iterator iter_;
};

class TableInternalIterator final : public InternalIterator {
 public:
  explicit TableInternalIterator(std::unique_ptr<sstable::Iterator> iter)
      : iter_(std::move(iter)) {}

  bool Valid() const override { return iter_->Valid(); }
  void SeekToFirst() override { iter_->SeekToFirst(); }
  void SeekToLast() override { iter_->SeekToLast(); }
  void Seek(std::string_view internal_key) override { iter_->Seek(internal_key); }
  void Next() override {
    if (iter_->Valid()) iter_->Next();
  }
  void Prev() override {
    if (iter_->Valid()) iter_->Prev();
  }
  std::string_view key() const override { return iter_->key(); }
  std::string_view value() const override { return iter_->value(); }
  Status status() const override { return iter_->status(); }

 private:
  const std::unique_ptr<sstable::Iterator> iter_;
};

class ErrorIterator final : public InternalIterator {
 public:
  explicit ErrorIterator(Status status) : status_(std::move(status)) {}

  bool Valid() const override { return false; }
  void SeekToFirst() override {}
  void SeekToLast() override {}
  void Seek(std::string_view) override {}
  void Next() override {}
  void Prev() override {}
  std::string_view key() const override { return {}; }
  std::string_view value() const override { return {}; }
  Status status() const override { return status_; }

 private:
  const Status status_;
};

}  // namespace

std::unique_ptr<InternalIterator> NewTableInternalIterator(
    std::unique_ptr<sstable::Iterator> iter) {
  return std::make_unique<TableInternalIterator>(std::move(iter));
}

std::unique_ptr<InternalIterator> NewErrorIterator(Status status) {
  return std::make_unique<ErrorIterator>(std::move(status));
}

std::unique_ptr<InternalIterator> NewMemTableIterator(
    std::shared_ptr<const memtable::MemTable> mem) {
  return std::make_unique<MemTableInternalIterator>(std::move(mem));
}

}  // namespace strata::engine
