// BatchWriteItem and BatchGetItem through TableService on a real memory-mode engine::Db.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "item/api_error.h"
#include "item/number.h"
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

WriteRequestInput PutReq(Item item) {
  WriteRequestInput r;
  r.has_put = true;
  r.put_item = std::move(item);
  return r;
}
WriteRequestInput DelReq(Item key) {
  WriteRequestInput r;
  r.has_delete = true;
  r.delete_key = std::move(key);
  return r;
}
TableWriteRequestsInput Writes(const std::string& table, std::vector<WriteRequestInput> reqs) {
  TableWriteRequestsInput t;
  t.table_name = table;
  t.requests = std::move(reqs);
  return t;
}
TableKeysInput Keys(const std::string& table, std::vector<Item> keys, bool consistent = false) {
  TableKeysInput t;
  t.table_name = table;
  t.keys.emplace();
  for (Item& k : keys) t.keys->push_back(KeyInput{std::move(k), Status::OK()});
  t.consistent_read = consistent;
  return t;
}

class BatchTest : public test::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ASSERT_TRUE(CreateTable("Users", {{"userId", "S", "HASH"}}).ok());
    ASSERT_TRUE(CreateTable("Nums", {{"n", "N", "HASH"}}).ok());
    ASSERT_TRUE(CreateTable("Range", {{"a", "S", "HASH"}, {"b", "N", "RANGE"}}).ok());
  }

  Result<BatchWriteItemOutput> Write(std::vector<TableWriteRequestsInput> tables,
                                     const char* capacity = nullptr) {
    BatchWriteItemInput in;
    in.request_items = std::move(tables);
    if (capacity) in.return_consumed_capacity = capacity;
    return service_->BatchWriteItem(kScope, in);
  }
  Result<BatchGetItemOutput> Read(std::vector<TableKeysInput> tables,
                                  const char* capacity = nullptr) {
    BatchGetItemInput in;
    in.request_items = std::move(tables);
    if (capacity) in.return_consumed_capacity = capacity;
    return service_->BatchGetItem(kScope, in);
  }
  std::optional<Item> Get(const std::string& table, Item key) {
    GetItemInput in;
    in.table_name = table;
    in.key = std::move(key);
    in.consistent_read = true;
    auto out = service_->GetItem(kScope, in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->item : std::nullopt;
  }
  int64_t ItemCount(const std::string& table) {
    auto d = service_->DescribeTable(kScope, table);
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->item_count : -1;
  }
};

TEST_F(BatchTest, WritesAcrossTablesWithPerTableCapacity) {
  const Item big = MakeItem({{"userId", S("u1")}, {"pad", S(std::string(1500, 'x'))}});
  auto out = Write({Writes("Users", {PutReq(big), PutReq(MakeItem({{"userId", S("u2")}}))}),
                    Writes("Range", {PutReq(MakeItem({{"a", S("h")}, {"b", N("1")}}))})},
                   "TOTAL");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->capacity_detail, CapacityDetail::kTotal);
  ASSERT_EQ(out->consumed.size(), 2u);
  EXPECT_EQ(out->consumed[0].table_name, "Users");
  EXPECT_EQ(out->consumed[0].CapacityUnits(), 3.0);  // 2 (1.5 KB) + 1
  EXPECT_EQ(out->consumed[1].table_name, "Range");
  EXPECT_EQ(out->consumed[1].CapacityUnits(), 1.0);
  EXPECT_EQ(Get("Users", MakeItem({{"userId", S("u1")}})), big);
  EXPECT_TRUE(Get("Range", MakeItem({{"a", S("h")}, {"b", N("1.0")}})).has_value());
  EXPECT_EQ(ItemCount("Users"), 2);
  EXPECT_EQ(ItemCount("Range"), 1);

  // Overwrite the big item with a small one (charged by the larger, old size) and delete u2
  // and a missing item (the minimum).
  out = Write({Writes("Users", {PutReq(MakeItem({{"userId", S("u1")}})),
                                DelReq(MakeItem({{"userId", S("u2")}})),
                                DelReq(MakeItem({{"userId", S("missing")}}))})},
              "INDEXES");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->capacity_detail, CapacityDetail::kIndexes);
  ASSERT_EQ(out->consumed.size(), 1u);
  EXPECT_EQ(out->consumed[0].CapacityUnits(), 4.0);  // 2 + 1 + 1
  EXPECT_FALSE(Get("Users", MakeItem({{"userId", S("u2")}})).has_value());
  EXPECT_EQ(ItemCount("Users"), 1);

  out = Write({Writes("Users", {PutReq(MakeItem({{"userId", S("u3")}}))})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->capacity_detail, CapacityDetail::kNone);
  EXPECT_TRUE(out->consumed.empty());
}

