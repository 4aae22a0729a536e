// Query and Scan through TableService on a real memory-mode engine::Db: key-range planning,
// sort order, paging (Limit, 1 MB, ExclusiveStartKey), segments, filters and validation.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/db.h"
#include "item/api_error.h"
#include "item/item_size.h"
#include "item/key_codec.h"
#include "tables/key_conditions.h"
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

// ---- key-range planning --------------------------------------------------------------------

TableDef RangeDef(item::AttrType sk_type) {
  TableDef def;
  def.table_id = 7;
  def.name = "T";
  def.hash_key = {"pk", item::AttrType::kS};
  def.range_key = KeyAttribute{"sk", sk_type};
  return def;
}

KeyConditionTerm Term(const std::string& attr, KeyConditionTerm::Op op,
                      std::vector<const AttributeValue*> values) {
  KeyConditionTerm t;
  t.attribute = attr;
  t.op = op;
  t.values = std::move(values);
  return t;
}

std::string KeyFor(const TableDef& def, const AttributeValue& pk, const AttributeValue& sk) {
  return item::EncodeItemKey(def.table_id, pk, &sk);
}

TEST(KeyConditionsTest, RangesSelectExactlyTheMatchingKeys) {
  using Op = KeyConditionTerm::Op;
  const TableDef def = RangeDef(item::AttrType::kN);
  const AttributeValue pk = S("p"), other_pk = S("q");
  std::vector<AttributeValue> sks;
  for (const char* n : {"-100", "-1.5", "-1", "0", "0.001", "1", "1.5", "2", "10", "1e20"}) {
    sks.push_back(N(n));
  }
  const AttributeValue a = N("-1"), b = N("2");
  struct Case {
    Op op;
    std::vector<const AttributeValue*> values;
  };
  for (const Case& c : std::vector<Case>{{Op::kEq, {&a}},
                                         {Op::kLt, {&a}},
                                         {Op::kLe, {&a}},
                                         {Op::kGt, {&a}},
                                         {Op::kGe, {&b}},
                                         {Op::kBetween, {&a, &b}}}) {
    std::vector<KeyConditionTerm> terms{Term("pk", Op::kEq, {&pk}), Term("sk", c.op, c.values)};
    QueryPlan plan;
    ASSERT_TRUE(PlanQuery(def, terms, &plan).ok());
    for (const AttributeValue& sk : sks) {
      EXPECT_EQ(plan.range.Contains(KeyFor(def, pk, sk)), RangeTermMatches(terms[1], sk))
          << static_cast<int>(c.op) << " " << sk.as<item::Number>().ToString();
      EXPECT_FALSE(plan.range.Contains(KeyFor(def, other_pk, sk)));
    }
  }
}

TEST(KeyConditionsTest, BeginsWithOnBinaryIncludesZeroAndFfBytes) {
  using Op = KeyConditionTerm::Op;
  const TableDef def = RangeDef(item::AttrType::kB);
  const AttributeValue pk = S("p");
  const AttributeValue prefix = AttributeValue::Bytes(std::string("\x00\xff", 2));
  std::vector<KeyConditionTerm> terms{Term("pk", Op::kEq, {&pk}),
                                      Term("sk", Op::kBeginsWith, {&prefix})};
  QueryPlan plan;
  ASSERT_TRUE(PlanQuery(def, terms, &plan).ok());
  for (const std::string& s :
       {std::string("\x00", 1), std::string("\x00\xff", 2), std::string("\x00\xff\x00", 3),
        std::string("\x00\xff\xff\xff", 4), std::string("\x01", 1), std::string("\x00\xfe", 2),
        std::string("\xff", 1)}) {
    const AttributeValue sk = AttributeValue::Bytes(s);
    EXPECT_EQ(plan.range.Contains(KeyFor(def, pk, sk)), s.starts_with(std::string("\x00\xff", 2)))
        << s.size();
  }
}

