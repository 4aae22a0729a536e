// Leveled compaction: the picker and the Compaction description on hand-built Versions
// (scores, L0 widening, grandparents, round robin, manual ranges, trivial moves, base levels),
// RunCompaction on real tables (what it drops at a horizon, where it cuts outputs, what a
// failure leaves), and DurableDb with tiny level sizes in the wal, persistent and hybrid modes:
// random workloads against a std::map model across reopens, garbage collection with and without
// snapshots, tombstones above deeper levels, readers at snapshots while compactions run, write
// stalls, storage faults in compactions, and Close during a compaction.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/compaction.h"
#include "engine/compaction_job.h"
#include "engine/db.h"
#include "engine/durable_db.h"
#include "engine/file_names.h"
#include "engine/table_set.h"
#include "engine/table_writer.h"
#include "engine/version_edit.h"
#include "engine/version_set.h"
#include "memtable/internal_key.h"
#include "sstable/file.h"
#include "sstable/table_builder.h"
#include "tests/engine/engine_test_util.h"
#include "tests/testutil/fault_injection_file.h"
#include "tests/testutil/fault_injection_sink.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"
#include "util/clock.h"
#include "wal/sink.h"

namespace strata::engine {
namespace {

namespace fs = std::filesystem;
using memtable::EntryKind;
using Model = std::map<std::string, std::string>;
using strata::test::TempDir;
using strata::test::TestSeed;
using test::Contents;
using test::ContentsBackward;
using test::GetAt;
using test::MustOpen;
using Numbers = std::vector<uint64_t>;

std::string IKey(std::string_view user_key, uint64_t seq, EntryKind kind = EntryKind::kPut) {
  std::string k;
  memtable::AppendInternalKey(&k, user_key, seq, kind);
  return k;
}

std::string_view UserKey(std::string_view internal_key) {
  return memtable::ExtractUserKey(internal_key);
}

// A file of user keys [smallest, largest] of `size` bytes (metadata only).
FileMetaData File(uint64_t number, std::string_view smallest, std::string_view largest,
                  uint64_t size = 100) {
  FileMetaData f;
  f.number = number;
  f.file_size = size;
  f.smallest = IKey(smallest, 20);
  f.largest = IKey(largest, 10);
  f.smallest_seq = 10;
  f.largest_seq = 20;
  return f;
}

std::shared_ptr<const Version> MakeVersion(const std::vector<std::pair<int, FileMetaData>>& files) {
  VersionEdit e;
  for (const auto& [level, f] : files) e.AddFile(level, f);
  Result<std::shared_ptr<const Version>> v = ApplyEdit(Version(), e, 1000);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : nullptr;
}

Numbers NumbersOf(const std::vector<FileRef>& files) {
  Numbers n;
  for (const FileRef& f : files) n.push_back(f->number);
  return n;
}

CompactionOptions SmallSizes() {
  CompactionOptions o;
  o.l0_compaction_trigger = 4;
  o.l1_max_bytes = 1000;
  o.level_size_multiplier = 10;
  o.target_file_size = 100;  // grandparent overlap limit: 1000
  return o;
}

// ---------------------------------------------------------------------------------------------
// CompactionScore, CompactionPicker and Compaction on hand-built Versions

TEST(CompactionPickerTest, ScorePerLevel) {
  const CompactionOptions o = SmallSizes();
  EXPECT_EQ(o.MaxBytesForLevel(1), 1000u);
  EXPECT_EQ(o.MaxBytesForLevel(2), 10000u);
  EXPECT_EQ(o.MaxBytesForLevel(3), 100000u);
  EXPECT_EQ(o.MaxGrandparentOverlapBytes(), 1000u);

  const Version empty;
  for (int level = 0; level < kNumLevels; level++) {
    EXPECT_EQ(CompactionScore(empty, level, o), 0) << level;
  }
  auto v = MakeVersion({
      {0, File(10, "a", "z", 1)},
      {0, File(11, "a", "z", 1)},
      {1, File(1, "a", "b", 500)},
      {1, File(2, "c", "d", 500)},
      {1, File(3, "e", "f", 500)},
      {2, File(4, "a", "m", 5000)},
      {3, File(5, "a", "z", 10000000)},
  });
  ASSERT_NE(v, nullptr);
  EXPECT_DOUBLE_EQ(CompactionScore(*v, 0, o), 0.5);  // 2 files of 4, whatever their size
  EXPECT_DOUBLE_EQ(CompactionScore(*v, 1, o), 1.5);  // 1500 of 1000 bytes
  EXPECT_DOUBLE_EQ(CompactionScore(*v, 2, o), 0.5);  // 5000 of 10000 bytes
  EXPECT_EQ(CompactionScore(*v, 3, o), 0) << "nothing below the last level";

  // L0 counts files, not bytes: six one-byte files score 1.5.
  std::vector<std::pair<int, FileMetaData>> l0;
  for (uint64_t n = 20; n < 26; n++) l0.push_back({0, File(n, "a", "b", 1)});
  auto many = MakeVersion(l0);
  ASSERT_NE(many, nullptr);
  EXPECT_DOUBLE_EQ(CompactionScore(*many, 0, o), 1.5);
}

TEST(CompactionPickerTest, PicksTheHighestScoreAtLeastOne) {
  const CompactionOptions o = SmallSizes();
  auto l0_files = [](int n) {
    std::vector<std::pair<int, FileMetaData>> files;
    for (int i = 0; i < n; i++) files.push_back({0, File(100 + i, "a", "b", 1)});
    return files;
  };
  auto with = [](std::vector<std::pair<int, FileMetaData>> files,
                 const std::vector<std::pair<int, FileMetaData>>& more) {
    files.insert(files.end(), more.begin(), more.end());
    return files;
  };
  {
    // 0.75, 0.9, 0.9999: nothing to do. The last level never scores.
    CompactionPicker picker(o);
    auto v = MakeVersion(with(l0_files(3), {{1, File(1, "a", "b", 900)},
                                            {2, File(2, "a", "b", 9999)},
                                            {3, File(3, "a", "b", 1u << 30)}}));
    ASSERT_NE(v, nullptr);
    EXPECT_FALSE(picker.Pick(v).has_value());
  }
  {
    // Exactly 1 is enough.
    CompactionPicker picker(o);
    auto v = MakeVersion(with(l0_files(4), {{1, File(1, "a", "b", 900)}}));
    ASSERT_NE(v, nullptr);
    std::optional<Compaction> c = picker.Pick(v);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->level, 0);
    EXPECT_EQ(c->output_level(), 1);
    EXPECT_FALSE(c->manual);
    EXPECT_EQ(c->version, v);
  }
  {
    CompactionPicker picker(o);  // L0 1.0, L1 2.5
    auto v = MakeVersion(with(l0_files(4), {{1, File(1, "a", "b", 2500)}}));
    ASSERT_NE(v, nullptr);
    std::optional<Compaction> c = picker.Pick(v);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->level, 1);
    EXPECT_EQ(NumbersOf(c->inputs[0]), Numbers{1});
  }
  {
    CompactionPicker picker(o);  // L0 1.25, L1 1.5, L2 3.0
    auto v = MakeVersion(with(
        l0_files(5),
        {{1, File(1, "a", "b", 1500)}, {2, File(2, "c", "d", 30000)}, {3, File(3, "c", "c", 10)}}));
    ASSERT_NE(v, nullptr);
    std::optional<Compaction> c = picker.Pick(v);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->level, 2);
    EXPECT_EQ(NumbersOf(c->inputs[0]), Numbers{2});
    EXPECT_EQ(NumbersOf(c->inputs[1]), Numbers{3});
    EXPECT_TRUE(c->grandparents.empty()) << "no level below L3";
  }
  {
    CompactionPicker picker(o);  // L0 2.0 beats L1 1.5
    auto v = MakeVersion(with(l0_files(8), {{1, File(1, "a", "b", 1500)}}));
    ASSERT_NE(v, nullptr);
    std::optional<Compaction> c = picker.Pick(v);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->level, 0);
  }
}

// L0 (newest first): 13 [d, m], 12 [x, z], 11 [b, e], 10 [a, c]; L1: 1 [b, d], 2 [f, h],
// 3 [n, p], 4 [x, z]; L2: 20 [a, a], 21 [g, i], 22 [k, l], 23 [m, m], 24 [o, q].
std::shared_ptr<const Version> ThreeLevels() {
  return MakeVersion({
      {0, File(10, "a", "c")},
      {0, File(11, "b", "e")},
      {0, File(12, "x", "z")},
      {0, File(13, "d", "m")},
      {1, File(1, "b", "d")},
      {1, File(2, "f", "h")},
      {1, File(3, "n", "p")},
      {1, File(4, "x", "z")},
      {2, File(20, "a", "a")},
      {2, File(21, "g", "i")},
      {2, File(22, "k", "l")},
      {2, File(23, "m", "m")},
      {2, File(24, "o", "q")},
  });
}

TEST(CompactionPickerTest, L0TakesTheOldestFileAndEverythingOverlappingIt) {
  auto v = ThreeLevels();
  ASSERT_NE(v, nullptr);
  CompactionPicker picker(SmallSizes());
  std::optional<Compaction> c = picker.Pick(v);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->level, 0);
  // 10 [a, c] is the oldest; it overlaps 11 [b, e], which reaches 13 [d, m]; 12 [x, z] stays.
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{13, 11, 10}));
  // [a, m] at L1: 1 [b, d] and 2 [f, h].
  EXPECT_EQ(NumbersOf(c->inputs[1]), (Numbers{1, 2}));
  // Everything the output [a, m] covers at L2, both ends included.
  EXPECT_EQ(NumbersOf(c->grandparents), (Numbers{20, 21, 22, 23}));
  EXPECT_EQ(c->InputBytes(), 500u);
  EXPECT_FALSE(c->IsTrivialMove(SmallSizes()));
  EXPECT_EQ(c->DebugString(), "L0 [13 11 10] + L1 [1 2]");

  // The edit of a finished compaction removes exactly the inputs.
  VersionEdit edit;
  c->AddInputDeletions(&edit);
  EXPECT_EQ(edit.deleted_files(),
            (std::set<std::pair<int, uint64_t>>{{0, 10}, {0, 11}, {0, 13}, {1, 1}, {1, 2}}));
  Result<std::shared_ptr<const Version>> after = ApplyEdit(*v, edit, 1000);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(NumbersOf((*after)->files(0)), Numbers{12});
  EXPECT_EQ(NumbersOf((*after)->files(1)), (Numbers{3, 4}));
  EXPECT_EQ((*after)->NumFiles(2), 5u);

  // A lone oldest file with nothing below it is moved, not merged.
  auto lone = MakeVersion({{0, File(10, "a", "b")},
                           {0, File(11, "x", "z")},
                           {0, File(12, "w", "y")},
                           {0, File(13, "c", "d")}});
  ASSERT_NE(lone, nullptr);
  CompactionPicker picker2(SmallSizes());
  c = picker2.Pick(lone);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(NumbersOf(c->inputs[0]), Numbers{10});
  EXPECT_TRUE(c->inputs[1].empty());
  EXPECT_TRUE(c->IsTrivialMove(SmallSizes()));
}

