#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace strata::memtable {

// Arena hands out memory carved from large blocks and frees it all at once when destroyed
// (LevelDB's util/arena). The memtable stores its skiplist nodes and entries here.
//
// Thread-safety: Allocate*() need external synchronisation (one writer); MemoryUsage() may be
// called from any thread at any time. Lifecycle: every pointer handed out lives as long as the
// Arena.
class Arena {
 public:
  Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() = default;

  // Returns `bytes` bytes of fresh memory. REQUIRES: bytes > 0
  char* Allocate(size_t bytes);
  // Like Allocate(), aligned for any pointer or 64-bit integer.
  char* AllocateAligned(size_t bytes);

  // Bytes reserved from the system so far (blocks plus bookkeeping), approximately.
  size_t MemoryUsage() const { return memory_usage_.load(std::memory_order_relaxed); }

  // Objects larger than a quarter block get a block of their own.
  static constexpr size_t kBlockSize = 64 * 1024;

 private:
  char* AllocateFallback(size_t bytes);
  char* AllocateNewBlock(size_t block_bytes);

  char* alloc_ptr_ = nullptr;
  size_t alloc_bytes_remaining_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::atomic<size_t> memory_usage_{0};
};

inline char* Arena::Allocate(size_t bytes) {
  if (bytes <= alloc_bytes_remaining_) {
    char* result = alloc_ptr_;
    alloc_ptr_ += bytes;
    alloc_bytes_remaining_ -= bytes;
    return result;
  }
  return AllocateFallback(bytes);
}

}  // namespace strata::memtable
