#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "wal/sink.h"

namespace strata::testutil {

// FaultInjectionSink wraps a real wal::Sink and injects the failures a WAL must survive:
// writes failing with EIO/ENOSPC (optionally after writing part of the bytes), failing
// fdatasync, and a simulated power loss (Crash) that rolls back every byte not yet made durable
// and fails every later call. It keeps an undo log of the old contents under each non-durable
// write until that file is synced (LevelDB's fault_injection_test idea, at the sink level).
//
// Thread-safety: all methods are thread-safe (a WAL leader writes while a test injects).
// Lifecycle: the files written must still be open when Crash() is called.
class FaultInjectionSink final : public wal::Sink {
 public:
  explicit FaultInjectionSink(std::unique_ptr<wal::Sink> target);

  // After `ok_writes` more successful writes, the next write fails with errno `err`, having
  // written its first `partial_bytes` bytes. The failure happens once.
  void FailWriteAfter(int ok_writes, int err, size_t partial_bytes = 0);
  // The next sync (Sync() or the sync step of a durable Write) fails with errno `err`, after the
  // data of a durable write reached the file.
  void FailNextSync(int err);
  // Power loss: every byte not yet durable is restored to its previous contents (or the file
  // truncated back), and every later call fails with IOError("simulated crash").
  void Crash();

  int writes() const;
  int syncs() const;
  // Bytes written without being durable yet, over all files.
  uint64_t unsynced_bytes() const;

  Status Write(int fd, uint64_t offset, std::string_view data, bool durable) override;
  Status Sync(int fd) override;
  std::string_view Name() const override { return "fault-injection"; }

 private:
  struct Undo {
    uint64_t inode = 0;
    uint64_t offset = 0;
    std::string old_bytes;  // contents before the write (within the old file size)
    uint64_t old_size = 0;  // file size before the write
    uint64_t length = 0;
  };
  Status Fail(int err, std::string_view what);
  void RecordUndo(int fd, uint64_t offset, size_t length);

  const std::unique_ptr<wal::Sink> target_;
  mutable std::mutex mu_;
  int writes_ = 0;
  int syncs_ = 0;
  int fail_write_countdown_ = -1;
  int fail_write_errno_ = 0;
  size_t fail_write_partial_ = 0;
  int fail_sync_errno_ = 0;
  bool crashed_ = false;
  std::map<int, std::vector<Undo>> undo_;  // by fd
  std::map<int, uint64_t> durable_end_;    // by fd: end of the last durable write
};

}  // namespace strata::testutil
