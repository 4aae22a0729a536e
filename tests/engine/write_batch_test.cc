#include "engine/write_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/coding.h"

namespace strata::engine {
namespace {

class Recorder final : public WriteBatch::Handler {
 public:
  void Put(std::string_view key, std::string_view value) override {
    ops.push_back("put(" + std::string(key) + "," + std::string(value) + ")");
  }
  void Delete(std::string_view key) override { ops.push_back("del(" + std::string(key) + ")"); }
  std::vector<std::string> ops;
};

TEST(WriteBatchTest, EmptyBatch) {
  WriteBatch batch;
  EXPECT_EQ(batch.Count(), 0u);
  EXPECT_EQ(batch.ApproximateSize(), 0u);
  Recorder r;
  ASSERT_TRUE(batch.Iterate(&r).ok());
  EXPECT_TRUE(r.ops.empty());
}

TEST(WriteBatchTest, OpsReplayInOrder) {
  WriteBatch batch;
  batch.Put("a", "1");
  batch.Delete("b");
  batch.Put("", "");
  batch.Put(std::string("k\0z", 3), std::string(200, 'v'));
  EXPECT_EQ(batch.Count(), 4u);
  Recorder r;
  ASSERT_TRUE(batch.Iterate(&r).ok());
  ASSERT_EQ(r.ops.size(), 4u);
  EXPECT_EQ(r.ops[0], "put(a,1)");
  EXPECT_EQ(r.ops[1], "del(b)");
  EXPECT_EQ(r.ops[2], "put(,)");
  EXPECT_EQ(r.ops[3], "put(" + std::string("k\0z", 3) + "," + std::string(200, 'v') + ")");

  batch.Clear();
  EXPECT_EQ(batch.Count(), 0u);
  EXPECT_TRUE(batch.rep().empty());
  batch.Delete("x");
  Recorder r2;
  ASSERT_TRUE(batch.Iterate(&r2).ok());
  ASSERT_EQ(r2.ops.size(), 1u);
  EXPECT_EQ(r2.ops[0], "del(x)");
}

// The rep is also the WAL's op section: pin the documented byte layout.
TEST(WriteBatchTest, RepMatchesDocumentedFormat) {
  WriteBatch batch;
  batch.Put("key", "value");
  batch.Delete("gone");
  std::string expected;
  expected.push_back(1);  // kPut
  PutLengthPrefixed(&expected, "key");
  PutLengthPrefixed(&expected, "value");
  expected.push_back(0);  // kDelete
  PutLengthPrefixed(&expected, "gone");
  EXPECT_EQ(batch.rep(), expected);
  EXPECT_EQ(batch.ApproximateSize(), expected.size());
}

}  // namespace
}  // namespace strata::engine
