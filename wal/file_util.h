#pragma once

// Small POSIX file helpers for the WAL (no io_uring): RAII descriptors, full reads and writes,
// fdatasync and directory fsync. Errors are IOErrors naming the file and errno.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::wal {

// Owns a file descriptor. Thread-safety: none. Movable, not copyable.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset();

 private:
  int fd_ = -1;
};

// "<what> <path>: <strerror(err)>"
Status ErrnoStatus(std::string_view what, std::string_view path, int err);

// pwrite of all bytes (EINTR and short writes retried).
Status WriteFullyAt(int fd, uint64_t offset, std::string_view data, std::string_view path);
Status ReadWholeFile(const std::string& path, std::string* contents);
Status SyncDirectory(const std::string& dir);
Status CreateDirIfMissing(const std::string& dir);

}  // namespace strata::wal
