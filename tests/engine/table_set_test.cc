// TableSet and the level iterator: point reads and merged iterators over L0 files and
// non-overlapping files at L1 and L2, at several snapshots, compared with a model.
#include "engine/table_set.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/db_iter.h"
#include "engine/file_names.h"
#include "engine/flush.h"
#include "engine/merging_iterator.h"
#include "engine/version_set.h"
#include "memtable/memtable.h"
#include "sstable/file.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_seed.h"

namespace strata::engine {
namespace {

using Model = std::map<std::string, std::string>;

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "k%04d", i);
  return buf;
}

// One version of a key: its sequence number, and its value (nullopt: a tombstone).
struct Entry {
  int key;
  uint64_t seq;
  std::optional<std::string> value;
};

class TableSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    VersionSetOptions options;
    options.dir = tmp_.path();
    versions_ = std::make_unique<VersionSet>(options);
    ASSERT_TRUE(versions_->Recover().ok());
    VersionEdit first;
    ASSERT_TRUE(versions_->LogAndApply(&first).ok());
    tables_ = std::make_unique<TableSet>(tmp_.path(), 1 << 20, 100);
  }

  // Writes `entries` as one table at `level` and records every version in the model.
  void AddTable(int level, const std::vector<Entry>& entries) {
    memtable::MemTable mem;
    for (const Entry& e : entries) {
      mem.Add(e.seq, e.value ? memtable::EntryKind::kPut : memtable::EntryKind::kDelete, Key(e.key),
              e.value.value_or(""));
      history_[Key(e.key)][e.seq] = e.value;
    }
    const uint64_t number = versions_->NewFileNumber();
    auto file = sstable::NewPosixWritableFile(TableFileName(tmp_.path(), number));
    ASSERT_TRUE(file.ok());
    FileMetaData meta;
    meta.number = number;
    ASSERT_TRUE(BuildTable(tables_->table_options(), mem, file->get(), &meta).ok());
    VersionEdit edit;
    edit.AddFile(level, meta);
    ASSERT_TRUE(versions_->LogAndApply(&edit).ok()) << versions_->current()->DebugString();
  }

  // The live keys at `seq` according to the recorded versions.
  Model Expected(uint64_t seq) const {
    Model out;
    for (const auto& [key, versions] : history_) {
      auto it = versions.upper_bound(seq);
      if (it == versions.begin()) continue;
      --it;
      if (it->second) out[key] = *it->second;
    }
    return out;
  }

  std::unique_ptr<Iterator> NewIter(uint64_t seq) const {
    std::vector<std::unique_ptr<InternalIterator>> children;
    std::shared_ptr<const Version> version = versions_->current();
    tables_->AddIterators(version, &children);
    return NewDbIterator(NewMergingIterator(std::move(children), version), seq);
  }

  strata::test::TempDir tmp_;
  std::unique_ptr<VersionSet> versions_;
  std::unique_ptr<TableSet> tables_;
  std::map<std::string, std::map<uint64_t, std::optional<std::string>>> history_;
};

TEST_F(TableSetTest, ReadsAcrossLevelsAtSnapshots) {
  // L2: keys 0..199 at sequences 100..299, in 4 files of 50 keys.
  for (int f = 0; f < 4; f++) {
    std::vector<Entry> entries;
    for (int k = f * 50; k < f * 50 + 50; k++) entries.push_back({k, 100u + k, "l2-" + Key(k)});
    AddTable(2, entries);
  }
  // L1: every third key rewritten, every seventh deleted, at sequences 1000.., in 5 files whose
  // ranges leave gaps between them.
  uint64_t seq = 1000;
  for (int f = 0; f < 5; f++) {
    std::vector<Entry> entries;
    for (int k = f * 40; k < f * 40 + 30; k++) {
      if (k % 7 == 0) {
        entries.push_back({k, seq++, std::nullopt});
      } else if (k % 3 == 0) {
        entries.push_back({k, seq++, "l1-" + Key(k)});
      }
    }
    AddTable(1, entries);
  }
  const uint64_t after_l1 = seq - 1;
  // Two overlapping L0 files, the newer one last: new keys beyond 200, overwrites, deletes, and
  // several versions of one key within a file.
  AddTable(0, {{5, 2000, "l0a-5"},
               {7, 2001, "back-7"},
               {150, 2002, std::nullopt},
               {250, 2003, "l0a-250"},
               {10, 2004, "l0a-10-old"},
               {10, 2005, "l0a-10"}});
  AddTable(0, {{5, 3000, std::nullopt},
               {100, 3001, "l0b-100"},
               {260, 3002, "l0b-260"},
               {10, 3003, "l0b-10"}});
  ASSERT_EQ(versions_->current()->NumFiles(0), 2u);
  ASSERT_EQ(versions_->current()->NumFiles(1), 5u);
  ASSERT_EQ(versions_->current()->NumFiles(2), 4u);

  std::mt19937_64 rng(strata::test::TestSeed());
  for (uint64_t snapshot : {uint64_t{50}, uint64_t{150}, uint64_t{299}, after_l1, uint64_t{2003},
                            uint64_t{2004}, uint64_t{3002}, uint64_t{10000}}) {
    SCOPED_TRACE("snapshot " + std::to_string(snapshot));
    const Model expected = Expected(snapshot);
    for (int k = 0; k < 270; k++) {
      std::string value;
      auto r = tables_->Get(*versions_->current(), Key(k), snapshot, &value);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      auto it = expected.find(Key(k));
      if (it == expected.end()) {
        ASSERT_NE(*r, TableSet::GetResult::kFound) << Key(k);
      } else {
        ASSERT_EQ(*r, TableSet::GetResult::kFound) << Key(k);
        ASSERT_EQ(value, it->second);
      }
    }
    Model forward;
    auto iter = NewIter(snapshot);
    for (iter->SeekToFirst(); iter->Valid(); iter->Next())
      forward[std::string(iter->key())] = std::string(iter->value());
    ASSERT_TRUE(iter->status().ok());
    EXPECT_EQ(forward, expected);
    Model backward;
    for (iter->SeekToLast(); iter->Valid(); iter->Prev())
      backward[std::string(iter->key())] = std::string(iter->value());
    EXPECT_EQ(backward, expected);
    // Seeks land on the first live key >= target, then walk both ways.
    for (int i = 0; i < 100; i++) {
      const std::string target = Key(static_cast<int>(rng() % 280));
      iter->Seek(target);
      auto it = expected.lower_bound(target);
      ASSERT_EQ(iter->Valid(), it != expected.end()) << target;
      if (!iter->Valid()) continue;
      ASSERT_EQ(iter->key(), it->first);
      iter->Prev();
      if (it == expected.begin()) {
        ASSERT_FALSE(iter->Valid());
      } else {
        ASSERT_TRUE(iter->Valid());
        ASSERT_EQ(iter->key(), std::prev(it)->first);
        iter->Next();
        ASSERT_EQ(iter->key(), it->first);
      }
    }
  }
}

TEST_F(TableSetTest, MissingTableIsAnError) {
  AddTable(1, {{1, 10, "a"}, {2, 11, "b"}});
  const FileRef file = versions_->current()->files(1)[0];
  ASSERT_EQ(::unlink(TableFileName(tmp_.path(), file->number).c_str()), 0);
  std::string value;
  auto r = tables_->Get(*versions_->current(), Key(1), 100, &value);
  EXPECT_FALSE(r.ok());
  auto iter = NewIter(100);
  iter->SeekToFirst();
  EXPECT_FALSE(iter->Valid());
  EXPECT_FALSE(iter->status().ok());
}

}  // namespace
}  // namespace strata::engine
