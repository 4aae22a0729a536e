// TableSet, the level iterator and the merged read path: point reads and merged iterators over
// L0 files and non-overlapping files at L1 and L2, at several snapshots, compared with a model;
// random walks in both directions over an active memtable, an immutable memtable, L0 and L1;
// and the active memtable gaining newer entries (a concurrent writer) between and during
// iterator moves.
#include "engine/table_set.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/db_iter.h"
#include "engine/file_names.h"
#include "engine/flush.h"
#include "engine/internal_iterator.h"
#include "engine/merging_iterator.h"
#include "engine/version_set.h"
#include "memtable/internal_key.h"
#include "memtable/memtable.h"
#include "sstable/file.h"
#include "tests/engine/engine_test_util.h"
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

memtable::EntryKind KindOf(const Entry& e) {
  return e.value ? memtable::EntryKind::kPut : memtable::EntryKind::kDelete;
}

std::string InternalKey(int key, uint64_t seq) {
  std::string out;
  memtable::AppendInternalKey(&out, Key(key), seq, memtable::kKindForSeek);
  return out;
}

// A memtable's iterator that runs `on_seek` right after every Seek: it stands for a writer
// inserting into the memtable between the steps a merging iterator takes within one move,
// deterministically.
class SeekHookIterator final : public InternalIterator {
 public:
  SeekHookIterator(std::unique_ptr<InternalIterator> base, std::function<void()> on_seek)
      : base_(std::move(base)), on_seek_(std::move(on_seek)) {}

  bool Valid() const override { return base_->Valid(); }
  void SeekToFirst() override { base_->SeekToFirst(); }
  void SeekToLast() override { base_->SeekToLast(); }
  void Seek(std::string_view target) override {
    base_->Seek(target);
    on_seek_();
  }
  void Next() override { base_->Next(); }
  void Prev() override { base_->Prev(); }
  std::string_view key() const override { return base_->key(); }
  std::string_view value() const override { return base_->value(); }
  Status status() const override { return base_->status(); }

 private:
  const std::unique_ptr<InternalIterator> base_;
  const std::function<void()> on_seek_;
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
    for (const Entry& e : entries) AddToMemTable(&mem, e);
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

