#include "engine/version_set.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/file_names.h"
#include "engine/version_edit.h"
#include "memtable/internal_key.h"
#include "tests/testutil/fault_injection_sink.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"
#include "util/coding.h"
#include "wal/file_util.h"
#include "wal/format.h"
#include "wal/log_writer.h"

namespace strata::engine {
namespace {

using strata::test::TempDir;
using strata::test::TestSeed;

std::string IKey(std::string_view user_key, uint64_t seq,
                 memtable::EntryKind kind = memtable::EntryKind::kPut) {
  std::string k;
  memtable::AppendInternalKey(&k, user_key, seq, kind);
  return k;
}

FileMetaData File(uint64_t number, std::string_view smallest, std::string_view largest,
                  uint64_t size = 1000, uint64_t seq_lo = 10, uint64_t seq_hi = 20) {
  FileMetaData f;
  f.number = number;
  f.file_size = size;
  f.smallest = IKey(smallest, seq_hi);
  f.largest = IKey(largest, seq_lo);
  f.smallest_seq = seq_lo;
  f.largest_seq = seq_hi;
  return f;
}

std::string ReadFile(const std::string& path) {
  std::string s;
  EXPECT_TRUE(wal::ReadWholeFile(path, &s).ok()) << path;
  return s;
}

void WriteFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::vector<uint64_t> Numbers(const std::vector<FileRef>& files) {
  std::vector<uint64_t> n;
  for (const FileRef& f : files) n.push_back(f->number);
  return n;
}

// Everything a recovery must reproduce.
std::string Summary(const VersionSet& vs) {
  return vs.current()->DebugString() + "log_number " + std::to_string(vs.log_number()) +
         " last_sequence " + std::to_string(vs.last_sequence()) + "\n";
}

VersionSetOptions Opts(const std::string& dir) {
  VersionSetOptions o;
  o.dir = dir;
  return o;
}

// ---------------------------------------------------------------------------------------------
// File names

TEST(FileNamesTest, RoundTrip) {
  EXPECT_EQ(TableFileName("/d", 42), "/d/000042.sst");
  EXPECT_EQ(ManifestFileName("/d", 5), "/d/MANIFEST-000005");
  EXPECT_EQ(TempFileName("/d", 7), "/d/000007.dbtmp");
  EXPECT_EQ(CurrentFileName("/d"), "/d/CURRENT");
  EXPECT_EQ(LockFileName("/d"), "/d/LOCK");
  EXPECT_EQ(WalSegmentFileName("/d", 3), "/d/00000003.wal");
  EXPECT_EQ(TableFileName("/d", 12345678), "/d/12345678.sst");

  struct Case {
    std::string name;
    uint64_t number;
    FileType type;
  } cases[] = {
      {"LOCK", 0, FileType::kLock},
      {"CURRENT", 0, FileType::kCurrent},
      {"MANIFEST-000005", 5, FileType::kManifest},
      {"MANIFEST-123456789", 123456789, FileType::kManifest},
      {"000042.sst", 42, FileType::kTable},
      {"9999999999999999999.sst", 9999999999999999999ull, FileType::kTable},
      {"000007.dbtmp", 7, FileType::kTemp},
      {"00000003.wal", 3, FileType::kWalSegment},
      {"00000003.wal.tmp", 3, FileType::kWalSegmentTemp},
  };
  for (const Case& c : cases) {
    uint64_t number = 99;
    FileType type;
    ASSERT_TRUE(ParseFileName(c.name, &number, &type)) << c.name;
    EXPECT_EQ(number, c.number) << c.name;
    EXPECT_EQ(type, c.type) << c.name;
  }
  for (const char* bad :
       {"", "LOCK2", "CURRENT.bak", "MANIFEST-", "MANIFEST-12x", ".sst", "a1.sst", "000001.sst.bak",
        "12345678901234567890.sst", "000001.log", ".wal.tmp", "000001.tmp", "foo"}) {
    uint64_t number;
    FileType type;
    EXPECT_FALSE(ParseFileName(bad, &number, &type)) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// VersionEdit

VersionEdit FullEdit() {
  VersionEdit e;
  e.SetComparatorName(kInternalKeyComparatorName);
  e.SetLogNumber(7);
  e.SetNextFileNumber(100);
  e.SetLastSequence(123456789);
  e.SetPitrHorizonSeq(5000);
  e.AddDroppedTableId(3);
  e.AddDroppedTableId(0xfffffffe);
  e.RemoveFile(0, 11);
  e.RemoveFile(3, 1ull << 40);
  e.AddFile(1, File(12, "apple", "banana", 64 << 20, 10, 99));
  e.AddFile(3, File(1ull << 35, std::string("\x00\xff", 2), "zz", 1, 10, 10));
  return e;
}

TEST(VersionEditTest, RoundTrip) {
  const VersionEdit e = FullEdit();
  std::string enc;
  e.EncodeTo(&enc);
  VersionEdit d;
  ASSERT_TRUE(d.DecodeFrom(enc).ok());
  EXPECT_EQ(d, e);
  EXPECT_EQ(d.DebugString(), e.DebugString());
  std::string enc2;
  d.EncodeTo(&enc2);
  EXPECT_EQ(enc2, enc);

  // Empty edit.
  VersionEdit empty;
  std::string none;
  empty.EncodeTo(&none);
  EXPECT_TRUE(none.empty());
  ASSERT_TRUE(d.DecodeFrom(none).ok());
  EXPECT_EQ(d, VersionEdit());
}

TEST(VersionEditTest, IgnorableTagsAreSkipped) {
  std::string enc;
  PutVarint32(&enc, 200);  // a future field
  PutLengthPrefixed(&enc, "whatever");
  FullEdit().EncodeTo(&enc);
  PutVarint32(&enc, kFirstIgnorableTag);
  PutLengthPrefixed(&enc, "");
  VersionEdit d;
  ASSERT_TRUE(d.DecodeFrom(enc).ok());
  EXPECT_EQ(d, FullEdit());
}

TEST(VersionEditTest, TruncationIsCorruption) {
  std::string enc;
  FullEdit().EncodeTo(&enc);
  // Cutting the last field (a new file) anywhere is Corruption; every prefix is either
  // Corruption or a clean field boundary, and never reads past the end.
  int corrupt = 0;
  for (size_t n = 0; n < enc.size(); n++) {
    VersionEdit d;
    const std::string prefix = enc.substr(0, n);
    const Status s = d.DecodeFrom(prefix);
    if (!s.ok()) {
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      corrupt++;
    }
  }
  EXPECT_GT(corrupt, static_cast<int>(enc.size()) / 2);
  VersionEdit d;
  EXPECT_TRUE(d.DecodeFrom(std::string_view(enc).substr(0, enc.size() - 1)).IsCorruption());
}

TEST(VersionEditTest, BadFieldsAreCorruption) {
  auto decode = [](const std::string& enc) {
    VersionEdit d;
    return d.DecodeFrom(enc);
  };
  {
    std::string enc;
    PutVarint32(&enc, 5);  // reserved, not ignorable
    PutVarint64(&enc, 1);
    EXPECT_TRUE(decode(enc).IsCorruption());
  }
  {
    std::string enc;
    PutVarint32(&enc, 63);  // unknown below the ignorable range
    PutLengthPrefixed(&enc, "");
    EXPECT_TRUE(decode(enc).IsCorruption());
  }
  {
    std::string enc;
    PutVarint32(&enc, static_cast<uint32_t>(EditTag::kDeletedFile));
    PutVarint32(&enc, kNumLevels);  // level out of range
    PutVarint64(&enc, 1);
    EXPECT_TRUE(decode(enc).IsCorruption());
  }
  auto new_file = [](uint32_t level, std::string_view smallest, std::string_view largest,
                     uint64_t seq_lo, uint64_t seq_hi) {
    std::string enc;
    PutVarint32(&enc, static_cast<uint32_t>(EditTag::kNewFile));
    PutVarint32(&enc, level);
    PutVarint64(&enc, 9);
    PutVarint64(&enc, 100);
    PutLengthPrefixed(&enc, smallest);
    PutLengthPrefixed(&enc, largest);
    PutVarint64(&enc, seq_lo);
    PutVarint64(&enc, seq_hi);
    return enc;
  };
  EXPECT_TRUE(decode(new_file(0, IKey("a", 5), IKey("b", 5), 5, 5)).ok());
  EXPECT_TRUE(decode(new_file(kNumLevels, IKey("a", 5), IKey("b", 5), 5, 5)).IsCorruption());
  EXPECT_TRUE(decode(new_file(0, "short", IKey("b", 5), 5, 5)).IsCorruption());
  EXPECT_TRUE(decode(new_file(0, IKey("b", 5), IKey("a", 5), 5, 5)).IsCorruption());
  // Same user key: the higher sequence orders first.
  EXPECT_TRUE(decode(new_file(0, IKey("a", 4), IKey("a", 5), 4, 5)).IsCorruption());
  EXPECT_TRUE(decode(new_file(0, IKey("a", 5), IKey("a", 4), 4, 5)).ok());
  EXPECT_TRUE(decode(new_file(0, IKey("a", 5), IKey("b", 5), 6, 5)).IsCorruption());
  EXPECT_TRUE(decode(new_file(0, IKey("a", 5), IKey("b", 5), 5, uint64_t{1} << 56)).IsCorruption());
  std::string bad_kind = IKey("a", 5);
  bad_kind[bad_kind.size() - 8] = 9;  // kind byte
  EXPECT_TRUE(decode(new_file(0, bad_kind, IKey("b", 5), 5, 5)).IsCorruption());
  {
    std::string enc;
    PutVarint32(&enc, static_cast<uint32_t>(EditTag::kLastSequence));
    PutVarint64(&enc, uint64_t{1} << 56);
    EXPECT_TRUE(decode(enc).IsCorruption());
  }
}

TEST(VersionEditTest, RandomBytesNeverCrash) {
  std::mt19937_64 rng(TestSeed());
  std::string enc;
  FullEdit().EncodeTo(&enc);
  for (int i = 0; i < 5000; i++) {
    std::string mutated = enc;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; f++) mutated[rng() % mutated.size()] ^= static_cast<char>(rng());
    VersionEdit d;
    const Status s = d.DecodeFrom(mutated);
    EXPECT_TRUE(s.ok() || s.IsCorruption()) << s.ToString();
    if (s.ok()) {
      // Whatever decodes re-encodes to something that decodes to the same edit.
      std::string again;
      d.EncodeTo(&again);
      VersionEdit d2;
      ASSERT_TRUE(d2.DecodeFrom(again).ok());
      EXPECT_EQ(d2, d);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Version

std::shared_ptr<const Version> Apply(const Version& base, const VersionEdit& e,
                                     Status* status = nullptr) {
  Result<std::shared_ptr<const Version>> r = ApplyEdit(base, e, 1000);
  if (status != nullptr) *status = r.status();
  return r.ok() ? r.value() : nullptr;
}

TEST(VersionTest, OrderingAndValidation) {
  Version empty;
  VersionEdit e;
  e.AddFile(0, File(3, "a", "z"));
  e.AddFile(0, File(9, "c", "d"));
  e.AddFile(0, File(5, "b", "y"));
  e.AddFile(1, File(4, "m", "p"));
  e.AddFile(1, File(6, "a", "c"));
  e.AddFile(1, File(2, "q", "z"));
  auto v = Apply(empty, e);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(Numbers(v->files(0)), (std::vector<uint64_t>{9, 5, 3}));  // newest first
  EXPECT_EQ(Numbers(v->files(1)), (std::vector<uint64_t>{6, 4, 2}));  // by smallest key
  EXPECT_EQ(v->LevelBytes(1), 3000u);

  Status s;
  // Overlap with an existing L1 file.
  VersionEdit overlap;
  overlap.AddFile(1, File(7, "o", "q"));
  EXPECT_EQ(Apply(*v, overlap, &s), nullptr);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  // Overlap within one edit at L2.
  VersionEdit overlap2;
  overlap2.AddFile(2, File(7, "a", "f"));
  overlap2.AddFile(2, File(8, "f", "g"));
  EXPECT_EQ(Apply(*v, overlap2, &s), nullptr);
  EXPECT_TRUE(s.IsCorruption());
  // The same user key may span two files when the versions are split: internal keys order.
  VersionEdit split;
  FileMetaData a = File(7, "a", "f"), b = File(8, "f", "g");
  a.largest = IKey("f", 15);
  b.smallest = IKey("f", 14);
  split.AddFile(2, a);
  split.AddFile(2, b);
  ASSERT_NE(Apply(*v, split, &s), nullptr) << s.ToString();
  // Replacing files: delete then add in one edit is fine (a trivial move too).
  VersionEdit replace;
  replace.RemoveFile(1, 4);
  replace.AddFile(1, File(7, "o", "p"));
  replace.RemoveFile(0, 9);
  replace.AddFile(2, File(9, "c", "d"));
  auto v2 = Apply(*v, replace, &s);
  ASSERT_NE(v2, nullptr) << s.ToString();
  EXPECT_EQ(Numbers(v2->files(1)), (std::vector<uint64_t>{6, 7, 2}));
  EXPECT_EQ(Numbers(v2->files(2)), (std::vector<uint64_t>{9}));
  // The base is untouched (immutable).
  EXPECT_EQ(Numbers(v->files(1)), (std::vector<uint64_t>{6, 4, 2}));

  VersionEdit missing;
  missing.RemoveFile(2, 3);  // 3 is at L0
  EXPECT_EQ(Apply(*v, missing, &s), nullptr);
  EXPECT_TRUE(s.IsCorruption());
  VersionEdit twice;
  twice.AddFile(3, File(3, "a", "b"));  // already live at L0
  EXPECT_EQ(Apply(*v, twice, &s), nullptr);
  EXPECT_TRUE(s.IsCorruption());
  VersionEdit unallocated;
  unallocated.AddFile(0, File(1000, "a", "b"));
  EXPECT_EQ(Apply(*v, unallocated, &s), nullptr);
  EXPECT_TRUE(s.IsCorruption());
}

TEST(VersionTest, OverlappingInputs) {
  Version empty;
  VersionEdit e;
  e.AddFile(1, File(1, "b", "d"));
  e.AddFile(1, File(2, "f", "h"));
  e.AddFile(1, File(3, "j", "l"));
  e.AddFile(0, File(10, "a", "c"));
  e.AddFile(0, File(11, "b", "e"));
  e.AddFile(0, File(12, "x", "z"));
  e.AddFile(0, File(13, "d", "m"));
  auto v = Apply(empty, e);
  ASSERT_NE(v, nullptr);
  auto l1 = [&](std::optional<std::string_view> b, std::optional<std::string_view> en) {
    return Numbers(v->OverlappingInputs(1, b, en));
  };
  using V = std::vector<uint64_t>;
  EXPECT_EQ(l1("a", "a"), V{});
  EXPECT_EQ(l1("a", "b"), V{1});
  EXPECT_EQ(l1("d", "f"), (V{1, 2}));
  EXPECT_EQ(l1("e", "e"), V{});
  EXPECT_EQ(l1("e", "i"), V{2});
  EXPECT_EQ(l1("c", "z"), (V{1, 2, 3}));
  EXPECT_EQ(l1("m", "z"), V{});
  EXPECT_EQ(l1(std::nullopt, "f"), (V{1, 2}));
  EXPECT_EQ(l1("g", std::nullopt), (V{2, 3}));
  EXPECT_EQ(l1(std::nullopt, std::nullopt), (V{1, 2, 3}));
  // L0: [c, c] touches 10 (a..c) and 11 (b..e); 11 widens the range to e, which pulls in 13
  // (d..m), which widens it to m. 12 (x..z) stays out.
  EXPECT_EQ(Numbers(v->OverlappingInputs(0, "c", "c")), (V{13, 11, 10}));
  EXPECT_EQ(Numbers(v->OverlappingInputs(0, "y", "y")), V{12});
  EXPECT_EQ(Numbers(v->OverlappingInputs(0, "n", "w")), V{});
  // Open-ended range on one side.
  EXPECT_EQ(Numbers(v->OverlappingInputs(0, std::nullopt, "a")), (V{13, 11, 10}));
}

// ---------------------------------------------------------------------------------------------
// VersionSet

TEST(VersionSetTest, ApplyAndRecoverAcrossReopen) {
  TempDir tmp;
  std::string summary;
  uint64_t manifest1 = 0;
  {
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok());
    EXPECT_EQ(vs.manifest_file_number(), 0u);
    EXPECT_EQ(vs.current()->NumFiles(0), 0u);

    const uint64_t f1 = vs.NewFileNumber(), f2 = vs.NewFileNumber(), f3 = vs.NewFileNumber();
    VersionEdit e1;
    e1.AddFile(0, File(f1, "a", "m"));
    e1.SetLogNumber(3);
    e1.SetLastSequence(500);
    ASSERT_TRUE(vs.LogAndApply(&e1).ok());
    manifest1 = vs.manifest_file_number();
    EXPECT_GT(manifest1, f3);
    EXPECT_EQ(ReadFile(CurrentFileName(tmp.path())), ManifestBaseName(manifest1) + "\n");
    EXPECT_EQ(e1.next_file_number(), vs.next_file_number());

    VersionEdit e2;
    e2.AddFile(1, File(f2, "b", "c"));
    e2.AddFile(1, File(f3, "d", "e"));
    e2.RemoveFile(0, f1);
    e2.AddDroppedTableId(77);
    e2.SetPitrHorizonSeq(300);
    ASSERT_TRUE(vs.LogAndApply(&e2).ok());
    EXPECT_EQ(vs.log_number(), 3u);                   // kept when unset
    EXPECT_EQ(vs.last_sequence(), 500u);              // kept when unset
    EXPECT_EQ(vs.manifest_file_number(), manifest1);  // appended, not rolled

    VersionEdit back;
    back.SetLogNumber(2);
    EXPECT_TRUE(vs.LogAndApply(&back).IsInvalidArgument());
    VersionEdit back_seq;
    back_seq.SetLastSequence(499);
    EXPECT_TRUE(vs.LogAndApply(&back_seq).IsInvalidArgument());
    summary = Summary(vs);
  }
  {
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok());
    EXPECT_EQ(Summary(vs), summary);
    EXPECT_EQ(vs.current()->dropped_table_ids(), std::set<uint32_t>{77});
    EXPECT_EQ(vs.current()->pitr_horizon_seq(), 300u);
    EXPECT_EQ(vs.manifest_file_number(), manifest1);
    EXPECT_GT(vs.next_file_number(), manifest1);
    EXPECT_TRUE(vs.Recover().IsInvalidArgument());  // once only

    // The recovered MANIFEST is never appended to: the next edit starts a new one.
    const uint64_t before = std::filesystem::file_size(ManifestFileName(tmp.path(), manifest1));
    VersionEdit e3;
    e3.SetLastSequence(900);
    ASSERT_TRUE(vs.LogAndApply(&e3).ok());
    EXPECT_GT(vs.manifest_file_number(), manifest1);
    EXPECT_EQ(std::filesystem::file_size(ManifestFileName(tmp.path(), manifest1)), before);
    summary = Summary(vs);
    auto obsolete = vs.ObsoleteFiles({});
    ASSERT_TRUE(obsolete.ok());
    EXPECT_EQ(*obsolete, std::vector<std::string>{ManifestBaseName(manifest1)});
  }
  {
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok());
    EXPECT_EQ(Summary(vs), summary);
    EXPECT_EQ(vs.last_sequence(), 900u);
  }
}

TEST(VersionSetTest, LogAndApplyRequiresRecover) {
  TempDir tmp;
  VersionSet vs(Opts(tmp.path()));
  VersionEdit e;
  EXPECT_TRUE(vs.LogAndApply(&e).IsInvalidArgument());
  EXPECT_FALSE(std::filesystem::exists(CurrentFileName(tmp.path())));
}

TEST(VersionSetTest, OverlappingL1RejectedWithoutLatching) {
  TempDir tmp;
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  const uint64_t a = vs.NewFileNumber(), b = vs.NewFileNumber();
  VersionEdit e;
  e.AddFile(1, File(a, "a", "k"));
  ASSERT_TRUE(vs.LogAndApply(&e).ok());
  const uint64_t size = vs.manifest_file_size();
  const std::string summary = Summary(vs);

  VersionEdit overlap;
  overlap.AddFile(1, File(b, "j", "z"));
  const Status s = vs.LogAndApply(&overlap);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_EQ(vs.manifest_file_size(), size);  // nothing written
  EXPECT_EQ(Summary(vs), summary);
  EXPECT_TRUE(vs.error().ok());

  VersionEdit unallocated;
  unallocated.AddFile(0, File(vs.next_file_number() + 5, "a", "b"));
  EXPECT_TRUE(vs.LogAndApply(&unallocated).IsCorruption());

  VersionEdit ok;
  ok.AddFile(1, File(b, "l", "z"));
  ASSERT_TRUE(vs.LogAndApply(&ok).ok());
  EXPECT_EQ(Numbers(vs.current()->files(1)), (std::vector<uint64_t>{a, b}));
}

// Writes a MANIFEST by hand: `edits` as records of MANIFEST-<number>, CURRENT naming it.
void WriteManifest(const std::string& dir, uint64_t number, const std::vector<VersionEdit>& edits) {
  wal::LogWriter w(number);
  for (const VersionEdit& e : edits) {
    std::string rec;
    e.EncodeTo(&rec);
    w.AddRecord(rec, w.offset());
  }
  WriteFile(ManifestFileName(dir, number), w.pending());
  WriteFile(CurrentFileName(dir), ManifestBaseName(number) + "\n");
}

VersionEdit SnapshotFor(uint64_t next_file) {
  VersionEdit s;
  s.SetComparatorName(kInternalKeyComparatorName);
  s.SetLogNumber(0);
  s.SetNextFileNumber(next_file);
  s.SetLastSequence(0);
  return s;
}

TEST(VersionSetTest, RecoveryRefusesInconsistentManifests) {
  {  // An edit making L1 files overlap.
    TempDir tmp;
    VersionEdit snap = SnapshotFor(10);
    snap.AddFile(1, File(2, "a", "k"));
    VersionEdit bad;
    bad.AddFile(1, File(3, "c", "d"));
    WriteManifest(tmp.path(), 5, {snap, bad});
    VersionSet vs(Opts(tmp.path()));
    const Status s = vs.Recover();
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    VersionEdit e;
    EXPECT_TRUE(vs.LogAndApply(&e).IsInvalidArgument());  // not recovered: no new MANIFEST
  }
  {  // First record is not a snapshot.
    TempDir tmp;
    VersionEdit e;
    e.SetNextFileNumber(10);
    WriteManifest(tmp.path(), 5, {e});
    VersionSet vs(Opts(tmp.path()));
    EXPECT_TRUE(vs.Recover().IsCorruption());
  }
  {  // Another comparator.
    TempDir tmp;
    VersionEdit snap = SnapshotFor(10);
    snap.SetComparatorName("leveldb.BytewiseComparator");
    WriteManifest(tmp.path(), 5, {snap});
    VersionSet vs(Opts(tmp.path()));
    EXPECT_TRUE(vs.Recover().IsInvalidArgument());
  }
  {  // An undecodable record with a valid checksum.
    TempDir tmp;
    wal::LogWriter w(5);
    std::string rec;
    SnapshotFor(10).EncodeTo(&rec);
    w.AddRecord(rec, 0);
    w.AddRecord("\x3f", w.offset());  // tag 63: unknown
    WriteFile(ManifestFileName(tmp.path(), 5), w.pending());
    WriteFile(CurrentFileName(tmp.path()), "MANIFEST-000005\n");
    VersionSet vs(Opts(tmp.path()));
    EXPECT_TRUE(vs.Recover().IsCorruption());
  }
  {  // A good hand-written manifest recovers, with next_file_number above the MANIFEST.
    TempDir tmp;
    VersionEdit snap = SnapshotFor(3);
    snap.AddFile(1, File(2, "a", "k"));
    WriteManifest(tmp.path(), 5, {snap});
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok());
    EXPECT_EQ(Numbers(vs.current()->files(1)), std::vector<uint64_t>{2});
    EXPECT_EQ(vs.next_file_number(), 6u);
  }
}

TEST(VersionSetTest, CurrentProblems) {
  {  // CURRENT names a missing MANIFEST.
    TempDir tmp;
    WriteFile(CurrentFileName(tmp.path()), "MANIFEST-000009\n");
    VersionSet vs(Opts(tmp.path()));
    const Status s = vs.Recover();
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    EXPECT_NE(s.message().find("MANIFEST-000009"), std::string_view::npos);
  }
  for (const char* garbage : {"", "MANIFEST-000009", "MANIFEST-x\n", "000009.sst\n", "junk\n"}) {
    TempDir tmp;
    WriteFile(CurrentFileName(tmp.path()), garbage);
    VersionSet vs(Opts(tmp.path()));
    EXPECT_TRUE(vs.Recover().IsCorruption()) << garbage;
  }
  {  // No CURRENT, but tables: their MANIFEST was lost.
    TempDir tmp;
    WriteFile(TableFileName(tmp.path(), 4), "x");
    VersionSet vs(Opts(tmp.path()));
    EXPECT_TRUE(vs.Recover().IsCorruption());
  }
  {  // No CURRENT, a stray MANIFEST (first creation cut short) and WAL segments: start empty.
    TempDir tmp;
    WriteFile(ManifestFileName(tmp.path(), 8), "partial");
    WriteFile(WalSegmentFileName(tmp.path(), 1), "");
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok());
    EXPECT_EQ(vs.next_file_number(), 9u);
    VersionEdit e;
    ASSERT_TRUE(vs.LogAndApply(&e).ok());
    EXPECT_EQ(vs.manifest_file_number(), 9u);
    auto obsolete = vs.ObsoleteFiles({});
    ASSERT_TRUE(obsolete.ok());
    EXPECT_EQ(*obsolete, std::vector<std::string>{"MANIFEST-000008"});
  }
}

// Builds a MANIFEST of many edits (one big enough to span several 32 KiB blocks) and returns
// the state summary after each edit with the MANIFEST size at that point.
struct History {
  std::string manifest;  // bytes
  uint64_t number = 0;
  std::vector<std::pair<uint64_t, std::string>> states;  // (size after edit, summary)
};

History BuildHistory(std::mt19937_64& rng, const std::string& dir) {
  History h;
  VersionSet vs(Opts(dir));
  EXPECT_TRUE(vs.Recover().ok());
  std::vector<uint64_t> l0;
  uint64_t seq = 100;
  for (int i = 0; i < 40; i++) {
    VersionEdit e;
    if (i == 20) {
      // A large edit: ~70 KiB of keys, so its record is fragmented across blocks.
      for (int k = 0; k < 50; k++) {
        const std::string lo = "big" + std::to_string(1000 + k * 2) + std::string(700, 'x');
        const std::string hi = "big" + std::to_string(1001 + k * 2) + std::string(700, 'y');
        e.AddFile(2, File(vs.NewFileNumber(), lo, hi));
      }
    } else if (!l0.empty() && rng() % 3 == 0) {
      e.RemoveFile(0, l0.back());
      l0.pop_back();
    } else {
      const uint64_t n = vs.NewFileNumber();
      e.AddFile(0, File(n, "k" + std::to_string(rng() % 100), "l"));
      l0.push_back(n);
    }
    seq += rng() % 50;
    e.SetLastSequence(seq);
    if (i % 7 == 0) e.SetLogNumber(static_cast<uint64_t>(i));
    if (i % 11 == 0) e.AddDroppedTableId(static_cast<uint32_t>(i));
    EXPECT_TRUE(vs.LogAndApply(&e).ok());
    h.states.emplace_back(vs.manifest_file_size(), Summary(vs));
  }
  h.number = vs.manifest_file_number();
  h.manifest = ReadFile(ManifestFileName(dir, h.number));
  EXPECT_EQ(h.manifest.size(), h.states.back().first);
  EXPECT_GT(h.manifest.size(), 2 * wal::kBlockSize);
  return h;
}

TEST(VersionSetTest, TornTailRecoversLastCompleteEdit) {
  std::mt19937_64 rng(TestSeed());
  TempDir src;
  const History h = BuildHistory(rng, src.path());
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 60; i++) offsets.push_back(rng() % (h.manifest.size() + 1));
  // Exact record boundaries and their neighbours.
  for (const auto& [size, summary] : h.states) {
    offsets.push_back(size);
    offsets.push_back(size - 1);
    if (size + 1 <= h.manifest.size()) offsets.push_back(size + 1);
  }
  offsets.push_back(0);
  for (size_t i = 0; i < offsets.size(); i++) {
    const uint64_t cut = offsets[i];
    TempDir tmp;
    WriteFile(ManifestFileName(tmp.path(), h.number), h.manifest.substr(0, cut));
    WriteFile(CurrentFileName(tmp.path()), ManifestBaseName(h.number) + "\n");
    VersionSet vs(Opts(tmp.path()));
    const Status s = vs.Recover();
    const std::string* expected = nullptr;
    for (const auto& [size, summary] : h.states) {
      if (size <= cut) expected = &summary;
    }
    if (expected == nullptr) {
      EXPECT_TRUE(s.IsCorruption()) << "cut at " << cut << ": " << s.ToString();
      continue;
    }
    ASSERT_TRUE(s.ok()) << "cut at " << cut << ": " << s.ToString();
    EXPECT_EQ(Summary(vs), *expected) << "cut at " << cut;
    if (i % 8 != 0) continue;
    // And the recovered set keeps working: a new MANIFEST, recoverable again.
    VersionEdit e;
    e.SetPitrHorizonSeq(cut);
    ASSERT_TRUE(vs.LogAndApply(&e).ok());
    VersionSet again(Opts(tmp.path()));
    ASSERT_TRUE(again.Recover().ok());
    EXPECT_EQ(Summary(again), Summary(vs));
  }
}

