#include "util/status.h"

namespace strata {

Status::Status(Code code, std::string_view message, uint16_t subcode) {
  if (code != Code::kOk) {
    rep_ = std::make_unique<Rep>(Rep{code, subcode, std::string(message)});
  }
}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  const char* name = "Unknown";
  switch (code()) {
    case Code::kOk: name = "OK"; break;
    case Code::kNotFound: name = "NotFound"; break;
    case Code::kCorruption: name = "Corruption"; break;
    case Code::kIOError: name = "IO error"; break;
    case Code::kInvalidArgument: name = "Invalid argument"; break;
    case Code::kConditionFailed: name = "Condition failed"; break;
    case Code::kBusy: name = "Busy"; break;
    case Code::kAborted: name = "Aborted"; break;
    case Code::kNotSupported: name = "Not supported"; break;
  }
  std::string out(name);
  out += ": ";
  out += message();
  return out;
}

}  // namespace strata
