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

}  // namespace

std::unique_ptr<InternalIterator> NewMemTableIterator(
    std::shared_ptr<const memtable::MemTable> mem) {
  return std::make_unique<MemTableInternalIterator>(std::move(mem));
}

}  // namespace strata::engine