TEST(CompactionPickerTest, LevelsRoundRobinThroughTheirFiles) {
  // L1 [a, b] [c, d] [e, f]: 1800 of 1000 bytes.
  auto v = MakeVersion({{1, File(1, "a", "b", 600)},
                        {1, File(2, "c", "d", 600)},
                        {1, File(3, "e", "f", 600)},
                        {2, File(20, "c", "c", 10)},
                        {3, File(30, "d", "e", 10)}});
  ASSERT_NE(v, nullptr);
  CompactionPicker picker(SmallSizes());
  Numbers picked;
  for (int i = 0; i < 4; i++) {
    std::optional<Compaction> c = picker.Pick(v);
    ASSERT_TRUE(c.has_value());
    ASSERT_EQ(c->level, 1);
    ASSERT_EQ(c->inputs[0].size(), 1u);
    picked.push_back(c->inputs[0][0]->number);
    if (picked.back() == 2) {
      EXPECT_EQ(NumbersOf(c->inputs[1]), Numbers{20});
      EXPECT_EQ(NumbersOf(c->grandparents), Numbers{30});
      EXPECT_FALSE(c->IsTrivialMove(SmallSizes()));
    }
  }
  // Successive picks take successive files, then start over.
  EXPECT_EQ(picked, (Numbers{1, 2, 3, 1}));

  // The pointer survives into the next Version: after 1 moved down, 2 is next, not the new
  // first file.
  CompactionPicker picker2(SmallSizes());
  std::optional<Compaction> first = picker2.Pick(v);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(NumbersOf(first->inputs[0]), Numbers{1});
  EXPECT_TRUE(first->IsTrivialMove(SmallSizes()));
  VersionEdit move;
  move.RemoveFile(1, 1);
  move.AddFile(2, File(1, "a", "b", 600));
  move.AddFile(1, File(4, "a", "a", 600));  // keeps L1 at 1800 bytes, before the pointer
  Result<std::shared_ptr<const Version>> v2 = ApplyEdit(*v, move, 1000);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  ASSERT_EQ(NumbersOf((*v2)->files(1)), (Numbers{4, 2, 3}));
  std::optional<Compaction> next = picker2.Pick(*v2);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(NumbersOf(next->inputs[0]), Numbers{2});
  EXPECT_EQ(next->version, *v2);
}

TEST(CompactionPickerTest, PickRangeTakesWhatOverlapsTheRange) {
  auto v = ThreeLevels();
  ASSERT_NE(v, nullptr);
  const CompactionPicker picker(SmallSizes());
  // L0 ranges widen like OverlappingInputs.
  std::optional<Compaction> c = picker.PickRange(v, 0, "c", "c");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->manual);
  EXPECT_EQ(c->level, 0);
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{13, 11, 10}));
  EXPECT_EQ(NumbersOf(c->inputs[1]), (Numbers{1, 2}));
  EXPECT_EQ(NumbersOf(c->grandparents), (Numbers{20, 21, 22, 23}));

  c = picker.PickRange(v, 0, "y", "y");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(NumbersOf(c->inputs[0]), Numbers{12});
  EXPECT_EQ(NumbersOf(c->inputs[1]), Numbers{4});
  EXPECT_TRUE(c->grandparents.empty());
  EXPECT_FALSE(c->IsTrivialMove(SmallSizes())) << "inputs below";

  EXPECT_FALSE(picker.PickRange(v, 0, "n", "w").has_value()) << "no L0 file in [n, w]";

  c = picker.PickRange(v, 1, "g", "o");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->level, 1);
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{2, 3}));
  // The inputs span [f, p] at L2.
  EXPECT_EQ(NumbersOf(c->inputs[1]), (Numbers{21, 22, 23, 24}));
  EXPECT_TRUE(c->grandparents.empty());
  EXPECT_EQ(c->DebugString(), "L1 [2 3] + L2 [21 22 23 24]");

  c = picker.PickRange(v, 1, std::nullopt, std::nullopt);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{1, 2, 3, 4}));
  c = picker.PickRange(v, 2, "j", std::nullopt);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{22, 23, 24}));
  EXPECT_TRUE(c->inputs[1].empty());

  EXPECT_FALSE(picker.PickRange(v, 2, "r", "w").has_value());
  EXPECT_FALSE(picker.PickRange(v, 3, std::nullopt, std::nullopt).has_value()) << "last level";
  EXPECT_FALSE(picker.PickRange(v, -1, std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(picker.PickRange(v, kNumLevels, std::nullopt, std::nullopt).has_value());
}

TEST(CompactionPickerTest, TrivialMoveNeedsOneFileNothingBelowAndLittleGrandparentOverlap) {
  const CompactionOptions o = SmallSizes();  // grandparent limit 1000 bytes
  auto make = [](uint64_t gp_size) {
    // L1 is at 2.0: the picker takes 1 [a, b], then 2 [m, n].
    return MakeVersion({{1, File(1, "a", "b", 1000)},
                        {1, File(2, "m", "n", 1000)},
                        {2, File(3, "c", "d")},
                        {2, File(4, "m", "m")},
                        {3, File(5, "a", "a", 600)},
                        {3, File(6, "b", "b", gp_size)}});
  };
  auto v = make(400);
  ASSERT_NE(v, nullptr);
  CompactionPicker picker(o);
  std::optional<Compaction> c = picker.Pick(v);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(NumbersOf(c->inputs[0]), Numbers{1});
  EXPECT_TRUE(c->inputs[1].empty());
  EXPECT_EQ(NumbersOf(c->grandparents), (Numbers{5, 6}));
  EXPECT_TRUE(c->IsTrivialMove(o)) << "1000 bytes of grandparents is within the limit";
  // The next file has a file below it.
  c = picker.Pick(v);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(NumbersOf(c->inputs[0]), Numbers{2});
  EXPECT_EQ(NumbersOf(c->inputs[1]), Numbers{4});
  EXPECT_FALSE(c->IsTrivialMove(o));

  // One byte more of grandparents: the moved file would overlap too much of L3.
  auto big = make(401);
  ASSERT_NE(big, nullptr);
  CompactionPicker picker2(o);
  c = picker2.Pick(big);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(NumbersOf(c->inputs[0]), Numbers{1});
  EXPECT_FALSE(c->IsTrivialMove(o));

  // Never for a manual compaction (CompactRange rewrites, dropping garbage).
  c = picker.PickRange(v, 1, "a", "b");
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(NumbersOf(c->inputs[0]), Numbers{1});
  EXPECT_TRUE(c->inputs[1].empty());
  EXPECT_FALSE(c->IsTrivialMove(o));

  // Two overlapping L0 files are merged, even with nothing below.
  auto l0 = MakeVersion({{0, File(7, "a", "c")},
                         {0, File(8, "b", "d")},
                         {0, File(9, "x", "x")},
                         {0, File(10, "y", "y")}});
  ASSERT_NE(l0, nullptr);
  CompactionPicker picker3(o);
  c = picker3.Pick(l0);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(NumbersOf(c->inputs[0]), (Numbers{8, 7}));
  EXPECT_FALSE(c->IsTrivialMove(o));
}

TEST(CompactionPickerTest, IsBaseLevelForKeyLooksBelowTheOutputLevel) {
  // L1 [a, c]; L2 [d, f] [m, p]; L3 [h, j] [x, x].
  auto v = MakeVersion({{1, File(1, "a", "c")},
                        {2, File(20, "d", "f")},
                        {2, File(21, "m", "p")},
                        {3, File(30, "h", "j")},
                        {3, File(31, "x", "x")}});
  ASSERT_NE(v, nullptr);
  auto at = [&](int level) {
    Compaction c;
    c.level = level;
    c.version = v;
    return c;
  };
  // L0 -> L1: L2 and L3 count, L1 (the output level) does not.
  const Compaction c0 = at(0);
  for (const char* key : {"a", "b", "c", "g", "k", "l", "q", "w", "y", "zz"}) {
    EXPECT_TRUE(c0.IsBaseLevelForKey(key)) << key;
  }
  for (const char* key : {"d", "e", "f", "h", "i", "j", "m", "n", "p", "x"}) {
    EXPECT_FALSE(c0.IsBaseLevelForKey(key)) << key;
  }
  // L1 -> L2: only L3.
  const Compaction c1 = at(1);
  for (const char* key : {"d", "f", "m", "p", "g", "w"}) {
    EXPECT_TRUE(c1.IsBaseLevelForKey(key)) << key;
  }
  for (const char* key : {"h", "i", "j", "x"}) EXPECT_FALSE(c1.IsBaseLevelForKey(key)) << key;
  // L2 -> L3: nothing below.
  const Compaction c2 = at(2);
  for (const char* key : {"a", "h", "i", "x"}) EXPECT_TRUE(c2.IsBaseLevelForKey(key)) << key;
}

// ---------------------------------------------------------------------------------------------
// RunCompaction on real tables

struct Entry {
  std::string key;  // internal
  std::string value;
};

// "a@5=v", "b@7:del"
std::string Describe(const std::vector<Entry>& entries) {
  std::string out;
  for (const Entry& e : entries) {
    memtable::ParsedInternalKey p;
    if (!memtable::ParseInternalKey(e.key, &p)) return out + " <malformed>";
    if (!out.empty()) out += " ";
    out += std::string(p.user_key) + "@" + std::to_string(p.sequence);
    out += p.kind == EntryKind::kDelete ? ":del" : "=" + e.value;
  }
  return out;
}

// Every entry of `file` (internal keys), in order.
std::vector<Entry> ReadTable(const TableSet& tables, const FileMetaData& file) {
  std::vector<std::unique_ptr<InternalIterator>> iters;
  tables.AddFileIterators(1, {std::make_shared<const FileMetaData>(file)}, sstable::ReadOptions(),
                          &iters);
  std::vector<Entry> out;
  for (auto& iter : iters) {
    for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
      out.push_back({std::string(iter->key()), std::string(iter->value())});
    }
    EXPECT_TRUE(iter->status().ok()) << iter->status().ToString();
  }
  return out;
}