TEST_F(BatchTest, WriteShapeValidation) {
  BatchWriteItemInput in;
  in.return_consumed_capacity = "hi";
  in.return_item_collection_metrics = "hi";
  ExpectError(service_->BatchWriteItem(kScope, in).status(), ApiError::kValidation,
              "3 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to "
              "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
              "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member "
              "must satisfy enum value set: [SIZE, NONE]; Value null at 'requestItems' failed to "
              "satisfy constraint: Member must not be null");
  ExpectError(Write({}).status(), ApiError::kValidation,
              "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");

  std::vector<WriteRequestInput> many;
  for (int i = 0; i < 26; ++i) many.push_back(PutReq(MakeItem({{"userId", S(std::to_string(i))}})));
  Status s = Write({Writes("Users", many)}).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  const std::string msg(s.message());
  EXPECT_EQ(msg.rfind("1 validation error detected: Value '{Users=[com.amazonaws.dynamodb."
                      "v20120810.WriteRequest@",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
                     "constraint: [Member must have length less than or equal to 25, Member "
                     "must have length greater than or equal to 1]"),
            std::string::npos)
      << msg;

  // The table-name key and a null Item / Key, with the request paths AWS uses.
  WriteRequestInput null_item;
  null_item.has_put = true;
  WriteRequestInput null_key;
  null_key.has_delete = true;
  s = Write({Writes("bad;name", {null_key, null_item})}).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  const std::string m2(s.message());
  EXPECT_EQ(m2.rfind("3 validation errors detected: Value '{bad;name=[", 0), 0u) << m2;
  EXPECT_NE(m2.find("at 'requestItems' failed to satisfy constraint: Map keys must satisfy "
                    "constraint: [Member must have length less than or equal to 255, Member "
                    "must have length greater than or equal to 3, Member must satisfy regular "
                    "expression pattern: [a-zA-Z0-9_.-]+]; Value null at "
                    "'requestItems.bad;name.member.1.member.deleteRequest.key' failed to "
                    "satisfy constraint: Member must not be null; Value null at "
                    "'requestItems.bad;name.member.2.member.putRequest.item' failed to satisfy "
                    "constraint: Member must not be null"),
            std::string::npos)
      << m2;

  // More than 25 requests in total across tables.
  std::vector<WriteRequestInput> thirteen(many.begin(), many.begin() + 13);
  std::vector<WriteRequestInput> nums;
  for (int i = 0; i < 13; ++i) nums.push_back(PutReq(MakeItem({{"n", N(std::to_string(i))}})));
  ExpectError(Write({Writes("Users", thirteen), Writes("Nums", nums)}).status(),
              ApiError::kValidation, "Too many items requested for the BatchWriteItem call");
  // Exactly 25 is fine.
  nums.pop_back();
  EXPECT_TRUE(Write({Writes("Users", thirteen), Writes("Nums", nums)}).ok());

  // A request with neither or both parts.
  ExpectError(Write({Writes("Users", {WriteRequestInput()})}).status(), ApiError::kValidation,
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
              "of the supported datatypes");
}

TEST_F(BatchTest, WriteValueAndKeyValidation) {
  // Values and sizes are checked before tables exist.
  WriteRequestInput bad_value;
  bad_value.has_put = true;
  bad_value.put_item_status = item::ValidationError(
      "One or more parameter values were invalid: "
      "An number set  may not be empty");
  ExpectError(Write({Writes("NoSuchTable", {bad_value})}).status(), ApiError::kValidation,
              "One or more parameter values were invalid: An number set  may not be empty");
  ExpectError(
      Write({Writes("NoSuchTable", {PutReq(MakeItem({{"userId", S("a")},
                                                     {"b", S(std::string(400 * 1024, 'x'))}}))})})
          .status(),
      ApiError::kValidation, "Item size has exceeded the maximum allowed size");
  ExpectError(Write({Writes("NoSuchTable", {PutReq(MakeItem({{"userId", S("a")}}))})}).status(),
              ApiError::kResourceNotFound, "Requested resource not found");
  // Table existence comes before duplicate detection.
  ExpectError(Write({Writes("NoSuchTable", {PutReq(MakeItem({{"userId", S("a")}})),
                                            DelReq(MakeItem({{"userId", S("a")}}))})})
                  .status(),
              ApiError::kResourceNotFound, "Requested resource not found");

  // A PutRequest's missing or mistyped key uses the Key wording.
  for (const Item& item : {MakeItem({{"other", S("a")}}), MakeItem({{"userId", N("1")}})}) {
    ExpectError(Write({Writes("Users", {PutReq(item)})}).status(), ApiError::kValidation,
                "The provided key element does not match the schema");
  }
  ExpectError(
      Write({Writes("Users", {DelReq(MakeItem({{"userId", S("a")}, {"x", S("b")}}))})}).status(),
      ApiError::kValidation, "The provided key element does not match the schema");
  ExpectError(Write({Writes("Users", {PutReq(MakeItem({{"userId", S("")}}))})}).status(),
              ApiError::kValidation,
              "One or more parameter values are not valid. The AttributeValue for a key "
              "attribute cannot contain an empty string value. Key: userId");
}

