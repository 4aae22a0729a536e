#include "query/parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "item/api_error.h"
#include "query/lexer.h"
#include "query/reserved_words.h"

namespace strata::query {
namespace {

std::shared_ptr<const ParsedExpression> MustParse(ExpressionKind kind, const std::string& text) {
  auto r = ParseExpression(kind, text);
  EXPECT_TRUE(r.ok()) << text << " -> " << r.status().ToString();
  if (!r.ok()) return std::make_shared<ParsedExpression>();
  return r.value();
}

// The ValidationException message of a failed parse ("" when it parsed).
std::string ParseError(ExpressionKind kind, const std::string& text) {
  auto r = ParseExpression(kind, text);
  if (r.ok()) return "";
  EXPECT_EQ(item::ApiErrorOf(r.status()), item::ApiError::kValidation) << text;
  return std::string(r.status().message());
}

// A compact rendering of the AST for shape tests.
std::string PathText(const ParsedExpression& e, const Path& p) {
  std::string s;
  for (const PathElement& el : p.elements) {
    switch (el.kind) {
      case PathElement::Kind::kName:
        if (!s.empty()) s += ".";
        s += el.name;
        break;
      case PathElement::Kind::kNamePlaceholder:
        if (!s.empty()) s += ".";
        s += e.name_placeholders[el.index];
        break;
      case PathElement::Kind::kIndex:
        s += "[" + std::to_string(el.index) + "]";
        break;
    }
  }
  return s;
}

std::string OperandText(const ParsedExpression& e, const Operand& o) {
  auto args = [&](const char* name) {
    std::string s = std::string(name) + "(";
    for (size_t i = 0; i < o.args.size(); ++i) {
      if (i > 0) s += ", ";
      s += OperandText(e, o.args[i]);
    }
    return s + ")";
  };
  switch (o.kind) {
    case Operand::Kind::kPath:
      return PathText(e, o.path);
    case Operand::Kind::kValue:
      return e.value_placeholders[o.value];
    case Operand::Kind::kSize:
      return o.args.empty() ? "size(" + PathText(e, o.path) + ")" : args("size");
    case Operand::Kind::kPlus:
      return "(" + OperandText(e, o.args[0]) + " + " + OperandText(e, o.args[1]) + ")";
    case Operand::Kind::kMinus:
      return "(" + OperandText(e, o.args[0]) + " - " + OperandText(e, o.args[1]) + ")";
    case Operand::Kind::kIfNotExists:
      return args("if_not_exists");
    case Operand::Kind::kListAppend:
      return args("list_append");
  }
  return "?";
}

std::string ConditionText(const ParsedExpression& e, const Condition& c) {
  static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">="};
  static const char* kFns[] = {"attribute_exists", "attribute_not_exists", "attribute_type",
                               "begins_with", "contains"};
  switch (c.kind) {
    case Condition::Kind::kCompare:
      return OperandText(e, c.operands[0]) + " " + kOps[static_cast<int>(c.op)] + " " +
             OperandText(e, c.operands[1]);
    case Condition::Kind::kBetween:
      return OperandText(e, c.operands[0]) + " BETWEEN " + OperandText(e, c.operands[1]) + " AND " +
             OperandText(e, c.operands[2]);
    case Condition::Kind::kIn: {
      std::string s = OperandText(e, c.operands[0]) + " IN (";
      for (size_t i = 1; i < c.operands.size(); ++i) {
        if (i > 1) s += ", ";
        s += OperandText(e, c.operands[i]);
      }
      return s + ")";
    }
    case Condition::Kind::kFunction: {
      std::string s = std::string(kFns[static_cast<int>(c.function)]) + "(";
      for (size_t i = 0; i < c.operands.size(); ++i) {
        if (i > 0) s += ", ";
        s += OperandText(e, c.operands[i]);
      }
      return s + ")";
    }
    case Condition::Kind::kAnd:
      return "{" + ConditionText(e, c.children[0]) + " AND " + ConditionText(e, c.children[1]) +
             "}";
    case Condition::Kind::kOr:
      return "{" + ConditionText(e, c.children[0]) + " OR " + ConditionText(e, c.children[1]) + "}";
    case Condition::Kind::kNot:
      return "NOT " + ConditionText(e, c.children[0]);
  }
  return "?";
}

std::string UpdateText(const ParsedExpression& e) {
  static const char* kKinds[] = {"SET", "REMOVE", "ADD", "DELETE"};
  std::string s;
  for (const UpdateAction& a : e.actions) {
    if (!s.empty()) s += "; ";
    s += std::string(kKinds[static_cast<int>(a.kind)]) + " " + PathText(e, a.path);
    if (a.kind == UpdateAction::Kind::kSet) s += " = " + OperandText(e, a.value);
    if (a.kind == UpdateAction::Kind::kAdd || a.kind == UpdateAction::Kind::kDelete) {
      s += " " + OperandText(e, a.value);
    }
  }
  return s;
}

struct ShapeCase {
  const char* text;
  const char* shape;
};

TEST(ParserTest, ConditionShapes) {
  const ShapeCase cases[] = {
      {"a = :v", "a = :v"},
      {"a.b[3].#c <> :v", "a.b[3].#c <> :v"},
      {"a<:v", "a < :v"},
      {"a <= :v", "a <= :v"},
      {"a > :v", "a > :v"},
      {"a >= :v", "a >= :v"},
      {":v = a", ":v = a"},
      {"a = b", "a = b"},
      {"a BETWEEN :lo AND :hi", "a BETWEEN :lo AND :hi"},
      {"a between :lo and :hi", "a BETWEEN :lo AND :hi"},
      {"a IN (:x, :y, b)", "a IN (:x, :y, b)"},
      {"a in (:x)", "a IN (:x)"},
      {"attribute_exists(a)", "attribute_exists(a)"},
      {"attribute_not_exists(#n.x)", "attribute_not_exists(#n.x)"},
      {"attribute_type(a, :t)", "attribute_type(a, :t)"},
      {"begins_with(a, :p)", "begins_with(a, :p)"},
      {"contains(a, :p)", "contains(a, :p)"},
      {"size(a) > :n", "size(a) > :n"},
      {"size(a[1].b) BETWEEN :x AND :y", "size(a[1].b) BETWEEN :x AND :y"},
      {":n < size(a)", ":n < size(a)"},
      {"size(:s) > :n", "size(:s) > :n"},
      {"begins_with(a, (:p))", "begins_with(a, :p)"},
      {"(a) = :v", "a = :v"},
      {"(a = :v)", "a = :v"},
      {"(attribute_exists(a))", "attribute_exists(a)"},
      {"(size(a)) = :v", "size(a) = :v"},
      // Precedence: NOT > AND > OR; AND and OR nest to the right.
      {"a = :x OR b = :y AND NOT c = :z", "{a = :x OR {b = :y AND NOT c = :z}}"},
      {"a = :x AND b = :y OR c = :z", "{{a = :x AND b = :y} OR c = :z}"},
      {"a = :x AND b = :y AND c = :z", "{a = :x AND {b = :y AND c = :z}}"},
      {"a = :x OR b = :y OR c = :z", "{a = :x OR {b = :y OR c = :z}}"},
      {"(a = :x OR b = :y) AND c = :z", "{{a = :x OR b = :y} AND c = :z}"},
      {"NOT NOT a = :x", "NOT NOT a = :x"},
      {"not (a = :x or b = :y)", "NOT {a = :x OR b = :y}"},
      {"NOT attribute_exists(a) AND contains(b, :c)",
       "{NOT attribute_exists(a) AND contains(b, :c)}"},
      {"\t a\n=\r:v ", "a = :v"},
      {"a.in_x = :v", "a.in_x = :v"},
      {"a[0] = :v", "a[0] = :v"},
      {"a[10][2] = :v", "a[10][2] = :v"},
  };
  for (const ShapeCase& c : cases) {
    auto e = MustParse(ExpressionKind::kCondition, c.text);
    EXPECT_EQ(ConditionText(*e, e->condition), c.shape) << c.text;
  }
}

TEST(ParserTest, PlaceholdersAreInternedInOrderOfAppearance) {
  auto e = MustParse(ExpressionKind::kFilter, "#b = :y AND #a.#b = :x AND c = :y");
  EXPECT_EQ(e->kind, ExpressionKind::kFilter);
  EXPECT_EQ(e->name_placeholders, (std::vector<std::string>{"#b", "#a"}));
  EXPECT_EQ(e->value_placeholders, (std::vector<std::string>{":y", ":x"}));
  const Condition& first = e->condition.children[0];
  ASSERT_EQ(first.operands[0].path.elements.size(), 1u);
  EXPECT_EQ(first.operands[0].path.elements[0].kind, PathElement::Kind::kNamePlaceholder);
  EXPECT_EQ(first.operands[0].path.elements[0].index, 0u);
  EXPECT_EQ(first.operands[1].kind, Operand::Kind::kValue);
  EXPECT_EQ(first.operands[1].value, 0u);
}

TEST(ParserTest, UpdateShapes) {
  const ShapeCase cases[] = {
      {"SET a = :v", "SET a = :v"},
      {"set a = :v, b.c[2] = d", "SET a = :v; SET b.c[2] = d"},
      {"SET a = a + :one", "SET a = (a + :one)"},
      {"SET a = :x - a", "SET a = (:x - a)"},
      {"SET a = (:x + :y)", "SET a = (:x + :y)"},
      {"SET a = (:x) + (b)", "SET a = (:x + b)"},
      {"SET a = if_not_exists(a, :zero) + :one", "SET a = (if_not_exists(a, :zero) + :one)"},
      {"SET l = list_append(if_not_exists(l, :empty), :items)",
       "SET l = list_append(if_not_exists(l, :empty), :items)"},
      {"SET l = list_append(:items, l)", "SET l = list_append(:items, l)"},
      {"REMOVE a, b[1], c.d", "REMOVE a; REMOVE b[1]; REMOVE c.d"},
      {"ADD n :one, s :set", "ADD n :one; ADD s :set"},
      {"DELETE s :set", "DELETE s :set"},
      {"REMOVE x SET a = :v ADD n :one DELETE s :d",
       "REMOVE x; SET a = :v; ADD n :one; DELETE s :d"},
      {"delete s :d remove x", "DELETE s :d; REMOVE x"},
      {"SET #a = :v", "SET #a = :v"},
  };
  for (const ShapeCase& c : cases) {
    auto e = MustParse(ExpressionKind::kUpdate, c.text);
    EXPECT_EQ(UpdateText(*e), c.shape) << c.text;
  }
}

TEST(ParserTest, ProjectionShapes) {
  auto e = MustParse(ExpressionKind::kProjection, "a, #b.c, d[0][1].e ,f");
  ASSERT_EQ(e->projection.size(), 4u);
  EXPECT_EQ(PathText(*e, e->projection[0]), "a");
  EXPECT_EQ(PathText(*e, e->projection[1]), "#b.c");
  EXPECT_EQ(PathText(*e, e->projection[2]), "d[0][1].e");
  EXPECT_EQ(PathText(*e, e->projection[3]), "f");
  EXPECT_EQ(e->name_placeholders, (std::vector<std::string>{"#b"}));
}

struct ErrorCase {
  ExpressionKind kind;
  std::string text;
  std::string message;
};

constexpr ExpressionKind kC = ExpressionKind::kCondition;
constexpr ExpressionKind kU = ExpressionKind::kUpdate;
constexpr ExpressionKind kP = ExpressionKind::kProjection;

TEST(ParserTest, ErrorMessages) {
  const std::string cond = "Invalid ConditionExpression: ";
  const std::string upd = "Invalid UpdateExpression: ";
  const std::string proj = "Invalid ProjectionExpression: ";
  const std::string misused =
      "The function is not allowed to be used this way in an expression; function: ";
  const ErrorCase cases[] = {
      // Empty and syntax errors: token, then the text from the previous to the next token.
      {kC, "", cond + "The expression can not be empty;"},
      {kU, "", upd + "The expression can not be empty;"},
      {kC, "foo", cond + "Syntax error; token: \"<EOF>\", near: \"foo\""},
      {kC, "a b", cond + "Syntax error; token: \"b\", near: \"a b\""},
      {kC, "a ! b", cond + "Syntax error; token: \"!\", near: \"a ! b\""},
      {kC, "a = :v :w", cond + "Syntax error; token: \":w\", near: \":v :w\""},
      {kC, "a =", cond + "Syntax error; token: \"<EOF>\", near: \"=\""},
      {kC, "a = (", cond + "Syntax error; token: \"<EOF>\", near: \"(\""},
      {kC, "[object Object]", cond + "Syntax error; token: \"[\", near: \"[object\""},
      {kC, "a = \"x\"", cond + "Syntax error; token: \"\"x\"\", near: \"= \"x\"\""},
      {kC, "a IN ()", cond + "Syntax error; token: \")\", near: \"()\""},
      {kC, "a = :v AND", cond + "Syntax error; token: \"<EOF>\", near: \"AND\""},
      {kC, "attribute_exists()", cond + "Syntax error; token: \")\", near: \"()\""},
      {kC, "a.set = :v", cond + "Syntax error; token: \"set\", near: \".set =\""},
      {kC, "a[01] = :v", cond + "Syntax error; token: \"1\", near: \"01]\""},
      {kC, "a[x] = :v", cond + "Syntax error; token: \"x\", near: \"[x]\""},
      {kC, "#= :v", cond + "Syntax error; token: \"#\", near: \"#=\""},
      {kC, "(a)", cond + "Syntax error; token: \"<EOF>\", near: \")\""},
      {kU, "SET", upd + "Syntax error; token: \"<EOF>\", near: \"SET\""},
      {kU, "SET a", upd + "Syntax error; token: \"<EOF>\", near: \"a\""},
      {kU, "SET a = :v +", upd + "Syntax error; token: \"<EOF>\", near: \"+\""},
      {kU, "SET numx = numx / :v", upd + "Syntax error; token: \"/\", near: \"numx / :v\""},
      {kU, "SET a = :x + :y + :z", upd + "Syntax error; token: \"+\", near: \":y + :z\""},
      {kU, "SET _123 = :v", upd + "Syntax error; token: \"_\", near: \"SET _123\""},
      {kU, "a = :v", upd + "Syntax error; token: \"a\", near: \"a =\""},
      {kU, "ADD a, b :v", upd + "Syntax error; token: \",\", near: \"a, b\""},
      {kU, "SET a = :v,", upd + "Syntax error; token: \"<EOF>\", near: \",\""},
      {kP, "!!!", proj + "Syntax error; token: \"!\", near: \"!!\""},
      {kP, "a b", proj + "Syntax error; token: \"b\", near: \"a b\""},
      {kP, "a,", proj + "Syntax error; token: \"<EOF>\", near: \",\""},
      {kP, "l[a]", proj + "Syntax error; token: \"a\", near: \"[a]\""},
      // Redundant parentheses.
      {kC, "((a = :v))", cond + "The expression has redundant parentheses;"},
      {kC, "((a)) = :v", cond + "The expression has redundant parentheses;"},
      {kC, "a = ((:v))", cond + "The expression has redundant parentheses;"},
      {kC, "NOT ((attribute_exists(a)))", cond + "The expression has redundant parentheses;"},
      {kU, "SET a = ((:v))", upd + "The expression has redundant parentheses;"},
      {kU, "SET a = ((:v + :w))", upd + "The expression has redundant parentheses;"},
      // Function names and placement.
      {kC, "foo(a)", cond + "Invalid function name; function: foo"},
      {kC, "a < f(f(b))", cond + "Invalid function name; function: f"},
      {kC, "ATTRIBUTE_EXISTS(a)", cond + "Invalid function name; function: ATTRIBUTE_EXISTS"},
      {kC, "size(a)", cond + misused + "size"},
      {kC, "a = :a AND size(b)", cond + misused + "size"},
      {kC, "NOT size(b)", cond + misused + "size"},
      {kC, "begins_with(a, :b) = :c", cond + misused + "begins_with"},
      {kC, "a = contains(a, :b)", cond + misused + "contains"},
      {kC, "a between b and attribute_exists(things)", cond + misused + "attribute_exists"},
      {kC, "a in (b, attribute_exists(things))", cond + misused + "attribute_exists"},
      {kC, "begins_with(attribute_type(a, :t), :b)", cond + misused + "attribute_type"},
      {kC, "if_not_exists(a, :v) = :v",
       cond + "The function is not allowed in a condition expression; function: if_not_exists"},
      {kC, "list_append(a, :v) = :v",
       cond + "The function is not allowed in a condition expression; function: list_append"},
      {kU, "SET a = attribute_exists(b)",
       upd + "The function is not allowed in an update expression; function: attribute_exists"},
      {kU, "SET a = size(b)",
       upd + "The function is not allowed in an update expression; function: size"},
      {kU, "SET a = foo(b)", upd + "Invalid function name; function: foo"},
      // Unknown function beats misused function beats reserved word (AWS's order).
      {kC, "size(name) AND foo(a)", cond + "Invalid function name; function: foo"},
      {kC, "name = :v AND size(b)", cond + misused + "size"},
      // Reserved words, case-insensitively, when bare; not inside placeholders.
      {kC, "name = :v", cond + "Attribute name is a reserved keyword; reserved keyword: name"},
      {kC, ":a < abOrT", cond + "Attribute name is a reserved keyword; reserved keyword: abOrT"},
      {kC, "attribute_exists(views, #a)",
       cond + "Attribute name is a reserved keyword; reserved keyword: views"},
      {kC, "a.Status = :v",
       cond + "Attribute name is a reserved keyword; reserved keyword: Status"},
      {kU, "SET a = :v REMOVE date",
       upd + "Attribute name is a reserved keyword; reserved keyword: date"},
      {kP, "a, Year", proj + "Attribute name is a reserved keyword; reserved keyword: Year"},
      // Repeated sections, reported after reserved words and function names.
      {kU, "SET a = :a SET b = :a",
       upd + "The \"SET\" section can only be used once in an update expression;"},
      {kU, "remove a ADD b :v remove c",
       upd + "The \"REMOVE\" section can only be used once in an update expression;"},
      {kU, "ADD a :v ADD b :v",
       upd + "The \"ADD\" section can only be used once in an update expression;"},
      {kU, "DELETE a :v DELETE b :v",
       upd + "The \"DELETE\" section can only be used once in an update expression;"},
      {kU, "SET a = :a SET b = :a REMOVE name",
       upd + "Attribute name is a reserved keyword; reserved keyword: name"},
      // Operand counts and document paths (structural checks).
      {kC, "attribute_exists(a, b)",
       cond + "Incorrect number of operands for operator or function; operator or function: "
              "attribute_exists, number of operands: 2"},
      {kC, "begins_with(a)",
       cond + "Incorrect number of operands for operator or function; operator or function: "
              "begins_with, number of operands: 1"},
      {kC, "size(a, b) = :v",
       cond + "Incorrect number of operands for operator or function; operator or function: "
              "size, number of operands: 2"},
      {kC, "attribute_exists(:a)",
       cond + "Operator or function requires a document path; operator or function: "
              "attribute_exists"},
      {kC, "a < size(size(b))",
       cond + "Incorrect operand type for operator or function; operator or function: size, "
              "operand type: N"},
      {kU, "SET a = if_not_exists(:a, b)",
       upd + "Operator or function requires a document path; operator or function: "
             "if_not_exists"},
      {kU, "SET a = list_append(b)",
       upd + "Incorrect number of operands for operator or function; operator or function: "
             "list_append, number of operands: 1"},
      // Limits.
      {kC, "a[2147483648] = :v",
       cond + "List index is not within the allowable range; index: 2147483648"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ParseError(c.kind, c.text), c.message) << c.text;
  }
}

TEST(ParserTest, KindNamePrefixesMessages) {
  EXPECT_EQ(ParseError(ExpressionKind::kKeyCondition, "a b"),
            "Invalid KeyConditionExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(ParseError(ExpressionKind::kFilter, ""),
            "Invalid FilterExpression: The expression can not be empty;");
  EXPECT_STREQ(ExpressionKindName(ExpressionKind::kProjection), "ProjectionExpression");
}

TEST(ParserTest, ExpressionSizeLimit) {
  std::string ok = "a" + std::string(4091, ' ') + "= :v";  // 4096 bytes
  ASSERT_EQ(ok.size(), 4096u);
  EXPECT_EQ(ParseError(kC, ok), "");
  std::string big = "a " + ok;  // 4098 bytes
  EXPECT_EQ(ParseError(kC, big),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4098");
  std::string projection(4097, 'x');
  EXPECT_EQ(ParseError(kP, projection),
            "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4097");
  EXPECT_EQ(ParseError(kP, std::string(4096, 'x')), "");
}

TEST(ParserTest, OperatorLimit) {
  // a<b or (a<b or (...)): 2 operators per level plus one.
  auto nested = [](int depth) {
    std::string s = "a<b ";
    for (int i = 0; i < depth; ++i) s += "or (a<b ";
    s += std::string(depth, ')');
    return s;
  };
  EXPECT_EQ(ParseError(kC, nested(149)), "");  // 299 operators
  EXPECT_EQ(ParseError(kC, nested(454)),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
  std::string ors = "a<b";
  for (int i = 0; i < 149; ++i) ors += " or a<b";  // 299
  EXPECT_EQ(ParseError(kC, ors), "");
  ors += " or a<b";  // 301
  EXPECT_EQ(ParseError(kC, ors),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_EQ(ParseError(kC, nots + "a<b"),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
}

TEST(ParserTest, InOperandLimit) {
  auto in = [](int n) {
    std::string s = "a IN (";
    for (int i = 0; i < n; ++i) s += (i ? ",:v" : ":v") + std::to_string(i);
    return s + ")";
  };
  auto e = MustParse(kC, in(100));
  EXPECT_EQ(e->condition.operands.size(), 101u);
  EXPECT_EQ(ParseError(kC, in(101)),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; "
            "number of operands: 101");
}

TEST(ParserTest, DeepNestingIsBounded) {
  // Within 4 KB: rejected cleanly, never a stack overflow.
  EXPECT_EQ(ParseError(kC, std::string(2046, '(') + "a<b" + std::string(2046, ')')),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(ParseError(kC, std::string(4096, '(')),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\"");
  std::string calls = "a < ";
  for (int i = 0; i < 1355; ++i) calls += "f(";
  calls += "b" + std::string(1355, ')');
  EXPECT_NE(ParseError(kC, calls), "");
  std::string sizes = "a < ";
  for (int i = 0; i < 680; ++i) sizes += "size(";
  sizes += "b" + std::string(680, ')');
  EXPECT_NE(ParseError(kC, sizes), "");
  // Beyond 4 KB: the size check comes first.
  std::string huge(1 << 20, '(');
  EXPECT_EQ(ParseError(kC, huge),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 1048576");
  // Legitimately deep update nesting still parses.
  std::string appends = "SET l = ";
  for (int i = 0; i < 200; ++i) appends += "list_append(";
  appends += "l";
  for (int i = 0; i < 200; ++i) appends += ", :v)";
  ASSERT_LE(appends.size(), 4096u);
  EXPECT_EQ(ParseError(kU, appends), "");
}

TEST(ParserTest, ReservedWords) {
  EXPECT_EQ(ReservedWordCount(), 573u);
  EXPECT_TRUE(IsReservedWord("name"));
  EXPECT_TRUE(IsReservedWord("NAME"));
  EXPECT_TRUE(IsReservedWord("Status"));
  EXPECT_TRUE(IsReservedWord("ABORT"));
  EXPECT_TRUE(IsReservedWord("ZONE"));
  EXPECT_FALSE(IsReservedWord("foo"));
  EXPECT_FALSE(IsReservedWord(""));
  EXPECT_FALSE(IsReservedWord("AVERYLONGWORDTHATISNOTRESERVEDATALL"));
  // Placeholders bypass the check.
  EXPECT_EQ(ParseError(kC, "#name = :name"), "");
}

TEST(ParserTest, LexerTokens) {
  std::vector<Token> toks;
  std::string text = "a.b[10] <> :v AND #n >= 'q' ~ é";
  Tokenize(text, &toks);
  std::vector<TokenKind> kinds;
  std::vector<std::string> texts;
  for (const Token& t : toks) {
    kinds.push_back(t.kind);
    texts.push_back(text.substr(t.begin, t.end - t.begin));
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"a", ".", "b", "[", "10", "]", "<>", ":v", "AND", "#n",
                                             ">=", "'q'", "~", "é", ""}));
  EXPECT_EQ(kinds.front(), TokenKind::kIdentifier);
  EXPECT_EQ(kinds[8], TokenKind::kAnd);
  EXPECT_EQ(kinds[11], TokenKind::kString);
  EXPECT_EQ(kinds[12], TokenKind::kUnknown);
  EXPECT_EQ(kinds.back(), TokenKind::kEof);
}

// Random inputs never crash: each parses or fails with a ValidationException whose message
// names the expression.
TEST(ParserTest, FuzzNeverCrashes) {
  const uint32_t seed = 20240611;
  std::mt19937 rng(seed);
  const char* fragments[] = {"a",           "b.c",
                             "#n",          ":v",
                             "[0]",         "[",
                             "]",           "(",
                             ")",           ",",
                             ".",           "=",
                             "<>",          "<",
                             "<=",          ">",
                             ">=",          "+",
                             "-",           " AND ",
                             " OR ",        " NOT ",
                             " IN ",        " BETWEEN ",
                             "size",        "attribute_exists",
                             "begins_with", "if_not_exists",
                             "list_append", "SET ",
                             "REMOVE ",     "ADD ",
                             "DELETE ",     "name",
                             " ",           "\"",
                             "'",           "!",
                             "\xff",        "\xc3\xa9",
                             "7",           "_"};
  const ExpressionKind kinds[] = {kC, kU, kP, ExpressionKind::kFilter,
                                  ExpressionKind::kKeyCondition};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    int n = static_cast<int>(rng() % 24);
    for (int j = 0; j < n; ++j) text += fragments[rng() % std::size(fragments)];
    if (rng() % 8 == 0) {
      for (int j = 0; j < 8; ++j) text.push_back(static_cast<char>(rng() & 0xFF));
    }
    ExpressionKind kind = kinds[rng() % std::size(kinds)];
    auto r = ParseExpression(kind, text);
    if (!r.ok()) {
      ASSERT_EQ(item::ApiErrorOf(r.status()), item::ApiError::kValidation)
          << "seed " << seed << " input " << text;
      ASSERT_EQ(r.status().message().rfind("Invalid ", 0), 0u) << text;
    }
  }
}

}  // namespace
}  // namespace strata::query