class CompactionJobTest : public ::testing::Test {
 protected:
  CompactionJobTest() : tables_(tmp_.path(), 1 << 20, 100) {}

  // Writes `entries` (sorted here) as table `number`.
  FileMetaData Table(uint64_t number, std::vector<Entry> entries) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return memtable::CompareInternalKeys(a.key, b.key) < 0;
    });
    FileMetaData meta;
    meta.number = number;
    auto file = sstable::NewPosixWritableFile(TableFileName(tmp_.path(), number));
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    if (!file.ok()) return meta;
    TableWriter writer(tables_.table_options(), file->get());
    for (const Entry& e : entries) EXPECT_TRUE(writer.Add(e.key, e.value).ok());
    const Status s = writer.Finish(&meta);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE((*file)->Close().ok());
    return meta;
  }

  CompactionJobOptions Job(uint64_t horizon, uint64_t target_file_size = 1 << 20) {
    CompactionJobOptions job;
    job.dir = tmp_.path();
    job.tables = &tables_;
    job.sizes.target_file_size = target_file_size;
    job.horizon = horizon;
    job.new_file_number = [this] { return next_number_++; };
    return job;
  }

  // The compaction of every file at `level` and level + 1 of v.
  static Compaction Whole(std::shared_ptr<const Version> v, int level) {
    Compaction c;
    c.level = level;
    c.inputs[0] = v->files(level);
    c.inputs[1] = v->files(level + 1);
    if (level + 2 < kNumLevels) c.grandparents = v->files(level + 2);
    c.version = std::move(v);
    return c;
  }

  bool Exists(uint64_t number) const { return fs::exists(TableFileName(tmp_.path(), number)); }

  TempDir tmp_;
  TableSet tables_;
  uint64_t next_number_ = 500;
};

Entry Put(std::string_view user_key, uint64_t seq, std::string value) {
  return {IKey(user_key, seq), std::move(value)};
}
Entry Del(std::string_view user_key, uint64_t seq) {
  return {IKey(user_key, seq, EntryKind::kDelete), ""};
}

TEST_F(CompactionJobTest, KeepsWhatTheHorizonCanSeeAndDropsTheRest) {
  const FileMetaData newer = Table(11, {Put("a", 32, "a4"), Del("b", 31), Del("e", 33)});
  const FileMetaData older = Table(10, {Put("a", 30, "a3"), Put("a", 20, "a2"), Put("b", 25, "b2"),
                                        Del("c", 28), Put("d", 15, "d1"), Del("g", 29)});
  const FileMetaData l1 =
      Table(5, {Put("a", 5, "a1"), Put("c", 10, "c1"), Put("f", 3, "f1"), Put("g", 4, "g1")});
  const FileMetaData l2 = Table(3, {Put("c", 1, "c0")});  // c also lives below the output level
  auto v = MakeVersion({{0, newer}, {0, older}, {1, l1}, {2, l2}});
  ASSERT_NE(v, nullptr);

  struct Case {
    uint64_t horizon;
    std::string expected;
    uint64_t dropped;
  } cases[] = {
      // A reader at 30 sees a3, b2, the c tombstone (hiding c0 below), d1, f1, and nothing of
      // g; the newest versions above 30 stay too. Dropped: a2, a1 (shadowed at 30), c1
      // (under the c tombstone), g@29 (a tombstone nothing below needs) and g1.
      {30, "a@32=a4 a@30=a3 b@31:del b@25=b2 c@28:del d@15=d1 e@33:del f@3=f1", 5},
      // Everything is visible at 100: only the newest version of each key, and the tombstones
      // of b, e and g go too (nothing below holds them); c's stays above c0.
      {100, "a@32=a4 c@28:del d@15=d1 f@3=f1", 9},
      // At 0 (a snapshot older than everything) nothing may go.
      {0,
       "a@32=a4 a@30=a3 a@20=a2 a@5=a1 b@31:del b@25=b2 c@28:del c@10=c1 d@15=d1 e@33:del f@3=f1 "
       "g@29:del g@4=g1",
       0},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE("horizon " + std::to_string(tc.horizon));
    const Compaction c = Whole(v, 0);
    ASSERT_EQ(NumbersOf(c.grandparents), Numbers{3});
    VersionEdit edit;
    CompactionStats stats;
    const Status s = RunCompaction(c, Job(tc.horizon), &edit, &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(stats.entries_read, 13u);
    EXPECT_EQ(stats.entries_dropped, tc.dropped);
    EXPECT_EQ(stats.entries_written, 13u - tc.dropped);
    EXPECT_EQ(stats.bytes_read, newer.file_size + older.file_size + l1.file_size);
    EXPECT_EQ(edit.deleted_files(), (std::set<std::pair<int, uint64_t>>{{0, 10}, {0, 11}, {1, 5}}));
    ASSERT_EQ(edit.new_files().size(), 1u);
    ASSERT_EQ(stats.outputs.size(), 1u);
    const auto& [level, out] = edit.new_files()[0];
    EXPECT_EQ(level, 1);
    EXPECT_EQ(out.number, stats.outputs[0]);
    EXPECT_EQ(stats.bytes_written, out.file_size);
    EXPECT_TRUE(Exists(out.number));
    const std::vector<Entry> entries = ReadTable(tables_, out);
    EXPECT_EQ(Describe(entries), tc.expected);
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(out.smallest, entries.front().key);
    EXPECT_EQ(out.largest, entries.back().key);
    // The inputs are the caller's to delete once the edit is applied.
    EXPECT_TRUE(Exists(10) && Exists(11) && Exists(5));
  }
}

TEST_F(CompactionJobTest, NothingLeftWritesNoTable) {
  auto v = MakeVersion({{0, Table(10, {Del("a", 9), Del("b", 8)})},
                        {1, Table(5, {Put("a", 2, "x"), Put("b", 1, "y")})}});
  ASSERT_NE(v, nullptr);
  VersionEdit edit;
  CompactionStats stats;
  const Status s = RunCompaction(Whole(v, 0), Job(100), &edit, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stats.entries_dropped, 4u);
  EXPECT_TRUE(stats.outputs.empty());
  EXPECT_TRUE(edit.new_files().empty());
  EXPECT_EQ(edit.deleted_files(), (std::set<std::pair<int, uint64_t>>{{0, 10}, {1, 5}}));
}

TEST_F(CompactionJobTest, OutputsAreCutAtTheTargetSizeBetweenUserKeys) {
  std::mt19937_64 rng(TestSeed());
  auto random_value = [&](size_t n) {
    std::string v(n, ' ');
    for (char& ch : v) ch = static_cast<char>('!' + rng() % 90);
    return v;
  };
  std::vector<Entry> l0, l1;
  uint64_t seq = 1;
  std::map<std::string, int> versions;  // user key -> versions written
  for (int k = 0; k < 150; k++) {
    char key[16];
    std::snprintf(key, sizeof(key), "k%04d", k);
    // "k0075" has 60 versions of 300 bytes: far more than one target size, never split.
    const int n = k == 75 ? 60 : 1 + k % 3;
    for (int i = 0; i < n; i++) {
      (i % 2 == 0 ? l0 : l1).push_back(Put(key, seq++, random_value(300)));
      versions[key]++;
    }
  }
  auto v = MakeVersion({{0, Table(10, l0)}, {1, Table(5, l1)}});
  ASSERT_NE(v, nullptr);
  constexpr uint64_t kTarget = 4096;
  VersionEdit edit;
  CompactionStats stats;
  const Status s = RunCompaction(Whole(v, 0), Job(/*horizon=*/0, kTarget), &edit, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_GT(edit.new_files().size(), 5u);
  EXPECT_EQ(stats.entries_dropped, 0u);
  std::map<std::string, int> seen;
  std::string previous_largest;
  uint64_t total = 0;
  for (const auto& [level, f] : edit.new_files()) {
    EXPECT_EQ(level, 1);
    const std::vector<Entry> entries = ReadTable(tables_, f);
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(f.smallest, entries.front().key);
    EXPECT_EQ(f.largest, entries.back().key);
    // Disjoint user-key ranges, in order: a user key never spans two outputs.
    if (!previous_largest.empty()) {
      EXPECT_LT(previous_largest, UserKey(f.smallest)) << "file " << f.number;
    }
    previous_largest = std::string(UserKey(f.largest));
    std::set<std::string> keys;
    for (const Entry& e : entries) keys.insert(std::string(UserKey(e.key)));
    for (const std::string& k : keys) seen[k] = 0;
    for (const Entry& e : entries) seen[std::string(UserKey(e.key))]++;
    // Cut soon after the target, except for the file holding the 60 versions of k0075.
    if (keys.count("k0075") == 0) {
      EXPECT_LT(f.file_size, 2 * kTarget) << "file " << f.number;
    }
    total += entries.size();
  }
  EXPECT_EQ(seen, versions);
  EXPECT_EQ(total, seq - 1);
}

TEST_F(CompactionJobTest, OutputsAreCutWhereTheyOverlapTooMuchOfTheGrandparents) {
  // 30 tiny entries: far below the target size, so only grandparent overlap cuts.
  std::vector<Entry> entries;
  for (int k = 0; k < 30; k++) {
    char key[8];
    std::snprintf(key, sizeof(key), "k%02d", k);
    entries.push_back(Put(key, 100 + k, "v"));
  }
  const FileMetaData input = Table(10, entries);
  constexpr uint64_t kTarget = 100000;  // grandparent limit: 1,000,000 bytes
  std::vector<std::pair<int, FileMetaData>> files = {{0, input}};
  std::vector<FileMetaData> gp;
  for (int g = 0; g < 6; g++) {
    char lo[8], hi[8];
    std::snprintf(lo, sizeof(lo), "k%02d", g * 5);
    std::snprintf(hi, sizeof(hi), "k%02d", g * 5 + 1);
    gp.push_back(File(20 + g, lo, hi, 600000));  // metadata only: never read
    files.push_back({2, gp.back()});
  }
  auto v = MakeVersion(files);
  ASSERT_NE(v, nullptr);
  Compaction c = Whole(v, 0);
  ASSERT_EQ(c.grandparents.size(), 6u);
  VersionEdit edit;
  CompactionStats stats;
  Status s = RunCompaction(c, Job(1000, kTarget), &edit, &stats);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_GE(edit.new_files().size(), 2u);
  size_t written = 0;
  for (const auto& [level, f] : edit.new_files()) {
    // Each output overlaps at most the limit plus one grandparent file.
    uint64_t overlap = 0;
    for (const FileMetaData& g : gp) {
      if (UserKey(g.largest) >= UserKey(f.smallest) && UserKey(g.smallest) <= UserKey(f.largest)) {
        overlap += g.file_size;
      }
    }
    EXPECT_LE(overlap, 1000000u + 600000u) << "file " << f.number;
    written += ReadTable(tables_, f).size();
  }
  EXPECT_EQ(written, 30u);

  // Without the grandparents, the same input makes one output.
  auto alone = MakeVersion({{0, input}});
  ASSERT_NE(alone, nullptr);
  VersionEdit edit2;
  CompactionStats stats2;
  s = RunCompaction(Whole(alone, 0), Job(1000, kTarget), &edit2, &stats2);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(edit2.new_files().size(), 1u);
}

TEST_F(CompactionJobTest, FailureOrAbandonDeletesTheOutputsAndLeavesTheEdit) {
  std::vector<Entry> entries;
  for (int k = 0; k < 2000; k++) {
    char key[16];
    std::snprintf(key, sizeof(key), "key%05d", k);
    entries.push_back(Put(key, 10 + k, std::string(100, static_cast<char>('a' + k % 26))));
  }
  auto v = MakeVersion({{0, Table(10, entries)}, {1, Table(5, {Put("key00001", 1, "old")})}});
  ASSERT_NE(v, nullptr);
  const Compaction c = Whole(v, 0);

  // The third output fails its write.
  CompactionJobOptions job = Job(100000, 8 * 1024);
  int created = 0;
  job.file_factory =
      [&](const std::string& path) -> Result<std::unique_ptr<sstable::WritableFile>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::WritableFile> file,
                     sstable::NewPosixWritableFile(path));
    auto faulty = std::make_unique<testutil::FaultInjectionWritableFile>(std::move(file));
    if (++created == 3) faulty->FailAppendAfter(10, ENOSPC);
    return std::unique_ptr<sstable::WritableFile>(std::move(faulty));
  };
  VersionEdit edit;
  CompactionStats stats;
  Status s = RunCompaction(c, job, &edit, &stats);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("compaction L0 [10] + L1 [5]"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  EXPECT_EQ(stats.outputs.size(), 3u);
  for (uint64_t n : stats.outputs) EXPECT_FALSE(Exists(n)) << n;
  EXPECT_EQ(edit, VersionEdit()) << edit.DebugString();
  EXPECT_TRUE(Exists(10) && Exists(5));

  // keep_going says stop: Aborted, and the same cleanup.
  CompactionJobOptions abandon = Job(100000, 8 * 1024);
  int asked = 0;
  abandon.keep_going = [&] { return ++asked < 4; };
  VersionEdit edit2;
  CompactionStats stats2;
  s = RunCompaction(c, abandon, &edit2, &stats2);
  EXPECT_TRUE(s.IsAborted()) << s.ToString();
  EXPECT_EQ(asked, 4);
  EXPECT_FALSE(stats2.outputs.empty());
  for (uint64_t n : stats2.outputs) EXPECT_FALSE(Exists(n)) << n;
  EXPECT_EQ(edit2, VersionEdit());

  // A malformed input key is Corruption, not a crash.
  FileMetaData bad;
  bad.number = 12;
  {
    auto file = sstable::NewPosixWritableFile(TableFileName(tmp_.path(), 12));
    ASSERT_TRUE(file.ok());
    sstable::TableBuilder builder(tables_.table_options(), file->get());
    ASSERT_TRUE(builder.Add("short", "x").ok());  // shorter than a tag
    ASSERT_TRUE(builder.Finish().ok());
    bad.file_size = builder.FileSize();
    bad.smallest = IKey("a", 1);
    bad.largest = IKey("z", 1);
  }
  auto corrupt = MakeVersion({{0, bad}});
  ASSERT_NE(corrupt, nullptr);
  VersionEdit edit3;
  CompactionStats stats3;
  s = RunCompaction(Whole(corrupt, 0), Job(100), &edit3, &stats3);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_EQ(edit3, VersionEdit());
}

// ---------------------------------------------------------------------------------------------
// DurableDb with tiny level sizes

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%06d", i);
  return buf;
}

