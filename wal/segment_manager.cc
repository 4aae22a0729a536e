#include "wal/segment_manager.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>

#include "util/clock.h"
#include "wal/format.h"
#include "wal/log_writer.h"

namespace strata::wal {

namespace {

constexpr std::string_view kTmpSuffix = ".tmp";

std::string TmpPath(const std::string& dir, uint64_t number) {
  return SegmentManager::SegmentPath(dir, number) + std::string(kTmpSuffix);
}

// Parses "NNNNNNNN<suffix>"; false for other names.
bool ParseNumber(std::string_view name, std::string_view suffix, uint64_t* number) {
  if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) {
    return false;
  }
  name.remove_suffix(suffix.size());
  if (name.empty() || name.size() > 19) return false;
  uint64_t n = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *number = n;
  return true;
}

}  // namespace

std::string SegmentManager::SegmentPath(const std::string& dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08" PRIu64, number);
  return dir + "/" + name + std::string(kSegmentSuffix);
}

Result<std::vector<uint64_t>> SegmentManager::ListSegments(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("opendir", dir, errno);
  std::vector<uint64_t> numbers;
  while (struct dirent* e = ::readdir(d)) {
    uint64_t n;
    if (ParseNumber(e->d_name, kSegmentSuffix, &n)) numbers.push_back(n);
  }
  ::closedir(d);
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

Result<std::unique_ptr<SegmentManager>> SegmentManager::Open(const SegmentManagerOptions& options) {
  RETURN_IF_ERROR(CreateDirIfMissing(options.dir));
  std::unique_ptr<SegmentManager> m(new SegmentManager(options));
  ASSIGN_OR_RETURN(std::vector<uint64_t> numbers, ListSegments(options.dir));
  if (!numbers.empty()) m->next_number_ = numbers.back() + 1;
  // Leftover temporary segments never held acknowledged data.
  if (DIR* d = ::opendir(options.dir.c_str())) {
    std::string tmp_suffix = std::string(kSegmentSuffix) + std::string(kTmpSuffix);
    while (struct dirent* e = ::readdir(d)) {
      uint64_t n;
      if (ParseNumber(e->d_name, tmp_suffix, &n)) {
        ::unlink((options.dir + "/" + e->d_name).c_str());
      }
    }
    ::closedir(d);
  }
  return m;
}

SegmentManager::~SegmentManager() {
  JoinPrecreate();
  if (precreate_number_ != 0) ::unlink(TmpPath(options_.dir, precreate_number_).c_str());
}

Status SegmentManager::Prepare(uint64_t number, UniqueFd* fd) const {
  const std::string path = TmpPath(options_.dir, number);
  UniqueFd f(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!f.valid()) return ErrnoStatus("create", path, errno);
  // Zero-fill: allocated, written extents (fallocate alone leaves unwritten extents whose first
  // write still updates metadata at sync time).
  const std::string zeros(std::min<uint64_t>(options_.segment_size, 1 << 20), '\0');
  for (uint64_t off = 0; off < options_.segment_size; off += zeros.size()) {
    const uint64_t n = std::min<uint64_t>(zeros.size(), options_.segment_size - off);
    RETURN_IF_ERROR(WriteFullyAt(f.get(), off, std::string_view(zeros.data(), n), path));
  }
  if (::fdatasync(f.get()) != 0) return ErrnoStatus("fdatasync", path, errno);
  *fd = std::move(f);
  return Status::OK();
}

void SegmentManager::StartPrecreate(uint64_t number) {
  precreate_number_ = number;
  precreate_thread_ =
      std::thread([this, number] { precreate_status_ = Prepare(number, &precreate_fd_); });
}

void SegmentManager::JoinPrecreate() {
  if (precreate_thread_.joinable()) precreate_thread_.join();
}

Result<Segment> SegmentManager::CreateSegment(SegmentHeader header) {
  const uint64_t number = next_number_;
  Segment seg;
  seg.number = number;
  seg.path = SegmentPath(options_.dir, number);
  seg.capacity = options_.segment_size;

  JoinPrecreate();
  if (precreate_number_ == number && precreate_status_.ok()) {
    seg.fd = std::move(precreate_fd_);
  } else {
    if (precreate_number_ != 0) ::unlink(TmpPath(options_.dir, precreate_number_).c_str());
    RETURN_IF_ERROR(Prepare(number, &seg.fd));
  }
  precreate_number_ = 0;
  precreate_fd_.Reset();

  header.format_version = kFormatVersion;
  header.segment_number = number;
  if (header.creation_time_us == 0) header.creation_time_us = NowMicros();
  std::string payload;
  EncodeSegmentHeader(header, &payload);
  LogWriter writer(number);
  writer.AddRecord(payload, /*synced_offset=*/0);
  const std::string tmp = TmpPath(options_.dir, number);
  RETURN_IF_ERROR(WriteFullyAt(seg.fd.get(), 0, writer.pending(), tmp));
  if (::fdatasync(seg.fd.get()) != 0) return ErrnoStatus("fdatasync", tmp, errno);
  if (::rename(tmp.c_str(), seg.path.c_str()) != 0) return ErrnoStatus("rename", tmp, errno);
  RETURN_IF_ERROR(SyncDirectory(options_.dir));
  seg.data_offset = writer.offset();
  next_number_ = number + 1;

  if (options_.precreate_next) StartPrecreate(next_number_);
  return seg;
}

}  // namespace strata::wal
