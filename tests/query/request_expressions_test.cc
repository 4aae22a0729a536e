#include "query/request_expressions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "item/api_error.h"
#include "item/number.h"
#include "query/expression_cache.h"

namespace strata::query {
namespace {

using item::AttributeValue;

AttributeValue S(const std::string& s) { return AttributeValue::String(s); }
AttributeValue N(const std::string& n) { return AttributeValue(item::Number::Parse(n).value()); }

// Builds the request parameters of one test case.
struct Request {
  ExpressionParams params;

  Request& Update(std::string e) {
    params.update = std::move(e);
    return *this;
  }
  Request& Condition(std::string e) {
    params.condition = std::move(e);
    return *this;
  }
  Request& KeyCondition(std::string e) {
    params.key_condition = std::move(e);
    return *this;
  }
  Request& Filter(std::string e) {
    params.filter = std::move(e);
    return *this;
  }
  Request& Projection(std::string e) {
    params.projection = std::move(e);
    return *this;
  }
  Request& Name(std::string k, std::string v) {
    if (!params.names) params.names.emplace();
    params.names->emplace_back(std::move(k), std::move(v));
    std::sort(params.names->begin(), params.names->end());
    return *this;
  }
  Request& Value(std::string k, AttributeValue v) {
    if (!params.values) params.values.emplace();
    params.values->emplace_back(std::move(k), std::move(v));
    item::SortMap(&*params.values);
    return *this;
  }
  Request& EmptyNames() {
    params.names.emplace();
    return *this;
  }
  Request& EmptyValues() {
    params.values.emplace();
    return *this;
  }
};

std::string CompileError(const Request& r) {
  CompiledExpressions out;
  Status s = CompileExpressions(r.params, &out);
  if (s.ok()) return "";
  EXPECT_EQ(item::ApiErrorOf(s), item::ApiError::kValidation);
  return std::string(s.message());
}

struct Case {
  Request request;
  std::string message;
};

TEST(RequestExpressionsTest, ErrorsInAwsOrder) {
  const std::string cond = "Invalid ConditionExpression: ";
  const std::string upd = "Invalid UpdateExpression: ";
  const std::string proj = "Invalid ProjectionExpression: ";
  const std::string undefined_name =
      "An expression attribute name used in the document path is not defined; attribute name: ";
  const std::string undefined_value =
      "An expression attribute value used in expression is not defined; attribute value: ";
  std::vector<Case> cases = {
      // Maps.
      {Request().Condition("a = :v").EmptyNames().Value(":v", S("x")),
       "ExpressionAttributeNames must not be empty"},
      {Request().Condition("a = :v").EmptyValues(), "ExpressionAttributeValues must not be empty"},
      {Request().Condition("a = :v").Name("a", "x").Value(":v", S("x")),
       "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""},
      {Request().Condition("a = :v").Name("#a-b", "x").Value(":v", S("x")),
       "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\""},
      {Request().Condition("a = :v").Value("v", S("x")),
       "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""},
      {Request().Condition("a = :v").Value(":", S("x")),
       "ExpressionAttributeValues contains invalid key: Syntax error; key: \":\""},
      // Undefined names and values.
      {Request().Condition("#a = :v").Value(":v", S("x")), cond + undefined_name + "#a"},
      {Request().Condition("a = :v"), cond + undefined_value + ":v"},
      {Request().Condition("attribute_exists(a, #b)"), cond + undefined_name + "#b"},
      {Request().Condition("a = :v AND #b = :w").Value(":w", S("x")).Name("#b", "b"),
       cond + undefined_value + ":v"},
      {Request().Update("SET #a = :v"), upd + undefined_name + "#a"},
      {Request().Update("SET a = :v, #a = :w"), upd + undefined_name + "#a"},
      {Request().Update("SET a = :v"), upd + undefined_value + ":v"},
      {Request().Projection("#a, b"), proj + undefined_name + "#a"},
      // In conditions an undefined placeholder beats an operand count in the same leaf...
      {Request().Condition("attribute_exists(#x, b)"), cond + undefined_name + "#x"},
      // ...but an earlier leaf's error wins.
      {Request().Condition("attribute_exists(a, b) AND #x = :v"),
       cond + "Incorrect number of operands for operator or function; operator or function: "
              "attribute_exists, number of operands: 2"},
      // In updates function errors rank below everything else.
      {Request().Update("SET a = list_append(b), c = :v"), upd + undefined_value + ":v"},
      // Value-dependent checks (verified against dynalite).
      {Request().Condition("a = a"),
       cond + "The first operand must be distinct from the remaining operands for this operator or "
              "function; operator: =, first operand: [a]"},
      {Request().Condition("#x.b <> a.#y").Name("#x", "a").Name("#y", "b"),
       cond + "The first operand must be distinct from the remaining operands for this operator or "
              "function; operator: <>, first operand: [a, b]"},
      {Request().Condition("begins_with(a, a)"),
       cond + "The first operand must be distinct from the remaining operands for this operator or "
              "function; operator: begins_with, first operand: [a]"},
      {Request().Condition("begins_with(a, :n)").Value(":n", N("1")),
       cond + "Incorrect operand type for operator or function; operator or function: begins_with, "
              "operand type: N"},
      {Request().Condition("begins_with(a, size(b))"),
       cond + "Incorrect operand type for operator or function; operator or function: begins_with, "
              "operand type: N"},
      {Request().Condition("attribute_type(a, :t)").Value(":t", S("X")),
       cond + "Invalid attribute type name found; type: X, valid types: "
              "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
      {Request().Condition("attribute_type(a, b)"),
       cond + "Incorrect operand type for operator or function; operator or function: "
              "attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}"},
      {Request().Condition("attribute_type(a, :t)").Value(":t", N("3")),
       cond + "Incorrect operand type for operator or function; operator or function: "
              "attribute_type, operand type: N"},
      {Request().Condition("a BETWEEN :b AND :a").Value(":a", N("1")).Value(":b", N("5")),
       cond + "The BETWEEN operator requires upper bound to be greater than or equal to lower "
              "bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: "
              "AttributeValue: {N:1}"},
      {Request().Condition("a BETWEEN :b AND :a").Value(":a", S("1")).Value(":b", N("5")),
       cond + "The BETWEEN operator requires same data type for lower and upper bounds; lower "
              "bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:1}"},
      {Request().Condition("a BETWEEN :a AND :b").Value(":a", S("b")).Value(":b", S("ab")),
       cond + "The BETWEEN operator requires upper bound to be greater than or equal to lower "
              "bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
              "AttributeValue: {S:ab}"},
      {Request().Condition("size(:a) > :b").Value(":a", N("1")).Value(":b", N("1")),
       cond + "Incorrect operand type for operator or function; operator or function: size, "
              "operand type: N"},
      {Request().Condition("attribute_exists(:a)").Value(":a", S("x")),
       cond + "Operator or function requires a document path; operator or function: "
              "attribute_exists"},
      {Request().Update("SET a = :a ADD b :b").Value(":a", S("x")).Value(":b", S("x")),
       upd + "Incorrect operand type for operator or function; operator: ADD, operand type: "
             "STRING"},
      {Request().Update("DELETE a :a").Value(":a", N("1")),
       upd + "Incorrect operand type for operator or function; operator: DELETE, operand type: "
             "NUMBER"},
      {Request().Update("ADD a :a").Value(":a", AttributeValue(item::List{})),
       upd + "Incorrect operand type for operator or function; operator: ADD, operand type: "
             "LIST"},
      {Request().Update("SET a = :a, a.b = :a").Value(":a", S("x")),
       upd + "Two document paths overlap with each other; must remove or rewrite one of these "
             "paths; path one: [a], path two: [a, b]"},
      {Request().Update("SET #x = :a REMOVE a").Name("#x", "a").Value(":a", S("x")),
       upd + "Two document paths overlap with each other; must remove or rewrite one of these "
             "paths; path one: [a], path two: [a]"},
      {Request().Update("SET a.b = :a, a[0] = :a").Value(":a", S("x")),
       upd + "Two document paths conflict with each other; must remove or rewrite one of these "
             "paths; path one: [a, b], path two: [a, [0]]"},
      {Request().Update("SET a[1].b = :a, a[1][2] = :a, a[1] = :a").Value(":a", S("x")),
       upd + "Two document paths overlap with each other; must remove or rewrite one of these "
             "paths; path one: [a, [1], b], path two: [a, [1]]"},
      {Request().Update("SET a = list_append(:a, b)").Value(":a", S("x")),
       upd + "Incorrect operand type for operator or function; operator or function: "
             "list_append, operand type: S"},
      {Request().Update("SET a = if_not_exists(:a, b)").Value(":a", S("x")),
       upd + "Operator or function requires a document path; operator or function: "
             "if_not_exists"},
      {Request().Update("SET a = :a + :a").Value(":a", S("x")),
       upd + "Incorrect operand type for operator or function; operator or function: +, "
             "operand type: S"},
      {Request().Update("SET a = :a - b").Value(":a", AttributeValue(true)),
       upd + "Incorrect operand type for operator or function; operator or function: -, "
             "operand type: BOOL"},
      {Request().Projection("a, a.b"),
       proj + "Two document paths overlap with each other; must remove or rewrite one of these "
              "paths; path one: [a], path two: [a, b]"},
      {Request().Projection("a.b, a[1]"),
       proj + "Two document paths conflict with each other; must remove or rewrite one of "
              "these paths; path one: [a, b], path two: [a, [1]]"},
      // Expressions are checked in the order Update, Condition, KeyCondition, Filter,
      // Projection.
      {Request().Update("SET a = :v").Condition("b = :w").Projection("p p"),
       upd + undefined_value + ":v"},
      {Request().Condition("c c").KeyCondition("k k").Filter("f f"),
       cond + "Syntax error; token: \"c\", near: \"c c\""},
      {Request().KeyCondition("k k").Filter("f f"),
       "Invalid KeyConditionExpression: Syntax error; token: \"k\", near: \"k k\""},
      {Request().Filter("f f").Projection("p p"),
       "Invalid FilterExpression: Syntax error; token: \"f\", near: \"f f\""},
      // Unused names, then unused values.
      {Request()
           .Condition("a = :a")
           .Name("#a", "x")
           .Name("#b", "y")
           .Value(":a", S("x"))
           .Value(":b", S("x")),
       "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"},
      {Request().Update("SET a = :a").Value(":a", S("x")).Value(":b", S("x")).Value(":c", S("y")),
       "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b, :c}"},
      // A name used by any expression of the request counts as used.
      {Request()
           .Update("SET #a = :a")
           .Condition("#b = :a")
           .Name("#a", "x")
           .Name("#b", "y")
           .Value(":a", S("x")),
       ""},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(CompileError(cases[i].request), cases[i].message) << "case " << i;
  }
}

TEST(RequestExpressionsTest, InvalidValueIsReportedAfterKeys) {
  Request r;
  r.Condition("a = :v").Value(":v", S("x"));
  r.params.invalid_value = std::make_pair(
      std::string(":w"), std::string("One or more parameter values were invalid: An number set "
                                     "may not be empty"));
  EXPECT_EQ(CompileError(r),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were "
            "invalid: An number set may not be empty for key :w");
  Request bad_key = r;
  bad_key.Value("v", S("x"));
  EXPECT_EQ(CompileError(bad_key),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
}

TEST(RequestExpressionsTest, PlaceholderKeyLengthLimit) {
  std::string ok = "#" + std::string(254, 'n');
  std::string too_long = "#" + std::string(255, 'n');
  EXPECT_EQ(CompileError(Request().Projection(ok).Name(ok, "x")), "");
  EXPECT_EQ(CompileError(Request().Projection(too_long).Name(too_long, "x")),
            "ExpressionAttributeNames contains invalid key: The expression attribute map "
            "contains a key that is too long; key: " +
                too_long);
}

TEST(RequestExpressionsTest, BindingsPointIntoTheRequest) {
  Request r;
  r.Update("SET #n = :v + :one")
      .Condition("#n < :v")
      .Projection("#p[1]")
      .Name("#n", "count")
      .Name("#p", "list")
      .Value(":v", N("5"))
      .Value(":one", N("1"));
  CompiledExpressions out;
  ASSERT_TRUE(CompileExpressions(r.params, &out).ok());
  ASSERT_NE(out.update, nullptr);
  ASSERT_NE(out.condition, nullptr);
  ASSERT_NE(out.projection, nullptr);
  EXPECT_EQ(out.filter, nullptr);
  EXPECT_EQ(out.key_condition, nullptr);
  ASSERT_EQ(out.update_bindings.names.size(), 1u);
  EXPECT_EQ(*out.update_bindings.names[0], "count");
  ASSERT_EQ(out.update_bindings.values.size(), 2u);
  EXPECT_EQ(out.update->value_placeholders[0], ":v");
  EXPECT_EQ(*out.update_bindings.values[0], N("5"));
  EXPECT_EQ(*out.update_bindings.values[1], N("1"));
  EXPECT_EQ(out.update_bindings.values[1], &(*r.params.values)[0].second);  // ":one" sorts first
  EXPECT_EQ(*out.projection_bindings.names[0], "list");
  ResolvedPath p = ResolvePath(out.projection->projection[0], out.projection_bindings);
  EXPECT_EQ(PathToString(p), "[list, [1]]");
}

TEST(RequestExpressionsTest, CheckExpressionParams) {
  const std::vector<std::string_view> update_exprs = {"UpdateExpression", "ConditionExpression"};
  const std::vector<std::string_view> get_exprs = {"ProjectionExpression"};
  const std::vector<std::string_view> query_exprs = {"KeyConditionExpression", "FilterExpression",
                                                     "ProjectionExpression"};
  {
    Request r;
    r.Condition("a = :v");
    Status s = CheckExpressionParams(r.params, update_exprs, {"Expected"});
    EXPECT_EQ(s.message(),
              "Can not use both expression and non-expression parameters in the same request: "
              "Non-expression parameters: {Expected} Expression parameters: "
              "{ConditionExpression}");
  }
  {
    Request r;
    r.Update("SET a = :v").Condition("a = :v");
    Status s = CheckExpressionParams(r.params, update_exprs, {"AttributeUpdates", "Expected"});
    EXPECT_EQ(s.message(),
              "Can not use both expression and non-expression parameters in the same request: "
              "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: "
              "{UpdateExpression, ConditionExpression}");
  }
  {
    Request r;
    r.Name("#a", "a");
    EXPECT_EQ(CheckExpressionParams(r.params, update_exprs, {}).message(),
              "ExpressionAttributeNames can only be specified when using expressions");
  }
  {
    Request r;
    r.Value(":a", S("a"));
    EXPECT_EQ(CheckExpressionParams(r.params, update_exprs, {}).message(),
              "ExpressionAttributeValues can only be specified when using expressions: "
              "UpdateExpression and ConditionExpression are null");
  }
  {
    Request r;
    r.Value(":a", S("a")).Projection("a");
    EXPECT_EQ(CheckExpressionParams(r.params, query_exprs, {}).message(),
              "ExpressionAttributeValues can only be specified when using expressions: "
              "KeyConditionExpression and FilterExpression are null");
  }
  {
    Request r;
    r.Value(":a", S("a")).Condition("a = :a");
    EXPECT_EQ(CheckExpressionParams(r.params, {"ConditionExpression"}, {}).message(), "");
    Request only_values;
    only_values.Value(":a", S("a"));
    EXPECT_EQ(CheckExpressionParams(only_values.params, {"ConditionExpression"}, {}).message(),
              "ExpressionAttributeValues can only be specified when using expressions: "
              "ConditionExpression is null");
  }
  {
    // ProjectionExpression alone does not allow values, but values are not checked when the
    // operation has no value-taking expression.
    Request r;
    r.Value(":a", S("a")).Projection("a");
    EXPECT_TRUE(CheckExpressionParams(r.params, get_exprs, {}).ok());
  }
  {
    // KeyConditions may be combined with FilterExpression... (dynalite's special case).
    Request r;
    r.Filter("a = :a");
    EXPECT_TRUE(CheckExpressionParams(r.params, query_exprs, {"KeyConditions"}).ok());
    r.KeyCondition("k = :k");
    EXPECT_EQ(CheckExpressionParams(r.params, query_exprs, {"KeyConditions"}).message(),
              "Can not use both expression and non-expression parameters in the same request: "
              "Non-expression parameters: {KeyConditions} Expression parameters: "
              "{KeyConditionExpression, FilterExpression}");
  }
  {
    Request r;
    r.Projection("a");
    EXPECT_EQ(CheckExpressionParams(r.params, get_exprs, {"AttributesToGet"}).message(),
              "Can not use both expression and non-expression parameters in the same request: "
              "Non-expression parameters: {AttributesToGet} Expression parameters: "
              "{ProjectionExpression}");
    EXPECT_TRUE(CheckExpressionParams(Request().params, get_exprs, {"AttributesToGet"}).ok());
  }
}

TEST(ExpressionCacheTest, HitsShareTheParsedExpression) {
  ExpressionCache cache(64);
  auto a = cache.Get(ExpressionKind::kCondition, "a = :v");
  auto b = cache.Get(ExpressionKind::kCondition, "a = :v");
  auto c = cache.Get(ExpressionKind::kFilter, "a = :v");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a.value().get(), b.value().get());
  EXPECT_NE(a.value().get(), c.value().get());
  EXPECT_EQ(c.value()->kind, ExpressionKind::kFilter);
  auto bad = cache.Get(ExpressionKind::kCondition, "a b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "Invalid ConditionExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_FALSE(cache.Get(ExpressionKind::kCondition, "a b").ok());
}

TEST(ExpressionCacheTest, BoundedAndConcurrent) {
  ExpressionCache cache(32);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string text = "a" + std::to_string((i * 7 + t) % 100) + " = :v";
        auto r = cache.Get(ExpressionKind::kCondition, text);
        if (!r.ok() || r.value()->condition.operands.size() != 2 ||
            r.value()->condition.operands[0].path.elements[0].name !=
                text.substr(0, text.find(' '))) {
          failures++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  // Still correct after many evictions.
  auto r = cache.Get(ExpressionKind::kCondition, "a5 = :v");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()->condition.operands[0].path.elements[0].name, "a5");
  EXPECT_EQ(&ExpressionCache::Global(), &ExpressionCache::Global());
}

}  // namespace
}  // namespace strata::query