// Incompressible enough (tables are zlib-compressed) for level sizes to fill.
std::string RandomValue(std::mt19937_64& rng, size_t n, std::string_view prefix = "") {
  std::string v(prefix);
  v.reserve(prefix.size() + n);
  for (size_t i = 0; i < n; i++) v.push_back(static_cast<char>('0' + rng() % 64));
  return v;
}

// Every key below key_space read by Get at `snapshot` agrees with `model`.
void ExpectGets(Db* db, const Model& model, int key_space, uint64_t snapshot = 0) {
  for (int k = 0; k < key_space; k++) {
    auto it = model.find(Key(k));
    ASSERT_EQ(GetAt(db, Key(k), snapshot), it == model.end() ? "NOT_FOUND" : it->second)
        << "key " << k << " at " << snapshot;
  }
}

void ExpectMatches(Db* db, const Model& model, int key_space) {
  ExpectGets(db, model, key_space);
  EXPECT_EQ(Contents(db), model);
  EXPECT_EQ(ContentsBackward(db), model);
}

// Random steps of an iterator at `snapshot` over keys below key_space, checked against `model`.
void RandomWalk(Db* db, const Model& model, uint64_t snapshot, std::mt19937_64& rng, int steps,
                int key_space) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  auto iter = db->NewIterator(ro);
  test::RandomWalk(iter.get(), model, rng, steps, [&] {
    return Key(static_cast<int>(rng() % key_space)) + (rng() % 2 ? "" : "+");
  });
}

// At every level >= 1, the user-key ranges of the files are disjoint and in order.
void ExpectLevelsDisjoint(const Version& v) {
  for (int level = 1; level < kNumLevels; level++) {
    const std::vector<FileRef>& files = v.files(level);
    for (size_t i = 1; i < files.size(); i++) {
      EXPECT_LT(UserKey(files[i - 1]->largest), UserKey(files[i]->smallest))
          << "L" << level << " files " << files[i - 1]->number << " and " << files[i]->number
          << "\n"
          << v.DebugString();
    }
  }
}

int DeepestLevelWithFiles(const Version& v) {
  for (int level = kNumLevels - 1; level >= 0; level--) {
    if (v.NumFiles(level) > 0) return level;
  }
  return -1;
}

std::set<uint64_t> VersionFiles(const Version& v) {
  std::set<uint64_t> n;
  v.AddFileNumbers(&n);
  return n;
}

size_t TotalFiles(const Version& v) { return VersionFiles(v).size(); }

// Every entry (internal keys) of every table of `v`, by level.
std::vector<std::vector<Entry>> TableEntries(const std::string& dir, const Version& v) {
  TableSet tables(dir, 0, 64);
  std::vector<std::vector<Entry>> out(kNumLevels);
  for (int level = 0; level < kNumLevels; level++) {
    for (const FileRef& f : v.files(level)) {
      std::vector<Entry> entries = ReadTable(tables, *f);
      auto reader = tables.FindTable(*f);
      EXPECT_TRUE(reader.ok()) << reader.status().ToString();
      if (reader.ok()) {
        EXPECT_EQ((*reader)->properties().num_entries, entries.size());
      }
      out[level].insert(out[level].end(), entries.begin(), entries.end());
    }
  }
  return out;
}

size_t TotalEntries(const std::string& dir, const Version& v) {
  size_t n = 0;
  for (const auto& level : TableEntries(dir, v)) n += level.size();
  return n;
}

// Entries of `user_key` at each level, e.g. {"", "k@9:del", "", "k@3=v"}.
std::vector<std::string> EntriesOf(const std::string& dir, const Version& v,
                                   std::string_view user_key) {
  std::vector<std::string> out;
  for (const auto& level : TableEntries(dir, v)) {
    std::vector<Entry> mine;
    for (const Entry& e : level) {
      if (UserKey(e.key) == user_key) mine.push_back(e);
    }
    out.push_back(Describe(mine));
  }
  return out;
}

std::set<uint64_t> TableFilesOnDisk(const std::string& dir) {
  std::set<uint64_t> n;
  for (const auto& entry : fs::directory_iterator(dir)) {
    uint64_t number;
    FileType type;
    if (ParseFileName(entry.path().filename().string(), &number, &type) &&
        type == FileType::kTable) {
      n.insert(number);
    }
  }
  return n;
}

Status PutBatch(Db* db, const std::vector<std::pair<std::string, std::optional<std::string>>>& ops,
                Model* model) {
  WriteBatch batch;
  for (const auto& [key, value] : ops) {
    if (value.has_value()) {
      batch.Put(key, *value);
    } else {
      batch.Delete(key);
    }
  }
  Status s = db->Write(batch);
  if (s.ok() && model != nullptr) {
    for (const auto& [key, value] : ops) {
      if (value.has_value()) {
        (*model)[key] = *value;
      } else {
        model->erase(key);
      }
    }
  }
  return s;
}

// Writes `value_of(k)` for every key in [begin, end), `per_batch` keys per batch.
void PutRange(Db* db, Model* model, int begin, int end, int per_batch,
              const std::function<std::string(int)>& value_of) {
  for (int k = begin; k < end; k += per_batch) {
    std::vector<std::pair<std::string, std::optional<std::string>>> ops;
    for (int i = k; i < std::min(end, k + per_batch); i++) ops.push_back({Key(i), value_of(i)});
    ASSERT_TRUE(PutBatch(db, ops, model).ok());
  }
}
void PutRange(Db* db, Model* model, int begin, int end,
              const std::function<std::string(int)>& value_of) {
  PutRange(db, model, begin, end, 50, value_of);
}

// `n` ops on random keys below key_space: one in `delete_one_in` a delete, the others puts of
// values of min_size + [0, spread) bytes starting with "<tag>:".
std::vector<std::pair<std::string, std::optional<std::string>>> RandomOps(
    std::mt19937_64& rng, int n, int key_space, int delete_one_in, size_t min_size, size_t spread,
    const std::string& tag) {
  std::vector<std::pair<std::string, std::optional<std::string>>> ops;
  for (int op = 0; op < n; op++) {
    const std::string key = Key(static_cast<int>(rng() % key_space));
    if (rng() % delete_one_in == 0) {
      ops.push_back({key, std::nullopt});
    } else {
      ops.push_back({key, RandomValue(rng, min_size + rng() % spread, tag + ":")});
    }
  }
  return ops;
}

