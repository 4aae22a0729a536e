#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace strata::test {

// A fresh random seed per run, or $TEST_SEED to replay a failure; printed so a failing run
// can be replayed.
inline uint64_t TestSeed() {
  const char* env = std::getenv("TEST_SEED");
  uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::printf("seed = %llu\n", static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace strata::test
