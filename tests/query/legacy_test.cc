#include "query/legacy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "item/api_error.h"
#include "item/json.h"
#include "query/evaluate.h"
#include "query/update.h"

namespace strata::query {
namespace {

using item::AttributeValue;

// ---- helpers ----------------------------------------------------------------------------------

AttributeValue V(const char* json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(json, std::strlen(json)).get(e), simdjson::SUCCESS) << json;
  AttributeValue v;
  Status s = item::DecodeAttributeValue(e, &v);
  EXPECT_TRUE(s.ok()) << json << ": " << s.message();
  return v;
}

item::Item ItemOf(const char* json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(json, std::strlen(json)).get(e), simdjson::SUCCESS) << json;
  item::Item m;
  Status s = item::DecodeAttributeMap(e, &m);
  EXPECT_TRUE(s.ok()) << json << ": " << s.message();
  return m;
}

ExpectedAttributeInput Exp(std::string name) {
  ExpectedAttributeInput in;
  in.name = std::move(name);
  return in;
}
ExpectedAttributeInput ValueEntry(std::string name, const char* value,
                                  std::optional<bool> exists = std::nullopt) {
  ExpectedAttributeInput in = Exp(std::move(name));
  in.value = V(value);
  in.exists = exists;
  return in;
}
ExpectedAttributeInput ExistsEntry(std::string name, bool exists) {
  ExpectedAttributeInput in = Exp(std::move(name));
  in.exists = exists;
  return in;
}
ExpectedAttributeInput OpEntry(std::string name, std::string op,
                               std::vector<const char*> values = {}) {
  ExpectedAttributeInput in = Exp(std::move(name));
  in.comparison_operator = std::move(op);
  if (!values.empty()) {
    in.attribute_value_list.emplace();
    for (const char* v : values) in.attribute_value_list->push_back(V(v));
  }
  return in;
}
ExpectedAttributeInput OpListEntry(std::string name, std::string op,
                                   std::vector<const char*> values) {
  ExpectedAttributeInput in = OpEntry(std::move(name), std::move(op), values);
  if (!in.attribute_value_list) in.attribute_value_list.emplace();  // explicit empty list
  return in;
}

AttributeUpdateInput Upd(std::string name, std::optional<std::string> action,
                         const char* value = nullptr) {
  AttributeUpdateInput in;
  in.name = std::move(name);
  in.action = std::move(action);
  if (value != nullptr) in.value = V(value);
  return in;
}

void ExpectValidation(const Status& s, const std::string& message) {
  ASSERT_FALSE(s.ok()) << "expected: " << message;
  EXPECT_EQ(item::ApiErrorOf(s), item::ApiError::kValidation);
  EXPECT_EQ(std::string(s.message()), message);
}

const std::string kInvalid = "One or more parameter values were invalid: ";

void ExpectNamePath(const Path& p, const std::string& name) {
  ASSERT_EQ(p.elements.size(), 1u);
  EXPECT_EQ(p.elements[0].kind, PathElement::Kind::kName);
  EXPECT_EQ(p.elements[0].name, name);
}

void ExpectPathOperand(const Operand& o, const std::string& name) {
  EXPECT_EQ(o.kind, Operand::Kind::kPath);
  ExpectNamePath(o.path, name);
}

// A kValue operand bound to `want`.
void ExpectValueOperand(const LegacyExpression& le, const Operand& o, const AttributeValue& want) {
  ASSERT_EQ(o.kind, Operand::Kind::kValue);
  ASSERT_LT(o.value, le.bindings.values.size());
  EXPECT_EQ(BoundValue(le.bindings, o.value), want);
}

// Bindings and placeholders are consistent: ":i" <-> owned_values[i].
void ExpectConsistent(const LegacyExpression& le) {
  ASSERT_EQ(le.expr.value_placeholders.size(), le.owned_values.size());
  ASSERT_EQ(le.bindings.values.size(), le.owned_values.size());
  for (size_t i = 0; i < le.owned_values.size(); ++i) {
    EXPECT_EQ(le.expr.value_placeholders[i], ":" + std::to_string(i));
    EXPECT_EQ(le.bindings.values[i], le.owned_values[i].get());
  }
  EXPECT_TRUE(le.expr.name_placeholders.empty());
}

// ---- Expected: AST shape ----------------------------------------------------------------------

TEST(LegacyExpectedShape, ValueIsEquality) {
  LegacyExpression le;
  ASSERT_TRUE(
      ConvertExpected({ValueEntry("a", R"({"S":"x"})")}, std::nullopt, "Expected", &le).ok());
  ExpectConsistent(le);
  EXPECT_EQ(le.expr.kind, ExpressionKind::kCondition);
  const Condition& c = le.expr.condition;
  ASSERT_EQ(c.kind, Condition::Kind::kCompare);
  EXPECT_EQ(c.op, CompareOp::kEq);
  ASSERT_EQ(c.operands.size(), 2u);
  ExpectPathOperand(c.operands[0], "a");
  ExpectValueOperand(le, c.operands[1], V(R"({"S":"x"})"));
}

TEST(LegacyExpectedShape, ExistsTrueWithValueIsEquality) {
  LegacyExpression le;
  ASSERT_TRUE(
      ConvertExpected({ValueEntry("a", R"({"N":"1"})", true)}, std::nullopt, "Expected", &le).ok());
  EXPECT_EQ(le.expr.condition.kind, Condition::Kind::kCompare);
  EXPECT_EQ(le.expr.condition.op, CompareOp::kEq);
}

TEST(LegacyExpectedShape, ExistsFalseIsAttributeNotExists) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({ExistsEntry("a", false)}, std::nullopt, "Expected", &le).ok());
  const Condition& c = le.expr.condition;
  ASSERT_EQ(c.kind, Condition::Kind::kFunction);
  EXPECT_EQ(c.function, Function::kAttributeNotExists);
  ASSERT_EQ(c.operands.size(), 1u);
  ExpectPathOperand(c.operands[0], "a");
  EXPECT_TRUE(le.owned_values.empty());
}

TEST(LegacyExpectedShape, ComparisonOperators) {
  struct Case {
    const char* op;
    CompareOp want;
  } cases[] = {{"EQ", CompareOp::kEq},
               {"LE", CompareOp::kLe},
               {"LT", CompareOp::kLt},
               {"GE", CompareOp::kGe},
               {"GT", CompareOp::kGt}};
  for (const Case& tc : cases) {
    LegacyExpression le;
    ASSERT_TRUE(
        ConvertExpected({OpEntry("a", tc.op, {R"({"N":"3"})"})}, std::nullopt, "Expected", &le)
            .ok())
        << tc.op;
    ExpectConsistent(le);
    const Condition& c = le.expr.condition;
    ASSERT_EQ(c.kind, Condition::Kind::kCompare) << tc.op;
    EXPECT_EQ(c.op, tc.want) << tc.op;
    ExpectPathOperand(c.operands[0], "a");
    ExpectValueOperand(le, c.operands[1], V(R"({"N":"3"})"));
  }
}