void DeleteRange(Db* db, int begin, int end, Model* model, int step = 1) {
  std::vector<std::pair<std::string, std::optional<std::string>>> ops;
  for (int k = begin; k < end; k += step) ops.push_back({Key(k), std::nullopt});
  ASSERT_TRUE(PutBatch(db, ops, model).ok());
}

std::string StatsString(const BackgroundStats& s) {
  return "flushes " + std::to_string(s.flushes) + ", compactions " + std::to_string(s.compactions) +
         ", trivial moves " + std::to_string(s.trivial_moves) + ", read " +
         std::to_string(s.compaction_bytes_read) + " B, written " +
         std::to_string(s.compaction_bytes_written) + " B, dropped " +
         std::to_string(s.entries_dropped) + ", slowdowns " + std::to_string(s.write_slowdowns) +
         ", stops " + std::to_string(s.write_stops);
}

class CompactionTest : public ::testing::TestWithParam<StorageMode> {
 protected:
  Options MakeOptions() const {
    Options options;
    options.mode = GetParam();
    options.data_dir = tmp_.path() + "/data";
    options.wal_segment_bytes = 1 << 20;
    options.memtable_bytes = 128 * 1024;  // an empty memtable already uses 64 KiB
    options.flush_interval_ms = 60 * 60 * 1000;
    options.block_cache_bytes = 1 << 20;
    CompactionOptions& c = options.compaction;
    c.l0_compaction_trigger = 2;
    c.l0_slowdown_writes_trigger = 8;
    c.l0_stop_writes_trigger = 12;
    c.l1_max_bytes = 128 * 1024;
    c.level_size_multiplier = 2;
    c.target_file_size = 32 * 1024;
    return options;
  }

  std::string DbDir() const { return tmp_.path() + "/data/dynamodb"; }

  // The shape checks every quiescent database must pass.
  void ExpectShape(DurableDb* db, const Options& options) {
    auto v = db->current_version();
    EXPECT_LT(v->NumFiles(0), static_cast<size_t>(options.compaction.l0_compaction_trigger))
        << v->DebugString();
    for (int level = 1; level < kNumLevels - 1; level++) {
      EXPECT_LT(CompactionScore(*v, level, options.compaction), 1) << v->DebugString();
    }
    ExpectLevelsDisjoint(*v);
  }

  TempDir tmp_;
};

TEST_P(CompactionTest, RandomWorkloadMatchesModelAcrossLevelsAndReopens) {
  const uint64_t seed = TestSeed();
  std::mt19937_64 rng(seed);
  const Options options = MakeOptions();
  constexpr int kKeys = 3000;
  Model model;
  {
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    // persistent syncs every write: fewer, larger batches.
    const bool persistent = GetParam() == StorageMode::kPersistent;
    const int batches = persistent ? 1000 : 3000;
    for (int i = 0; i < batches; i++) {
      const int n = persistent ? 3 + static_cast<int>(rng() % 7) : 1 + static_cast<int>(rng() % 3);
      const auto ops = RandomOps(rng, n, kKeys, /*delete_one_in=*/5, 100, 300, std::to_string(i));
      ASSERT_TRUE(PutBatch(db.get(), ops, &model).ok());
      if (i % (batches / 4) == batches / 8) {
        ASSERT_TRUE(db->FlushMemTable().ok());
      }
      if (i % (batches / 3) == batches / 3 - 1) {
        ASSERT_NO_FATAL_FAILURE(ExpectGets(db.get(), model, kKeys)) << "seed " << seed;
      }
    }
    ASSERT_TRUE(db->WaitForCompactions().ok());
    const BackgroundStats stats = db->background_stats();
    std::printf("%s\n%s", StatsString(stats).c_str(), db->current_version()->DebugString().c_str());
    EXPECT_GT(stats.compactions, 0u);
    EXPECT_GT(stats.entries_dropped, 0u);
    EXPECT_GT(stats.compaction_bytes_written, 0u);
    EXPECT_GE(DeepestLevelWithFiles(*db->current_version()), 2);
    ExpectShape(db.get(), options);
    ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys)) << "seed " << seed;
    RandomWalk(db.get(), model, 0, rng, 2000, kKeys);
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys)) << "seed " << seed;
  ASSERT_TRUE(db->WaitForCompactions().ok());
  ExpectShape(db.get(), options);
  EXPECT_GE(DeepestLevelWithFiles(*db->current_version()), 2);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys)) << "seed " << seed;
  // Every table on disk is in the version once nothing pins older ones (the reads above may
  // have pinned the inputs of a compaction: the next flush deletes them).
  ASSERT_TRUE(PutBatch(db.get(), {{"zz", "marker"}}, &model).ok());
  ASSERT_TRUE(db->FlushMemTable().ok());
  ASSERT_TRUE(db->WaitForCompactions().ok());
  EXPECT_EQ(TableFilesOnDisk(DbDir()), VersionFiles(*db->current_version()));
}

// [min, max] commit time of the tables of `level`.
std::pair<uint64_t, uint64_t> CommitTimeRange(const std::string& dir, const Version& v, int level) {
  TableSet tables(dir, 0, 64);
  std::pair<uint64_t, uint64_t> range{0, 0};
  for (const FileRef& f : v.files(level)) {
    auto reader = tables.FindTable(*f);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) continue;
    const sstable::TableProperties& p = (*reader)->properties();
    if (range.first == 0 || p.min_commit_time_us < range.first) range.first = p.min_commit_time_us;
    range.second = std::max(range.second, p.max_commit_time_us);
  }
  return range;
}

TEST_P(CompactionTest, TablesRecordTheCommitTimesOfTheirWrites) {
  std::mt19937_64 rng(TestSeed());
  Model model;
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  const uint64_t before = NowMicros();
  PutRange(db.get(), &model, 0, 100, [&](int) { return RandomValue(rng, 50); });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const uint64_t middle = NowMicros();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  PutRange(db.get(), &model, 100, 200, [&](int) { return RandomValue(rng, 50); });
  const uint64_t after = NowMicros();
  ASSERT_TRUE(db->FlushMemTable().ok());
  // The flushed table: from the first write's commit to the last's.
  const auto flushed = CommitTimeRange(db->dir(), *db->current_version(), 0);
  EXPECT_GE(flushed.first, before);
  EXPECT_LT(flushed.first, middle);
  EXPECT_GT(flushed.second, middle);
  EXPECT_LE(flushed.second, after);

  PutRange(db.get(), &model, 0, 50, [&](int) { return RandomValue(rng, 50); });
  const uint64_t last = NowMicros();
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  // Compaction outputs cover what their inputs covered.
  const auto v = db->current_version();
  ASSERT_EQ(v->NumFiles(0), 0u);
  const auto compacted = CommitTimeRange(db->dir(), *v, DeepestLevelWithFiles(*v));
  EXPECT_EQ(compacted.first, flushed.first);
  EXPECT_GT(compacted.second, after);
  EXPECT_LE(compacted.second, last);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, 200));
}

TEST_P(CompactionTest, CompactRangeDropsOverwrittenVersionsThenDeletedKeys) {
  std::mt19937_64 rng(TestSeed());
  const Options options = MakeOptions();
  constexpr int kKeys = 400;
  Model model;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  for (int round = 0; round < 4; round++) {
    PutRange(db.get(), &model, 0, kKeys,
             [&](int) { return RandomValue(rng, 150, "r" + std::to_string(round) + ":"); });
    ASSERT_TRUE(db->FlushMemTable().ok());
  }
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  auto v = db->current_version();
  EXPECT_EQ(v->NumFiles(0), 0u) << v->DebugString();
  // One entry per live key: the three older versions of each went (no snapshot needs them).
  EXPECT_EQ(TotalEntries(db->dir(), *v), static_cast<size_t>(kKeys)) << v->DebugString();
  EXPECT_EQ(db->background_stats().entries_dropped, 3u * kKeys);
  EXPECT_GT(db->background_stats().compactions, 0u);
  ExpectLevelsDisjoint(*v);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));

  // Delete everything: the tombstones reach the base level with what they hide, and both go.
  v.reset();  // pins the tables the next compaction replaces
  DeleteRange(db.get(), 0, kKeys, &model);
  ASSERT_TRUE(model.empty());
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  v = db->current_version();
  EXPECT_EQ(TotalFiles(*v), 0u) << v->DebugString();
  EXPECT_EQ(db->background_stats().entries_dropped, 3u * kKeys + 2u * kKeys);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
  EXPECT_EQ(TableFilesOnDisk(DbDir()), std::set<uint64_t>{})
      << "the compaction inputs are garbage once nothing reads them";
  v.reset();
  ASSERT_TRUE(db->Close().ok());
  db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(TotalFiles(*db->current_version()), 0u);
  EXPECT_EQ(TableFilesOnDisk(DbDir()), std::set<uint64_t>{});
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
}

TEST_P(CompactionTest, SnapshotKeepsOldVersionsThroughCompactions) {
  std::mt19937_64 rng(TestSeed());
  const Options options = MakeOptions();
  constexpr int kKeys = 300;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  Model v1;
  PutRange(db.get(), &v1, 0, kKeys, [&](int) { return RandomValue(rng, 100, "one:"); });
  ASSERT_TRUE(db->FlushMemTable().ok());
  auto snap = db->GetSnapshot();

  Model v2 = v1;
  PutRange(db.get(), &v2, 0, kKeys, [&](int) { return RandomValue(rng, 100, "two:"); });
  DeleteRange(db.get(), 0, kKeys, &v2, /*step=*/3);
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  auto v = db->current_version();
  EXPECT_EQ(v->NumFiles(0), 0u);
  // The snapshot needs every v1 value; the latest state needs 200 two values and 100
  // tombstones, each above a two value written after the snapshot (so no reader's horizon
  // covers it) and a v1 value the snapshot still reads.
  EXPECT_EQ(TotalEntries(db->dir(), *v), 2u * kKeys + kKeys / 3) << v->DebugString();
  EXPECT_EQ(Contents(db.get(), snap->sequence()), v1);
  EXPECT_EQ(ContentsBackward(db.get(), snap->sequence()), v1);
  ASSERT_NO_FATAL_FAILURE(ExpectGets(db.get(), v1, kKeys, snap->sequence()));
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), v2, kKeys));
  RandomWalk(db.get(), v1, snap->sequence(), rng, 500, kKeys);

  // Released: the next compaction of these files drops the v1 values and the tombstones. A
  // write of the first and the last key spans the whole range from L0, so every file is merged.
  snap.reset();
  EXPECT_EQ(db->live_snapshots(), 0u);
  PutRange(db.get(), &v2, 0, 1, [](int) { return "three"; });
  PutRange(db.get(), &v2, kKeys - 1, kKeys, [](int) { return "three"; });
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  v = db->current_version();
  EXPECT_EQ(TotalEntries(db->dir(), *v), v2.size()) << v->DebugString();
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), v2, kKeys));
  v.reset();
  ASSERT_TRUE(db->Close().ok());
  db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), v2, kKeys));
}

