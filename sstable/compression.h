#pragma once

// Block compression with zlib (format.h: compression = 1):
//
//   zlib_contents := varint32 raw_size | zlib stream (RFC 1950, with its Adler-32)

#include <cstdint>
#include <string>
#include <string_view>

#include <zlib.h>

namespace strata::sstable {

// ZlibCompressor keeps one deflate stream and resets it per block (deflateInit is costly).
// Thread-safety: none (one per TableBuilder). Lifecycle: RAII.
class ZlibCompressor {
 public:
  explicit ZlibCompressor(int level);
  ~ZlibCompressor();
  ZlibCompressor(const ZlibCompressor&) = delete;
  ZlibCompressor& operator=(const ZlibCompressor&) = delete;

  // Replaces *out with zlib_contents for `raw`; false if zlib failed.
  bool Compress(std::string_view raw, std::string* out);

 private:
  z_stream stream_{};
  bool ready_ = false;
};

// Decodes zlib_contents into *raw; false when malformed, when raw_size exceeds `max_raw_size`
// or when the stream does not inflate to exactly raw_size bytes.
bool ZlibUncompress(std::string_view contents, uint32_t max_raw_size, std::string* raw);

}  // namespace strata::sstable
