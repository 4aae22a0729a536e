#pragma once

#include <memory>
#include <string>

#include "util/result.h"
#include "wal/file_util.h"

namespace strata::engine {

// DirLock holds the LOCK file of a data directory with flock(LOCK_EX | LOCK_NB), so a second
// strata process on the same directory (or a second Db in this process: flock locks belong to
// the open file) fails fast instead of corrupting the WAL. The holder's pid is written into the
// file for humans; the lock itself is what counts, and the kernel drops it when the process
// dies, even by kill -9.
//
// Thread-safety: none needed (Acquire once, Release once). Lifecycle: the lock is held until
// Release() or destruction.
class DirLock {
 public:
  // Locks `lock_path` (created if missing). When another holder has it: IOError("data
  // directory <data_dir> is in use by another strata process (LOCK held)").
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& lock_path,
                                                  const std::string& data_dir);
  ~DirLock() { Release(); }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // Releases the lock (closes the file). Idempotent.
  void Release() { fd_.Reset(); }

 private:
  explicit DirLock(wal::UniqueFd fd) : fd_(std::move(fd)) {}

  wal::UniqueFd fd_;
};

}  // namespace strata::engine