// DurableDb::CompactRange promises to drop, in every SSTable of the range, the versions and
// tombstones no snapshot needs. It compacts level by level down to the deepest level holding a
// file of the range (LevelDB's loop), so files already at that level with nothing above them are
// never rewritten: here the v1 values a released snapshot kept at L1 stay there. Enable once
// CompactRange also rewrites the deepest level (or the contract is narrowed).
TEST_P(CompactionTest, CompactRangeRewritesTheDeepestLevelToo) {
  std::mt19937_64 rng(TestSeed());
  constexpr int kKeys = 300;
  auto db = MustOpen(MakeOptions());
  ASSERT_NE(db, nullptr);
  Model model;
  PutRange(db.get(), &model, 0, kKeys, [&](int) { return RandomValue(rng, 100, "one:"); });
  ASSERT_TRUE(db->FlushMemTable().ok());
  auto snap = db->GetSnapshot();
  PutRange(db.get(), &model, 0, kKeys, [&](int) { return RandomValue(rng, 100, "two:"); });
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  ASSERT_EQ(TotalEntries(db->dir(), *db->current_version()), 2u * kKeys);
  snap.reset();
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  EXPECT_EQ(TotalEntries(db->dir(), *db->current_version()), static_cast<size_t>(kKeys))
      << db->current_version()->DebugString();
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
}

TEST_P(CompactionTest, TombstoneStaysWhileADeeperLevelHoldsTheKey) {
  std::mt19937_64 rng(TestSeed());
  Options options = MakeOptions();
  options.compaction.l1_max_bytes = 64 * 1024;
  options.compaction.target_file_size = 16 * 1024;
  constexpr int kKeys = 1500;
  Model model;
  std::string k, l1_key;
  uint64_t deep_file = 0;
  int deep_level = 0;
  {
    // Unique keys, written once: after the compactions each lives in exactly one file.
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    std::vector<int> order(kKeys);
    for (int i = 0; i < kKeys; i++) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (int i = 0; i < kKeys; i += 25) {
      std::vector<std::pair<std::string, std::optional<std::string>>> ops;
      for (int j = i; j < i + 25; j++) ops.push_back({Key(order[j]), RandomValue(rng, 200)});
      ASSERT_TRUE(PutBatch(db.get(), ops, &model).ok());
    }
    ASSERT_TRUE(db->FlushMemTable().ok());
    ASSERT_TRUE(db->WaitForCompactions().ok());
    auto v = db->current_version();
    deep_level = DeepestLevelWithFiles(*v);
    ASSERT_GE(deep_level, 2) << v->DebugString();
    const FileRef& deep = v->files(deep_level).front();
    deep_file = deep->number;
    k = std::string(UserKey(deep->smallest));
    ASSERT_TRUE(db->Close().ok());
  }
  // From now on every L0 file is merged into L1 at once, and L1 never overflows: the tombstone
  // written next stops at L1, above the file holding k.
  options.compaction.l0_compaction_trigger = 1;
  options.compaction.l1_max_bytes = 64 << 20;
  auto check = [&](DurableDb* db, const std::string& when) {
    SCOPED_TRACE(when);
    EXPECT_EQ(GetAt(db, k), "NOT_FOUND");
    EXPECT_EQ(Contents(db).count(k), 0u);
    EXPECT_EQ(ContentsBackward(db).count(k), 0u);
    ASSERT_NO_FATAL_FAILURE(ExpectMatches(db, model, kKeys + 1));
  };
  {
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->WaitForCompactions().ok());
    EXPECT_EQ(GetAt(db.get(), k), model[k]);
    if (db->current_version()->NumFiles(1) == 0) {
      ASSERT_TRUE(PutBatch(db.get(), {{Key(kKeys), "filler"}}, &model).ok());
      ASSERT_TRUE(db->FlushMemTable().ok());
      ASSERT_TRUE(db->WaitForCompactions().ok());
    }
    ASSERT_GT(db->current_version()->NumFiles(1), 0u);
    // Written with the tombstone, a key of an L1 file makes the L0 file overlap L1: merged, not
    // moved.
    l1_key = std::string(UserKey(db->current_version()->files(1).front()->smallest));
    ASSERT_NE(l1_key, k);
    const uint64_t merges = db->background_stats().compactions;
    ASSERT_TRUE(PutBatch(db.get(), {{k, "resurrected?"}}, &model).ok());
    ASSERT_TRUE(PutBatch(db.get(), {{k, std::nullopt}, {l1_key, "x"}}, &model).ok());
    check(db.get(), "in the memtable");
    ASSERT_TRUE(db->FlushMemTable().ok());
    ASSERT_TRUE(db->WaitForCompactions().ok());
    check(db.get(), "after the L0 -> L1 compaction");
    auto v = db->current_version();
    EXPECT_GT(db->background_stats().compactions, merges) << "the L0 file was merged";
    EXPECT_EQ(v->NumFiles(0), 0u);
    // The value is still down there, so the tombstone above it is not garbage.
    const std::vector<FileRef>& files = v->files(deep_level);
    EXPECT_TRUE(std::any_of(files.begin(), files.end(), [&](const FileRef& f) {
      return f->number == deep_file;
    })) << v->DebugString();
    const std::vector<std::string> entries = EntriesOf(db->dir(), *v, k);
    EXPECT_NE(entries[1].find(":del"), std::string::npos) << entries[1];
    EXPECT_EQ(entries[1].find("resurrected"), std::string::npos) << entries[1];
    EXPECT_NE(entries[deep_level], "") << "the old value";
    ASSERT_TRUE(db->Close().ok());
  }
  {
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    check(db.get(), "after a reopen");
    // A full compaction takes the tombstone down to the value: both go.
    ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
    check(db.get(), "after CompactRange");
    for (const std::string& e : EntriesOf(db->dir(), *db->current_version(), k)) {
      EXPECT_EQ(e, "");
    }
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  check(db.get(), "after the last reopen");
}

TEST_P(CompactionTest, IteratorOpenedBeforeACompactionKeepsReadingItsInputs) {
  std::mt19937_64 rng(TestSeed());
  Options options = MakeOptions();
  options.compaction.l0_compaction_trigger = 100;  // CompactRange only
  constexpr int kKeys = 300;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  Model model;
  PutRange(db.get(), &model, 0, kKeys, [&](int) { return RandomValue(rng, 100, "a:"); });
  ASSERT_TRUE(db->FlushMemTable().ok());
  PutRange(db.get(), &model, 0, kKeys, [&](int) { return RandomValue(rng, 100, "b:"); });
  DeleteRange(db.get(), 1, kKeys, &model, /*step=*/2);
  ASSERT_TRUE(db->FlushMemTable().ok());
  const std::set<uint64_t> inputs = VersionFiles(*db->current_version());
  ASSERT_EQ(inputs.size(), 2u);

  auto iter = db->NewIterator(ReadOptions());
  Model seen;
  iter->Seek(Key(100));
  for (int i = 0; i < 10 && iter->Valid(); i++, iter->Next()) {
    seen.emplace(iter->key(), iter->value());
  }
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  // The new version holds none of the inputs, but the iterator still reads them.
  const std::set<uint64_t> now = VersionFiles(*db->current_version());
  for (uint64_t n : inputs) EXPECT_EQ(now.count(n), 0u) << n;
  for (uint64_t n : inputs) EXPECT_TRUE(fs::exists(TableFileName(DbDir(), n))) << n;
  // Later writes are not seen by it either.
  PutRange(db.get(), nullptr, 0, kKeys, [](int) { return "later"; });
  for (; iter->Valid(); iter->Next()) seen.emplace(iter->key(), iter->value());
  for (iter->SeekToFirst(); iter->Valid() && iter->key() < Key(100); iter->Next()) {
    seen.emplace(iter->key(), iter->value());
  }
  ASSERT_TRUE(iter->status().ok()) << iter->status().ToString();
  EXPECT_EQ(seen, model);
  iter->SeekToLast();
  iter->Next();  // unpositioned, as RandomWalk expects
  ASSERT_FALSE(iter->Valid());
  test::RandomWalk(iter.get(), model, rng, 500,
                   [&] { return Key(static_cast<int>(rng() % kKeys)) + (rng() % 2 ? "" : "+"); });
  // Once the iterator is gone, the next garbage collection (after a flush) deletes them.
  iter.reset();
  ASSERT_TRUE(db->FlushMemTable().ok());
  for (uint64_t n : inputs) EXPECT_FALSE(fs::exists(TableFileName(DbDir(), n))) << n;
}