TEST(LegacyExpectedShape, ValueServesAsTheArgumentOfAnOperator) {
  LegacyExpression le;
  ExpectedAttributeInput in = Exp("a");
  in.comparison_operator = "GE";
  in.value = V(R"({"S":"m"})");
  ASSERT_TRUE(ConvertExpected({in}, std::nullopt, "Expected", &le).ok());
  EXPECT_EQ(le.expr.condition.op, CompareOp::kGe);
  ExpectValueOperand(le, le.expr.condition.operands[1], V(R"({"S":"m"})"));
}

TEST(LegacyExpectedShape, NeAlsoHoldsForAnAbsentAttribute) {
  LegacyExpression le;
  ASSERT_TRUE(
      ConvertExpected({OpEntry("a", "NE", {R"({"S":"x"})"})}, std::nullopt, "Expected", &le).ok());
  const Condition& c = le.expr.condition;
  ASSERT_EQ(c.kind, Condition::Kind::kOr);
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].kind, Condition::Kind::kFunction);
  EXPECT_EQ(c.children[0].function, Function::kAttributeNotExists);
  EXPECT_EQ(c.children[1].kind, Condition::Kind::kCompare);
  EXPECT_EQ(c.children[1].op, CompareOp::kNe);
}

TEST(LegacyExpectedShape, NotContainsNeedsThePresence) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({OpEntry("a", "NOT_CONTAINS", {R"({"S":"x"})"})}, std::nullopt,
                              "Expected", &le)
                  .ok());
  const Condition& c = le.expr.condition;
  ASSERT_EQ(c.kind, Condition::Kind::kAnd);
  EXPECT_EQ(c.children[0].function, Function::kAttributeExists);
  ASSERT_EQ(c.children[1].kind, Condition::Kind::kNot);
  const Condition& contains = c.children[1].children.at(0);
  EXPECT_EQ(contains.kind, Condition::Kind::kFunction);
  EXPECT_EQ(contains.function, Function::kContains);
  ExpectPathOperand(contains.operands.at(0), "a");
  ExpectValueOperand(le, contains.operands.at(1), V(R"({"S":"x"})"));
}

TEST(LegacyExpectedShape, FunctionsAndNullChecks) {
  struct Case {
    const char* op;
    std::vector<const char*> values;
    Function want;
  } cases[] = {
      {"NOT_NULL", {}, Function::kAttributeExists},
      {"NULL", {}, Function::kAttributeNotExists},
      {"CONTAINS", {R"({"S":"x"})"}, Function::kContains},
      {"BEGINS_WITH", {R"({"S":"x"})"}, Function::kBeginsWith},
  };
  for (const Case& tc : cases) {
    LegacyExpression le;
    ASSERT_TRUE(
        ConvertExpected({OpEntry("a", tc.op, tc.values)}, std::nullopt, "Expected", &le).ok())
        << tc.op;
    const Condition& c = le.expr.condition;
    ASSERT_EQ(c.kind, Condition::Kind::kFunction) << tc.op;
    EXPECT_EQ(c.function, tc.want) << tc.op;
    EXPECT_EQ(c.operands.size(), 1 + tc.values.size()) << tc.op;
    ExpectPathOperand(c.operands[0], "a");
  }
}

TEST(LegacyExpectedShape, InAndBetween) {
  LegacyExpression in_le;
  ASSERT_TRUE(
      ConvertExpected({OpEntry("a", "IN", {R"({"N":"1"})", R"({"N":"2"})", R"({"N":"3"})"})},
                      std::nullopt, "Expected", &in_le)
          .ok());
  ExpectConsistent(in_le);
  const Condition& in = in_le.expr.condition;
  ASSERT_EQ(in.kind, Condition::Kind::kIn);
  ASSERT_EQ(in.operands.size(), 4u);
  ExpectPathOperand(in.operands[0], "a");
  ExpectValueOperand(in_le, in.operands[3], V(R"({"N":"3"})"));

  LegacyExpression between_le;
  ASSERT_TRUE(ConvertExpected({OpEntry("a", "BETWEEN", {R"({"N":"1"})", R"({"N":"9"})"})},
                              std::nullopt, "Expected", &between_le)
                  .ok());
  const Condition& between = between_le.expr.condition;
  ASSERT_EQ(between.kind, Condition::Kind::kBetween);
  ASSERT_EQ(between.operands.size(), 3u);
  ExpectValueOperand(between_le, between.operands[1], V(R"({"N":"1"})"));
  ExpectValueOperand(between_le, between.operands[2], V(R"({"N":"9"})"));
}

TEST(LegacyExpectedShape, EntriesJoinLeftAssociativelyInRequestOrder) {
  std::vector<ExpectedAttributeInput> expected = {
      ValueEntry("a", R"({"S":"1"})"), ExistsEntry("b", false), OpEntry("c", "NOT_NULL")};
  for (const char* op : {"AND", "OR"}) {
    LegacyExpression le;
    std::optional<std::string> co;
    if (std::string(op) == "OR") co = "OR";
    ASSERT_TRUE(ConvertExpected(expected, co, "Expected", &le).ok());
    Condition::Kind kind = co ? Condition::Kind::kOr : Condition::Kind::kAnd;
    const Condition& top = le.expr.condition;
    ASSERT_EQ(top.kind, kind);
    EXPECT_EQ(top.children[1].function, Function::kAttributeExists);
    ExpectPathOperand(top.children[1].operands[0], "c");
    const Condition& left = top.children[0];
    ASSERT_EQ(left.kind, kind);
    EXPECT_EQ(left.children[0].kind, Condition::Kind::kCompare);
    ExpectPathOperand(left.children[0].operands[0], "a");
    EXPECT_EQ(left.children[1].function, Function::kAttributeNotExists);
    ExpectPathOperand(left.children[1].operands[0], "b");
  }
}

TEST(LegacyExpectedShape, ExplicitAndIsTheDefault) {
  LegacyExpression le;
  ASSERT_TRUE(
      ConvertExpected({ExistsEntry("a", false), ExistsEntry("b", false)}, "AND", "Expected", &le)
          .ok());
  EXPECT_EQ(le.expr.condition.kind, Condition::Kind::kAnd);
}