TEST_F(BatchTest, DuplicatesAreCanonical) {
  const std::string dup = "Provided list of item keys contains duplicates";
  ExpectError(Write({Writes("Users", {PutReq(MakeItem({{"userId", S("a")}, {"x", S("1")}})),
                                      DelReq(MakeItem({{"userId", S("a")}}))})})
                  .status(),
              ApiError::kValidation, dup);
  ExpectError(Write({Writes("Nums", {PutReq(MakeItem({{"n", N("1e3")}})),
                                     PutReq(MakeItem({{"n", N("1000")}}))})})
                  .status(),
              ApiError::kValidation, dup);
  ExpectError(Write({Writes("Range", {DelReq(MakeItem({{"a", S("h")}, {"b", N("1.50")}})),
                                      DelReq(MakeItem({{"a", S("h")}, {"b", N("15e-1")}}))})})
                  .status(),
              ApiError::kValidation, dup);
  // The same key in two tables is no duplicate.
  EXPECT_TRUE(Write({Writes("Users", {PutReq(MakeItem({{"userId", S("k")}}))}),
                     Writes("Nums", {PutReq(MakeItem({{"n", N("1")}}))})})
                  .ok());
  EXPECT_EQ(ItemCount("Nums"), 1);
}

TEST_F(BatchTest, OneInvalidRequestWritesNothing) {
  ASSERT_TRUE(Write({Writes("Users", {PutReq(MakeItem({{"userId", S("keep")}}))})}).ok());
  // The bad request is in the last table: nothing of the first table is written.
  Status s = Write({Writes("Users", {PutReq(MakeItem({{"userId", S("new1")}})),
                                     DelReq(MakeItem({{"userId", S("keep")}}))}),
                    Writes("Nums", {PutReq(MakeItem({{"n", S("not a number")}}))})})
                 .status();
  ExpectError(s, ApiError::kValidation, "The provided key element does not match the schema");
  s = Write({Writes("Users", {PutReq(MakeItem({{"userId", S("new1")}}))}),
             Writes("Missing", {PutReq(MakeItem({{"userId", S("x")}}))})})
          .status();
  ExpectError(s, ApiError::kResourceNotFound, "Requested resource not found");
  EXPECT_FALSE(Get("Users", MakeItem({{"userId", S("new1")}})).has_value());
  EXPECT_TRUE(Get("Users", MakeItem({{"userId", S("keep")}})).has_value());
  EXPECT_EQ(ItemCount("Users"), 1);
  EXPECT_EQ(ItemCount("Nums"), 0);
}

TEST_F(BatchTest, GetReturnsFoundItemsAndPerItemCapacity) {
  const Item a = MakeItem({{"userId", S("a")}, {"pad", S(std::string(1000, 'x'))}});
  const Item b = MakeItem({{"userId", S("b")}, {"pad", S(std::string(5000, 'y'))}});
  ASSERT_TRUE(Write({Writes("Users", {PutReq(a), PutReq(b)}),
                     Writes("Nums", {PutReq(MakeItem({{"n", N("1000")}, {"v", S("x")}}))})})
                  .ok());
  auto out = Read({Keys("Users",
                        {MakeItem({{"userId", S("b")}}), MakeItem({{"userId", S("zz")}}),
                         MakeItem({{"userId", S("a")}})},
                        /*consistent=*/true),
                   Keys("Nums", {MakeItem({{"n", N("1e3")}}), MakeItem({{"n", N("2")}})}),
                   Keys("Range", {MakeItem({{"a", S("x")}, {"b", N("1")}})})},
                  "TOTAL");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->responses.size(), 3u);
  EXPECT_EQ(out->responses[0].table_name, "Users");
  ASSERT_EQ(out->responses[0].items.size(), 2u);
  EXPECT_EQ(out->responses[0].items[0], b);
  EXPECT_EQ(out->responses[0].items[1], a);
  ASSERT_EQ(out->responses[1].items.size(), 1u);
  EXPECT_EQ(*item::FindAttribute(out->responses[1].items[0], "n"), N("1000"));
  EXPECT_TRUE(out->responses[2].items.empty());  // still listed
  ASSERT_EQ(out->consumed.size(), 3u);
  // Strong: b = 2 units (5 KB), missing = 1, a = 1: each item rounded separately.
  EXPECT_EQ(out->consumed[0].table_name, "Users");
  EXPECT_EQ(out->consumed[0].CapacityUnits(), 4.0);
  // Eventual: 0.5 per 4 KB unit, missing items cost the minimum.
  EXPECT_EQ(out->consumed[1].CapacityUnits(), 1.0);
  EXPECT_EQ(out->consumed[2].CapacityUnits(), 0.5);

  out = Read({Keys("Users", {MakeItem({{"userId", S("a")}})})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->capacity_detail, CapacityDetail::kNone);
  EXPECT_TRUE(out->consumed.empty());
}