// A writer thread writes random batches and publishes snapshots (with a copy of the model) while
// reader threads walk iterators and Get at those snapshots, and the background thread flushes
// and compacts underneath them.
TEST_P(CompactionTest, ReadersAtSnapshotsStayExactWhileCompactionsRun) {
  const uint64_t seed = TestSeed();
  Options options = MakeOptions();
  options.memtable_bytes = 96 * 1024;
  options.compaction.l1_max_bytes = 64 * 1024;
  options.compaction.target_file_size = 16 * 1024;
  constexpr int kKeys = 500;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);

  struct Published {
    std::shared_ptr<const Snapshot> snapshot;
    std::shared_ptr<const Model> model;
  };
  std::mutex mu;
  std::vector<Published> published;  // guarded by mu: the latest few
  std::atomic<bool> done{false};
  std::atomic<uint64_t> walks{0}, gets{0};
  auto target = [](std::mt19937_64& rng) {
    return Key(static_cast<int>(rng() % kKeys)) + (rng() % 2 ? "" : "+");
  };
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; t++) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(seed + 1 + t);
      while (!done.load() && !::testing::Test::HasFailure()) {
        Published p;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (!published.empty()) p = published[rng() % published.size()];
        }
        if (p.snapshot == nullptr) {
          std::this_thread::yield();
          continue;
        }
        ReadOptions ro;
        ro.snapshot = p.snapshot->sequence();
        auto iter = db->NewIterator(ro);
        // The iterator lives across flushes and compactions (it sleeps between some steps).
        int step = 0;
        test::RandomWalk(
            iter.get(), *p.model, rng, 150, [&] { return target(rng); },
            [&] {
              if (++step % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            });
        walks++;
        for (int i = 0; i < 20; i++) {
          const std::string key = Key(static_cast<int>(rng() % kKeys));
          auto it = p.model->find(key);
          ASSERT_EQ(GetAt(db.get(), key, p.snapshot->sequence()),
                    it == p.model->end() ? "NOT_FOUND" : it->second)
              << key << " at " << p.snapshot->sequence();
          gets++;
        }
        if (rng() % 8 == 0) {
          ASSERT_EQ(Contents(db.get(), p.snapshot->sequence()), *p.model);
        }
      }
    });
  }

  std::mt19937_64 rng(seed);
  Model model;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  int batches = 0;
  for (; std::chrono::steady_clock::now() < deadline && !HasFailure(); batches++) {
    const int n = 1 + static_cast<int>(rng() % 4);
    const auto ops =
        RandomOps(rng, n, kKeys, /*delete_one_in=*/4, 50, 250, std::to_string(batches));
    ASSERT_TRUE(PutBatch(db.get(), ops, &model).ok());
    if (batches % 40 == 0) {
      // Released snapshots let compactions drop what only they needed.
      Published p{db->GetSnapshot(), std::make_shared<const Model>(model)};
      std::lock_guard<std::mutex> lock(mu);
      published.push_back(std::move(p));
      if (published.size() > 6) published.erase(published.begin());
    }
  }
  done = true;
  for (auto& r : readers) r.join();
  const BackgroundStats stats = db->background_stats();
  std::printf("%d batches, %llu walks, %llu gets; %s\n", batches,
              static_cast<unsigned long long>(walks.load()),
              static_cast<unsigned long long>(gets.load()), StatsString(stats).c_str());
  EXPECT_GT(stats.compactions, 0u);
  EXPECT_GT(walks.load(), 0u);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys)) << "seed " << seed;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const Published& p : published) {
      EXPECT_EQ(Contents(db.get(), p.snapshot->sequence()), *p.model) << "seed " << seed;
    }
    published.clear();
  }
  ASSERT_TRUE(db->WaitForCompactions().ok());
  ExpectShape(db.get(), options);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys)) << "seed " << seed;
}

// A table file whose Sync first sleeps (a slow disk): flushes, and compactions even more so
// (many outputs), take time.
class SlowSyncFile final : public sstable::WritableFile {
 public:
  SlowSyncFile(std::unique_ptr<sstable::WritableFile> target, std::chrono::microseconds delay)
      : target_(std::move(target)), delay_(delay) {}
  Status Append(std::string_view data) override { return target_->Append(data); }
  Status Sync() override {
    std::this_thread::sleep_for(delay_);
    return target_->Sync();
  }
  Status Close() override { return target_->Close(); }
  std::string_view Name() const override { return target_->Name(); }

 private:
  const std::unique_ptr<sstable::WritableFile> target_;
  const std::chrono::microseconds delay_;
};

TEST_P(CompactionTest, WriteStallsSlowAndStopWritersWithoutLosingWrites) {
  std::mt19937_64 rng(TestSeed());
  Options options = MakeOptions();
  options.compaction.l0_compaction_trigger = 4;
  options.compaction.l0_slowdown_writes_trigger = 2;
  options.compaction.l0_stop_writes_trigger = 6;
  constexpr int kKeys = 1000;
  Model model;
  {
    // Two L0 files, below the compaction trigger: every write is delayed by 1 ms.
    auto db = MustOpen(options);
    ASSERT_NE(db, nullptr);
    for (int round = 0; round < 2; round++) {
      PutRange(db.get(), &model, 0, 200, [&](int) { return RandomValue(rng, 100); });
      ASSERT_TRUE(db->FlushMemTable().ok());
    }
    ASSERT_EQ(db->current_version()->NumFiles(0), 2u);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; i++) {
      ASSERT_TRUE(PutBatch(db.get(), {{Key(i), RandomValue(rng, 10)}}, &model).ok());
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
    EXPECT_EQ(db->background_stats().write_slowdowns, 20u);
    // Two more files reach the trigger; once compacted, writes run at full speed again.
    for (int round = 0; round < 2; round++) {
      PutRange(db.get(), &model, 0, 200, [&](int) { return RandomValue(rng, 100); });
      ASSERT_TRUE(db->FlushMemTable().ok());
    }
    ASSERT_TRUE(db->WaitForCompactions().ok());
    EXPECT_LT(db->current_version()->NumFiles(0), 2u);
    const uint64_t slowdowns = db->background_stats().write_slowdowns;
    for (int i = 0; i < 20; i++) {
      ASSERT_TRUE(PutBatch(db.get(), {{Key(i), RandomValue(rng, 10)}}, &model).ok());
    }
    EXPECT_EQ(db->background_stats().write_slowdowns, slowdowns);
    ASSERT_TRUE(db->Close().ok());
  }

  // Heavy writes from two threads on a slow disk with small triggers: the background thread
  // falls behind, writers are slowed and stopped, L0 stays bounded, and nothing is lost.
  options.memtable_bytes = 96 * 1024;
  options.compaction.l0_compaction_trigger = 2;
  options.compaction.l0_slowdown_writes_trigger = 3;
  options.compaction.l0_stop_writes_trigger = 4;
  options.compaction.target_file_size = 16 * 1024;
  options.table_file_factory =
      [](const std::string& path) -> Result<std::unique_ptr<sstable::WritableFile>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::WritableFile> file,
                     sstable::NewPosixWritableFile(path));
    return std::unique_ptr<sstable::WritableFile>(
        std::make_unique<SlowSyncFile>(std::move(file), std::chrono::microseconds(1500)));
  };
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  std::mutex mu;
  std::atomic<size_t> max_l0{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; t++) {
    writers.emplace_back([&, t] {
      std::mt19937_64 wrng(t + 100);
      for (int i = 0; i < 150 && !::testing::Test::HasFailure(); i++) {
        // Each thread owns half of the keys, so the model is exact without ordering writes.
        std::vector<std::pair<std::string, std::optional<std::string>>> ops;
        for (int op = 0; op < 8; op++) {
          const int k = 2 * static_cast<int>(wrng() % (kKeys / 2)) + t;
          ops.push_back({Key(k), RandomValue(wrng, 200, "t" + std::to_string(t) + ":")});
        }
        Model mine;
        ASSERT_TRUE(PutBatch(db.get(), ops, &mine).ok());
        {
          std::lock_guard<std::mutex> lock(mu);
          for (auto& [key, value] : mine) model[key] = value;
        }
        const size_t l0 = db->current_version()->NumFiles(0);
        size_t seen = max_l0.load();
        while (l0 > seen && !max_l0.compare_exchange_weak(seen, l0)) {
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  const BackgroundStats stats = db->background_stats();
  std::printf("max L0 %zu; %s\n", max_l0.load(), StatsString(stats).c_str());
  EXPECT_GT(stats.write_slowdowns + stats.write_stops, 0u);
  // Stopped at 4 files; at most the two waiting memtables and one switched by a write in
  // flight are flushed on top.
  EXPECT_LE(max_l0.load(), 4u + 3u);
  ASSERT_TRUE(db->WaitForCompactions().ok());
  ExpectShape(db.get(), options);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
  ASSERT_TRUE(db->Close().ok());
  db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
}

// A table file whose appends sleep once armed: a compaction then takes seconds.
class SlowAppendFile final : public sstable::WritableFile {
 public:
  SlowAppendFile(std::unique_ptr<sstable::WritableFile> target, std::atomic<int>* appends)
      : target_(std::move(target)), appends_(appends) {}
  Status Append(std::string_view data) override {
    appends_->fetch_add(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return target_->Append(data);
  }
  Status Sync() override { return target_->Sync(); }
  Status Close() override { return target_->Close(); }
  std::string_view Name() const override { return target_->Name(); }

 private:
  const std::unique_ptr<sstable::WritableFile> target_;
  std::atomic<int>* const appends_;
};

TEST_P(CompactionTest, CloseDuringACompactionReturnsPromptlyAndLosesNothing) {
  std::mt19937_64 rng(TestSeed());
  Options options = MakeOptions();
  options.memtable_bytes = 1 << 20;
  options.compaction.l0_compaction_trigger = 100;  // CompactRange only
  std::atomic<bool> slow{false};
  std::atomic<int> slow_appends{0};
  options.table_file_factory =
      [&](const std::string& path) -> Result<std::unique_ptr<sstable::WritableFile>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::WritableFile> file,
                     sstable::NewPosixWritableFile(path));
    if (!slow.load()) return file;
    return std::unique_ptr<sstable::WritableFile>(
        std::make_unique<SlowAppendFile>(std::move(file), &slow_appends));
  };
  constexpr int kKeys = 2000;
  Model model;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  for (int round = 0; round < 4; round++) {
    PutRange(db.get(), &model, 0, kKeys, 100, [&](int) { return RandomValue(rng, 120); });
    ASSERT_TRUE(db->FlushMemTable().ok());
  }
  // About 20 blocks of output at 20 ms each.
  slow = true;
  Status compact_status;
  std::thread compactor([&] { compact_status = db->CompactRange(std::nullopt, std::nullopt); });
  for (int i = 0; i < 5000 && slow_appends.load() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_GT(slow_appends.load(), 0) << "the compaction started";
  const auto start = std::chrono::steady_clock::now();
  const Status closed = db->Close();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  compactor.join();
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  EXPECT_TRUE(compact_status.IsAborted()) << compact_status.ToString();
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  std::printf("Close took %lld ms after %d slow appends\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
              slow_appends.load());
  EXPECT_EQ(GetAt(db.get(), Key(0)), model[Key(0)]) << "reads work after Close";
  db.reset();

  slow = false;
  db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
  // The abandoned outputs were deleted; the inputs are intact.
  EXPECT_EQ(TableFilesOnDisk(DbDir()), VersionFiles(*db->current_version()));
  EXPECT_EQ(db->current_version()->NumFiles(0), 4u);
  ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
  EXPECT_EQ(db->current_version()->NumFiles(0), 0u);
  ASSERT_NO_FATAL_FAILURE(ExpectMatches(db.get(), model, kKeys));
}

INSTANTIATE_TEST_SUITE_P(Modes, CompactionTest,
                         ::testing::Values(StorageMode::kWal, StorageMode::kPersistent,
                                           StorageMode::kHybrid),
                         [](const ::testing::TestParamInfo<StorageMode>& info) {
                           return std::string(StorageModeName(info.param));
                         });

// ---------------------------------------------------------------------------------------------
// Storage faults in compactions

class CompactionFaultTest : public ::testing::TestWithParam<StorageMode> {
 protected:
  Options MakeOptions() const {
    Options options;
    options.mode = GetParam();
    options.data_dir = tmp_.path() + "/data";
    options.wal_segment_bytes = 1 << 20;
    options.memtable_bytes = 1 << 20;  // FlushMemTable() decides
    options.flush_interval_ms = 60 * 60 * 1000;
    options.compaction.l0_compaction_trigger = 2;
    options.compaction.l1_max_bytes = 1 << 20;
    options.compaction.target_file_size = 32 * 1024;
    return options;
  }

  // The n-th table file created (flush or compaction output, counted from 1) and every later
  // one fail as `mode` says: 1 = appends after 100 bytes (ENOSPC), 2 = the first Sync (EIO).
  Options WithTableFaults(Options options) {
    return test::WithTableFaults(std::move(options),
                                 [this](testutil::FaultInjectionWritableFile* f) {
                                   if (++created_ < fail_from_.load()) return;
                                   if (mode_ == 1) f->FailAppendAfter(100, ENOSPC);
                                   if (mode_ == 2) f->FailNextSync(EIO);
                                 });
  }

  Options WithManifestFaults(Options options) {
    return test::WithManifestFaults(std::move(options), &manifest_sink_);
  }

  // Two overlapping L0 files of kKeys keys each (two flushes).
  void WriteTwoTables(DurableDb* db, Model* model) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 2; round++) {
      PutRange(db, model, 0, kKeys, 100, [&](int) { return RandomValue(rng, 150); });
      ASSERT_TRUE(db->FlushMemTable().ok());
    }
  }

  // What every failed compaction must leave: the error latched for writes, reads intact.
  void ExpectLatched(DurableDb* db, const Status& s, const Model& model) {
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_NE(s.message().find("compaction"), std::string::npos) << s.ToString();
    EXPECT_EQ(db->background_error().ToString(), s.ToString());
    EXPECT_EQ(db->WaitForCompactions().ToString(), s.ToString());
    WriteBatch batch;
    batch.Put("refused", "x");
    const Status w = db->Write(batch);
    EXPECT_TRUE(w.IsIOError()) << w.ToString();
    EXPECT_NE(w.message().find("compaction failed"), std::string::npos) << w.ToString();
    EXPECT_EQ(db->background_stats().compactions, 0u);
    ASSERT_NO_FATAL_FAILURE(ExpectMatches(db, model, kKeys));
    EXPECT_EQ(db->current_version()->NumFiles(0), 2u) << "the inputs stay";
  }

  // A restart with healthy files finds every acknowledged write, and compacts.
  void ExpectReopenRecovers(const Model& model) {
    Options options = MakeOptions();
    options.compaction.l0_compaction_trigger = 100;  // nothing runs until CompactRange
    auto opened = DurableDb::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    DurableDb* db = opened->get();
    ASSERT_NO_FATAL_FAILURE(ExpectMatches(db, model, kKeys));
    EXPECT_EQ(GetAt(db, "refused"), "NOT_FOUND");
    // Open deleted whatever the failure left that no version holds.
    EXPECT_EQ(TableFilesOnDisk(db->dir()), VersionFiles(*db->current_version()));
    const bool l0 = db->current_version()->NumFiles(0) > 0;
    ASSERT_TRUE(db->CompactRange(std::nullopt, std::nullopt).ok());
    if (l0) {
      EXPECT_GT(db->background_stats().compactions, 0u);
    }
    EXPECT_EQ(db->current_version()->NumFiles(0), 0u);
    EXPECT_EQ(TableFilesOnDisk(db->dir()), VersionFiles(*db->current_version()));
    ASSERT_NO_FATAL_FAILURE(ExpectMatches(db, model, kKeys));
  }

  static constexpr int kKeys = 1000;
  TempDir tmp_;
  std::atomic<int> created_{0};
  std::atomic<int> fail_from_{INT_MAX};
  std::atomic<int> mode_{0};
  testutil::FaultInjectionSink* manifest_sink_ = nullptr;
};

TEST_P(CompactionFaultTest, BackgroundCompactionWriteFailureLatches) {
  // Tables 1 and 2 are the flushes, 3 the first output of the compaction they trigger, 4 its
  // second (about 150 KB of output at 32 KB per file): the compaction fails midway.
  mode_ = 1;
  fail_from_ = 4;
  Model model;
  {
    auto opened = DurableDb::Open(WithTableFaults(MakeOptions()));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    DurableDb* db = opened->get();
    ASSERT_NO_FATAL_FAILURE(WriteTwoTables(db, &model));
    const Status s = db->WaitForCompactions();
    EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectLatched(db, s, model));
    EXPECT_EQ(created_.load(), 4);
    // Both outputs (the finished one too) are gone; only the inputs remain.
    EXPECT_EQ(TableFilesOnDisk(db->dir()), VersionFiles(*db->current_version()));
    EXPECT_FALSE(db->Close().ok()) << "Close reports the latched error";
  }
  ASSERT_NO_FATAL_FAILURE(ExpectReopenRecovers(model));
}

TEST_P(CompactionFaultTest, ManualCompactionSyncFailureLatches) {
  Model model;
  {
    Options options = WithTableFaults(MakeOptions());
    options.compaction.l0_compaction_trigger = 100;  // CompactRange only
    auto opened = DurableDb::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    DurableDb* db = opened->get();
    ASSERT_NO_FATAL_FAILURE(WriteTwoTables(db, &model));
    mode_ = 2;
    fail_from_ = created_.load() + 1;  // the first output
    const Status s = db->CompactRange(std::nullopt, std::nullopt);
    EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectLatched(db, s, model));
    EXPECT_EQ(TableFilesOnDisk(db->dir()), VersionFiles(*db->current_version()));
    EXPECT_TRUE(db->CompactRange(std::nullopt, std::nullopt).IsIOError());
    EXPECT_FALSE(db->Close().ok());
  }
  ASSERT_NO_FATAL_FAILURE(ExpectReopenRecovers(model));
}