TEST(VersionSetTest, GarbageTailAndMiddleDamage) {
  std::mt19937_64 rng(TestSeed());
  TempDir src;
  const History h = BuildHistory(rng, src.path());
  const size_t n = h.states.size();
  auto recover_bytes = [&](const std::string& bytes, std::string* summary) {
    TempDir tmp;
    WriteFile(ManifestFileName(tmp.path(), h.number), bytes);
    WriteFile(CurrentFileName(tmp.path()), ManifestBaseName(h.number) + "\n");
    VersionSet vs(Opts(tmp.path()));
    const Status s = vs.Recover();
    if (s.ok()) *summary = Summary(vs);
    return s;
  };
  std::string summary;
  {  // Damage inside the last edit: a torn tail.
    std::string bytes = h.manifest;
    bytes[h.states[n - 2].first + wal::kHeaderSize + 1] ^= 0x55;
    ASSERT_TRUE(recover_bytes(bytes, &summary).ok());
    EXPECT_EQ(summary, h.states[n - 2].second);
  }
  {  // Garbage (or zeros) appended after the last edit.
    ASSERT_TRUE(recover_bytes(h.manifest + std::string(100, '\xab'), &summary).ok());
    EXPECT_EQ(summary, h.states[n - 1].second);
    ASSERT_TRUE(recover_bytes(h.manifest + std::string(100, '\0'), &summary).ok());
    EXPECT_EQ(summary, h.states[n - 1].second);
  }
  {  // Damage to an edit followed by edits written after it was durable: Corruption.
    for (size_t i : {n / 4, n / 2, n - 3}) {
      std::string bytes = h.manifest;
      bytes[h.states[i].first + wal::kHeaderSize] ^= 0x01;  // edit i+1's first payload byte
      const Status s = recover_bytes(bytes, &summary);
      EXPECT_TRUE(s.IsCorruption()) << i << ": " << s.ToString();
    }
  }
}