TEST(KeyConditionsTest, SchemaErrors) {
  using Op = KeyConditionTerm::Op;
  const TableDef def = RangeDef(item::AttrType::kN);
  const AttributeValue s = S("x"), n = N("1");
  QueryPlan plan;
  ExpectError(PlanQuery(def, {Term("sk", Op::kEq, {&n})}, &plan), ApiError::kValidation,
              "Query condition missed key schema element: pk");
  ExpectError(PlanQuery(def, {Term("pk", Op::kEq, {&s}), Term("x", Op::kEq, {&s})}, &plan),
              ApiError::kValidation, "Query condition missed key schema element: sk");
  ExpectError(PlanQuery(def, {Term("pk", Op::kLt, {&s})}, &plan), ApiError::kValidation,
              "Query key condition not supported");
  ExpectError(PlanQuery(def, {Term("pk", Op::kEq, {&n})}, &plan), ApiError::kValidation,
              "One or more parameter values were invalid: Condition parameter type does not "
              "match schema type");
  KeyConditionTerm ne = Term("pk", Op::kOther, {&s});
  ExpectError(PlanQuery(def, {ne}, &plan), ApiError::kValidation,
              "Attempted conditional constraint is not an indexable operation");
  TableDef hash_only = def;
  hash_only.range_key.reset();
  ExpectError(PlanQuery(hash_only, {Term("pk", Op::kEq, {&s}), Term("sk", Op::kEq, {&n})}, &plan),
              ApiError::kValidation, "Query key condition not supported");
}

TEST(KeyConditionsTest, SegmentsPartitionTheHashSpace) {
  for (uint64_t total : {1ull, 2ull, 3ull, 7ull, 1000000ull}) {
    std::string previous_end;
    for (uint64_t i = 0; i < std::min<uint64_t>(total, 5); ++i) {
      KeyRange r = SegmentRange(3, i, total);
      if (i == 0) {
        EXPECT_EQ(r.start, item::TablePrefix(3) + std::string(8, '\0'));
      } else {
        EXPECT_EQ(r.start, previous_end);
      }
      EXPECT_LT(r.start, r.end);
      previous_end = r.end;
    }
    EXPECT_EQ(SegmentRange(3, total - 1, total).end, PrefixSuccessor(item::TablePrefix(3)));
  }
}

// ---- Query and Scan through the service ------------------------------------------------------

class QueryTest : public test::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ASSERT_TRUE(CreateTable("Tab", {{"pk", "S", "HASH"}, {"sk", "N", "RANGE"}}).ok());
  }

  void Put(Item item) {
    PutItemInput in;
    in.table_name = "Tab";
    in.item = std::move(item);
    ASSERT_TRUE(service_->PutItem(kScope, in).ok());
  }

  QueryInput Q(const std::string& key_condition, item::Map values) {
    QueryInput in;
    in.table_name = "Tab";
    in.expressions.key_condition = key_condition;
    item::SortMap(&values);
    in.expressions.values = std::move(values);
    return in;
  }

  // Every page of the query, following LastEvaluatedKey.
  std::vector<Item> AllPages(QueryInput in, int* pages) {
    std::vector<Item> all;
    *pages = 0;
    for (;;) {
      auto out = service_->Query(kScope, in);
      EXPECT_TRUE(out.ok()) << out.status().ToString();
      if (!out.ok()) return all;
      ++*pages;
      for (Item& i : out->items) all.push_back(std::move(i));
      if (!out->last_evaluated_key) return all;
      in.exclusive_start_key = out->last_evaluated_key;
    }
  }
};

std::vector<std::string> SortKeys(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const Item& i : items) {
    out.push_back(item::FindAttribute(i, "sk")->as<item::Number>().ToString());
  }
  return out;
}

TEST_F(QueryTest, NumericOrderForwardAndBackwardWithLimitPaging) {
  for (const char* n : {"10", "-3", "2", "1e3", "-0.5", "0", "9.99"}) {
    Put(MakeItem({{"pk", S("a")}, {"sk", N(n)}}));
  }
  Put(MakeItem({{"pk", S("b")}, {"sk", N("5")}}));
  int pages = 0;
  QueryInput in = Q("pk = :p", {{":p", S("a")}});
  in.limit = 3;
  EXPECT_EQ(SortKeys(AllPages(in, &pages)),
            (std::vector<std::string>{"-3", "-0.5", "0", "2", "9.99", "10", "1000"}));
  EXPECT_EQ(pages, 3);  // 3 + 3 + 1
  in.scan_index_forward = false;
  in.limit = 2;
  EXPECT_EQ(SortKeys(AllPages(in, &pages)),
            (std::vector<std::string>{"1000", "10", "9.99", "2", "0", "-0.5", "-3"}));
  EXPECT_EQ(pages, 4);

  QueryInput between =
      Q("pk = :p AND sk BETWEEN :a AND :b", {{":p", S("a")}, {":a", N("-0.5")}, {":b", N("9.99")}});
  EXPECT_EQ(SortKeys(AllPages(between, &pages)),
            (std::vector<std::string>{"-0.5", "0", "2", "9.99"}));
  QueryInput flipped = Q(":b > sk AND pk = :p", {{":p", S("a")}, {":b", N("2")}});
  EXPECT_EQ(SortKeys(AllPages(flipped, &pages)), (std::vector<std::string>{"-3", "-0.5", "0"}));
}

