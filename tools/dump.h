#pragma once

// strata-dump: human-readable contents of the files of a strata data directory, like LevelDB's
// leveldbutil dump. Every file is decoded with the project's own readers (wal::LogReader,
// wal::DecodeRecord, sstable::TableReader, engine::VersionEdit, item::DecodeItem, ...):
//
//   WAL segment   the segment header, every logical record (first sequence, commit time, flags,
//                 ops with decoded keys and values, sections) and optionally every physical
//                 chunk; where and why reading stopped (SEAL, end of data, torn tail or
//                 corruption); a summary.
//   SSTable       footer, properties, index entries, filter, then every entry of every data
//                 block; every block's checksum is verified and damage reported with its offset.
//   MANIFEST      every VersionEdit, then the version they produce.
//   CURRENT       the MANIFEST it names.
//
// Output formats are for humans and tests, not a stable interface.

#include <ostream>
#include <string>
#include <string_view>

#include "tools/key_render.h"
#include "util/result.h"
#include "util/status.h"

namespace strata::tools {

enum class DumpKind { kAuto, kWal, kSst, kManifest, kCurrent };

// "wal", "sst", "manifest", "current"; InvalidArgument otherwise.
Result<DumpKind> ParseDumpKind(std::string_view name);

struct DumpOptions {
  // kAuto: from the file name (engine/file_names.h).
  DumpKind kind = DumpKind::kAuto;
  // WAL segments and MANIFESTs: print every physical chunk too.
  bool chunks = false;
  // WAL segments and SSTables: print values (items as DynamoDB JSON).
  bool values = true;
  // Table definitions used to decode key components; catalog rows met while dumping are added
  // (so a dump of several files can share them). Null: only the file's own catalog rows.
  TableSchemas* schemas = nullptr;
};

// Prints the contents of the file at `path` to `out`. Returns OK when the file is intact (a WAL
// segment that ends in a torn tail or unwritten preallocated space is intact: that is how a
// crash leaves it); Corruption naming the offset of the first damage, after printing everything
// readable; InvalidArgument when the kind cannot be told from the name; IOError.
Status DumpFile(const std::string& path, const DumpOptions& options, std::ostream& out);

}  // namespace strata::tools
