#include "wal/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace strata::wal {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status ErrnoStatus(std::string_view what, std::string_view path, int err) {
  std::string msg(what);
  if (!path.empty()) {
    msg += " ";
    msg += path;
  }
  msg += ": ";
  msg += std::strerror(err);
  return Status::IOError(msg);
}

Status WriteFullyAt(int fd, uint64_t offset, std::string_view data, std::string_view path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return ErrnoStatus("write", path, errno);
    }
    if (n == 0) return ErrnoStatus("write", path, EIO);
    data.remove_prefix(n);
    offset += n;
  }
  return Status::OK();
}

Status ReadWholeFile(const std::string& path, std::string* contents) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open", path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus("stat", path, errno);
  contents->resize(st.st_size);
  size_t done = 0;
  while (done < contents->size()) {
    const ssize_t n = ::pread(fd.get(), contents->data() + done, contents->size() - done, done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path, errno);
    }
    if (n == 0) break;  // shrank meanwhile
    done += n;
  }
  contents->resize(done);
  return Status::OK();
}

Status SyncDirectory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return ErrnoStatus("fsync directory", dir, errno);
  return Status::OK();
}

Status CreateDirIfMissing(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus("mkdir", dir, errno);
  }
  return Status::OK();
}

}  // namespace strata::wal