TEST(VersionSetTest, OldVersionsStayAliveWhileReferenced) {
  TempDir tmp;
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  const uint64_t a = vs.NewFileNumber(), b = vs.NewFileNumber(), c = vs.NewFileNumber();
  VersionEdit e1;
  e1.AddFile(0, File(a, "a", "b"));
  e1.AddFile(0, File(b, "a", "b"));
  ASSERT_TRUE(vs.LogAndApply(&e1).ok());

  std::shared_ptr<const Version> pinned = vs.current();
  VersionEdit e2;  // compaction: a, b -> c at L1
  e2.RemoveFile(0, a);
  e2.RemoveFile(0, b);
  e2.AddFile(1, File(c, "a", "b"));
  ASSERT_TRUE(vs.LogAndApply(&e2).ok());

  EXPECT_EQ(Numbers(pinned->files(0)), (std::vector<uint64_t>{b, a}));  // unchanged
  EXPECT_EQ(vs.current()->NumFiles(0), 0u);
  EXPECT_EQ(vs.LiveFiles(), (std::set<uint64_t>{a, b, c}));

  for (uint64_t n : {a, b, c, uint64_t{999}}) WriteFile(TableFileName(tmp.path(), n), "t");
  WriteFile(WalSegmentFileName(tmp.path(), 1), "");
  WriteFile(tmp.path() + "/unrelated.txt", "");
  auto obsolete = vs.ObsoleteFiles({999});
  ASSERT_TRUE(obsolete.ok());
  EXPECT_TRUE(obsolete->empty()) << obsolete->front();

  pinned.reset();
  EXPECT_EQ(vs.LiveFiles(), (std::set<uint64_t>{c}));
  obsolete = vs.ObsoleteFiles({});
  ASSERT_TRUE(obsolete.ok());
  std::vector<std::string> expected = {"000999.sst", TableFileName("", a).substr(1),
                                       TableFileName("", b).substr(1)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*obsolete, expected);

  VersionEdit e3;
  e3.SetLogNumber(2);  // WAL segment 1's data is in tables now
  ASSERT_TRUE(vs.LogAndApply(&e3).ok());
  obsolete = vs.ObsoleteFiles({999});
  ASSERT_TRUE(obsolete.ok());
  EXPECT_NE(std::find(obsolete->begin(), obsolete->end(), "00000001.wal"), obsolete->end());
}