TEST_F(BatchTest, GetValidation) {
  BatchGetItemInput in;
  in.return_consumed_capacity = "hi";
  ExpectError(service_->BatchGetItem(kScope, in).status(), ApiError::kValidation,
              "2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to "
              "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
              "Value null at 'requestItems' failed to satisfy constraint: Member must not be "
              "null");
  ExpectError(Read({}).status(), ApiError::kValidation,
              "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");
  TableKeysInput no_keys;
  no_keys.table_name = "Users";
  ExpectError(Read({no_keys, Keys("Nums", {})}).status(), ApiError::kValidation,
              "2 validation errors detected: Value '[]' at 'requestItems.Nums.member.keys' "
              "failed to satisfy constraint: Member must have length greater than or equal to 1; "
              "Value null at 'requestItems.Users.member.keys' failed to satisfy constraint: "
              "Member must not be null");

  std::vector<Item> many;
  for (int i = 0; i < 101; ++i) many.push_back(MakeItem({{"userId", S(std::to_string(i))}}));
  Status s = Read({Keys("Users", many)}).status();
  const std::string msg(s.message());
  EXPECT_EQ(msg.rfind("1 validation error detected: Value '[{userId=com.amazonaws.dynamodb."
                      "v20120810.AttributeValue@",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("}]' at 'requestItems.Users.member.keys' failed to satisfy constraint: "
                     "Member must have length less than or equal to 100"),
            std::string::npos)
      << msg;

  // 100 + 1 across tables; checked before the tables are looked up.
  many.pop_back();
  ExpectError(
      Read({Keys("Users", many), Keys("NoSuchTable", {MakeItem({{"n", N("1")}})})}).status(),
      ApiError::kValidation, "Too many items requested for the BatchGetItem call");
  ExpectError(Read({Keys("NoSuchTable", many)}).status(), ApiError::kResourceNotFound,
              "Requested resource not found");

  // Duplicates are found as sent, with canonical numbers, before the table lookup.
  ExpectError(
      Read({Keys("NoSuchTable", {MakeItem({{"n", N("1e3")}}), MakeItem({{"n", N("1000")}})})})
          .status(),
      ApiError::kValidation, "Provided list of item keys contains duplicates");
  ExpectError(Read({Keys("Users", {MakeItem({{"userId", S("a")}, {"x", N("1")}})})}).status(),
              ApiError::kValidation, "The provided key element does not match the schema");

  TableKeysInput projected = Keys("Users", {MakeItem({{"userId", S("a")}})});
  projected.expressions.projection = "a, #b";
  ExpectError(Read({projected}).status(), ApiError::kValidation,
              "Invalid ProjectionExpression: An expression attribute name used in the document "
              "path is not defined; attribute name: #b");
  projected.attributes_to_get = std::vector<std::string>{"a"};
  ExpectError(Read({projected}).status(), ApiError::kValidation,
              "Can not use both expression and non-expression parameters in the same request: "
              "Non-expression parameters: {AttributesToGet} Expression parameters: "
              "{ProjectionExpression}");

  TableKeysInput bad_value = Keys("Users", {});
  bad_value.keys->push_back(KeyInput{Item(), item::ValidationError("Supplied AttributeValue is "
                                                                   "empty, must contain exactly "
                                                                   "one of the supported "
                                                                   "datatypes")});
  ExpectError(Read({bad_value}).status(), ApiError::kValidation,
              "Supplied AttributeValue is empty, must contain exactly one of the supported "
              "datatypes");
}

// Overlapping batches from many threads, each listing its keys in a different order: the item
// locks are taken in one global order, so nothing deadlocks and the statistics stay exact.
TEST_F(BatchTest, ConcurrentOverlappingBatches) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        std::vector<WriteRequestInput> reqs;
        for (int k = 0; k < 20; ++k) {
          int id = (t % 2 == 0) ? k : 19 - k;
          reqs.push_back(PutReq(
              MakeItem({{"userId", S("k" + std::to_string(id))}, {"by", S(std::to_string(t))}})));
        }
        if (!Write({Writes("Users", std::move(reqs))}).ok()) failures++;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ItemCount("Users"), 20);
}

}  // namespace
}  // namespace strata::tables