  // Adds `e` to `mem` and records it in the model.
  void AddToMemTable(memtable::MemTable* mem, const Entry& e) {
    mem->Add(e.seq, KindOf(e), Key(e.key), e.value.value_or(""));
    history_[Key(e.key)][e.seq] = e.value;
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

  // The merged internal iterator over active_ (through `on_seek` when given), immutable_ and the
  // tables, newest first as VisibleMemTable orders them.
  std::unique_ptr<InternalIterator> NewMerged(std::function<void()> on_seek = nullptr) const {
    std::vector<std::unique_ptr<InternalIterator>> children;
    children.push_back(NewMemTableIterator(active_));
    if (on_seek) {
      children.back() = std::make_unique<SeekHookIterator>(std::move(children.back()), on_seek);
    }
    children.push_back(NewMemTableIterator(immutable_));
    std::shared_ptr<const Version> version = versions_->current();
    tables_->AddIterators(version, &children);
    return NewMergingIterator(std::move(children), version);
  }

  std::unique_ptr<Iterator> NewIter(uint64_t seq, std::function<void()> on_seek = nullptr) const {
    return NewDbIterator(NewMerged(std::move(on_seek)), seq);
  }

  strata::test::TempDir tmp_;
  std::unique_ptr<VersionSet> versions_;
  std::unique_ptr<TableSet> tables_;
  std::map<std::string, std::map<uint64_t, std::optional<std::string>>> history_;
  // Newer than the tables when a test fills them (empty ones change nothing).
  std::shared_ptr<memtable::MemTable> immutable_ = std::make_shared<memtable::MemTable>();
  std::shared_ptr<memtable::MemTable> active_ = std::make_shared<memtable::MemTable>();
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

// Mixed-direction walks over L1, L0, an immutable and an active memtable with overlapping keys,
// many versions and tombstones, at snapshots between and within the layers; then again while
// the active memtable gains versions newer than every snapshot (new keys, overwrites, deletes)
// both between iterator steps and in the middle of them.
TEST_F(TableSetTest, MixedDirectionWalksOverMemTablesAndLevelsMatchModel) {
  constexpr int kKeys = 60;
  std::mt19937_64 rng(strata::test::TestSeed());
  uint64_t seq = 1;
  // Versions of random keys with increasing sequences, one in five a tombstone, some keys
  // written several times.
  auto random_entries = [&](int count, int lo, int hi) {
    std::map<int, std::vector<Entry>> by_key;
    for (int i = 0; i < count; i++) {
      const int k = lo + static_cast<int>(rng() % (hi - lo));
      std::optional<std::string> value;
      if (rng() % 5 != 0) value = "v" + std::to_string(seq);
      by_key[k].push_back({k, seq++, value});
    }
    std::vector<Entry> out;
    for (auto& [k, versions] : by_key) out.insert(out.end(), versions.begin(), versions.end());
    return out;
  };
  AddTable(1, random_entries(40, 0, kKeys / 2));  // two non-overlapping L1 files
  AddTable(1, random_entries(40, kKeys / 2, kKeys));
  std::vector<uint64_t> snapshots = {seq - 1};
  AddTable(0, random_entries(40, 0, kKeys));  // overlapping L0 files
  AddTable(0, random_entries(40, kKeys / 4, kKeys));
  snapshots.push_back(seq - 1);
  for (const Entry& e : random_entries(60, 0, kKeys)) AddToMemTable(immutable_.get(), e);
  snapshots.push_back(seq - 20);
  snapshots.push_back(seq - 1);
  for (const Entry& e : random_entries(60, 0, kKeys)) AddToMemTable(active_.get(), e);
  snapshots.push_back(seq - 30);
  snapshots.push_back(seq - 1);
  ASSERT_EQ(versions_->current()->NumFiles(0), 2u);
  ASSERT_EQ(versions_->current()->NumFiles(1), 2u);

  // A writer's next versions, all newer than every snapshot.
  auto write_newer = [&](int count) {
    for (const Entry& e : random_entries(count, 0, kKeys + 10)) {
      AddToMemTable(active_.get(), e);
    }
  };
  for (int round = 0; round < 3; round++) {
    const bool concurrent = round > 0;
    for (uint64_t snapshot : snapshots) {
      SCOPED_TRACE("round " + std::to_string(round) + " snapshot " + std::to_string(snapshot));
      const Model expected = Expected(snapshot);
      ASSERT_FALSE(expected.empty());
      std::function<void()> on_seek;
      if (concurrent) on_seek = [&] { write_newer(static_cast<int>(rng() % 4)); };
      auto iter = NewIter(snapshot, on_seek);
      Model backward;
      std::string last;
      for (iter->SeekToLast(); iter->Valid(); iter->Prev()) {
        if (concurrent) write_newer(2);
        ASSERT_TRUE(last.empty() || iter->key() < last) << iter->key() << " after " << last;
        last = std::string(iter->key());
        backward[last] = std::string(iter->value());
      }
      ASSERT_EQ(backward, expected);
      test::RandomWalk(
          iter.get(), expected, rng, 300,
          [&] { return Key(static_cast<int>(rng() % (kKeys + 12))) + (rng() % 2 ? "" : "+"); },
          [&] {
            if (concurrent) write_newer(static_cast<int>(rng() % 3));
          });
    }
  }
}

// The merging iterator's direction change (Seek to key(), then Prev or SeekToLast per child)
// must leave every child before key() even when the active memtable gains entries in between:
// here after its Seek found a later entry, and after its Seek found nothing.
TEST_F(TableSetTest, PrevStaysBeforeKeyWhenTheMemTableGrowsDuringTheMove) {
  for (int k = 0; k < 20; k++) AddToMemTable(immutable_.get(), {k, 1u + k, "old"});
  // The writer is partway through rewriting every key (and a write of key18 came before).
  for (int k = 0; k < 10; k++) AddToMemTable(active_.get(), {k, 100u + k, "new"});
  AddToMemTable(active_.get(), {18, 200, "new"});
  std::function<void()> writer;  // runs once, after the next Seek of the active memtable
  auto merged = NewMerged([&] {
    if (writer) std::exchange(writer, nullptr)();
  });

  // The active memtable's Seek to (key15, 16) lands on key18; then key15..key17 are written,
  // key16 and key17 between (key15, 16) and key18.
  merged->Seek(InternalKey(15, memtable::kMaxSequenceNumber));
  ASSERT_TRUE(merged->Valid());
  ASSERT_EQ(merged->key(), InternalKey(15, 16));
  writer = [&] {
    for (int k = 15; k < 18; k++) AddToMemTable(active_.get(), {k, 95u + k, "new"});
  };
  merged->Prev();
  EXPECT_EQ(writer, nullptr);
  ASSERT_TRUE(merged->Valid());
  EXPECT_EQ(merged->key(), InternalKey(15, 110));

  // Nothing in the active memtable is >= (key19, 20) when it seeks; then key19 and two new
  // keys after it are written.
  merged->Seek(InternalKey(19, memtable::kMaxSequenceNumber));
  ASSERT_TRUE(merged->Valid());
  ASSERT_EQ(merged->key(), InternalKey(19, 20));
  writer = [&] {
    for (int k = 19; k < 22; k++) AddToMemTable(active_.get(), {k, 94u + k, "new"});
  };
  merged->Prev();
  EXPECT_EQ(writer, nullptr);
  ASSERT_TRUE(merged->Valid());
  EXPECT_EQ(merged->key(), InternalKey(19, 113));
}

}  // namespace
}  // namespace strata::engine
