#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/result.h"
#include "util/status.h"
#include "wal/file_util.h"
#include "wal/segment_header.h"

namespace strata::wal {

// An open, activated segment file. The header chunk occupies [0, data_offset).
struct Segment {
  uint64_t number = 0;
  std::string path;
  UniqueFd fd;
  uint64_t data_offset = 0;  // first byte after the header chunk
  uint64_t capacity = 0;     // preallocated bytes
};

struct SegmentManagerOptions {
  std::string dir;
  // Preallocated, pre-zeroed size of each segment; segments rotate when full.
  uint64_t segment_size = 64 << 20;
  // Zero-fill the next segment on a background thread while the current one fills.
  bool precreate_next = true;
};

// SegmentManager creates the WAL segment files NNNNNNNN.wal of a directory. A segment is
// created as NNNNNNNN.wal.tmp, zero-filled to segment_size (so RWF_DSYNC / fdatasync do not
// update extent metadata), given its header chunk, fsynced, renamed to NNNNNNNN.wal, and the
// directory is fsynced: every *.wal file has a durable header. New segments are numbered above
// every existing one, so a recovered segment is never appended to.
//
// Thread-safety: CreateSegment is called by one thread at a time (the group commit leader); the
// precreation thread is internal. Lifecycle: Open, then CreateSegment for every rotation; the
// destructor joins the precreation thread and removes its unused temporary file.
class SegmentManager {
 public:
  static Result<std::unique_ptr<SegmentManager>> Open(const SegmentManagerOptions& options);
  ~SegmentManager();

  SegmentManager(const SegmentManager&) = delete;
  SegmentManager& operator=(const SegmentManager&) = delete;

  // Creates and activates segment next_number(); header.segment_number is filled in.
  Result<Segment> CreateSegment(SegmentHeader header);
  uint64_t next_number() const { return next_number_; }
  const SegmentManagerOptions& options() const { return options_; }

  // "<dir>/00000042.wal"
  static std::string SegmentPath(const std::string& dir, uint64_t number);
  // Numbers of the *.wal segments in dir, ascending.
  static Result<std::vector<uint64_t>> ListSegments(const std::string& dir);

 private:
  explicit SegmentManager(const SegmentManagerOptions& options) : options_(options) {}
  // Creates <number>.wal.tmp, zero-filled and fsynced.
  Status Prepare(uint64_t number, UniqueFd* fd) const;
  void StartPrecreate(uint64_t number);
  void JoinPrecreate();

  const SegmentManagerOptions options_;
  uint64_t next_number_ = 1;

  std::thread precreate_thread_;
  uint64_t precreate_number_ = 0;  // 0: none
  Status precreate_status_;
  UniqueFd precreate_fd_;
};

}  // namespace strata::wal
