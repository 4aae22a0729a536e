#include "engine/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>

namespace strata::engine {

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::string& lock_path,
                                                  const std::string& data_dir) {
  wal::UniqueFd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return wal::ErrnoStatus("open", lock_path, errno);
  int rc;
  do {
    rc = ::flock(fd.get(), LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::IOError("data directory " + data_dir +
                             " is in use by another strata process (LOCK held)");
    }
    return wal::ErrnoStatus("flock", lock_path, errno);
  }
  // Informational only: who holds the lock.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) == 0) {
    wal::WriteFullyAt(fd.get(), 0, pid, lock_path).IgnoreError();
  }
  return std::unique_ptr<DirLock>(new DirLock(std::move(fd)));
}

}  // namespace strata::engine
