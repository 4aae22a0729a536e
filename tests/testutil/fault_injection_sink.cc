#include "tests/testutil/fault_injection_sink.h"

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cstring>

#include "util/result.h"

namespace strata::testutil {

namespace {

uint64_t InodeOf(int fd, uint64_t* size) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return 0;
  if (size != nullptr) *size = st.st_size;
  return st.st_ino;
}

}  // namespace

FaultInjectionSink::FaultInjectionSink(std::unique_ptr<wal::Sink> target)
    : target_(std::move(target)) {}

void FaultInjectionSink::FailWriteAfter(int ok_writes, int err, size_t partial_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_write_countdown_ = ok_writes;
  fail_write_errno_ = err;
  fail_write_partial_ = partial_bytes;
}

void FaultInjectionSink::FailNextSync(int err) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_sync_errno_ = err;
}

int FaultInjectionSink::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

int FaultInjectionSink::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

uint64_t FaultInjectionSink::unsynced_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = 0;
  for (const auto& [fd, undos] : undo_) {
    for (const Undo& u : undos) n += u.length;
  }
  return n;
}

Status FaultInjectionSink::Fail(int err, std::string_view what) {
  return Status::IOError(std::string("injected ") + std::string(what) +
                         " failure: " + std::strerror(err));
}

void FaultInjectionSink::RecordUndo(int fd, uint64_t offset, size_t length) {
  Undo u;
  u.inode = InodeOf(fd, &u.old_size);
  u.offset = offset;
  u.length = length;
  if (offset < u.old_size) {
    u.old_bytes.resize(std::min<uint64_t>(length, u.old_size - offset));
    const ssize_t n = ::pread(fd, u.old_bytes.data(), u.old_bytes.size(), offset);
    u.old_bytes.resize(n < 0 ? 0 : n);
  }
  undo_[fd].push_back(std::move(u));
}

Status FaultInjectionSink::Write(int fd, uint64_t offset, std::string_view data, bool durable) {
  std::lock_guard<std::mutex> lock(mu_);
  if (crashed_) return Status::IOError("simulated crash");
  writes_++;
  if (fail_write_countdown_ == 0) {
    fail_write_countdown_ = -1;
    const size_t partial = std::min(fail_write_partial_, data.size());
    if (partial > 0) {
      RecordUndo(fd, offset, partial);
      target_->Write(fd, offset, data.substr(0, partial), false).IgnoreError();
    }
    return Fail(fail_write_errno_, "write");
  }
  if (fail_write_countdown_ > 0) fail_write_countdown_--;

  if (durable && fail_sync_errno_ != 0) {
    // The data reaches the file but is not durable; the sync step fails.
    RecordUndo(fd, offset, data.size());
    RETURN_IF_ERROR(target_->Write(fd, offset, data, false));
    const int err = fail_sync_errno_;
    fail_sync_errno_ = 0;
    return Fail(err, "fdatasync");
  }
  // A durable write makes only its own range durable: no undo entry for it.
  if (!durable) RecordUndo(fd, offset, data.size());
  RETURN_IF_ERROR(target_->Write(fd, offset, data, durable));
  if (durable) durable_end_[fd] = std::max(durable_end_[fd], offset + data.size());
  return Status::OK();
}

Status FaultInjectionSink::Sync(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (crashed_) return Status::IOError("simulated crash");
  syncs_++;
  if (fail_sync_errno_ != 0) {
    const int err = fail_sync_errno_;
    fail_sync_errno_ = 0;
    return Fail(err, "fdatasync");
  }
  RETURN_IF_ERROR(target_->Sync(fd));
  undo_.erase(fd);
  durable_end_.erase(fd);
  return Status::OK();
}

void FaultInjectionSink::Crash() {
  std::lock_guard<std::mutex> lock(mu_);
  crashed_ = true;
  for (auto& [fd, undos] : undo_) {
    uint64_t min_size = ~uint64_t{0};
    bool valid = true;
    for (auto it = undos.rbegin(); it != undos.rend(); ++it) {
      if (InodeOf(fd, nullptr) != it->inode) {
        valid = false;  // the descriptor was closed and reused
        break;
      }
      if (!it->old_bytes.empty()) {
        if (::pwrite(fd, it->old_bytes.data(), it->old_bytes.size(), it->offset) < 0) continue;
      }
      min_size = std::min(min_size, it->old_size);
    }
    if (auto it = durable_end_.find(fd); it != durable_end_.end()) {
      min_size = std::max(min_size, it->second);
    }
    if (valid && min_size != ~uint64_t{0}) {
      uint64_t size = 0;
      InodeOf(fd, &size);
      if (size > min_size) {
        // Bytes written past the old end of file are lost.
        if (::ftruncate(fd, min_size) != 0) continue;
      }
    }
  }
  undo_.clear();
  durable_end_.clear();
}

}  // namespace strata::testutil
