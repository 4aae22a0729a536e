// The fallback Sink: pwritev + fdatasync on the calling (WAL) thread.

#include <sys/uio.h>
#include <unistd.h>
#include <cerrno>

#include "wal/file_util.h"
#include "wal/sink.h"

namespace strata::wal {

namespace {

// Thread-safety and lifecycle: see Sink.
class PosixSink final : public Sink {
 public:
  Status Write(int fd, uint64_t offset, std::string_view data, bool durable) override {
    if (!latched_.ok()) return latched_;
    while (!data.empty()) {
      struct iovec iov = {const_cast<char*>(data.data()), data.size()};
      const ssize_t n = ::pwritev(fd, &iov, 1, static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return Latch(ErrnoStatus("WAL pwritev", "", errno));
      }
      if (n == 0) return Latch(Status::IOError("WAL pwritev: no progress"));
      data.remove_prefix(n);
      offset += n;
    }
    return durable ? Sync(fd) : Status::OK();
  }

  Status Sync(int fd) override {
    if (!latched_.ok()) return latched_;
    if (::fdatasync(fd) != 0) return Latch(ErrnoStatus("WAL fdatasync", "", errno));
    return Status::OK();
  }

  std::string_view Name() const override { return "posix"; }

 private:
  Status Latch(Status s) {
    latched_ = s;
    return s;
  }

  Status latched_;
};

}  // namespace

std::unique_ptr<Sink> NewPosixSink() { return std::make_unique<PosixSink>(); }

}  // namespace strata::wal
