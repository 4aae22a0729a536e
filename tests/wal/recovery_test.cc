#include "wal/recovery.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "tests/wal/wal_test_util.h"
#include "wal/file_util.h"
#include "wal/format.h"
#include "wal/group_commit.h"
#include "wal/log_writer.h"
#include "wal/segment_manager.h"

namespace strata::wal {
namespace {

using test::MakeRecord;
using test::TempDir;

constexpr uint64_t kSector = 512;

// A last segment written the way GroupCommit writes it: groups of records, each acknowledged
// group durable before the next is built (so later chunks carry its end as synced_offset),
// followed by groups that were written but never synced.
struct BuiltSegment {
  std::string path;
  uint64_t number = 0;
  std::vector<Record> records;
  size_t acked = 0;               // records[0, acked) were durable (acknowledged)
  uint64_t synced_end = 0;        // S: end of the durable prefix
  uint64_t last_group_start = 0;  // start of the last acknowledged group
  uint64_t end = 0;               // end of all written bytes
};

BuiltSegment BuildSegment(const std::string& dir, std::mt19937_64& rng, int acked_groups,
                          int unacked_groups, uint64_t first_seq = kMinUserSeq) {
  SegmentManagerOptions mo;
  mo.dir = dir;
  mo.segment_size = 2 << 20;
  mo.precreate_next = false;
  auto manager = SegmentManager::Open(mo);
  EXPECT_TRUE(manager.ok());
  SegmentHeader header;
  header.first_seq = first_seq;
  Result<Segment> seg = (*manager)->CreateSegment(header);
  EXPECT_TRUE(seg.ok()) << seg.status().ToString();

  BuiltSegment b;
  b.path = seg->path;
  b.number = seg->number;
  LogWriter writer(seg->number, seg->data_offset);
  uint64_t synced = seg->data_offset;
  uint64_t seq = first_seq;
  for (int g = 0; g < acked_groups + unacked_groups; g++) {
    const bool acked = g < acked_groups;
    if (acked) b.last_group_start = writer.offset();
    const int n = 1 + rng() % 4;
    for (int i = 0; i < n; i++) {
      const size_t value = (rng() % 10 == 0) ? 40000 + rng() % 30000 : rng() % 2000;
      Record r = MakeRecord(b.records.size(), value, 1 + rng() % 3);
      r.first_seq = seq;
      r.commit_time_us = 1000 + b.records.size();
      seq = r.next_seq();
      std::string enc;
      EncodeRecord(r, &enc);
      writer.AddRecord(enc, synced);
      b.records.push_back(std::move(r));
    }
    if (acked) {
      synced = writer.offset();
      b.acked = b.records.size();
    }
  }
  b.synced_end = synced;
  b.end = writer.offset();
  EXPECT_TRUE(WriteFullyAt(seg->fd.get(), writer.pending_offset(), writer.pending(), b.path).ok());
  return b;
}

void Overwrite(const std::string& path, uint64_t offset, const std::string& bytes) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY));
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(WriteFullyAt(fd.get(), offset, bytes, path).ok());
}

void Truncate(const std::string& path, uint64_t size) {
  ASSERT_EQ(::truncate(path.c_str(), size), 0);
}

void ExpectPrefixOf(const std::vector<Record>& got, const std::vector<Record>& written,
                    size_t at_least) {
  ASSERT_GE(got.size(), at_least);
  ASSERT_LE(got.size(), written.size());
  for (size_t i = 0; i < got.size(); i++) ASSERT_EQ(got[i], written[i]) << "record " << i;
}

TEST(RecoveryTest, EmptyDirectory) {
  TempDir dir;
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->records.empty());
  EXPECT_EQ(r->next_seq, 0u);
  EXPECT_EQ(r->last_segment, 0u);
}