TEST_F(QueryTest, LimitCountsItemsBeforeTheFilter) {
  for (int i = 0; i < 10; ++i) {
    Put(MakeItem({{"pk", S("a")}, {"sk", N(std::to_string(i))}, {"v", N(std::to_string(i % 2))}}));
  }
  QueryInput in = Q("pk = :p", {{":p", S("a")}, {":one", N("1")}});
  in.expressions.filter = "v = :one";
  in.limit = 4;
  auto out = service_->Query(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->scanned_count, 4);
  EXPECT_EQ(out->count, 2);
  EXPECT_EQ(SortKeys(out->items), (std::vector<std::string>{"1", "3"}));
  ASSERT_TRUE(out->last_evaluated_key);
  EXPECT_EQ(*out->last_evaluated_key, MakeItem({{"pk", S("a")}, {"sk", N("3")}}));
}

TEST_F(QueryTest, OneMegabytePagesAndCapacity) {
  const std::string big(100 * 1024, 'x');
  for (int i = 0; i < 25; ++i) {
    Put(MakeItem({{"pk", S("a")}, {"sk", N(std::to_string(i))}, {"data", S(big)}}));
  }
  const size_t item_size =
      item::ItemSize(MakeItem({{"pk", S("a")}, {"sk", N("10")}, {"data", S(big)}}));
  QueryInput in = Q("pk = :p", {{":p", S("a")}});
  in.return_consumed_capacity = "TOTAL";
  in.select = "COUNT";
  auto out = service_->Query(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // The page ends with the item that reaches 1 MB.
  const int64_t expected = static_cast<int64_t>((1024 * 1024 + item_size - 1) / item_size);
  EXPECT_EQ(out->scanned_count, expected);
  EXPECT_TRUE(out->items.empty());
  EXPECT_TRUE(out->last_evaluated_key);
  // Eventual: half a unit per 4 KB of everything read, rounded up once.
  size_t total = 0;
  for (int i = 0; i < expected; ++i) {
    total +=
        item::ItemSize(MakeItem({{"pk", S("a")}, {"sk", N(std::to_string(i))}, {"data", S(big)}}));
  }
  EXPECT_EQ(out->consumed.half_units, static_cast<int64_t>((total + 4095) / 4096));
  int pages = 0;
  in.select.reset();
  EXPECT_EQ(AllPages(in, &pages).size(), 25u);
  EXPECT_EQ(pages, 3);
}

TEST_F(QueryTest, StartKeyValidation) {
  Put(MakeItem({{"pk", S("a")}, {"sk", N("1")}}));
  QueryInput in = Q("pk = :p", {{":p", S("a")}});
  in.exclusive_start_key = MakeItem({{"pk", S("a")}});
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "Exclusive Start Key must have same size as table's key schema");
  in.exclusive_start_key = MakeItem({{"pk", S("a")}, {"zz", N("1")}});
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "The provided starting key is invalid");
  in.exclusive_start_key = MakeItem({{"pk", S("b")}, {"sk", N("1")}});
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "The provided starting key is outside query boundaries based on provided "
              "conditions");
  in = Q("pk = :p AND sk > :v", {{":p", S("a")}, {":v", N("5")}});
  in.exclusive_start_key = MakeItem({{"pk", S("a")}, {"sk", N("1")}});
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "The provided starting key does not match the range key predicate");
}

TEST_F(QueryTest, ExpressionErrors) {
  struct Case {
    const char* expr;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"pk = :p OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"},
           {"pk = :p AND pk = :p",
            "KeyConditionExpressions must only contain one condition per key"},
           {"sk = :n", "Query condition missed key schema element: pk"},
           {"pk = :p AND begins_with(sk, :s)",
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type"},
           {"pk = :p AND attribute_exists(sk)",
            "Invalid operator used in KeyConditionExpression: attribute_exists"},
           {"pk = :p AND sk.x = :n",
            "KeyConditionExpressions cannot have conditions on nested attributes"},
           {"pk = :p AND sk <> :n", "Invalid operator used in KeyConditionExpression: <>"},
           {"pk = :p AND x = :n AND sk = :n", "Conditions can be of length 1 or 2 only"}}) {
    QueryInput in = Q(c.expr, {{":p", S("a")}, {":n", N("1")}, {":s", S("x")}});
    // Drop the values the expression does not use.
    item::Map used;
    for (auto& [k, v] : *in.expressions.values) {
      if (std::string(c.expr).find(k) != std::string::npos) used.emplace_back(k, v);
    }
    in.expressions.values = used;
    ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation, c.message);
  }
  QueryInput in = Q("pk = :p", {{":p", S("a")}});
  in.select = "ALL_PROJECTED_ATTRIBUTES";
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when "
              "Querying using an IndexName");
  in.select = "COUNT";
  in.expressions.projection = "pk";
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "1 validation error detected: Cannot specify the ProjectionExpression when choosing "
              "to get only the Count");
  in = Q("pk = :p", {{":p", S("a")}});
  in.limit = 0;
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
              "Member must have value greater than or equal to 1");
  in = Q("pk = :p", {{":p", S("a")}, {":v", N("1")}});
  in.expressions.filter = "sk > :v";
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "Filter Expression can only contain non-primary key attributes: Primary key "
              "attribute: sk");
}

