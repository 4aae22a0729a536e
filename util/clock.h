#pragma once

#include <chrono>
#include <cstdint>

namespace strata {

// Wall-clock microseconds since the Unix epoch (commit times, segment creation times).
inline uint64_t NowMicros() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace strata
