#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/status.h"

namespace strata::sstable {

// WritableFile is the sink a TableBuilder appends a new table to.
// Errors: the first failure is latched and returned by every later call (a failed fsync is
// never retried: the kernel may already have dropped the dirty pages).
// Thread-safety: not thread-safe (one builder owns it). Lifecycle: Close() before destruction
// to see close errors; the destructor closes silently.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Writes out any buffered bytes and makes every byte appended so far durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual std::string_view Name() const = 0;
};

// RandomAccessFile is what a TableReader reads blocks from (pread).
// Thread-safety: Read/Size are thread-safe. Lifecycle: owned by the TableReader.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset. *result points into scratch (n bytes) or into memory the
  // file owns, and is shorter than n only at end of file.
  virtual Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const = 0;
  virtual Result<uint64_t> Size() const = 0;
  virtual std::string_view Name() const = 0;
};

// POSIX files, opened with O_CLOEXEC. The writer creates or truncates `path` and buffers small
// appends; Sync() is fdatasync (which also persists the file size). Syncing the directory
// entry is the caller's job.
Result<std::unique_ptr<WritableFile>> NewPosixWritableFile(const std::string& path);
Result<std::unique_ptr<RandomAccessFile>> NewPosixRandomAccessFile(const std::string& path);

// An in-memory WritableFile appending to a caller-owned string (tests, tools, benchmarks).
// Thread-safety: none. Lifecycle: *contents must outlive it.
class StringWritableFile final : public WritableFile {
 public:
  explicit StringWritableFile(std::string* contents, std::string name = "<memory>")
      : contents_(contents), name_(std::move(name)) {}
  Status Append(std::string_view data) override {
    if (closed_) return Status::IOError("append to closed file " + name_);
    contents_->append(data);
    return Status::OK();
  }
  Status Sync() override { return Status::OK(); }
  Status Close() override {
    closed_ = true;
    return Status::OK();
  }
  std::string_view Name() const override { return name_; }

 private:
  std::string* const contents_;
  const std::string name_;
  bool closed_ = false;
};

// An in-memory RandomAccessFile over its own copy of the bytes. Thread-safe (immutable).
class StringRandomAccessFile final : public RandomAccessFile {
 public:
  explicit StringRandomAccessFile(std::string contents, std::string name = "<memory>")
      : contents_(std::move(contents)), name_(std::move(name)) {}
  Status Read(uint64_t offset, size_t n, char* scratch, std::string_view* result) const override {
    if (offset > contents_.size()) {
      *result = {};
      return Status::OK();
    }
    *result = std::string_view(contents_).substr(offset, n);
    return Status::OK();
  }
  Result<uint64_t> Size() const override { return uint64_t{contents_.size()}; }
  std::string_view Name() const override { return name_; }

 private:
  const std::string contents_;
  const std::string name_;
};

}  // namespace strata::sstable
