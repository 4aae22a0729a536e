#pragma once

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>

#include "sstable/file.h"

namespace strata::testutil {

// FaultInjectionWritableFile wraps a sstable::WritableFile and injects what a table writer must
// survive: an Append failing with an errno after a byte budget (having written the bytes that
// fit the budget), and a failing Sync. A failure is latched like a real file's: every later
// call returns it. It also counts the bytes known durable (appended before a successful Sync).
//
// Thread-safety: none (one builder owns it). Lifecycle: owns the wrapped file.
class FaultInjectionWritableFile final : public sstable::WritableFile {
 public:
  explicit FaultInjectionWritableFile(std::unique_ptr<sstable::WritableFile> target)
      : target_(std::move(target)) {}

  // Appends beyond `ok_bytes` more bytes fail with `err` (the bytes within budget are written).
  void FailAppendAfter(uint64_t ok_bytes, int err) {
    append_budget_ = static_cast<int64_t>(ok_bytes);
    append_errno_ = err;
  }
  void FailNextSync(int err) { sync_errno_ = err; }

  uint64_t appended_bytes() const { return appended_; }
  uint64_t synced_bytes() const { return synced_; }
  int syncs() const { return syncs_; }

  Status Append(std::string_view data) override;
  Status Sync() override;
  Status Close() override;
  std::string_view Name() const override { return target_->Name(); }

 private:
  Status Fail(int err, std::string_view what);

  const std::unique_ptr<sstable::WritableFile> target_;
  int64_t append_budget_ = -1;  // -1: unlimited
  int append_errno_ = 0;
  int sync_errno_ = 0;
  uint64_t appended_ = 0;
  uint64_t synced_ = 0;
  int syncs_ = 0;
  Status error_;
};

// FaultInjectionRandomAccessFile wraps a sstable::RandomAccessFile: reads touching bytes in
// [begin, end) fail with an errno, and reads past a truncation point come back short (as if
// the file had been truncated there).
// Thread-safety: as thread-safe as the target once configured. Lifecycle: owns the target.
class FaultInjectionRandomAccessFile final : public sstable::RandomAccessFile {
 public:
  explicit FaultInjectionRandomAccessFile(std::unique_ptr<sstable::RandomAccessFile> target)
      : target_(std::move(target)) {}

  // Configure before sharing with readers.
  void FailReadsIn(uint64_t begin, uint64_t end, int err = EIO) {
    fail_begin_ = begin;
    fail_end_ = end;
    read_errno_ = err;
  }
  void TruncateReadsAt(uint64_t offset) { truncate_at_ = offset; }

  Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const override;
  Result<uint64_t> Size() const override { return target_->Size(); }
  std::string_view Name() const override { return target_->Name(); }

 private:
  const std::unique_ptr<sstable::RandomAccessFile> target_;
  uint64_t fail_begin_ = 0;
  uint64_t fail_end_ = 0;
  int read_errno_ = EIO;
  uint64_t truncate_at_ = UINT64_MAX;
};

}  // namespace strata::testutil
