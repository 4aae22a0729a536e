#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/internal_iterator.h"
#include "engine/version_set.h"
#include "util/result.h"

namespace strata::engine {

// Opens the table iterator of one file.
using TableIteratorOpener =
    std::function<Result<std::unique_ptr<InternalIterator>>(const FileMetaData& file)>;

// An InternalIterator over the files of one level >= 1: sorted by smallest key and not
// overlapping, so their entries concatenate in internal key order (LevelDB's two-level
// iterator over a level's file list). Only the file being read is open; a file that cannot be
// opened makes the iterator invalid with that status.
//
// Thread-safety: one thread at a time. Lifecycle: `files` (held by a pinned Version) and the
// opener's state must outlive it.
std::unique_ptr<InternalIterator> NewLevelIterator(std::vector<FileRef> files,
                                                   TableIteratorOpener opener);

// The index of the first file of a sorted, non-overlapping level whose largest key is
// >= internal_key (files.size() when there is none).
size_t FindFile(const std::vector<FileRef>& files, std::string_view internal_key);

}  // namespace strata::engine
