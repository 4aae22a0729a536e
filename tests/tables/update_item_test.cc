// TableService conditional writes and UpdateItem: the read-modify-write under the item lock,
// conditions (expression and legacy), ReturnValues, projections and key protection.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "item/api_error.h"
#include "tables/table_service.h"
#include "tests/tables/tables_test_util.h"

namespace strata::tables {
namespace {

using item::ApiError;
using item::AttributeValue;
using item::Item;
using test::ExpectError;
using test::kScope;
using test::MakeItem;
using test::N;
using test::S;

class UpdateItemTest : public test::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ASSERT_TRUE(CreateTable("things", {{"pk", "S", "HASH"}}).ok());
  }

  UpdateItemInput Update(const std::string& pk, const std::string& expression, Item values = {}) {
    UpdateItemInput in;
    in.table_name = "things";
    in.key = MakeItem({{"pk", S(pk)}});
    in.expressions.update = expression;
    if (!values.empty()) {
      item::SortMap(&values);
      in.expressions.values = std::move(values);
    }
    return in;
  }

  std::optional<Item> Stored(const std::string& pk) {
    GetItemInput in;
    in.table_name = "things";
    in.key = MakeItem({{"pk", S(pk)}});
    auto out = service_->GetItem(kScope, in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->item : std::nullopt;
  }
};

TEST_F(UpdateItemTest, CreatesAbsentItemAndReturnsAllNew) {
  UpdateItemInput in = Update("a", "SET n = :one, s = :s", {{":one", N("1")}, {":s", S("x")}});
  in.return_values = "ALL_NEW";
  auto out = service_->UpdateItem(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Item expected = MakeItem({{"pk", S("a")}, {"n", N("1")}, {"s", S("x")}});
  EXPECT_EQ(out->item, expected);
  EXPECT_EQ(Stored("a"), expected);
}

TEST_F(UpdateItemTest, UpdatedOldAndNewReturnOnlyTheChangedPaths) {
  ASSERT_TRUE(
      service_
          ->UpdateItem(kScope,
                       Update("a", "SET m = :m, k = :k",
                              {{":m", AttributeValue(MakeItem({{"x", N("1")}, {"y", N("2")}}))},
                               {":k", S("keep")}}))
          .ok());
  UpdateItemInput in = Update("a", "SET m.x = :v", {{":v", N("5")}});
  in.return_values = "UPDATED_OLD";
  auto out = service_->UpdateItem(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->item, MakeItem({{"m", AttributeValue(MakeItem({{"x", N("1")}}))}}));
  in = Update("a", "SET m.x = m.x + :v", {{":v", N("5")}});
  in.return_values = "UPDATED_NEW";
  out = service_->UpdateItem(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->item, MakeItem({{"m", AttributeValue(MakeItem({{"x", N("10")}}))}}));
}

TEST_F(UpdateItemTest, KeyAttributesCannotBeUpdated) {
  ExpectError(service_->UpdateItem(kScope, Update("a", "SET pk = :v", {{":v", S("b")}})).status(),
              ApiError::kValidation,
              "One or more parameter values were invalid: Cannot update attribute pk. This "
              "attribute is part of the key");
  EXPECT_EQ(Stored("a"), std::nullopt);
}

TEST_F(UpdateItemTest, FailedConditionChangesNothingAndReturnsTheStoredItem) {
  ASSERT_TRUE(service_->UpdateItem(kScope, Update("a", "SET n = :v", {{":v", N("1")}})).ok());
  UpdateItemInput in = Update("a", "SET n = :v", {{":v", N("2")}, {":max", N("0")}});
  in.expressions.condition = "n < :max";
  in.condition.return_values_on_condition_check_failure = "ALL_OLD";
  std::optional<Item> failed;
  ExpectError(service_->UpdateItem(kScope, in, &failed).status(), ApiError::kConditionalCheckFailed,
              "The conditional request failed");
  const Item stored = MakeItem({{"n", N("1")}, {"pk", S("a")}});
  EXPECT_EQ(failed, stored);
  EXPECT_EQ(Stored("a"), stored);
}

TEST_F(UpdateItemTest, PutIfAbsentWithExpressionAndLegacyExpected) {
  PutItemInput put;
  put.table_name = "things";
  put.item = MakeItem({{"pk", S("a")}, {"v", N("1")}});
  put.expressions.condition = "attribute_not_exists(pk)";
  ASSERT_TRUE(service_->PutItem(kScope, put).ok());
  put.item = MakeItem({{"pk", S("a")}, {"v", N("2")}});
  ExpectError(service_->PutItem(kScope, put).status(), ApiError::kConditionalCheckFailed,
              "The conditional request failed");

  PutItemInput legacy;
  legacy.table_name = "things";
  legacy.item = MakeItem({{"pk", S("a")}, {"v", N("3")}});
  query::ExpectedAttributeInput expected;
  expected.name = "v";
  expected.value = N("1");
  legacy.condition.expected = std::vector<query::ExpectedAttributeInput>{expected};
  ASSERT_TRUE(service_->PutItem(kScope, legacy).ok());
  EXPECT_EQ(Stored("a"), MakeItem({{"pk", S("a")}, {"v", N("3")}}));
}

TEST_F(UpdateItemTest, DeleteWithConditionAndProjectionOnGet) {
  ASSERT_TRUE(
      service_
          ->UpdateItem(kScope, Update("a", "SET l = :l, m = :m",
                                      {{":l", AttributeValue(item::List{N("0"), N("1"), N("2")})},
                                       {":m", S("x")}}))
          .ok());
  GetItemInput get;
  get.table_name = "things";
  get.key = MakeItem({{"pk", S("a")}});
  get.expressions.projection = "l[2], #m";
  get.expressions.names = query::NameMap{{"#m", "m"}};
  auto out = service_->GetItem(kScope, get);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->item, MakeItem({{"l", AttributeValue(item::List{N("2")})}, {"m", S("x")}}));

  DeleteItemInput del;
  del.table_name = "things";
  del.key = MakeItem({{"pk", S("a")}});
  del.expressions.condition = "size(l) = :three";
  del.expressions.values = MakeItem({{":three", N("3")}});
  del.return_values = "ALL_OLD";
  auto deleted = service_->DeleteItem(kScope, del);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  ASSERT_TRUE(deleted->item.has_value());
  EXPECT_EQ(Stored("a"), std::nullopt);
}

// DESIGN 2.1: UpdateItem is a read-modify-write under the item lock, so concurrent ADDs on one
// counter never lose an increment.
TEST_F(UpdateItemTest, ConcurrentAddsLoseNothing) {
  constexpr int kThreads = 32;
  constexpr int kAddsPerThread = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kAddsPerThread; ++i) {
        if (!service_->UpdateItem(kScope, Update("counter", "ADD n :one", {{":one", N("1")}}))
                 .ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Stored("counter"),
            MakeItem({{"n", N(std::to_string(kThreads * kAddsPerThread))}, {"pk", S("counter")}}));
}

}  // namespace
}  // namespace strata::tables
