#include "sstable/file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace strata::sstable {
namespace {

Status PosixError(std::string_view what, const std::string& path, int err) {
  std::string msg(what);
  msg += " ";
  msg += path;
  msg += ": ";
  msg += std::strerror(err);
  return Status::IOError(msg);
}

// Appends go through a 64 KiB buffer; larger appends are written directly.
class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    buffer_.reserve(kBufferSize);
  }
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    RETURN_IF_ERROR(error_);
    if (fd_ < 0) return Latch(Status::IOError("append to closed file " + path_));
    if (buffer_.size() + data.size() <= kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    RETURN_IF_ERROR(FlushBuffer());
    if (data.size() < kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    return WriteRaw(data);
  }

  Status Sync() override {
    RETURN_IF_ERROR(FlushBuffer());
    if (::fdatasync(fd_) != 0) return Latch(PosixError("fdatasync", path_, errno));
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return error_;
    Status s = FlushBuffer();
    if (::close(fd_) != 0 && s.ok()) s = Latch(PosixError("close", path_, errno));
    fd_ = -1;
    return s;
  }

  std::string_view Name() const override { return path_; }

 private:
  static constexpr size_t kBufferSize = 64 * 1024;

  Status Latch(Status s) {
    if (error_.ok()) error_ = s;
    return s;
  }

  Status FlushBuffer() {
    RETURN_IF_ERROR(error_);
    if (fd_ < 0) return Latch(Status::IOError("write to closed file " + path_));
    Status s = WriteRaw(buffer_);
    buffer_.clear();
    return s;
  }

  Status WriteRaw(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Latch(PosixError("write", path_, errno));
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

  int fd_;
  const std::string path_;
  std::string buffer_;
  Status error_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, scratch + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        *result = {};
        return PosixError("pread", path_, errno);
      }
      if (r == 0) break;  // end of file
      done += static_cast<size_t>(r);
    }
    *result = std::string_view(scratch, done);
    return Status::OK();
  }

  Result<uint64_t> Size() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return PosixError("fstat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  std::string_view Name() const override { return path_; }

 private:
  const int fd_;
  const std::string path_;
};

}  // namespace

Result<std::unique_ptr<WritableFile>> NewPosixWritableFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return PosixError("open", path, errno);
  return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(fd, path));
}

Result<std::unique_ptr<RandomAccessFile>> NewPosixRandomAccessFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("open", path, errno);
  return std::unique_ptr<RandomAccessFile>(std::make_unique<PosixRandomAccessFile>(fd, path));
}

}  // namespace strata::sstable
