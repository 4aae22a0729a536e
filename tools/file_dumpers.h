#pragma once

// The per-kind halves of DumpFile (tools/dump.h). `number` is the file number from the file
// name, 0 when the name is not strata's (the log number is then read from the first chunk).

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "tools/dump.h"
#include "tools/key_render.h"
#include "util/status.h"

namespace strata::tools {

Status DumpWalSegment(const std::string& path, uint64_t number, const DumpOptions& options,
                      TableSchemas* schemas, std::ostream& out);
Status DumpTable(const std::string& path, uint64_t number, const DumpOptions& options,
                 TableSchemas* schemas, std::ostream& out);
Status DumpManifest(const std::string& path, uint64_t number, const DumpOptions& options,
                    TableSchemas* schemas, std::ostream& out);
Status DumpCurrent(const std::string& path, std::ostream& out);

// Reads the logical records of a chunk-format log held in memory (a WAL segment or a MANIFEST)
// with wal::LogReader, calling on_record(offset, payload) for each and printing every physical
// chunk when `chunks`. Then prints where and why reading stopped. Returns the first error of
// on_record, or Corruption when the log stopped at damaged bytes that a later chunk proves were
// durable (wal::FindChunkSyncedPast); a torn tail or zeroed space is not an error.
using LogRecordFn = std::function<Status(uint64_t offset, std::string_view record)>;
Status WalkLog(std::string_view data, uint64_t number, bool chunks, std::ostream& out,
               const LogRecordFn& on_record);

// Remembers the first failure: *first = s when *first is OK.
void KeepFirstError(Status* first, const Status& s);

}  // namespace strata::tools
