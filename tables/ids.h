#pragma once

#include <cstdint>
#include <string>

namespace strata::tables {

// A random RFC 4122 version-4 UUID in lower-case text form (TableId). Thread-safe.
std::string NewUuidV4();

// Wall-clock time in epoch milliseconds. Thread-safe.
int64_t NowMillis();

}  // namespace strata::tables
