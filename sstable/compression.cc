#include "sstable/compression.h"

#include "util/coding.h"

namespace strata::sstable {

ZlibCompressor::ZlibCompressor(int level) { ready_ = deflateInit(&stream_, level) == Z_OK; }

ZlibCompressor::~ZlibCompressor() {
  if (ready_) deflateEnd(&stream_);
}

bool ZlibCompressor::Compress(std::string_view raw, std::string* out) {
  if (!ready_ || raw.size() > (uint32_t{1} << 31)) return false;
  if (deflateReset(&stream_) != Z_OK) return false;
  out->clear();
  PutVarint32(out, static_cast<uint32_t>(raw.size()));
  size_t header = out->size();
  out->resize(header + deflateBound(&stream_, static_cast<uLong>(raw.size())));
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  stream_.avail_in = static_cast<uInt>(raw.size());
  stream_.next_out = reinterpret_cast<Bytef*>(out->data() + header);
  stream_.avail_out = static_cast<uInt>(out->size() - header);
  if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) return false;
  out->resize(header + stream_.total_out);
  return true;
}

bool ZlibUncompress(std::string_view contents, uint32_t max_raw_size, std::string* raw) {
  uint32_t raw_size;
  if (!GetVarint32(&contents, &raw_size) || raw_size > max_raw_size) return false;
  raw->resize(raw_size);
  uLongf out_len = raw_size;
  // uncompress() needs a non-null destination even for empty output.
  char dummy;
  Bytef* dst =
      raw_size == 0 ? reinterpret_cast<Bytef*>(&dummy) : reinterpret_cast<Bytef*>(raw->data());
  if (raw_size == 0) out_len = 1;
  int rc = uncompress(dst, &out_len, reinterpret_cast<const Bytef*>(contents.data()),
                      static_cast<uLong>(contents.size()));
  if (rc != Z_OK) return false;
  return out_len == raw_size;
}

}  // namespace strata::sstable