TEST(RecoveryTest, IntactUnsealedSegmentRecoversEverything) {
  TempDir dir;
  std::mt19937_64 rng(1);
  BuiltSegment b = BuildSegment(dir.path(), rng, 20, 3);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records, b.records);
  EXPECT_EQ(r->next_seq, b.records.back().next_seq());
  EXPECT_EQ(r->max_seq, b.records.back().last_seq());
  EXPECT_EQ(r->tail, b.end);
  EXPECT_EQ(r->last_segment, b.number);
}

// The torn-tail injector: the unsynced tail of the last segment is truncated, zeroed or
// garbled at random sector offsets. Recovery must return a prefix of what was written that
// includes every acknowledged record, and never garbage.
TEST(RecoveryTest, TornTailNeverLosesSyncedRecords) {
  const uint64_t base_seed = std::random_device{}();
  for (int iter = 0; iter < 100; iter++) {
    const uint64_t seed = base_seed + iter;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    TempDir dir;
    BuiltSegment b = BuildSegment(dir.path(), rng, 1 + rng() % 15, 1 + rng() % 6);
    // A tear starts at a sector boundary but never touches bytes before S (sector writes are
    // atomic: the sector holding S keeps its durable bytes).
    const uint64_t first_sector = b.synced_end / kSector * kSector;
    const uint64_t span = (b.end - first_sector) / kSector + 2;
    const uint64_t tear = std::max(b.synced_end, first_sector + (rng() % span) * kSector);
    const int mode = rng() % 4;
    const uint64_t len = kSector * (1 + rng() % 8);
    const uint64_t tear_end = (tear / kSector + 1) * kSector + len - kSector;
    switch (mode) {
      case 0:  // lost suffix
        Truncate(b.path, tear);
        break;
      case 1:  // sectors never written
        Overwrite(b.path, tear, std::string(tear_end - tear, '\0'));
        break;
      case 2:  // sectors garbled
        Overwrite(b.path, tear, test::RandomBytes(rng, tear_end - tear));
        break;
      case 3:  // sectors of an older file's life (stale log number)
      {
        LogWriter stale(b.number + 100, tear);
        stale.AddRecord(test::RandomBytes(rng, tear_end - tear), b.end + 1000);
        Overwrite(b.path, tear, std::string(stale.pending().substr(0, tear_end - tear)));
        break;
      }
    }
    SCOPED_TRACE("mode " + std::to_string(mode) + " tear " + std::to_string(tear) + " S " +
                 std::to_string(b.synced_end) + " end " + std::to_string(b.end));
    auto r = RecoverLog(dir.path());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ExpectPrefixOf(r->records, b.records, b.acked);
    EXPECT_GE(r->tail, b.synced_end);
  }
}

// A tear (or bit rot) before the last acknowledged group is detected by the read-ahead: a
// later chunk says data beyond the tear was durable.
TEST(RecoveryTest, LostAcknowledgedDataIsCorruption) {
  const uint64_t base_seed = std::random_device{}();
  int checked = 0;
  for (int iter = 0; iter < 60; iter++) {
    const uint64_t seed = base_seed + iter;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    TempDir dir;
    BuiltSegment b = BuildSegment(dir.path(), rng, 3 + rng() % 10, rng() % 3);
    // Choose a whole sector after the header and before the last acknowledged group.
    const uint64_t lo = (LogWriter::MaxEncodedSize(kSegmentHeaderSize) + kSector) / kSector;
    const uint64_t hi = b.last_group_start / kSector;  // sectors [lo, hi) end before it
    if (hi <= lo) continue;
    const uint64_t sector = lo + rng() % (hi - lo);
    const bool zero = rng() % 2;
    Overwrite(b.path, sector * kSector,
              zero ? std::string(kSector, '\0') : test::RandomBytes(rng, kSector));
    auto r = RecoverLog(dir.path());
    ASSERT_FALSE(r.ok()) << "sector " << sector << " of a segment with S=" << b.synced_end;
    EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
    EXPECT_NE(r.status().message().find("acknowledged"), std::string_view::npos);

    // Point-in-time recovery stops at the damage instead.
    RecoveryOptions pit;
    pit.point_in_time = true;
    auto p = RecoverLog(dir.path(), pit);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ExpectPrefixOf(p->records, b.records, 0);
    EXPECT_LT(p->records.size(), b.acked);
    checked++;
  }
  EXPECT_GT(checked, 30);
}