TEST(LegacyExpectedShape, NamesAreLiteral) {
  // Reserved words, dots, brackets and '#' are plain attribute names in legacy parameters.
  for (const char* name : {"name", "a.b", "c[1]", "#x", ":y", "size"}) {
    LegacyExpression le;
    ASSERT_TRUE(ConvertExpected({ExistsEntry(name, false)}, std::nullopt, "Expected", &le).ok());
    ExpectPathOperand(le.expr.condition.operands.at(0), name);
  }
}

TEST(LegacyExpectedShape, EmptyExpectedAlwaysHolds) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({}, std::nullopt, "Expected", &le).ok());
  ExpectConsistent(le);
  EXPECT_EQ(le.expr.condition.kind, Condition::Kind::kCompare);
  EXPECT_EQ(le.expr.condition.op, CompareOp::kEq);
}

TEST(LegacyExpectedShape, FiltersAreFilterExpressions) {
  LegacyExpression le;
  ASSERT_TRUE(
      ConvertExpected({OpEntry("a", "EQ", {R"({"S":"x"})"})}, std::nullopt, "ScanFilter", &le)
          .ok());
  EXPECT_EQ(le.expr.kind, ExpressionKind::kFilter);
}

TEST(LegacyExpectedShape, RepeatedKeyKeepsTheLastValue) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({ValueEntry("a", R"({"S":"1"})"), ValueEntry("a", R"({"S":"2"})")},
                              std::nullopt, "Expected", &le)
                  .ok());
  ASSERT_EQ(le.expr.condition.kind, Condition::Kind::kCompare);
  ExpectValueOperand(le, le.expr.condition.operands[1], V(R"({"S":"2"})"));
}

TEST(LegacyExpectedShape, ReconversionResetsTheExpression) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({ValueEntry("a", R"({"S":"1"})"), ValueEntry("b", R"({"S":"2"})")},
                              std::nullopt, "Expected", &le)
                  .ok());
  ASSERT_TRUE(
      ConvertExpected({ValueEntry("c", R"({"S":"3"})")}, std::nullopt, "Expected", &le).ok());
  ExpectConsistent(le);
  EXPECT_EQ(le.owned_values.size(), 1u);
  ExpectPathOperand(le.expr.condition.operands[0], "c");
}

// ---- Expected: validation ---------------------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::vector<ExpectedAttributeInput> expected;
  std::optional<std::string> conditional_operator;
  std::string message;
};