TEST_P(CompactionFaultTest, ManifestFailureDuringACompactionLatches) {
  for (const bool sync : {false, true}) {
    SCOPED_TRACE(sync ? "MANIFEST sync fails" : "MANIFEST write fails");
    Model model;
    {
      Options options = WithManifestFaults(MakeOptions());
      options.compaction.l0_compaction_trigger = 100;  // CompactRange only
      auto opened = DurableDb::Open(options);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      DurableDb* db = opened->get();
      ASSERT_NO_FATAL_FAILURE(WriteTwoTables(db, &model));
      ASSERT_NE(manifest_sink_, nullptr);
      // The next MANIFEST write is the compaction's edit.
      if (sync) {
        manifest_sink_->FailNextSync(EIO);
      } else {
        manifest_sink_->FailWriteAfter(0, EIO, /*partial_bytes=*/5);
      }
      const Status s = db->CompactRange(std::nullopt, std::nullopt);
      ASSERT_NO_FATAL_FAILURE(ExpectLatched(db, s, model));
      EXPECT_FALSE(db->Close().ok());
    }
    // A torn edit is dropped (the outputs become garbage); a written one whose sync failed may
    // be replayed (the inputs become garbage): either way everything is there.
    ASSERT_NO_FATAL_FAILURE(ExpectReopenRecovers(model));
    ASSERT_TRUE(fs::remove_all(tmp_.path() + "/data") > 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, CompactionFaultTest,
                         ::testing::Values(StorageMode::kWal, StorageMode::kPersistent,
                                           StorageMode::kHybrid),
                         [](const ::testing::TestParamInfo<StorageMode>& info) {
                           return std::string(StorageModeName(info.param));
                         });

// A table file whose first Append waits for a gate, then fails.
class GatedFile final : public sstable::WritableFile {
 public:
  GatedFile(std::unique_ptr<sstable::WritableFile> target, std::atomic<bool>* reached,
            std::shared_future<void> gate)
      : target_(std::move(target)), reached_(reached), gate_(std::move(gate)) {}
  Status Append(std::string_view) override {
    reached_->store(true);
    gate_.wait();
    return Status::IOError("write " + std::string(Name()) + ": Input/output error (injected)");
  }
  Status Sync() override { return Status::IOError("fdatasync after a failed write"); }
  Status Close() override { return target_->Close(); }
  std::string_view Name() const override { return target_->Name(); }

 private:
  const std::unique_ptr<sstable::WritableFile> target_;
  std::atomic<bool>* const reached_;
  const std::shared_future<void> gate_;
};

// CompactRange waits behind an automatic compaction, which fails: it returns the error instead
// of waiting for a Close.
TEST(CompactionFaultStandaloneTest, CompactRangeReturnsWhenTheRunningCompactionFails) {
  TempDir tmp;
  std::promise<void> open_gate;
  std::shared_future<void> gate = open_gate.get_future().share();
  std::atomic<bool> reached{false};
  std::atomic<int> created{0};
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = tmp.path() + "/data";
  options.wal_segment_bytes = 1 << 20;
  options.flush_interval_ms = 60 * 60 * 1000;
  options.compaction.l0_compaction_trigger = 2;
  options.table_file_factory =
      [&](const std::string& path) -> Result<std::unique_ptr<sstable::WritableFile>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::WritableFile> file,
                     sstable::NewPosixWritableFile(path));
    if (++created != 3) return file;  // 1 and 2: flushes; 3: the compaction's first output
    return std::unique_ptr<sstable::WritableFile>(
        std::make_unique<GatedFile>(std::move(file), &reached, gate));
  };
  auto opened = DurableDb::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DurableDb* db = opened->get();
  Model model;
  std::mt19937_64 rng(1);
  for (int round = 0; round < 2; round++) {
    PutRange(db, &model, 0, 300, [&](int) { return RandomValue(rng, 100); });
    ASSERT_TRUE(db->FlushMemTable().ok());
  }
  for (int i = 0; i < 10000 && !reached.load(); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(reached.load()) << "the automatic compaction is writing its output";

  std::promise<Status> result;
  std::future<Status> compacted = result.get_future();
  std::thread compactor([&] { result.set_value(db->CompactRange(std::nullopt, std::nullopt)); });
  // Let the request queue up behind the running compaction, then fail that one.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  open_gate.set_value();
  const bool returned = compacted.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  EXPECT_TRUE(returned) << "CompactRange still waits after the background error was latched";
  if (!returned) db->Close().IgnoreError();  // unblocks it
  compactor.join();
  const Status s = compacted.get();
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("compaction"), std::string::npos) << s.ToString();
  EXPECT_EQ(Contents(db), model);
}

}  // namespace
}  // namespace strata::engine
