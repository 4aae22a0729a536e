#include "sstable/block.h"

#include "util/coding.h"

namespace strata::sstable {
namespace {

// One varint32 from the front of `*in`, inlined with a one-byte fast path (entry headers are
// decoded on every step of every block scan).
inline bool GetVarint32Fast(std::string_view* in, uint32_t* v) {
  if (!in->empty() && static_cast<uint8_t>((*in)[0]) < 128) {
    *v = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    return true;
  }
  return GetVarint32(in, v);
}

// Decodes an entry header: shared, non_shared and value_length.
inline bool DecodeEntryHeader(std::string_view* in, uint32_t* shared, uint32_t* non_shared,
                              uint32_t* value_length) {
  return GetVarint32Fast(in, shared) && GetVarint32Fast(in, non_shared) &&
         GetVarint32Fast(in, value_length);
}

}  // namespace

std::shared_ptr<const Block> Block::Parse(std::string contents) {
  if (contents.size() < sizeof(uint32_t)) return nullptr;
  const size_t max_restarts = (contents.size() - sizeof(uint32_t)) / sizeof(uint32_t);
  uint32_t num_restarts = DecodeFixed32(contents.data() + contents.size() - sizeof(uint32_t));
  if (num_restarts == 0 || num_restarts > max_restarts) return nullptr;
  if (contents.size() > UINT32_MAX) return nullptr;
  const uint32_t restart_offset =
      static_cast<uint32_t>(contents.size() - (1 + size_t{num_restarts}) * sizeof(uint32_t));
  // Restart points must be strictly increasing, start at 0 and point inside the entries.
  uint32_t previous = 0;
  for (uint32_t i = 0; i < num_restarts; i++) {
    uint32_t r = DecodeFixed32(contents.data() + restart_offset + i * sizeof(uint32_t));
    if (i == 0 ? r != 0 : (r <= previous || r >= restart_offset)) return nullptr;
    previous = r;
  }
  std::shared_ptr<Block> block(new Block());
  block->data_ = std::move(contents);
  block->restart_offset_ = restart_offset;
  block->num_restarts_ = num_restarts;
  return block;
}

void BlockIter::Init(const Block* block, CompareFn compare) {
  compare_ = compare;
  data_ = block->data().data();
  restarts_ = block->restart_offset();
  num_restarts_ = block->num_restarts();
  status_ = Status::OK();
  Invalidate();
}

uint32_t BlockIter::GetRestartPoint(uint32_t index) const {
  return DecodeFixed32(data_ + restarts_ + index * sizeof(uint32_t));
}

void BlockIter::SeekToRestartPoint(uint32_t index) {
  key_.clear();
  restart_index_ = index;
  // ParseNextKey() starts at the end of value_: point it at the restart.
  value_ = std::string_view(data_ + GetRestartPoint(index), 0);
}

void BlockIter::CorruptionError(std::string_view what) {
  Invalidate();
  status_ = Status::Corruption(what);
}

bool BlockIter::ParseNextKey() {
  current_ = NextEntryOffset();
  if (current_ >= restarts_) {
    Invalidate();
    return false;
  }
  std::string_view in(data_ + current_, restarts_ - current_);
  uint32_t shared, non_shared, value_length;
  if (!DecodeEntryHeader(&in, &shared, &non_shared, &value_length)) {
    CorruptionError("bad block entry header");
    return false;
  }
  if (shared > key_.size() || non_shared > in.size() || value_length > in.size() - non_shared) {
    CorruptionError("block entry extends past its block");
    return false;
  }
  key_.resize(shared);
  key_.append(in.data(), non_shared);
  value_ = std::string_view(in.data() + non_shared, value_length);
  while (restart_index_ + 1 < num_restarts_ && GetRestartPoint(restart_index_ + 1) <= current_) {
    ++restart_index_;
  }
  return true;
}

void BlockIter::SeekToFirst() {
  if (!status_.ok()) return;
  SeekToRestartPoint(0);
  ParseNextKey();
}

void BlockIter::SeekToLast() {
  if (!status_.ok()) return;
  SeekToRestartPoint(num_restarts_ - 1);
  while (ParseNextKey() && NextEntryOffset() < restarts_) {
  }
}

void BlockIter::Next() {
  if (!Valid()) return;
  ParseNextKey();
}

void BlockIter::Prev() {
  if (!Valid()) return;
  const uint32_t original = current_;
  while (GetRestartPoint(restart_index_) >= original) {
    if (restart_index_ == 0) {
      Invalidate();  // before the first entry
      return;
    }
    restart_index_--;
  }
  SeekToRestartPoint(restart_index_);
  while (ParseNextKey() && NextEntryOffset() < original) {
  }
}

void BlockIter::Seek(std::string_view target) {
  if (!status_.ok()) return;
  // Binary search for the last restart point whose key is < target.
  uint32_t left = 0;
  uint32_t right = num_restarts_ - 1;
  while (left < right) {
    uint32_t mid = (left + right + 1) / 2;
    uint32_t offset = GetRestartPoint(mid);
    std::string_view in(data_ + offset, restarts_ - offset);
    uint32_t shared, non_shared, value_length;
    if (!DecodeEntryHeader(&in, &shared, &non_shared, &value_length) || shared != 0 ||
        non_shared > in.size()) {
      CorruptionError("bad block restart entry");
      return;
    }
    if (compare_(std::string_view(in.data(), non_shared), target) < 0) {
      left = mid;
    } else {
      right = mid - 1;
    }
  }
  SeekToRestartPoint(left);
  while (ParseNextKey()) {
    if (compare_(key_, target) >= 0) return;
  }
}

}  // namespace strata::sstable
