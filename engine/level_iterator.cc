#include "engine/level_iterator.h"

#include <cassert>
#include <utility>

#include "memtable/internal_key.h"

namespace strata::engine {

size_t FindFile(const std::vector<FileRef>& files, std::string_view internal_key) {
  size_t lo = 0;
  size_t hi = files.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (memtable::CompareInternalKeys(files[mid]->largest, internal_key) < 0) {
      lo = mid + 1;  // every key of files[mid] is < internal_key
    } else {
      hi = mid;
    }
  }
  return lo;
}

namespace {

class LevelIterator final : public InternalIterator {
 public:
  LevelIterator(std::vector<FileRef> files, TableIteratorOpener opener)
      : files_(std::move(files)), opener_(std::move(opener)) {}

  bool Valid() const override { return iter_ != nullptr && iter_->Valid(); }

  void SeekToFirst() override {
    if (!OpenFile(0)) return;
    if (iter_ != nullptr) iter_->SeekToFirst();
    SkipEmptyFilesForward();
  }

  void SeekToLast() override {
    if (!OpenFile(files_.empty() ? 0 : files_.size() - 1)) return;
    if (iter_ != nullptr) iter_->SeekToLast();
    SkipEmptyFilesBackward();
  }

  void Seek(std::string_view target) override {
    if (!OpenFile(FindFile(files_, target))) return;
    if (iter_ != nullptr) iter_->Seek(target);
    SkipEmptyFilesForward();
  }

  void Next() override {
    assert(Valid());
    iter_->Next();
    SkipEmptyFilesForward();
  }

  void Prev() override {
    assert(Valid());
    iter_->Prev();
    SkipEmptyFilesBackward();
  }

  std::string_view key() const override { return iter_->key(); }
  std::string_view value() const override { return iter_->value(); }

  Status status() const override {
    if (!status_.ok()) return status_;
    return iter_ != nullptr ? iter_->status() : Status::OK();
  }

 private:
  // Opens files_[index] (index == files_.size(): none). False when that failed.
  bool OpenFile(size_t index) {
    if (iter_ != nullptr && index == index_) return true;
    if (iter_ != nullptr && !iter_->status().ok() && status_.ok()) status_ = iter_->status();
    iter_.reset();
    index_ = index;
    if (index >= files_.size()) return true;
    Result<std::unique_ptr<InternalIterator>> opened = opener_(*files_[index]);
    if (!opened.ok()) {
      if (status_.ok()) status_ = opened.status();
      return false;
    }
    iter_ = std::move(opened).value();
    return true;
  }

  void SkipEmptyFilesForward() {
    while (iter_ != nullptr && !iter_->Valid() && iter_->status().ok()) {
      if (index_ + 1 >= files_.size()) {
        iter_.reset();
        return;
      }
      if (!OpenFile(index_ + 1)) return;
      iter_->SeekToFirst();
    }
  }

  void SkipEmptyFilesBackward() {
    while (iter_ != nullptr && !iter_->Valid() && iter_->status().ok()) {
      if (index_ == 0) {
        iter_.reset();
        return;
      }
      if (!OpenFile(index_ - 1)) return;
      iter_->SeekToLast();
    }
  }

  const std::vector<FileRef> files_;
  const TableIteratorOpener opener_;
  size_t index_ = 0;
  std::unique_ptr<InternalIterator> iter_;  // over files_[index_]; null when none
  Status status_;  // the first open failure (or the status of a file left behind)
};

}  // namespace

std::unique_ptr<InternalIterator> NewLevelIterator(std::vector<FileRef> files,
                                                   TableIteratorOpener opener) {
  return std::make_unique<LevelIterator>(std::move(files), std::move(opener));
}

}  // namespace strata::engine
