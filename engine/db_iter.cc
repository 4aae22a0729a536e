#include "engine/db_iter.h"

#include <cassert>
#include <string>
#include <utility>

#include "memtable/internal_key.h"

namespace strata::engine {

namespace {

using memtable::EntryKind;
using memtable::ParsedInternalKey;

// DbIter keeps one invariant instead of LevelDB's forward/backward direction states: while
// Valid(), the internal iterator sits exactly on the entry being returned, the newest version
// of key() visible at the snapshot. Moving backwards re-seeks to find the visible version of
// the previous user key; each step costs a few O(log n) seeks, whatever the number of hidden
// versions.
class DbIter final : public Iterator {
 public:
  DbIter(std::unique_ptr<InternalIterator> iter, uint64_t snapshot)
      : iter_(std::move(iter)), snapshot_(snapshot) {}

  bool Valid() const override { return valid_; }

  void SeekToFirst() override {
    iter_->SeekToFirst();
    FindNextUserEntry();
  }

  void SeekToLast() override {
    iter_->SeekToLast();
    FindPrevUserEntry();
  }

  void Seek(std::string_view target) override {
    SeekInternal(target, snapshot_, memtable::kKindForSeek);
    FindNextUserEntry();
  }

  void SeekForPrev(std::string_view target) override {
    saved_key_.assign(target);
    if (PositionAtVisibleVersion() || !status_.ok()) return;
    MoveBeforeSavedKey();
    FindPrevUserEntry();
  }

  void Next() override {
    assert(valid_);
    SkipPastSavedKey();
    FindNextUserEntry();
  }

  void Prev() override {
    assert(valid_);
    MoveBeforeSavedKey();
    FindPrevUserEntry();
  }

  std::string_view key() const override {
    assert(valid_);
    return saved_key_;
  }

  std::string_view value() const override {
    assert(valid_);
    return iter_->value();
  }

  Status status() const override { return status_.ok() ? iter_->status() : status_; }

 private:
  // After this many Next() calls over hidden versions of one key, seek past them instead.
  static constexpr int kStepsBeforeSeek = 8;

  void SeekInternal(std::string_view user_key, uint64_t seq, EntryKind kind) {
    scratch_.clear();
    memtable::AppendInternalKey(&scratch_, user_key, seq, kind);
    iter_->Seek(scratch_);
  }

  // Parses the current entry. REQUIRES: iter_->Valid(). On a malformed key records Corruption,
  // makes this iterator invalid and returns false.
  bool ParseCurrent(ParsedInternalKey* ikey) {
    if (memtable::ParseInternalKey(iter_->key(), ikey)) return true;
    status_ = Status::Corruption("malformed internal key");
    valid_ = false;
    return false;
  }

  // Scans forward from the current entry to the first visible live user key.
  void FindNextUserEntry() {
    ParsedInternalKey ikey;
    while (iter_->Valid()) {
      if (!ParseCurrent(&ikey)) return;
      if (ikey.sequence > snapshot_) {
        iter_->Next();  // newer than the snapshot
        continue;
      }
      // The first version <= snapshot met while moving forward is the newest visible one.
      saved_key_.assign(ikey.user_key);
      if (ikey.kind == EntryKind::kPut) {
        valid_ = true;
        return;
      }
      SkipPastSavedKey();  // deleted at the snapshot
    }
    valid_ = false;
  }

  // Moves the internal iterator to the first entry whose user key is after saved_key_.
  void SkipPastSavedKey() {
    for (int i = 0; i < kStepsBeforeSeek; i++) {
      iter_->Next();
      if (!iter_->Valid() || !CurrentUserKeyIsSaved()) return;
    }
    // Many versions: seek to the smallest internal key of saved_key_, then step past it.
    SeekInternal(saved_key_, 0, EntryKind::kDelete);
    while (iter_->Valid() && CurrentUserKeyIsSaved()) iter_->Next();
  }

  // Moves the internal iterator to the last entry whose user key is before saved_key_.
  void MoveBeforeSavedKey() {
    SeekInternal(saved_key_, memtable::kMaxSequenceNumber, memtable::kKindForSeek);
    if (iter_->Valid()) {
      iter_->Prev();
    } else {
      iter_->SeekToLast();
    }
  }

  // Positions at the newest version of saved_key_ visible at the snapshot; true (and Valid())
  // when it exists and is a Put.
  bool PositionAtVisibleVersion() {
    SeekInternal(saved_key_, snapshot_, memtable::kKindForSeek);
    if (!iter_->Valid()) return false;
    ParsedInternalKey ikey;
    if (!ParseCurrent(&ikey)) return false;
    if (ikey.user_key != saved_key_ || ikey.kind != EntryKind::kPut) return false;
    valid_ = true;
    return true;
  }

  // Scans backward from the current entry, the oldest version of its user key, to the last
  // visible live user key.
  void FindPrevUserEntry() {
    ParsedInternalKey ikey;
    while (iter_->Valid()) {
      if (!ParseCurrent(&ikey)) return;
      saved_key_.assign(ikey.user_key);
      // When even the oldest version is newer than the snapshot, nothing of this key is
      // visible; otherwise look at the newest visible version.
      if (ikey.sequence <= snapshot_) {
        if (PositionAtVisibleVersion()) return;
        if (!status_.ok()) return;
      }
      MoveBeforeSavedKey();
    }
    valid_ = false;
  }

  bool CurrentUserKeyIsSaved() const {
    std::string_view k = iter_->key();
    return k.size() >= memtable::kTagSize && memtable::ExtractUserKey(k) == saved_key_;
  }

  std::unique_ptr<InternalIterator> iter_;
  const uint64_t snapshot_;
  bool valid_ = false;
  std::string saved_key_;  // the current user key while valid_
  std::string scratch_;    // seek targets
  Status status_;
};

}  // namespace

std::unique_ptr<Iterator> NewDbIterator(std::unique_ptr<InternalIterator> internal,
                                        uint64_t snapshot) {
  return std::make_unique<DbIter>(std::move(internal), snapshot);
}

}  // namespace strata::engine