TEST_F(QueryTest, LegacyKeyConditionsAndQueryFilter) {
  for (int i = 0; i < 6; ++i) {
    Put(MakeItem({{"pk", S("a")}, {"sk", N(std::to_string(i))}, {"v", N(std::to_string(i))}}));
  }
  QueryInput in;
  in.table_name = "Tab";
  query::ExpectedAttributeInput pk;
  pk.name = "pk";
  pk.comparison_operator = "EQ";
  pk.attribute_value_list = std::vector<AttributeValue>{S("a")};
  query::ExpectedAttributeInput sk;
  sk.name = "sk";
  sk.comparison_operator = "GE";
  sk.attribute_value_list = std::vector<AttributeValue>{N("2")};
  in.key_conditions = std::vector<query::ExpectedAttributeInput>{pk, sk};
  query::ExpectedAttributeInput v;
  v.name = "v";
  v.comparison_operator = "LT";
  v.attribute_value_list = std::vector<AttributeValue>{N("4")};
  in.filter = std::vector<query::ExpectedAttributeInput>{v};
  in.attributes_to_get = std::vector<std::string>{"sk"};
  auto out = service_->Query(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->scanned_count, 4);
  ASSERT_EQ(out->items.size(), 2u);
  EXPECT_EQ(out->items[0], MakeItem({{"sk", N("2")}}));

  sk.comparison_operator = "BEGINS_WITH";
  in.key_conditions = std::vector<query::ExpectedAttributeInput>{pk, sk};
  in.filter.reset();
  ExpectError(service_->Query(kScope, in).status(), ApiError::kValidation,
              "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not "
              "valid for N AttributeValue type");
}

TEST_F(QueryTest, ParallelScanReturnsEveryItemOnce) {
  std::mt19937 rng(42);
  std::set<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    const std::string pk = "k" + std::to_string(rng() % 100);
    const std::string sk = std::to_string(i);
    Put(MakeItem({{"pk", S(pk)}, {"sk", N(sk)}}));
    expected.insert(pk + "/" + sk);
  }
  for (int64_t total : {1, 3, 16}) {
    std::multiset<std::string> seen;
    for (int64_t seg = 0; seg < total; ++seg) {
      ScanInput in;
      in.table_name = "Tab";
      in.segment = seg;
      in.total_segments = total;
      in.limit = 7;
      for (;;) {
        auto out = service_->Scan(kScope, in);
        ASSERT_TRUE(out.ok()) << out.status().ToString();
        for (const Item& i : out->items) {
          seen.insert(item::FindAttribute(i, "pk")->as<std::string>() + "/" +
                      item::FindAttribute(i, "sk")->as<item::Number>().ToString());
        }
        if (!out->last_evaluated_key) break;
        in.exclusive_start_key = out->last_evaluated_key;
      }
    }
    EXPECT_EQ(seen.size(), expected.size());
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  }
  // A start key from another segment.
  ScanInput in;
  in.table_name = "Tab";
  in.segment = 0;
  in.total_segments = 2;
  in.limit = 1;
  auto out = service_->Scan(kScope, in);
  ASSERT_TRUE(out.ok() && out->last_evaluated_key);
  in.segment = 1;
  in.exclusive_start_key = out->last_evaluated_key;
  ExpectError(service_->Scan(kScope, in).status(), ApiError::kValidation,
              "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
              "ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1");
  in.exclusive_start_key.reset();
  in.segment = 2;
  ExpectError(service_->Scan(kScope, in).status(), ApiError::kValidation,
              "The Segment parameter is zero-based and must be less than parameter "
              "TotalSegments: Segment: 2 is not less than TotalSegments: 2");
}

}  // namespace
}  // namespace strata::tables
