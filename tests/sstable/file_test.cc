// POSIX files and failure handling through the fault-injecting file layer.

#include "sstable/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/sstable/sstable_test_util.h"
#include "tests/testutil/fault_injection_file.h"
#include "tests/testutil/temp_dir.h"

namespace strata::sstable {
namespace {

// True when some descriptor of this process has `path` open with FD_CLOEXEC.
bool OpenWithCloexec(const std::string& path) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || target != path) continue;
    int fd = std::stoi(entry.path().filename());
    return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
  }
  return false;
}

TEST(FileTest, PosixWriteThenRead) {
  strata::test::TempDir dir;
  const std::string path = dir.path() + "/f";
  auto w = NewPosixWritableFile(path);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(OpenWithCloexec(path));
  std::string expected;
  for (int i = 0; i < 1000; i++) {
    std::string piece(i * 37 % 200, static_cast<char>('a' + i % 26));
    ASSERT_TRUE((*w)->Append(piece).ok());
    expected += piece;
  }
  std::string big(200000, 'B');  // larger than the write buffer
  ASSERT_TRUE((*w)->Append(big).ok());
  expected += big;
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_FALSE((*w)->Append("x").ok());

  auto r = NewPosixRandomAccessFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(OpenWithCloexec(path));
  EXPECT_EQ(*(*r)->Size(), expected.size());
  std::string scratch(100, '\0');
  std::string_view got;
  ASSERT_TRUE((*r)->Read(5000, 100, scratch.data(), &got).ok());
  EXPECT_EQ(got, expected.substr(5000, 100));
  ASSERT_TRUE((*r)->Read(expected.size() - 10, 100, scratch.data(), &got).ok());
  EXPECT_EQ(got, expected.substr(expected.size() - 10));  // short at end of file

  EXPECT_TRUE(NewPosixRandomAccessFile(dir.path() + "/missing").status().IsIOError());
}

TEST(FileTest, BuilderWritesSyncsAndClosesARealFile) {
  strata::test::TempDir dir;
  const std::string path = dir.path() + "/000001.sst";
  auto posix = NewPosixWritableFile(path);
  ASSERT_TRUE(posix.ok());
  testutil::FaultInjectionWritableFile file(std::move(posix).value());
  TableBuilder builder({}, &file);
  test::Model model;
  for (int i = 0; i < 10000; i++)
    model["key" + std::to_string(100000 + i)] = "v" + std::to_string(i);
  for (const auto& [k, v] : model) ASSERT_TRUE(builder.Add(k, v).ok());
  ASSERT_TRUE(builder.Finish().ok());
  EXPECT_EQ(file.syncs(), 1);
  EXPECT_EQ(file.synced_bytes(), builder.FileSize());
  EXPECT_EQ(std::filesystem::file_size(path), builder.FileSize());

  auto table = TableReader::OpenFile({}, path, 1);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  GetResult r;
  ASSERT_TRUE((*table)->Get({}, "key105000", &r).ok());
  EXPECT_EQ(r.value, "v5000");
}

TEST(FileTest, AppendFailureIsLatched) {
  for (int err : {EIO, ENOSPC}) {
    std::string contents;
    auto file = std::make_unique<testutil::FaultInjectionWritableFile>(
        std::make_unique<StringWritableFile>(&contents));
    file->FailAppendAfter(5000, err);
    TableOptions options;
    options.block_size = 1024;
    TableBuilder builder(options, file.get());
    Status s;
    int i = 0;
    for (; i < 10000 && s.ok(); i++) s = builder.Add("key" + std::to_string(100000 + i), "value");
    ASSERT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_NE(s.message().find(std::strerror(err)), std::string_view::npos) << s.ToString();
    EXPECT_TRUE(builder.Add("zzz", "v").IsIOError());
    EXPECT_TRUE(builder.Finish().IsIOError());
    EXPECT_EQ(file->syncs(), 0);
    // What reached the file is not a valid table.
    EXPECT_FALSE(test::OpenTable(options, contents).ok());
  }
}

TEST(FileTest, SyncFailureFailsFinish) {
  std::string contents;
  testutil::FaultInjectionWritableFile file(std::make_unique<StringWritableFile>(&contents));
  file.FailNextSync(EIO);
  TableBuilder builder({}, &file);
  ASSERT_TRUE(builder.Add("a", "1").ok());
  Status s = builder.Finish();
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(file.synced_bytes(), 0u);
  EXPECT_TRUE(builder.status().IsIOError());
  // Never retried: the file stays failed.
  EXPECT_TRUE(file.Sync().IsIOError());
}

TEST(FileTest, ReadErrorsReachTheCaller) {
  TableOptions options;
  options.block_size = 256;
  test::Model model;
  for (int i = 0; i < 500; i++) model["key" + std::to_string(1000 + i)] = std::string(20, 'v');
  std::string contents = test::BuildTable(options, model);
  const uint64_t size = contents.size();

  // EIO in the data area: open works (meta blocks are at the end), reads of the block holding
  // that byte fail with IOError.
  auto faulty = std::make_unique<testutil::FaultInjectionRandomAccessFile>(
      std::make_unique<StringRandomAccessFile>(contents, "faulty.sst"));
  faulty->FailReadsIn(size / 4, size / 4 + 1);
  auto table = TableReader::Open(options, std::move(faulty), size, 1);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  int io_errors = 0;
  for (const auto& [k, v] : model) {
    GetResult r;
    Status s = (*table)->Get({}, k, &r);
    if (s.ok()) {
      EXPECT_EQ(r.value, v);
    } else {
      EXPECT_TRUE(s.IsIOError()) << s.ToString();
      EXPECT_NE(s.message().find("faulty.sst"), std::string_view::npos);
      io_errors++;
    }
  }
  EXPECT_GT(io_errors, 0);
  EXPECT_LT(io_errors, 100);  // one block's worth
  auto it = (*table)->NewIterator();
  size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, model.size());
  EXPECT_TRUE(it->status().IsIOError());

  // A short read (file shorter than claimed) is corruption.
  auto shorter = std::make_unique<testutil::FaultInjectionRandomAccessFile>(
      std::make_unique<StringRandomAccessFile>(contents, "short.sst"));
  shorter->TruncateReadsAt(size / 2);
  auto t2 = TableReader::Open(options, std::move(shorter), size, 1);
  EXPECT_TRUE(t2.status().IsCorruption()) << t2.status().ToString();
}

}  // namespace
}  // namespace strata::sstable