GroupCommitOptions SmallSegments(const std::string& dir) {
  GroupCommitOptions o;
  o.dir = dir;
  o.segment_size = 96 << 10;
  return o;
}

// Writes `n` records through GroupCommit (small segments, so several rotate) and closes.
std::vector<Record> WriteThroughGroupCommit(GroupCommitOptions o, int n, uint64_t id_base = 0) {
  std::vector<Record> written;
  auto gc = GroupCommit::Open(std::move(o), NewPosixSink());
  EXPECT_TRUE(gc.ok()) << gc.status().ToString();
  for (int i = 0; i < n; i++) {
    Record r = MakeRecord(id_base + i, 700 + (i * 37) % 3000, 1 + i % 3);
    EXPECT_TRUE((*gc)->Write(&r).ok());
    written.push_back(r);
  }
  EXPECT_TRUE((*gc)->Close().ok());
  return written;
}

TEST(RecoveryTest, SealedSegmentsRecover) {
  TempDir dir;
  std::vector<Record> written = WriteThroughGroupCommit(SmallSegments(dir.path()), 200);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->segments.size(), 4u);
  for (const SegmentSummary& s : r->segments) EXPECT_TRUE(s.sealed);
  EXPECT_EQ(r->records, written);
  EXPECT_EQ(r->tail, kPrevSealed);

  // min_log_number skips obsolete segments.
  RecoveryOptions o;
  o.min_log_number = r->segments[2].number;
  auto partial = RecoverLog(dir.path(), o);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->segments.size(), r->segments.size() - 2);
  EXPECT_EQ(partial->records.front().first_seq, r->segments[2].header.first_seq);
  EXPECT_EQ(partial->next_seq, r->next_seq);
}

TEST(RecoveryTest, MiddleSegmentCorruptionIsRefused) {
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  TempDir dir;
  WriteThroughGroupCommit(SmallSegments(dir.path()), 150);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->segments.size(), 3u);
  for (int iter = 0; iter < 60; iter++) {
    // Any single flipped byte in the written part of a middle segment (header to SEAL).
    const SegmentSummary& mid = r->segments[1 + rng() % (r->segments.size() - 2)];
    const uint64_t offset = rng() % (mid.end_offset + kHeaderSize);
    const std::string path = SegmentManager::SegmentPath(dir.path(), mid.number);
    std::string data;
    ASSERT_TRUE(ReadWholeFile(path, &data).ok());
    const std::string original = data.substr(offset, 1);
    data[offset] ^= static_cast<char>(1 + rng() % 255);
    Overwrite(path, offset, data.substr(offset, 1));
    auto bad = RecoverLog(dir.path());
    EXPECT_TRUE(bad.status().IsCorruption())
        << "segment " << mid.number << " offset " << offset << ": " << bad.status().ToString();
    Overwrite(path, offset, original);
  }
  EXPECT_TRUE(RecoverLog(dir.path()).ok());
}

TEST(RecoveryTest, MissingSealOrSegmentIsRefused) {
  TempDir dir;
  WriteThroughGroupCommit(SmallSegments(dir.path()), 150);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->segments.size(), 3u);
  const SegmentSummary& first = r->segments[0];
  // Zero the SEAL of the first segment.
  Overwrite(SegmentManager::SegmentPath(dir.path(), first.number), first.end_offset,
            std::string(kHeaderSize, '\0'));
  auto no_seal = RecoverLog(dir.path());
  EXPECT_TRUE(no_seal.status().IsCorruption()) << no_seal.status().ToString();
  EXPECT_NE(no_seal.status().message().find("no SEAL"), std::string_view::npos);

  // A missing middle segment.
  TempDir dir2;
  WriteThroughGroupCommit(SmallSegments(dir2.path()), 150);
  ASSERT_EQ(::unlink(SegmentManager::SegmentPath(dir2.path(), 2).c_str()), 0);
  auto missing = RecoverLog(dir2.path());
  EXPECT_TRUE(missing.status().IsCorruption()) << missing.status().ToString();
}

