#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::wal {

// How a durable write reaches stable storage (DESIGN 2.4).
enum class SyncMethod : uint8_t {
  kDsyncWrite,   // one writev with RWF_DSYNC (io_uring); default
  kLinkedFsync,  // writev linked (IOSQE_IO_LINK) to fsync(IORING_FSYNC_DATASYNC)
};

// Sink writes byte ranges of WAL segment files at explicit offsets and makes them durable.
// Implementations: io_uring (wal/uring_sink.cc) and pwrite+fdatasync (wal/posix_sink.cc).
//
// Errors: short writes, EINTR and EAGAIN are retried internally. Any other write failure and
// any sync failure is returned as an IOError saying why, and latched: every later call fails
// with the same error (fsync is never retried: after a failed fsync the kernel may have marked
// the pages clean).
//
// Thread-safety: not thread-safe; used by one group commit leader at a time. Lifecycle: created
// once per WAL, used for every segment file (the caller owns the file descriptors).
class Sink {
 public:
  virtual ~Sink() = default;

  // Writes all of `data` at `offset` in `fd`. When `durable`, the bytes are on stable storage
  // (data integrity, as fdatasync) when OK is returned. A durable write covers only its own
  // range: earlier non-durable writes need Sync().
  virtual Status Write(int fd, uint64_t offset, std::string_view data, bool durable) = 0;
  // fdatasync(fd): every byte written to fd so far is on stable storage when OK is returned.
  virtual Status Sync(int fd) = 0;
  // "io_uring/dsync", "io_uring/linked-fsync", "posix", ...
  virtual std::string_view Name() const = 0;
};

std::unique_ptr<Sink> NewPosixSink();
// Fails when io_uring_queue_init fails (EPERM under seccomp, ENOSYS, ENOMEM).
Status NewUringSink(SyncMethod method, std::unique_ptr<Sink>* sink);

struct SinkOptions {
  SyncMethod method = SyncMethod::kDsyncWrite;
  bool force_posix = false;
};
// The io_uring sink, or the posix fallback when io_uring is unavailable; the fallback is logged
// to stderr with the reason, which is also stored in *fallback_reason when given.
std::unique_ptr<Sink> NewSink(const SinkOptions& options, std::string* fallback_reason = nullptr);

}  // namespace strata::wal
