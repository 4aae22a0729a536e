#include "sstable/table_cache.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/temp_dir.h"

namespace strata::sstable {
namespace {

void WriteTable(const std::string& path, const test::Model& model) {
  auto file = NewPosixWritableFile(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  TableBuilder builder({}, file->get());
  for (const auto& [k, v] : model) ASSERT_TRUE(builder.Add(k, v).ok());
  ASSERT_TRUE(builder.Finish().ok());
}

TEST(TableCacheTest, FileNames) {
  EXPECT_EQ(TableFileName("/d", 7), "/d/000007.sst");
  EXPECT_EQ(TableFileName("/d", 12345678), "/d/12345678.sst");
}

TEST(TableCacheTest, OpensFromDiskAndBoundsOpenTables) {
  strata::test::TempDir dir;
  for (uint64_t n = 1; n <= 5; n++) {
    WriteTable(TableFileName(dir.path(), n), {{"key", "value" + std::to_string(n)}});
  }
  TableCache cache(dir.path(), TableOptions{}, /*max_open_tables=*/3);
  std::shared_ptr<const TableReader> first;
  for (uint64_t n = 1; n <= 5; n++) {
    auto table = cache.Find(n);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    if (n == 1) first = *table;
    GetResult r;
    ASSERT_TRUE((*table)->Get({}, "key", &r).ok());
    EXPECT_EQ(r.value, "value" + std::to_string(n));
    EXPECT_LE(cache.size(), 3u);
  }
  // Table 1 was evicted from the cache but the handed-out reader still works.
  GetResult r;
  ASSERT_TRUE(first->Get({}, "key", &r).ok());
  EXPECT_EQ(r.value, "value1");
  auto again = cache.Find(1);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->get(), first.get());  // reopened
  // A hit returns the same reader.
  auto hit = cache.Find(1);
  EXPECT_EQ(hit->get(), again->get());

  cache.Evict(1);
  auto reopened = cache.Find(1);
  EXPECT_NE(reopened->get(), again->get());

  auto missing = cache.Find(99);
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsIOError()) << missing.status().ToString();
}

TEST(TableCacheTest, IteratorKeepsReaderAlive) {
  strata::test::TempDir dir;
  test::Model model;
  for (int i = 0; i < 100; i++) model["k" + std::to_string(100 + i)] = "v";
  WriteTable(TableFileName(dir.path(), 1), model);
  TableCache cache(dir.path(), TableOptions{}, 1);
  auto it = cache.NewIterator(1);
  ASSERT_TRUE(it.ok());
  WriteTable(TableFileName(dir.path(), 2), {{"x", "y"}});
  ASSERT_TRUE(cache.Find(2).ok());  // evicts table 1 from the cache
  cache.Evict(1);
  size_t n = 0;
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) n++;
  EXPECT_EQ(n, model.size());
}

TEST(TableCacheTest, OpenerAndConcurrentFinds) {
  std::atomic<int> opens{0};
  const std::string contents = test::BuildTable({}, {{"a", "1"}, {"b", "2"}});
  TableCache cache(
      [&](uint64_t number, uint64_t) -> Result<std::shared_ptr<const TableReader>> {
        opens++;
        ASSIGN_OR_RETURN(std::unique_ptr<TableReader> t, test::OpenTable({}, contents, number));
        return std::shared_ptr<const TableReader>(std::move(t));
      },
      16);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; i++) {
        uint64_t number = (i * 7 + t) % 24;  // more files than the cache holds
        auto table = cache.Find(number);
        GetResult r;
        if (!table.ok() || (*table)->file_number() != number || !(*table)->Get({}, "b", &r).ok() ||
            r.value != "2") {
          errors++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_LE(cache.size(), 16u);
  EXPECT_GT(opens.load(), 24);  // evictions forced reopens
}

}  // namespace
}  // namespace strata::sstable