TEST(RecoveryTest, CorruptedSealedLastSegmentIsRefused) {
  TempDir dir;
  WriteThroughGroupCommit(SmallSegments(dir.path()), 150);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  const SegmentSummary& last = r->segments.back();
  ASSERT_GT(last.record_count, 2u);
  // Damage the first record after the header: the SEAL (and later records) prove it was durable.
  const uint64_t offset = LogWriter::MaxEncodedSize(kSegmentHeaderSize) + 30;
  Overwrite(SegmentManager::SegmentPath(dir.path(), last.number), offset, std::string(8, 'X'));
  auto bad = RecoverLog(dir.path());
  EXPECT_TRUE(bad.status().IsCorruption()) << bad.status().ToString();
}

// After a crash the torn segment stays unsealed; the next segment's header records where its
// valid data ended, so it is read strictly up to that point from then on.
TEST(RecoveryTest, RecoveredTailIsRecordedInTheNextSegment) {
  TempDir dir;
  std::mt19937_64 rng(7);
  BuiltSegment b = BuildSegment(dir.path(), rng, 10, 2);
  Overwrite(b.path, b.synced_end, std::string(100, '\xee'));  // torn unsynced tail
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_NE(r->tail, kPrevSealed);
  std::vector<Record> expected = r->records;

  GroupCommitOptions o = SmallSegments(dir.path());
  o.first_seq = r->next_seq;
  o.prev_tail = r->tail;
  std::vector<Record> more = WriteThroughGroupCommit(o, 60, 1000);
  expected.insert(expected.end(), more.begin(), more.end());

  auto again = RecoverLog(dir.path());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->records, expected);
  EXPECT_FALSE(again->segments.front().sealed);

  // Damage to the recovered segment before its recorded tail is now refused.
  Overwrite(b.path, b.last_group_start + 3, "\x01\x02\x03");
  auto bad = RecoverLog(dir.path());
  EXPECT_TRUE(bad.status().IsCorruption()) << bad.status().ToString();
}

TEST(RecoveryTest, UnsealedSegmentWithoutRecordedTailIsRefused) {
  TempDir dir;
  std::mt19937_64 rng(9);
  BuiltSegment b = BuildSegment(dir.path(), rng, 5, 0);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  GroupCommitOptions o = SmallSegments(dir.path());
  o.first_seq = r->next_seq;
  o.prev_tail = kPrevSealed;  // wrong: the previous segment has no SEAL
  WriteThroughGroupCommit(o, 5, 100);
  auto bad = RecoverLog(dir.path());
  EXPECT_TRUE(bad.status().IsCorruption()) << bad.status().ToString();
}

TEST(RecoveryTest, SequenceGapIsRefused) {
  TempDir dir;
  std::mt19937_64 rng(11);
  BuiltSegment b = BuildSegment(dir.path(), rng, 5, 0);
  auto r = RecoverLog(dir.path());
  ASSERT_TRUE(r.ok());
  GroupCommitOptions o = SmallSegments(dir.path());
  o.first_seq = r->next_seq + 5;  // a gap
  o.prev_tail = r->tail;
  WriteThroughGroupCommit(o, 5, 100);
  auto bad = RecoverLog(dir.path());
  EXPECT_TRUE(bad.status().IsCorruption()) << bad.status().ToString();
}

}  // namespace
}  // namespace strata::wal