TEST(VersionSetTest, ConcurrentReadersWithLogAndApply) {
  TempDir tmp;
  VersionSetOptions o = Opts(tmp.path());
  o.max_manifest_bytes = 16 << 10;  // roll now and then, too
  VersionSet vs(o);
  ASSERT_TRUE(vs.Recover().ok());
  std::atomic<bool> done{false};
  std::atomic<int> checks{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; t++) {
    readers.emplace_back([&] {
      while (!done.load()) {
        std::shared_ptr<const Version> v = vs.current();
        // Invariants of a published version, while it is pinned.
        for (int level = 1; level < kNumLevels; level++) {
          const auto& files = v->files(level);
          for (size_t i = 1; i < files.size(); i++) {
            ASSERT_LT(memtable::CompareInternalKeys(files[i - 1]->largest, files[i]->smallest), 0);
          }
        }
        const auto& l0 = v->files(0);
        for (size_t i = 1; i < l0.size(); i++) ASSERT_GT(l0[i - 1]->number, l0[i]->number);
        // Every L1 file is paired with an L0 file of number - 1 (see the writer).
        std::set<uint64_t> numbers;
        v->AddFileNumbers(&numbers);
        for (const FileRef& f : v->files(1)) ASSERT_EQ(numbers.count(f->number - 1), 1u);
        std::set<uint64_t> live = vs.LiveFiles();
        for (uint64_t n : numbers) ASSERT_EQ(live.count(n), 1u);
        checks++;
      }
    });
  }
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (int i = 0; i < 300; i++) {
    VersionEdit e;
    if (pairs.size() > 20 || (!pairs.empty() && i % 3 == 0)) {
      const auto [l0, l1] = pairs[i % pairs.size()];
      pairs.erase(pairs.begin() + static_cast<long>(i % pairs.size()));
      e.RemoveFile(0, l0);
      e.RemoveFile(1, l1);
    } else {
      const uint64_t l0 = vs.NewFileNumber();
      const uint64_t l1 = vs.NewFileNumber();
      ASSERT_EQ(l1, l0 + 1);
      const std::string key = "key" + std::to_string(100000 + l1);
      e.AddFile(0, File(l0, "a", "z"));
      e.AddFile(1, File(l1, key, key + "~"));
      pairs.emplace_back(l0, l1);
    }
    e.SetLastSequence(static_cast<uint64_t>(i));
    ASSERT_TRUE(vs.LogAndApply(&e).ok());
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(checks.load(), 0);
  const std::string summary = Summary(vs);
  VersionSet again(Opts(tmp.path()));
  ASSERT_TRUE(again.Recover().ok());
  EXPECT_EQ(Summary(again), summary);
}

TEST(VersionSetTest, RollsToNewManifestWhenLarge) {
  TempDir tmp;
  VersionSetOptions o = Opts(tmp.path());
  o.max_manifest_bytes = 1;  // every edit rolls
  std::string summary;
  uint64_t last_manifest = 0;
  {
    VersionSet vs(o);
    ASSERT_TRUE(vs.Recover().ok());
    for (int i = 0; i < 5; i++) {
      VersionEdit e;
      e.AddFile(i % kNumLevels, File(vs.NewFileNumber(), "k" + std::to_string(i), "k9"));
      e.AddDroppedTableId(static_cast<uint32_t>(i));
      e.SetPitrHorizonSeq(static_cast<uint64_t>(i) * 10);
      ASSERT_TRUE(vs.LogAndApply(&e).ok());
      EXPECT_GT(vs.manifest_file_number(), last_manifest);
      last_manifest = vs.manifest_file_number();
    }
    auto obsolete = vs.ObsoleteFiles({});
    ASSERT_TRUE(obsolete.ok());
    EXPECT_EQ(obsolete->size(), 4u);  // the four older MANIFESTs
    for (const std::string& name : *obsolete) {
      EXPECT_TRUE(name.starts_with("MANIFEST-")) << name;
      ASSERT_EQ(::unlink((tmp.path() + "/" + name).c_str()), 0);
    }
    summary = Summary(vs);
  }
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  EXPECT_EQ(Summary(vs), summary);
  EXPECT_EQ(vs.manifest_file_number(), last_manifest);
  EXPECT_EQ(vs.current()->dropped_table_ids(), (std::set<uint32_t>{0, 1, 2, 3, 4}));
}

// ---------------------------------------------------------------------------------------------
// Storage faults

struct FaultySet {
  testutil::FaultInjectionSink* sink = nullptr;
  std::unique_ptr<VersionSet> vs;
};

FaultySet OpenFaulty(const std::string& dir) {
  FaultySet f;
  VersionSetOptions o = Opts(dir);
  o.sink_factory = [&f] {
    auto s = std::make_unique<testutil::FaultInjectionSink>(wal::NewPosixSink());
    f.sink = s.get();
    return std::unique_ptr<wal::Sink>(std::move(s));
  };
  f.vs = std::make_unique<VersionSet>(o);
  EXPECT_NE(f.sink, nullptr);
  EXPECT_TRUE(f.vs->Recover().ok());
  return f;
}

Status AddL0(VersionSet* vs) {
  VersionEdit e;
  e.AddFile(0, File(vs->NewFileNumber(), "a", "b"));
  return vs->LogAndApply(&e);
}

TEST(VersionSetFaultTest, FailedSyncLatches) {
  TempDir tmp;
  std::string before;
  {
    FaultySet f = OpenFaulty(tmp.path());
    ASSERT_TRUE(AddL0(f.vs.get()).ok());
    before = Summary(*f.vs);
    f.sink->FailNextSync(EIO);
    const Status s = AddL0(f.vs.get());
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_EQ(Summary(*f.vs), before);  // not installed
    // Latched: later edits fail without touching the disk, even though the sink would work.
    const int writes = f.sink->writes();
    EXPECT_TRUE(AddL0(f.vs.get()).IsIOError());
    EXPECT_EQ(f.sink->writes(), writes);
    EXPECT_TRUE(f.vs->error().IsIOError());
    EXPECT_FALSE(f.vs->ObsoleteFiles({}).ok());
    // Readers keep working.
    EXPECT_EQ(f.vs->current()->NumFiles(0), 1u);
  }
  // The edit whose sync failed did reach the file: its outcome was unknown, recovery decides.
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  EXPECT_EQ(vs.current()->NumFiles(0), 2u);
}

TEST(VersionSetFaultTest, PartialWriteIsATornTail) {
  TempDir tmp;
  std::string before;
  {
    FaultySet f = OpenFaulty(tmp.path());
    ASSERT_TRUE(AddL0(f.vs.get()).ok());
    ASSERT_TRUE(AddL0(f.vs.get()).ok());
    before = Summary(*f.vs);
    f.sink->FailWriteAfter(0, ENOSPC, 10);
    const Status s = AddL0(f.vs.get());
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_NE(s.message().find("No space"), std::string_view::npos) << s.ToString();
    EXPECT_TRUE(AddL0(f.vs.get()).IsIOError());
  }
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  EXPECT_EQ(Summary(vs), before);
}

TEST(VersionSetFaultTest, CrashKeepsEveryAcknowledgedEdit) {
  TempDir tmp;
  std::string before;
  {
    FaultySet f = OpenFaulty(tmp.path());
    for (int i = 0; i < 5; i++) ASSERT_TRUE(AddL0(f.vs.get()).ok());
    before = Summary(*f.vs);
    EXPECT_EQ(f.sink->unsynced_bytes(), 0u);
    f.sink->Crash();
    EXPECT_TRUE(AddL0(f.vs.get()).IsIOError());
  }
  VersionSet vs(Opts(tmp.path()));
  ASSERT_TRUE(vs.Recover().ok());
  EXPECT_EQ(Summary(vs), before);
}

TEST(VersionSetFaultTest, FailuresWhileCreatingAManifest) {
  // 0: the snapshot write of the new MANIFEST fails; 1: the write of the next CURRENT fails.
  for (int ok_writes : {0, 1}) {
    TempDir tmp;
    std::string before;
    uint64_t old_manifest = 0;
    {
      FaultySet f = OpenFaulty(tmp.path());
      ASSERT_TRUE(AddL0(f.vs.get()).ok());
      before = Summary(*f.vs);
      old_manifest = f.vs->manifest_file_number();
    }
    {
      FaultySet f = OpenFaulty(tmp.path());  // recovered: the next edit starts a new MANIFEST
      f.sink->FailWriteAfter(ok_writes, EIO);
      EXPECT_TRUE(AddL0(f.vs.get()).IsIOError()) << ok_writes;
      EXPECT_TRUE(AddL0(f.vs.get()).IsIOError()) << ok_writes;
      EXPECT_EQ(ReadFile(CurrentFileName(tmp.path())), ManifestBaseName(old_manifest) + "\n");
    }
    VersionSet vs(Opts(tmp.path()));
    ASSERT_TRUE(vs.Recover().ok()) << ok_writes;
    EXPECT_EQ(Summary(vs), before) << ok_writes;
    EXPECT_EQ(vs.manifest_file_number(), old_manifest);
  }
}

}  // namespace
}  // namespace strata::engine
