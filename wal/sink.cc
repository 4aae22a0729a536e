#include <cstdio>

#include "wal/sink.h"

namespace strata::wal {

std::unique_ptr<Sink> NewSink(const SinkOptions& options, std::string* fallback_reason) {
  std::string reason;
  if (options.force_posix) {
    reason = "posix sink requested";
  } else {
    std::unique_ptr<Sink> sink;
    const Status s = NewUringSink(options.method, &sink);
    if (s.ok()) return sink;
    reason = std::string(s.message());
    std::fprintf(stderr, "strata: io_uring unavailable (%s); the WAL uses pwrite + fdatasync\n",
                 reason.c_str());
  }
  if (fallback_reason != nullptr) *fallback_reason = reason;
  return NewPosixSink();
}

}  // namespace strata::wal
