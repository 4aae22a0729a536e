#include "engine/compaction.h"

#include <algorithm>
#include <utility>

#include "memtable/internal_key.h"

namespace strata::engine {

namespace {

// The user-key range covered by `files` (not empty).
std::pair<std::string_view, std::string_view> UserRange(const std::vector<FileRef>& a,
                                                        const std::vector<FileRef>& b) {
  std::string_view smallest, largest;
  bool first = true;
  for (const std::vector<FileRef>* files : {&a, &b}) {
    for (const FileRef& f : *files) {
      if (first || SmallestUserKey(*f) < smallest) smallest = SmallestUserKey(*f);
      if (first || LargestUserKey(*f) > largest) largest = LargestUserKey(*f);
      first = false;
    }
  }
  return {smallest, largest};
}

}  // namespace

double CompactionScore(const Version& v, int level, const CompactionOptions& options) {
  if (level == 0) {
    const double score =
        static_cast<double>(v.NumFiles(0)) / std::max(options.l0_compaction_trigger, 1);
    // Writers waiting at the stop trigger always get a compaction, whatever the options say.
    const bool stopped = static_cast<int>(v.NumFiles(0)) >= options.l0_stop_writes_trigger;
    return stopped ? std::max(score, 1.0) : score;
  }
  if (level >= kNumLevels - 1) return 0;
  return static_cast<double>(v.LevelBytes(level)) /
         static_cast<double>(options.MaxBytesForLevel(level));
}

int CompactionLevel(const Version& v, const CompactionOptions& options) {
  int best_level = -1;
  double best_score = 1;
  for (int level = 0; level < kNumLevels - 1; level++) {
    const double score = CompactionScore(v, level, options);
    if (score >= best_score) {
      best_score = score;
      best_level = level;
    }
  }
  return best_level;
}

// ---------------------------------------------------------------------------------------------
// Compaction

bool Compaction::IsTrivialMove(const CompactionOptions& options) const {
  return !manual && inputs[0].size() == 1 && inputs[1].empty() &&
         TotalFileSize(grandparents) <= options.MaxGrandparentOverlapBytes();
}

bool Compaction::IsBaseLevelForKey(std::string_view user_key) const {
  for (int l = output_level() + 1; l < kNumLevels; l++) {
    const std::vector<FileRef>& files = version->files(l);
    // Sorted and disjoint: the first file ending at or after user_key is the only candidate.
    auto it = std::partition_point(files.begin(), files.end(),
                                   [&](const FileRef& f) { return LargestUserKey(*f) < user_key; });
    if (it != files.end() && SmallestUserKey(**it) <= user_key) return false;
  }
  return true;
}

void Compaction::AddInputDeletions(VersionEdit* edit) const {
  for (int which = 0; which < 2; which++) {
    for (const FileRef& f : inputs[which]) edit->RemoveFile(level + which, f->number);
    if (same_level) break;
  }
}

uint64_t Compaction::InputBytes() const {
  return TotalFileSize(inputs[0]) + TotalFileSize(inputs[1]);
}

std::string Compaction::DebugString() const {
  std::string r;
  for (int which = 0; which < (same_level ? 1 : 2); which++) {
    if (which == 1) r += " + ";
    r += "L" + std::to_string(level + which) + " [";
    for (size_t i = 0; i < inputs[which].size(); i++) {
      if (i > 0) r += " ";
      r += std::to_string(inputs[which][i]->number);
    }
    r += "]";
  }
  if (same_level) r += " rewritten in place";
  return r;
}

// ---------------------------------------------------------------------------------------------
// CompactionPicker

void CompactionPicker::SetupOtherInputs(Compaction* c) const {
  if (c->same_level) return;  // nothing below is merged, and outputs replace inputs one for one
  const auto [smallest, largest] = UserRange(c->inputs[0], {});
  c->inputs[1] = c->version->OverlappingInputs(c->level + 1, smallest, largest);
  c->grandparents.clear();
  if (c->level + 2 < kNumLevels) {
    const auto [all_smallest, all_largest] = UserRange(c->inputs[0], c->inputs[1]);
    c->grandparents = c->version->OverlappingInputs(c->level + 2, all_smallest, all_largest);
  }
}

std::optional<Compaction> CompactionPicker::Pick(std::shared_ptr<const Version> v) {
  const int best_level = CompactionLevel(*v, options_);
  if (best_level < 0) return std::nullopt;

  Compaction c;
  c.level = best_level;
  c.version = std::move(v);
  const std::vector<FileRef>& files = c.version->files(best_level);
  if (best_level == 0) {
    // The oldest file (L0 is ordered newest first), widened to all it overlaps.
    const FileRef& oldest = files.back();
    c.inputs[0] =
        c.version->OverlappingInputs(0, SmallestUserKey(*oldest), LargestUserKey(*oldest));
  } else {
    // Round robin: the first file past the compact pointer, else the first file.
    const std::string& pointer = compact_pointer_[best_level];
    FileRef chosen = files.front();
    if (!pointer.empty()) {
      for (const FileRef& f : files) {
        if (memtable::CompareInternalKeys(f->largest, pointer) > 0) {
          chosen = f;
          break;
        }
      }
    }
    c.inputs[0] = {chosen};
  }
  SetupOtherInputs(&c);
  // The next compaction of this level starts after the largest key this one covers.
  std::string largest;
  for (const FileRef& f : c.inputs[0]) {
    if (largest.empty() || memtable::CompareInternalKeys(f->largest, largest) > 0) {
      largest = f->largest;
    }
  }
  compact_pointer_[best_level] = std::move(largest);
  return c;
}

std::optional<Compaction> CompactionPicker::PickRange(std::shared_ptr<const Version> v, int level,
                                                      std::optional<std::string_view> begin,
                                                      std::optional<std::string_view> end,
                                                      bool same_level) const {
  if (same_level ? level < 1 || level >= kNumLevels : level < 0 || level >= kNumLevels - 1) {
    return std::nullopt;
  }
  Compaction c;
  c.level = level;
  c.manual = true;
  c.same_level = same_level;
  c.inputs[0] = v->OverlappingInputs(level, begin, end);
  if (c.inputs[0].empty()) return std::nullopt;
  c.version = std::move(v);
  SetupOtherInputs(&c);
  return c;
}

}  // namespace strata::engine
