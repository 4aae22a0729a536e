#include "wal/record.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/wal/wal_test_util.h"
#include "util/coding.h"
#include "wal/format.h"

namespace strata::wal {
namespace {

Record Sample() {
  Record r;
  r.first_seq = 1234;
  r.commit_time_us = 1700000000123456;
  r.AddPut("k1", "v1");
  r.AddDelete("k2");
  r.AddPut("", std::string(300, 'x'));
  r.flags |= kFlagTransaction;
  r.SetStreamEvents("events");
  r.SetIdempotency("token");
  return r;
}

TEST(RecordTest, RoundTrip) {
  const Record r = Sample();
  std::string enc;
  EncodeRecord(r, &enc);
  EXPECT_EQ(enc.size(), EncodedRecordSize(r));
  Record d;
  ASSERT_TRUE(DecodeRecord(enc, &d).ok());
  EXPECT_EQ(d, r);
  EXPECT_EQ(d.last_seq(), 1236u);
  EXPECT_EQ(d.next_seq(), 1237u);

  std::vector<std::tuple<OpKind, std::string, std::string>> ops;
  ASSERT_TRUE(
      ForEachOp(d.ops, d.op_count, [&](OpKind k, std::string_view key, std::string_view value) {
        ops.emplace_back(k, std::string(key), std::string(value));
      }).ok());
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0], std::make_tuple(OpKind::kPut, std::string("k1"), std::string("v1")));
  EXPECT_EQ(ops[1], std::make_tuple(OpKind::kDelete, std::string("k2"), std::string()));
  EXPECT_EQ(std::get<2>(ops[2]).size(), 300u);
}

TEST(RecordTest, EmptyRecordRoundTrips) {
  Record r;
  r.first_seq = 10;
  std::string enc;
  EncodeRecord(r, &enc);
  EXPECT_EQ(enc.size(), kRecordFixedSize);
  Record d;
  ASSERT_TRUE(DecodeRecord(enc, &d).ok());
  EXPECT_EQ(d, r);
}

TEST(RecordTest, PatchHeader) {
  Record r = Sample();
  std::string enc;
  EncodeRecord(r, &enc);
  PatchRecordHeader(enc.data(), 99, 77);
  Record d;
  ASSERT_TRUE(DecodeRecord(enc, &d).ok());
  EXPECT_EQ(d.first_seq, 99u);
  EXPECT_EQ(d.commit_time_us, 77u);
  EXPECT_EQ(d.ops, r.ops);
}

TEST(RecordTest, EveryTruncationIsCorruption) {
  std::string enc;
  EncodeRecord(Sample(), &enc);
  for (size_t n = 0; n < enc.size(); n++) {
    Record d;
    Status s = DecodeRecord(std::string_view(enc.data(), n), &d);
    EXPECT_TRUE(s.IsCorruption()) << "prefix " << n << ": " << s.ToString();
  }
}

TEST(RecordTest, TrailingGarbageIsCorruption) {
  Record r;
  r.AddPut("a", "b");
  std::string enc;
  EncodeRecord(r, &enc);
  enc.push_back('\x01');  // section id 1 without a length / flag
  Record d;
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
}

TEST(RecordTest, UnknownOpKindIsCorruption) {
  Record r;
  r.AddPut("a", "b");
  std::string enc;
  EncodeRecord(r, &enc);
  enc[kRecordFixedSize] = 7;
  Record d;
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
}

TEST(RecordTest, OpCountMismatchIsCorruption) {
  Record r;
  r.AddPut("a", "b");
  r.AddPut("c", "d");
  std::string enc;
  EncodeRecord(r, &enc);
  EncodeFixed32(enc.data() + 8, 3);
  Record d;
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
  EncodeFixed32(enc.data() + 8, 0xffffffffu);
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
}

TEST(RecordTest, SequenceOutOfRangeIsCorruption) {
  Record r;
  r.first_seq = kMaxSeq;
  r.AddPut("a", "b");
  r.AddPut("c", "d");
  std::string enc;
  EncodeRecord(r, &enc);
  Record d;
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
}

TEST(RecordTest, SectionFlagMismatchesAreCorruption) {
  Record r;
  r.AddPut("a", "b");
  r.SetStreamEvents("ev");
  std::string enc;
  EncodeRecord(r, &enc);
  Record d;
  // Flag without its section.
  std::string no_section = enc.substr(0, kRecordFixedSize + r.ops.size());
  EXPECT_TRUE(DecodeRecord(no_section, &d).IsCorruption());
  // Section without its flag.
  std::string no_flag = enc;
  no_flag[20] = 0;
  EXPECT_TRUE(DecodeRecord(no_flag, &d).IsCorruption());
}

TEST(RecordTest, SectionsOutOfOrderAreCorruption) {
  Record r;
  r.AddPut("a", "b");
  r.flags = kFlagStreamEvents | kFlagIdempotency;
  Record no_sections = r;
  no_sections.flags = 0;
  std::string enc;
  EncodeRecord(no_sections, &enc);
  enc[20] = static_cast<char>(r.flags);
  // The sections by hand, in the wrong order.
  enc.push_back(kSectionIdempotency);
  PutLengthPrefixed(&enc, "t");
  enc.push_back(kSectionStreamEvents);
  PutLengthPrefixed(&enc, "e");
  Record d;
  EXPECT_TRUE(DecodeRecord(enc, &d).IsCorruption());
}

TEST(RecordTest, UnknownSectionsAreSkipped) {
  Record r;
  r.AddPut("a", "b");
  r.SetIdempotency("tok");
  std::string enc;
  EncodeRecord(r, &enc);
  enc.push_back(static_cast<char>(9));  // a future section
  PutLengthPrefixed(&enc, "future data");
  Record d;
  ASSERT_TRUE(DecodeRecord(enc, &d).ok());
  EXPECT_EQ(d.idempotency, "tok");
  EXPECT_EQ(d.ops, r.ops);
}

TEST(RecordTest, RandomMutationsNeverCrash) {
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int iter = 0; iter < 2000; iter++) {
    Record r = test::MakeRecord(iter, rng() % 64, 1 + rng() % 8);
    r.first_seq = 10 + rng() % 1000;
    std::string enc;
    EncodeRecord(r, &enc);
    const int flips = 1 + rng() % 4;
    for (int f = 0; f < flips; f++) enc[rng() % enc.size()] ^= static_cast<char>(1 + rng() % 255);
    Record d;
    Status s = DecodeRecord(enc, &d);
    if (s.ok()) {
      // Whatever decodes must be self-consistent.
      EXPECT_TRUE(
          ForEachOp(d.ops, d.op_count, [](OpKind, std::string_view, std::string_view) {}).ok());
    } else {
      EXPECT_TRUE(s.IsCorruption());
    }
  }
}

}  // namespace
}  // namespace strata::wal
