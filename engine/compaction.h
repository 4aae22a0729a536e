#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/options.h"
#include "engine/version_edit.h"
#include "engine/version_set.h"

namespace strata::engine {

// Compaction score of `level` in `v`: >= 1 means the level should be compacted into the next.
// L0: file count / l0_compaction_trigger (files, not bytes: every L0 file is probed by reads),
// at least 1 from l0_stop_writes_trigger files (stopped writers always get a compaction);
// L1..L2: bytes / MaxBytesForLevel; the last level (nothing below it) scores 0.
double CompactionScore(const Version& v, int level, const CompactionOptions& options);
// The level with the highest score >= 1 (the deeper one on a tie), or -1 when none needs a
// compaction.
int CompactionLevel(const Version& v, const CompactionOptions& options);

// Compaction describes one compaction: the `inputs` at `level` and level + 1 of a pinned
// Version are merged into new files at level + 1, or, for a same-level rewrite (CompactRange's
// last step, the only way to garbage-collect the deepest level holding a range), the inputs at
// `level` alone become new files at `level`. L0 inputs are every L0 file overlapping the
// chosen one, transitively (Version::OverlappingInputs), so no newer version of a key is left
// above an older one. Outputs are cut only between user keys, which keeps every user key in one
// file at L1+ and makes user-key ranges of L1+ files disjoint.
//
// Thread-safety: a value, read by the one background thread. Lifecycle: holds its Version, so
// the input files stay readable until it is destroyed.
struct Compaction {
  int level = 0;
  std::shared_ptr<const Version> version;
  std::array<std::vector<FileRef>, 2> inputs;  // [0]: at level, [1]: at level + 1
  std::vector<FileRef> grandparents;           // level + 2 files overlapping the inputs
  bool manual = false;                         // CompactRange, not a score
  bool same_level = false;                     // outputs at `level`; inputs[1] is empty

  int output_level() const { return same_level ? level : level + 1; }
  // One file moved down a level by a MANIFEST edit alone: nothing to merge below it and not
  // much overlap with the grandparents.
  bool IsTrivialMove(const CompactionOptions& options) const;
  // True when no level below the output level has a file whose range holds user_key: a
  // tombstone written there has nothing left to hide.
  bool IsBaseLevelForKey(std::string_view user_key) const;
  // Records the removal of every input in `edit`.
  void AddInputDeletions(VersionEdit* edit) const;
  uint64_t InputBytes() const;
  // "L0 [12 11] + L1 [7]" for logs and tests.
  std::string DebugString() const;
};

// CompactionPicker chooses what the background thread compacts next (LevelDB's
// VersionSet::PickCompaction): the level with the highest score >= 1; at L0 the oldest file
// and everything overlapping it; at L1+ the first file after the level's compact pointer (the
// largest key the previous compaction of that level reached, round robin through the key space;
// kept in memory only: after a restart the round starts over, which changes which file goes
// first, never correctness).
//
// Thread-safety: none; the background thread owns it. Lifecycle: plain value.
class CompactionPicker {
 public:
  explicit CompactionPicker(CompactionOptions options) : options_(options) {}

  const CompactionOptions& options() const { return options_; }

  // The compaction `v` needs most, or nullopt when every score is below 1.
  std::optional<Compaction> Pick(std::shared_ptr<const Version> v);
  // The files of `level` overlapping [begin, end] (user keys; nullopt: unbounded), with what
  // they overlap at level + 1; with `same_level`, to be rewritten at `level` (REQUIRES: level
  // >= 1, whose files do not overlap). nullopt when `level` holds no such file, or is the last
  // level and not `same_level`.
  std::optional<Compaction> PickRange(std::shared_ptr<const Version> v, int level,
                                      std::optional<std::string_view> begin,
                                      std::optional<std::string_view> end,
                                      bool same_level = false) const;

 private:
  // Fills inputs[1] and grandparents from inputs[0].
  void SetupOtherInputs(Compaction* c) const;

  const CompactionOptions options_;
  std::array<std::string, kNumLevels> compact_pointer_;  // internal keys; empty: none yet
};

}  // namespace strata::engine
