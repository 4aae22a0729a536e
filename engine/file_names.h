#pragma once

// The names of the files of a strata data directory (<data_dir>/dynamodb, see DurableDb):
//
//   LOCK                 flock'ed by the process that owns the directory (engine/dir_lock.h)
//   CURRENT              "MANIFEST-NNNNNN\n": names the live MANIFEST (docs/formats/manifest.md)
//   MANIFEST-NNNNNN      the version set's log of VersionEdits
//   NNNNNN.sst           an SSTable
//   NNNNNN.dbtmp         a temporary file (the next CURRENT before its rename)
//   NNNNNNNN.wal         a WAL segment (wal/segment_manager.h; its own number space)
//   NNNNNNNN.wal.tmp     a WAL segment being created (owned by wal::SegmentManager)
//
// NNNNNN is at least 6 decimal digits, NNNNNNNN at least 8; larger numbers use more digits.
// MANIFEST, .sst and .dbtmp numbers come from one counter, VersionSet::NewFileNumber(); WAL
// segment numbers are allocated by the WAL (always above every existing segment) and are
// unrelated. Names are never changed: they are on disk.

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::engine {

enum class FileType : uint8_t {
  kLock,
  kCurrent,
  kManifest,
  kTable,
  kTemp,
  kWalSegment,
  kWalSegmentTemp,
};

// "<dir>/LOCK", "<dir>/CURRENT", ...
std::string LockFileName(const std::string& dir);
std::string CurrentFileName(const std::string& dir);
std::string ManifestFileName(const std::string& dir, uint64_t number);
std::string TableFileName(const std::string& dir, uint64_t number);
std::string TempFileName(const std::string& dir, uint64_t number);
std::string WalSegmentFileName(const std::string& dir, uint64_t number);

// The base name of a MANIFEST: "MANIFEST-000005" (what CURRENT holds, without the newline).
std::string ManifestBaseName(uint64_t number);

// Parses a base name (no directory). False for names that are not strata's (the caller keeps
// such files). *number is 0 for LOCK and CURRENT.
bool ParseFileName(std::string_view name, uint64_t* number, FileType* type);

}  // namespace strata::engine
