#include "engine/file_names.h"

#include <cinttypes>
#include <cstdio>

#include "wal/format.h"
#include "wal/segment_manager.h"

namespace strata::engine {

namespace {

constexpr std::string_view kManifestPrefix = "MANIFEST-";
constexpr std::string_view kTableSuffix = ".sst";
constexpr std::string_view kTempSuffix = ".dbtmp";
constexpr std::string_view kWalTempSuffix = ".tmp";

std::string Numbered(uint64_t number, std::string_view suffix) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%06" PRIu64, number);
  return std::string(buf) + std::string(suffix);
}

// Parses 1..19 decimal digits (the WAL's rule: wal/segment_manager.cc).
bool ParseDigits(std::string_view s, uint64_t* number) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  *number = n;
  return true;
}

bool StripSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() <= suffix.size() || s->substr(s->size() - suffix.size()) != suffix) return false;
  s->remove_suffix(suffix.size());
  return true;
}

}  // namespace

std::string LockFileName(const std::string& dir) { return dir + "/LOCK"; }

std::string CurrentFileName(const std::string& dir) { return dir + "/CURRENT"; }

std::string ManifestBaseName(uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%06" PRIu64, number);
  return std::string(kManifestPrefix) + buf;
}

std::string ManifestFileName(const std::string& dir, uint64_t number) {
  return dir + "/" + ManifestBaseName(number);
}

std::string TableFileName(const std::string& dir, uint64_t number) {
  return dir + "/" + Numbered(number, kTableSuffix);
}

std::string TempFileName(const std::string& dir, uint64_t number) {
  return dir + "/" + Numbered(number, kTempSuffix);
}

std::string WalSegmentFileName(const std::string& dir, uint64_t number) {
  return wal::SegmentManager::SegmentPath(dir, number);
}

bool ParseFileName(std::string_view name, uint64_t* number, FileType* type) {
  if (name == "LOCK") {
    *number = 0;
    *type = FileType::kLock;
    return true;
  }
  if (name == "CURRENT") {
    *number = 0;
    *type = FileType::kCurrent;
    return true;
  }
  if (name.starts_with(kManifestPrefix)) {
    if (!ParseDigits(name.substr(kManifestPrefix.size()), number)) return false;
    *type = FileType::kManifest;
    return true;
  }
  std::string_view rest = name;
  FileType t;
  if (StripSuffix(&rest, kTableSuffix)) {
    t = FileType::kTable;
  } else if (StripSuffix(&rest, kTempSuffix)) {
    t = FileType::kTemp;
  } else if (StripSuffix(&rest, wal::kSegmentSuffix)) {
    t = FileType::kWalSegment;
  } else if (StripSuffix(&rest, kWalTempSuffix) && StripSuffix(&rest, wal::kSegmentSuffix)) {
    t = FileType::kWalSegmentTemp;
  } else {
    return false;
  }
  if (!ParseDigits(rest, number)) return false;
  *type = t;
  return true;
}

}  // namespace strata::engine
