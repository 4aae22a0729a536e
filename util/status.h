#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace strata {

// Status is the outcome of an operation: OK, or an error code with a message (LevelDB style).
// An error may also carry a `subcode`: an opaque number a higher layer gives meaning to (the
// tables and api layers store the DynamoDB error type there, see item/api_error.h).
//
// Thread-safety: a Status is a value; distinct objects may be used from distinct threads.
// The OK status allocates nothing.
class [[nodiscard]] Status {
 public:
  enum class Code : uint8_t {
    kOk = 0,
    kNotFound = 1,
    kCorruption = 2,
    kIOError = 3,
    kInvalidArgument = 4,
    kConditionFailed = 5,
    kBusy = 6,
    kAborted = 7,
    kNotSupported = 8,
  };

  Status() noexcept = default;
  Status(Code code, std::string_view message, uint16_t subcode = 0);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&& other) noexcept = default;
  Status& operator=(Status&& other) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status ConditionFailed(std::string_view msg) {
    return Status(Code::kConditionFailed, msg);
  }
  static Status Busy(std::string_view msg) { return Status(Code::kBusy, msg); }
  static Status Aborted(std::string_view msg) { return Status(Code::kAborted, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  uint16_t subcode() const { return rep_ ? rep_->subcode : 0; }
  // The message; empty for OK.
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }

  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsCorruption() const { return code() == Code::kCorruption; }
  bool IsIOError() const { return code() == Code::kIOError; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  bool IsConditionFailed() const { return code() == Code::kConditionFailed; }
  bool IsBusy() const { return code() == Code::kBusy; }
  bool IsAborted() const { return code() == Code::kAborted; }
  bool IsNotSupported() const { return code() == Code::kNotSupported; }

  // "OK" or "<code name>: <message>".
  std::string ToString() const;

  // Status values are returned, so they must not be dropped: use IgnoreError() to say so.
  void IgnoreError() const {}

 private:
  struct Rep {
    Code code;
    uint16_t subcode;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

}  // namespace strata
