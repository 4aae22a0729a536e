#include "tests/testutil/fault_injection_file.h"

#include <cstring>

namespace strata::testutil {

Status FaultInjectionWritableFile::Fail(int err, std::string_view what) {
  error_ = Status::IOError(std::string(what) + " " + std::string(Name()) + ": " +
                           std::strerror(err) + " (injected)");
  return error_;
}

Status FaultInjectionWritableFile::Append(std::string_view data) {
  RETURN_IF_ERROR(error_);
  if (append_budget_ >= 0 && static_cast<int64_t>(data.size()) > append_budget_) {
    std::string_view part = data.substr(0, static_cast<size_t>(append_budget_));
    if (!part.empty()) {
      RETURN_IF_ERROR(target_->Append(part));
      appended_ += part.size();
    }
    append_budget_ = 0;
    return Fail(append_errno_, "write");
  }
  RETURN_IF_ERROR(target_->Append(data));
  if (append_budget_ >= 0) append_budget_ -= static_cast<int64_t>(data.size());
  appended_ += data.size();
  return Status::OK();
}

Status FaultInjectionWritableFile::Sync() {
  RETURN_IF_ERROR(error_);
  syncs_++;
  if (sync_errno_ != 0) {
    int err = sync_errno_;
    sync_errno_ = 0;
    return Fail(err, "fdatasync");
  }
  RETURN_IF_ERROR(target_->Sync());
  synced_ = appended_;
  return Status::OK();
}

Status FaultInjectionWritableFile::Close() {
  Status s = target_->Close();
  RETURN_IF_ERROR(error_);
  return s;
}

Status FaultInjectionRandomAccessFile::Read(uint64_t offset, size_t n, char* scratch,
                                            std::string_view* result) const {
  if (offset < fail_end_ && offset + n > fail_begin_) {
    *result = {};
    return Status::IOError("pread " + std::string(Name()) + ": " + std::strerror(read_errno_) +
                           " (injected)");
  }
  if (offset + n > truncate_at_) {
    n = offset >= truncate_at_ ? 0 : static_cast<size_t>(truncate_at_ - offset);
  }
  return target_->Read(offset, n, scratch, result);
}

}  // namespace strata::testutil
