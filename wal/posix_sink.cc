// The fallback Sink: pwrite + fdatasync on the calling thread (the group commit leader).

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
    if (Status s = WriteFullyAt(fd, offset, data, "WAL segment"); !s.ok()) return Latch(s);
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
