#include "engine/merging_iterator.h"

#include <cassert>
#include <string>
#include <utility>

#include "memtable/internal_key.h"

namespace strata::engine {

namespace {

class MergingIterator final : public InternalIterator {
 public:
  MergingIterator(std::vector<std::unique_ptr<InternalIterator>> children,
                  std::shared_ptr<const void> pin)
      : pin_(std::move(pin)), children_(std::move(children)) {}

  bool Valid() const override { return current_ != nullptr; }

  void SeekToFirst() override {
    for (auto& child : children_) child->SeekToFirst();
    FindSmallest();
    direction_ = kForward;
  }

  void SeekToLast() override {
    for (auto& child : children_) child->SeekToLast();
    FindLargest();
    direction_ = kReverse;
  }

  void Seek(std::string_view target) override {
    for (auto& child : children_) child->Seek(target);
    FindSmallest();
    direction_ = kForward;
  }

  void Next() override {
    assert(Valid());
    // Every non-current child must sit after key(). Moving forward they already do; after a
    // reverse move they sit before it and are moved to the first entry > key().
    if (direction_ != kForward) {
      key_.assign(current_->key());
      for (auto& child : children_) {
        if (child.get() == current_) continue;
        child->Seek(key_);
        if (child->Valid() && memtable::CompareInternalKeys(key_, child->key()) == 0) {
          child->Next();
        }
      }
      direction_ = kForward;
    }
    current_->Next();
    FindSmallest();
  }

  void Prev() override {
    assert(Valid());
    // Every non-current child must sit on its last entry before key().
    if (direction_ != kReverse) {
      key_.assign(current_->key());
      for (auto& child : children_) {
        if (child.get() != current_) PositionBeforeKey(child.get());
      }
      direction_ = kReverse;
    }
    current_->Prev();
    FindLargest();
  }

  std::string_view key() const override {
    assert(Valid());
    return current_->key();
  }
  std::string_view value() const override {
    assert(Valid());
    return current_->value();
  }

  Status status() const override {
    for (const auto& child : children_) {
      Status s = child->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  enum Direction { kForward, kReverse };

  // Moves `child` to its last entry < key_ (invalid when there is none). Seeking to key_ and
  // stepping back once (or going to the last entry when every entry is before key_) is not
  // enough on its own: the active memtable may gain entries from a concurrent writer between
  // those two steps, so the SeekToLast after a Seek that found nothing can land on an entry
  // inserted after key_, and the Prev after a Seek onto a later entry can land on one inserted
  // between key_ and it. Such entries are newer than any reader's snapshot, but the merge would
  // then step "back" to a key after key(), and DbIter, which moves before a user key by a Seek
  // and a Prev, would return user keys it had already returned.
  void PositionBeforeKey(InternalIterator* child) {
    child->Seek(key_);
    if (child->Valid()) {
      child->Prev();
    } else {
      child->SeekToLast();
    }
    while (child->Valid() && memtable::CompareInternalKeys(child->key(), key_) >= 0) {
      child->Prev();
    }
  }

  // Children are few (memtables plus L0 files plus one per deeper level): a linear scan beats a
  // heap at this size.
  void FindSmallest() {
    InternalIterator* smallest = nullptr;
    for (auto& child : children_) {
      if (!child->Valid()) continue;
      if (smallest == nullptr || memtable::CompareInternalKeys(child->key(), smallest->key()) < 0) {
        smallest = child.get();
      }
    }
    current_ = smallest;
  }

  void FindLargest() {
    InternalIterator* largest = nullptr;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      InternalIterator* child = it->get();
      if (!child->Valid()) continue;
      if (largest == nullptr || memtable::CompareInternalKeys(child->key(), largest->key()) > 0) {
        largest = child;
      }
    }
    current_ = largest;
  }

  const std::shared_ptr<const void> pin_;  // destroyed after the children
  std::vector<std::unique_ptr<InternalIterator>> children_;
  InternalIterator* current_ = nullptr;
  Direction direction_ = kForward;
  std::string key_;  // the current key while changing direction
};

}  // namespace

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children, std::shared_ptr<const void> pin) {
  if (children.size() == 1 && pin == nullptr) return std::move(children.front());
  return std::make_unique<MergingIterator>(std::move(children), std::move(pin));
}

}  // namespace strata::engine