TEST(LegacyExpectedValidation, MessagesAndOrder) {
  ExpectedAttributeInput null_entry = Exp("a");
  null_entry.is_null = true;
  ExpectedAttributeInput value_and_list = OpEntry("a", "LT", {R"({"S":"a"})"});
  value_and_list.value = V(R"({"S":"a"})");
  ExpectedAttributeInput value_list_exists = value_and_list;
  value_list_exists.exists = true;  // Value+List is checked before Exists+ComparisonOperator
  ExpectedAttributeInput exists_and_op = OpEntry("a", "LT");
  exists_and_op.exists = true;
  ExpectedAttributeInput list_without_op = Exp("a");
  list_without_op.attribute_value_list = std::vector<AttributeValue>{V(R"({"S":"a"})")};
  ExpectedAttributeInput list_with_exists = list_without_op;
  list_with_exists.exists = true;
  ExpectedAttributeInput null_with_value = Exp("a");
  null_with_value.comparison_operator = "NULL";
  null_with_value.value = V(R"({"S":"a"})");
  ExpectedAttributeInput between_with_value = Exp("a");
  between_with_value.comparison_operator = "BETWEEN";
  between_with_value.value = V(R"({"S":"a"})");
  ExpectedAttributeInput bad_op = OpEntry("a", "FOO", {R"({"S":"a"})"});
  ExpectedAttributeInput bad_op_b = OpEntry("b", "lt", {R"({"S":"a"})"});

  const std::string kBadOpEnum =
      "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
      "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";

  std::vector<ErrorCase> cases = {
      {"null entry",
       {null_entry},
       std::nullopt,
       kInvalid + "ExpectedAttributeValue must not be null for Attribute: a"},
      {"value and list",
       {value_and_list},
       std::nullopt,
       kInvalid + "Value and AttributeValueList cannot be used together for Attribute: a"},
      {"value and list before exists",
       {value_list_exists},
       std::nullopt,
       kInvalid + "Value and AttributeValueList cannot be used together for Attribute: a"},
      {"exists and operator",
       {exists_and_op},
       std::nullopt,
       kInvalid + "Exists and ComparisonOperator cannot be used together for Attribute: a"},
      {"operator alone",
       {OpEntry("a", "LT")},
       std::nullopt,
       kInvalid + "Value or AttributeValueList must be used with ComparisonOperator: LT for "
                  "Attribute: a"},
      {"EQ empty list",
       {OpListEntry("a", "EQ", {})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the EQ ComparisonOperator"},
      {"EQ two values",
       {OpEntry("a", "EQ", {R"({"S":"a"})", R"({"N":"1"})"})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the EQ ComparisonOperator"},
      {"NULL with a value",
       {OpEntry("a", "NULL", {R"({"S":"a"})"})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the NULL ComparisonOperator"},
      {"NULL with Value",
       {null_with_value},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the NULL ComparisonOperator"},
      {"IN empty",
       {OpListEntry("a", "IN", {})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the IN ComparisonOperator"},
      {"BETWEEN three",
       {OpEntry("a", "BETWEEN", {R"({"N":"1"})", R"({"N":"10"})", R"({"N":"12"})"})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
      {"BETWEEN with Value",
       {between_with_value},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
      {"NOT_CONTAINS two",
       {OpEntry("a", "NOT_CONTAINS", {R"({"S":"a"})", R"({"S":"b"})"})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the NOT_CONTAINS ComparisonOperator"},
      {"mixed types",
       {OpEntry("a", "IN", {R"({"S":"a"})", R"({"N":"1"})"})},
       std::nullopt,
       kInvalid + "AttributeValues inside AttributeValueList must be of same type"},
      {"BETWEEN numbers reversed",
       {OpEntry("a", "BETWEEN", {R"({"N":"5"})", R"({"N":"1e-1"})"})},
       std::nullopt,
       "The BETWEEN condition was provided a range where the lower bound is greater than the "
       "upper bound"},
      {"BETWEEN strings reversed",
       {OpEntry("a", "BETWEEN", {R"({"S":"b"})", R"({"S":"a"})"})},
       std::nullopt,
       "The BETWEEN condition was provided a range where the lower bound is greater than the "
       "upper bound"},
      {"list without operator",
       {list_without_op},
       std::nullopt,
       kInvalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
      {"list with exists",
       {list_with_exists},
       std::nullopt,
       kInvalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
      {"empty entry",
       {Exp("a")},
       std::nullopt,
       kInvalid + "Value must be provided when Exists is null for Attribute: a"},
      {"exists true without value",
       {ExistsEntry("a", true)},
       std::nullopt,
       kInvalid + "Value must be provided when Exists is true for Attribute: a"},
      {"exists false with value",
       {ValueEntry("a", R"({"S":"a"})", false)},
       std::nullopt,
       kInvalid + "Value cannot be used when Exists is false for Attribute: a"},
      {"first bad entry wins",
       {ExistsEntry("k", false), ExistsEntry("a", true), Exp("b")},
       std::nullopt,
       kInvalid + "Value must be provided when Exists is true for Attribute: a"},
      {"enum errors together",
       {bad_op},
       "XOR",
       "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy "
       "constraint: Member must satisfy enum value set: [OR, AND]; Value 'FOO' at "
       "'expected.a.member.comparisonOperator' failed to satisfy constraint: " +
           kBadOpEnum},
      {"enum error before semantic error",
       {ExistsEntry("z", true), bad_op_b},
       std::nullopt,
       "1 validation error detected: Value 'lt' at 'expected.b.member.comparisonOperator' failed "
       "to satisfy constraint: " +
           kBadOpEnum},
      {"conditional operator enum",
       {ExistsEntry("a", false)},
       "or",
       "1 validation error detected: Value 'or' at 'conditionalOperator' failed to satisfy "
       "constraint: Member must satisfy enum value set: [OR, AND]"},
      {"conditional operator with one entry",
       {ExistsEntry("a", false)},
       "OR",
       "ConditionalOperator can only be used when Filter or Expected has two or more elements"},
      {"conditional operator with no entry",
       {},
       "AND",
       "ConditionalOperator cannot be used without Filter or Expected"},
      {"entry errors before conditional operator count",
       {ExistsEntry("a", true)},
       "AND",
       kInvalid + "Value must be provided when Exists is true for Attribute: a"},
  };
  for (const ErrorCase& tc : cases) {
    SCOPED_TRACE(tc.name);
    LegacyExpression le;
    ExpectValidation(ConvertExpected(tc.expected, tc.conditional_operator, "Expected", &le),
                     tc.message);
  }
}

TEST(LegacyExpectedValidation, ExpectedDoesNotCheckArgumentTypes) {
  // Unlike the filters, Expected accepts any type; the comparison is simply false.
  LegacyExpression le;
  EXPECT_TRUE(
      ConvertExpected({OpEntry("a", "LT", {R"({"SS":["a"]})"})}, std::nullopt, "Expected", &le)
          .ok());
  EXPECT_TRUE(
      ConvertExpected({OpEntry("a", "EQ", {R"({"BOOL":true})"})}, std::nullopt, "Expected", &le)
          .ok());
}

TEST(LegacyFilterValidation, MessagesAndOrder) {
  ExpectedAttributeInput no_op = Exp("a");
  no_op.attribute_value_list = std::vector<AttributeValue>{V(R"({"S":"a"})")};
  ExpectedAttributeInput null_entry = Exp("a");
  null_entry.is_null = true;

  std::vector<ErrorCase> cases = {
      {"LE on SS",
       {OpEntry("a", "LE", {R"({"SS":["a"]})"})},
       std::nullopt,
       kInvalid + "ComparisonOperator LE is not valid for SS AttributeValue type"},
      {"CONTAINS on NS",
       {OpEntry("a", "CONTAINS", {R"({"NS":["1"]})"})},
       std::nullopt,
       kInvalid + "ComparisonOperator CONTAINS is not valid for NS AttributeValue type"},
      {"BEGINS_WITH on N",
       {OpEntry("a", "BEGINS_WITH", {R"({"N":"1"})"})},
       std::nullopt,
       kInvalid + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"},
      {"EQ on BOOL",
       {OpEntry("a", "EQ", {R"({"BOOL":true})"})},
       std::nullopt,
       kInvalid + "ComparisonOperator EQ is not valid for BOOL AttributeValue type"},
      {"IN on L",
       {OpEntry("a", "IN", {R"({"L":[]})"})},
       std::nullopt,
       kInvalid + "ComparisonOperator IN is not valid for L AttributeValue type"},
      {"count before type",
       {OpEntry("a", "LE", {R"({"SS":["a"]})", R"({"SS":["b"]})"})},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the LE ComparisonOperator"},
      {"same type before type",
       {OpEntry("a", "IN", {R"({"SS":["a"]})", R"({"S":"b"})"})},
       std::nullopt,
       kInvalid + "AttributeValues inside AttributeValueList must be of same type"},
      {"EQ without values",
       {OpEntry("a", "EQ")},
       std::nullopt,
       kInvalid + "Invalid number of argument(s) for the EQ ComparisonOperator"},
      {"BETWEEN reversed",
       {OpEntry("a", "BETWEEN", {R"({"B":"Ag=="})", R"({"B":"AQ=="})"})},
       std::nullopt,
       "The BETWEEN condition was provided a range where the lower bound is greater than the "
       "upper bound"},
      {"missing operator",
       {no_op},
       std::nullopt,
       "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' "
       "failed to satisfy constraint: Member must not be null"},
      {"null condition",
       {null_entry},
       std::nullopt,
       "The filter condition for an attribute cannot be null: a"},
  };
  for (const ErrorCase& tc : cases) {
    SCOPED_TRACE(tc.name);
    LegacyExpression le;
    ExpectValidation(ConvertExpected(tc.expected, tc.conditional_operator, "ScanFilter", &le),
                     tc.message);
  }
}

TEST(LegacyFilterValidation, QueryFilterMembersPrecedeConditionalOperator) {
  LegacyExpression le;
  ExpectValidation(
      ConvertExpected({OpEntry("a", "BAD", {R"({"S":"a"})"})}, "XOR", "QueryFilter", &le),
      "2 validation errors detected: Value 'BAD' at 'queryFilter.a.member.comparisonOperator' "
      "failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, "
      "NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; Value 'XOR' at "
      "'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: "
      "[OR, AND]");
}

TEST(LegacyFilterValidation, EqAcceptsSetsAndNullTakesNothing) {
  LegacyExpression le;
  EXPECT_TRUE(ConvertExpected({OpEntry("a", "EQ", {R"({"SS":["x"]})"}), OpEntry("b", "NULL")},
                              std::nullopt, "QueryFilter", &le)
                  .ok());
}

TEST(LegacyConstraintViolations, ForTheCallersCollector) {
  ExpectedAttributeInput no_op = Exp("b");
  std::vector<LegacyConstraintViolation> v =
      ExpectedConstraintViolations({OpEntry("a", "NOPE"), no_op, OpEntry("c", "EQ")}, "ScanFilter");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].value, std::optional<std::string>("NOPE"));
  EXPECT_EQ(v[0].path, "scanFilter.a.member.comparisonOperator");
  EXPECT_EQ(v[1].value, std::nullopt);
  EXPECT_EQ(v[1].path, "scanFilter.b.member.comparisonOperator");
  EXPECT_EQ(v[1].constraint, "Member must not be null");
  // In Expected the operator is optional.
  EXPECT_TRUE(ExpectedConstraintViolations({no_op}, "Expected").empty());

  std::vector<LegacyConstraintViolation> u =
      AttributeUpdatesConstraintViolations({Upd("a", "PUT", R"({"S":"x"})"), Upd("b", "put")});
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].value, std::optional<std::string>("put"));
  EXPECT_EQ(u[0].path, "attributeUpdates.b.member.action");
  EXPECT_EQ(u[0].constraint, "Member must satisfy enum value set: [ADD, DELETE, PUT]");
}

// ---- AttributeUpdates: AST shape and validation -----------------------------------------------

TEST(LegacyUpdatesShape, Actions) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertAttributeUpdates(
                  {Upd("p", std::nullopt, R"({"S":"x"})"), Upd("q", "PUT", R"({"N":"1"})"),
                   Upd("r", "DELETE"), Upd("s", "DELETE", R"({"SS":["a"]})"),
                   Upd("t", "ADD", R"({"N":"2"})"), Upd("u", "ADD", R"({"NS":["3"]})"),
                   Upd("v", "ADD", R"({"L":[{"S":"e"}]})")},
                  &le)
                  .ok());
  ExpectConsistent(le);
  EXPECT_EQ(le.expr.kind, ExpressionKind::kUpdate);
  const std::vector<UpdateAction>& a = le.expr.actions;
  ASSERT_EQ(a.size(), 7u);

  EXPECT_EQ(a[0].kind, UpdateAction::Kind::kSet);
  ExpectNamePath(a[0].path, "p");
  ExpectValueOperand(le, a[0].value, V(R"({"S":"x"})"));
  EXPECT_EQ(a[1].kind, UpdateAction::Kind::kSet);
  ExpectValueOperand(le, a[1].value, V(R"({"N":"1"})"));

  EXPECT_EQ(a[2].kind, UpdateAction::Kind::kRemove);
  ExpectNamePath(a[2].path, "r");

  EXPECT_EQ(a[3].kind, UpdateAction::Kind::kDelete);
  ExpectValueOperand(le, a[3].value, V(R"({"SS":["a"]})"));

  EXPECT_EQ(a[4].kind, UpdateAction::Kind::kAdd);
  ExpectValueOperand(le, a[4].value, V(R"({"N":"2"})"));
  EXPECT_EQ(a[5].kind, UpdateAction::Kind::kAdd);

  // ADD of a list: SET v = list_append(if_not_exists(v, :empty), :value)
  EXPECT_EQ(a[6].kind, UpdateAction::Kind::kSet);
  ExpectNamePath(a[6].path, "v");
  const Operand& append = a[6].value;
  ASSERT_EQ(append.kind, Operand::Kind::kListAppend);
  ASSERT_EQ(append.args.size(), 2u);
  const Operand& base = append.args[0];
  ASSERT_EQ(base.kind, Operand::Kind::kIfNotExists);
  ASSERT_EQ(base.args.size(), 2u);
  ExpectPathOperand(base.args[0], "v");
  ExpectValueOperand(le, base.args[1], V(R"({"L":[]})"));
  ExpectValueOperand(le, append.args[1], V(R"({"L":[{"S":"e"}]})"));
}

TEST(LegacyUpdatesValidation, MessagesAndOrder) {
  AttributeUpdateInput null_entry;
  null_entry.name = "a";
  null_entry.is_null = true;
  struct Case {
    const char* name;
    std::vector<AttributeUpdateInput> updates;
    std::string message;
  } cases[] = {
      {"no value, no action",
       {Upd("a", std::nullopt)},
       kInvalid + "Only DELETE action is allowed when no attribute value is specified"},
      {"PUT without value",
       {Upd("a", "PUT")},
       kInvalid + "Only DELETE action is allowed when no attribute value is specified"},
      {"ADD without value",
       {Upd("a", "ADD")},
       kInvalid + "Only DELETE action is allowed when no attribute value is specified"},
      {"DELETE S",
       {Upd("a", "DELETE", R"({"S":"x"})")},
       kInvalid + "DELETE action with value is not supported for the type S"},
      {"DELETE N",
       {Upd("a", "DELETE", R"({"N":"1"})")},
       kInvalid + "DELETE action with value is not supported for the type N"},
      {"DELETE L",
       {Upd("a", "DELETE", R"({"L":[]})")},
       kInvalid + "DELETE action with value is not supported for the type L"},
      {"ADD S",
       {Upd("a", "ADD", R"({"S":"x"})")},
       kInvalid + "ADD action is not supported for the type S"},
      {"ADD B",
       {Upd("a", "ADD", R"({"B":"Yg=="})")},
       kInvalid + "ADD action is not supported for the type B"},
      {"ADD M",
       {Upd("a", "ADD", R"({"M":{}})")},
       kInvalid + "ADD action is not supported for the type M"},
      {"ADD BOOL",
       {Upd("a", "ADD", R"({"BOOL":true})")},
       kInvalid + "ADD action is not supported for the type BOOL"},
      {"first bad entry wins",
       {Upd("a", "PUT", R"({"S":"x"})"), Upd("b", "ADD", R"({"S":"x"})"), Upd("c", "PUT")},
       kInvalid + "ADD action is not supported for the type S"},
      {"null entry",
       {null_entry},
       "Supplied AttributeValueUpdate is empty, must contain one of the supported actions: a is "
       "null"},
      {"action enum before everything",
       {Upd("a", "PUT"), Upd("b", "REPLACE", R"({"S":"x"})")},
       "1 validation error detected: Value 'REPLACE' at 'attributeUpdates.b.member.action' "
       "failed to satisfy constraint: Member must satisfy enum value set: [ADD, DELETE, PUT]"},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    LegacyExpression le;
    ExpectValidation(ConvertAttributeUpdates(tc.updates, &le), tc.message);
  }
}

// ---- AttributesToGet --------------------------------------------------------------------------

TEST(LegacyAttributesToGet, Paths) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertAttributesToGet({"a", "b.c", "name"}, &le).ok());
  EXPECT_EQ(le.expr.kind, ExpressionKind::kProjection);
  ASSERT_EQ(le.expr.projection.size(), 3u);
  ExpectNamePath(le.expr.projection[0], "a");
  ExpectNamePath(le.expr.projection[1], "b.c");
  ExpectNamePath(le.expr.projection[2], "name");
  ExpectConsistent(le);
}

TEST(LegacyAttributesToGet, Errors) {
  LegacyExpression le;
  ExpectValidation(ConvertAttributesToGet({"a", "b", "c", "b", "a"}, &le),
                   kInvalid + "Duplicate value in attribute name: b");
  ExpectValidation(ConvertAttributesToGet({}, &le),
                   "1 validation error detected: Value '[]' at 'attributesToGet' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 1");
  std::vector<std::string> many;
  for (int i = 0; i < 256; ++i) many.push_back("a" + std::to_string(i));
  Status s = ConvertAttributesToGet(many, &le);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message())
                .find("' at 'attributesToGet' failed to satisfy constraint: Member must have "
                      "length less than or equal to 255"),
            std::string::npos)
      << s.message();
  many.pop_back();
  EXPECT_TRUE(ConvertAttributesToGet(many, &le).ok());
}

// ---- Expected: semantics through EvaluateCondition --------------------------------------------

const char* kItem = R"({
  "s": {"S": "hello"},
  "n": {"N": "5"},
  "b": {"B": "AQID"},
  "ss": {"SS": ["a", "b"]},
  "ns": {"NS": ["1", "2.5"]},
  "l": {"L": [{"S": "dog"}, {"N": "7"}]},
  "m": {"M": {"x": {"N": "1"}}},
  "t": {"BOOL": true},
  "nul": {"NULL": true}
})";

bool Holds(const std::vector<ExpectedAttributeInput>& expected,
           std::optional<std::string> conditional_operator, const item::Item* item) {
  LegacyExpression le;
  Status s = ConvertExpected(expected, conditional_operator, "Expected", &le);
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return false;
  return EvaluateCondition(le.expr, le.bindings, item);
}

TEST(LegacyExpectedSemantics, OperatorTable) {
  item::Item item = ItemOf(kItem);
  struct Case {
    const char* name;
    ExpectedAttributeInput entry;
    bool want;
  } cases[] = {
      {"Value equal", ValueEntry("s", R"({"S":"hello"})"), true},
      {"Value other", ValueEntry("s", R"({"S":"help"})"), false},
      {"Value other type", ValueEntry("n", R"({"S":"5"})"), false},
      {"Value numeric equality", ValueEntry("n", R"({"N":"5.00"})"), true},
      {"Value absent", ValueEntry("zz", R"({"S":"x"})"), false},
      {"Exists true + Value compares", ValueEntry("s", R"({"S":"nope"})", true), false},
      {"Exists false, absent", ExistsEntry("zz", false), true},
      {"Exists false, present", ExistsEntry("s", false), false},
      {"EQ set order-insensitive", OpEntry("ss", "EQ", {R"({"SS":["b","a"]})"}), true},
      {"EQ map", OpEntry("m", "EQ", {R"({"M":{"x":{"N":"1.0"}}})"}), true},
      {"EQ absent", OpEntry("zz", "EQ", {R"({"S":"x"})"}), false},
      {"NE other", OpEntry("s", "NE", {R"({"S":"x"})"}), true},
      {"NE same", OpEntry("s", "NE", {R"({"S":"hello"})"}), false},
      {"NE other type", OpEntry("n", "NE", {R"({"S":"5"})"}), true},
      {"NE absent", OpEntry("zz", "NE", {R"({"S":"x"})"}), true},
      {"LT numbers", OpEntry("n", "LT", {R"({"N":"10"})"}), true},
      {"LT numbers false", OpEntry("n", "LT", {R"({"N":"5"})"}), false},
      {"LE numbers", OpEntry("n", "LE", {R"({"N":"5"})"}), true},
      {"GT strings", OpEntry("s", "GT", {R"({"S":"hell"})"}), true},
      {"GE binary", OpEntry("b", "GE", {R"({"B":"AQID"})"}), true},
      {"GT across types", OpEntry("n", "GT", {R"({"S":"1"})"}), false},
      {"LT absent", OpEntry("zz", "LT", {R"({"N":"1"})"}), false},
      {"LT sets", OpEntry("ss", "LT", {R"({"SS":["z"]})"}), false},
      {"NOT_NULL present", OpEntry("nul", "NOT_NULL"), true},
      {"NOT_NULL absent", OpEntry("zz", "NOT_NULL"), false},
      {"NULL absent", OpEntry("zz", "NULL"), true},
      {"NULL present (NULL type)", OpEntry("nul", "NULL"), false},
      {"CONTAINS substring", OpEntry("s", "CONTAINS", {R"({"S":"ell"})"}), true},
      {"CONTAINS set member", OpEntry("ss", "CONTAINS", {R"({"S":"b"})"}), true},
      {"CONTAINS number set", OpEntry("ns", "CONTAINS", {R"({"N":"2.50"})"}), true},
      {"CONTAINS list element", OpEntry("l", "CONTAINS", {R"({"N":"7"})"}), true},
      {"CONTAINS missing", OpEntry("s", "CONTAINS", {R"({"S":"xyz"})"}), false},
      {"CONTAINS absent", OpEntry("zz", "CONTAINS", {R"({"S":"x"})"}), false},
      {"NOT_CONTAINS substring", OpEntry("s", "NOT_CONTAINS", {R"({"S":"ell"})"}), false},
      {"NOT_CONTAINS other", OpEntry("s", "NOT_CONTAINS", {R"({"S":"xyz"})"}), true},
      {"NOT_CONTAINS set", OpEntry("ss", "NOT_CONTAINS", {R"({"S":"c"})"}), true},
      {"NOT_CONTAINS other type", OpEntry("n", "NOT_CONTAINS", {R"({"S":"5"})"}), true},
      {"NOT_CONTAINS absent", OpEntry("zz", "NOT_CONTAINS", {R"({"S":"x"})"}), false},
      {"BEGINS_WITH", OpEntry("s", "BEGINS_WITH", {R"({"S":"he"})"}), true},
      {"BEGINS_WITH no", OpEntry("s", "BEGINS_WITH", {R"({"S":"lo"})"}), false},
      {"BEGINS_WITH binary", OpEntry("b", "BEGINS_WITH", {R"({"B":"AQ=="})"}), true},
      {"BEGINS_WITH absent", OpEntry("zz", "BEGINS_WITH", {R"({"S":"x"})"}), false},
      {"IN hit", OpEntry("n", "IN", {R"({"N":"1"})", R"({"N":"5"})"}), true},
      {"IN miss", OpEntry("n", "IN", {R"({"N":"1"})", R"({"N":"2"})"}), false},
      {"IN other type", OpEntry("s", "IN", {R"({"N":"1"})"}), false},
      {"IN absent", OpEntry("zz", "IN", {R"({"S":"x"})"}), false},
      {"BETWEEN inside", OpEntry("n", "BETWEEN", {R"({"N":"1"})", R"({"N":"5"})"}), true},
      {"BETWEEN outside", OpEntry("n", "BETWEEN", {R"({"N":"6"})", R"({"N":"9"})"}), false},
      {"BETWEEN strings", OpEntry("s", "BETWEEN", {R"({"S":"a"})", R"({"S":"i"})"}), true},
      {"BETWEEN absent", OpEntry("zz", "BETWEEN", {R"({"N":"1"})", R"({"N":"9"})"}), false},
  };
  for (const Case& tc : cases) {
    EXPECT_EQ(Holds({tc.entry}, std::nullopt, &item), tc.want) << tc.name;
  }
}

TEST(LegacyExpectedSemantics, NoStoredItem) {
  EXPECT_TRUE(Holds({ExistsEntry("a", false)}, std::nullopt, nullptr));
  EXPECT_TRUE(Holds({OpEntry("a", "NULL")}, std::nullopt, nullptr));
  EXPECT_TRUE(Holds({OpEntry("a", "NE", {R"({"S":"x"})"})}, std::nullopt, nullptr));
  EXPECT_FALSE(Holds({ValueEntry("a", R"({"S":"x"})")}, std::nullopt, nullptr));
  EXPECT_FALSE(Holds({OpEntry("a", "NOT_NULL")}, std::nullopt, nullptr));
  EXPECT_FALSE(Holds({OpEntry("a", "NOT_CONTAINS", {R"({"S":"x"})"})}, std::nullopt, nullptr));
  EXPECT_TRUE(Holds({}, std::nullopt, nullptr));
}

TEST(LegacyExpectedSemantics, AndOr) {
  item::Item item = ItemOf(kItem);
  std::vector<ExpectedAttributeInput> one_false = {ValueEntry("s", R"({"S":"hello"})"),
                                                   ExistsEntry("zz", false),
                                                   ValueEntry("n", R"({"N":"6"})")};
  EXPECT_FALSE(Holds(one_false, std::nullopt, &item));
  EXPECT_FALSE(Holds(one_false, "AND", &item));
  EXPECT_TRUE(Holds(one_false, "OR", &item));
  // OR holds when any entry holds, whatever its position.
  std::vector<ExpectedAttributeInput> last_true = {ValueEntry("s", R"({"S":"x"})"),
                                                   OpEntry("n", "GT", {R"({"N":"100"})"}),
                                                   OpEntry("t", "NOT_NULL")};
  EXPECT_TRUE(Holds(last_true, "OR", &item));
  EXPECT_FALSE(Holds(last_true, "AND", &item));
  std::vector<ExpectedAttributeInput> none = {ValueEntry("s", R"({"S":"x"})"),
                                              OpEntry("zz", "NOT_NULL")};
  EXPECT_FALSE(Holds(none, "OR", &item));
  std::vector<ExpectedAttributeInput> all = {ValueEntry("s", R"({"S":"hello"})"),
                                             OpEntry("zz", "NULL"),
                                             OpEntry("n", "GE", {R"({"N":"5"})"})};
  EXPECT_TRUE(Holds(all, std::nullopt, &item));
}

TEST(LegacyExpectedSemantics, LiteralNamesReachTheirAttributes) {
  item::Item item =
      ItemOf(R"({"a.b": {"S": "dotted"}, "name": {"N": "1"}, "a": {"M": {"b": {"S": "nested"}}}})");
  EXPECT_TRUE(Holds({ValueEntry("a.b", R"({"S":"dotted"})")}, std::nullopt, &item));
  EXPECT_TRUE(Holds({ValueEntry("name", R"({"N":"1"})")}, std::nullopt, &item));
}

TEST(LegacyFilterSemantics, ScanFilterEvaluates) {
  item::Item item = ItemOf(kItem);
  LegacyExpression le;
  ASSERT_TRUE(ConvertExpected({OpEntry("n", "GT", {R"({"N":"4"})"}),
                               OpEntry("s", "BEGINS_WITH", {R"({"S":"h"})"})},
                              std::nullopt, "ScanFilter", &le)
                  .ok());
  EXPECT_TRUE(EvaluateCondition(le.expr, le.bindings, &item));
  ASSERT_TRUE(ConvertExpected({OpEntry("n", "GT", {R"({"N":"5"})"}),
                               OpEntry("s", "BEGINS_WITH", {R"({"S":"h"})"})},
                              "OR", "QueryFilter", &le)
                  .ok());
  EXPECT_TRUE(EvaluateCondition(le.expr, le.bindings, &item));
  ASSERT_TRUE(ConvertExpected({OpEntry("n", "GT", {R"({"N":"5"})"}),
                               OpEntry("s", "BEGINS_WITH", {R"({"S":"x"})"})},
                              "OR", "QueryFilter", &le)
                  .ok());
  EXPECT_FALSE(EvaluateCondition(le.expr, le.bindings, &item));
}

// ---- AttributeUpdates: semantics through ApplyAttributeUpdates --------------------------------

struct UpdateCase {
  const char* name;
  const char* before;  // an item as DynamoDB JSON
  std::vector<AttributeUpdateInput> updates;
  const char* after;
};

TEST(LegacyUpdatesSemantics, Apply) {
  std::vector<UpdateCase> cases = {
      {"PUT replaces",
       R"({"k":{"S":"1"},"a":{"N":"1"}})",
       {Upd("a", "PUT", R"({"SS":["x"]})")},
       R"({"k":{"S":"1"},"a":{"SS":["x"]}})"},
      {"PUT is the default and creates",
       R"({"k":{"S":"1"}})",
       {Upd("a", std::nullopt, R"({"S":"v"})")},
       R"({"k":{"S":"1"},"a":{"S":"v"}})"},
      {"DELETE removes",
       R"({"k":{"S":"1"},"a":{"N":"1"},"b":{"S":"x"}})",
       {Upd("a", "DELETE")},
       R"({"k":{"S":"1"},"b":{"S":"x"}})"},
      {"DELETE of an absent attribute",
       R"({"k":{"S":"1"}})",
       {Upd("a", "DELETE")},
       R"({"k":{"S":"1"}})"},
      {"DELETE subtracts a set",
       R"({"k":{"S":"1"},"a":{"SS":["x","y","z"]}})",
       {Upd("a", "DELETE", R"({"SS":["x","z","w"]})")},
       R"({"k":{"S":"1"},"a":{"SS":["y"]}})"},
      {"DELETE numbers numerically",
       R"({"k":{"S":"1"},"a":{"NS":["1","2"]}})",
       {Upd("a", "DELETE", R"({"NS":["2.0"]})")},
       R"({"k":{"S":"1"},"a":{"NS":["1"]}})"},
      {"DELETE of every member removes",
       R"({"k":{"S":"1"},"a":{"BS":["AQ=="]}})",
       {Upd("a", "DELETE", R"({"BS":["AQ=="]})")},
       R"({"k":{"S":"1"}})"},
      {"DELETE set from absent",
       R"({"k":{"S":"1"}})",
       {Upd("a", "DELETE", R"({"SS":["x"]})")},
       R"({"k":{"S":"1"}})"},
      {"ADD number",
       R"({"k":{"S":"1"},"a":{"N":"1.5"}})",
       {Upd("a", "ADD", R"({"N":"-3"})")},
       R"({"k":{"S":"1"},"a":{"N":"-1.5"}})"},
      {"ADD number to absent starts at 0",
       R"({"k":{"S":"1"}})",
       {Upd("a", "ADD", R"({"N":"7"})")},
       R"({"k":{"S":"1"},"a":{"N":"7"}})"},
      {"ADD number exactly",
       R"({"k":{"S":"1"},"a":{"N":"12345678901234567890123456789012345678"}})",
       {Upd("a", "ADD", R"({"N":"1"})")},
       R"({"k":{"S":"1"},"a":{"N":"12345678901234567890123456789012345679"}})"},
      {"ADD set unions",
       R"({"k":{"S":"1"},"a":{"SS":["x","y"]}})",
       {Upd("a", "ADD", R"({"SS":["y","z"]})")},
       R"({"k":{"S":"1"},"a":{"SS":["x","y","z"]}})"},
      {"ADD set to absent",
       R"({"k":{"S":"1"}})",
       {Upd("a", "ADD", R"({"NS":["3"]})")},
       R"({"k":{"S":"1"},"a":{"NS":["3"]}})"},
      {"ADD list appends",
       R"({"k":{"S":"1"},"a":{"L":[{"S":"x"}]}})",
       {Upd("a", "ADD", R"({"L":[{"S":"x"},{"N":"2"}]})")},
       R"({"k":{"S":"1"},"a":{"L":[{"S":"x"},{"S":"x"},{"N":"2"}]}})"},
      {"ADD list to absent",
       R"({"k":{"S":"1"}})",
       {Upd("a", "ADD", R"({"L":[{"BOOL":true}]})")},
       R"({"k":{"S":"1"},"a":{"L":[{"BOOL":true}]}})"},
      {"several at once",
       R"({"k":{"S":"1"},"a":{"N":"1"},"b":{"S":"old"},"c":{"SS":["q"]}})",
       {Upd("a", "ADD", R"({"N":"1"})"), Upd("b", "DELETE"), Upd("c", "ADD", R"({"SS":["r"]})"),
        Upd("d", "PUT", R"({"M":{"x":{"NULL":true}}})")},
       R"({"k":{"S":"1"},"a":{"N":"2"},"c":{"SS":["q","r"]},"d":{"M":{"x":{"NULL":true}}}})"},
      {"no stored item",
       R"({})",
       {Upd("a", "ADD", R"({"N":"1"})"), Upd("b", "DELETE"), Upd("c", "DELETE", R"({"SS":["x"]})")},
       R"({"a":{"N":"1"}})"},
  };
  for (const UpdateCase& tc : cases) {
    SCOPED_TRACE(tc.name);
    LegacyExpression le;
    Status s = ConvertAttributeUpdates(tc.updates, &le);
    ASSERT_TRUE(s.ok()) << s.message();
    item::Item item = ItemOf(tc.before);
    s = ApplyAttributeUpdates(le, &item);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(item::ToJson(item), item::ToJson(ItemOf(tc.after)));
  }
}

TEST(LegacyUpdatesSemantics, TypeMismatchChangesNothing) {
  struct Case {
    const char* name;
    const char* before;
    std::vector<AttributeUpdateInput> updates;
  } cases[] = {
      {"DELETE NS from SS", R"({"b":{"SS":["1"]}})", {Upd("b", "DELETE", R"({"NS":["1"]})")}},
      {"DELETE NS from N", R"({"b":{"N":"1"}})", {Upd("b", "DELETE", R"({"NS":["1"]})")}},
      {"ADD NS to SS", R"({"b":{"SS":["1"]}})", {Upd("b", "ADD", R"({"NS":["2"]})")}},
      {"ADD N to NS", R"({"b":{"NS":["1"]}})", {Upd("b", "ADD", R"({"N":"2"})")}},
      {"ADD N to S", R"({"b":{"S":"1"}})", {Upd("b", "ADD", R"({"N":"2"})")}},
      {"ADD L to S", R"({"b":{"S":"1"}})", {Upd("b", "ADD", R"({"L":[]})")}},
      {"after a valid action",
       R"({"a":{"N":"1"},"b":{"SS":["1"]}})",
       {Upd("a", "ADD", R"({"N":"1"})"), Upd("b", "ADD", R"({"N":"1"})")}},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(tc.name);
    LegacyExpression le;
    ASSERT_TRUE(ConvertAttributeUpdates(tc.updates, &le).ok());
    item::Item item = ItemOf(tc.before);
    const std::string before = item::ToJson(item);
    ExpectValidation(ApplyAttributeUpdates(le, &item), "Type mismatch for attribute to update");
    EXPECT_EQ(item::ToJson(item), before);
  }
}

TEST(LegacyUpdatesSemantics, NumberLimitsAreReported) {
  LegacyExpression le;
  ASSERT_TRUE(ConvertAttributeUpdates({Upd("a", "ADD", R"({"N":"9e125"})")}, &le).ok());
  item::Item item = ItemOf(R"({"a":{"N":"9e125"}})");
  Status s = ApplyAttributeUpdates(le, &item);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(item::ApiErrorOf(s), item::ApiError::kValidation);
  EXPECT_EQ(item::ToJson(item), item::ToJson(ItemOf(R"({"a":{"N":"9e125"}})")));
}

}  // namespace
}  // namespace strata::query
