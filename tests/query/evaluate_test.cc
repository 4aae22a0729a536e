#include "query/evaluate.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "query/value_ops.h"
#include "tests/query/ast_builder.h"

namespace strata::query {
namespace {

using test::B;
using test::Bool;
using test::BS;
using test::ExprBuilder;
using test::ItemOf;
using test::L;
using test::M;
using test::N;
using test::NS;
using test::Null;
using test::S;
using test::SS;
using E = ExprBuilder;

const item::Item& TestItem() {
  static const item::Item item = ItemOf({
      {"s", S("hello")},
      {"s2", S("help")},
      {"uni", S("\xC3\xA9\xF0\x9D\x84\x9E")},  // "é𝄞": 2 + 4 bytes, 3 UTF-16 units
      {"empty", S("")},
      {"n", N("5")},
      {"n2", N("10")},
      {"neg", N("-10")},
      {"b", B(std::string("\x01\x02\x03", 3))},
      {"bhi", B("\xFF")},
      {"t", Bool(true)},
      {"f", Bool(false)},
      {"nul", Null()},
      {"ss", SS({"a", "b"})},
      {"ns", NS({"1", "2.5"})},
      {"bs", BS({"x", "y"})},
      {"l", L({S("dog"), N("7"), M({{"k", S("v")}}), L({N("1")})})},
      {"m",
       M({{"x", N("1")}, {"y", L({N("-1"), N("2"), N("0")})}, {"nested", M({{"z", S("deep")}})}})},
      {"a.b", S("dotted")},
  });
  return item;
}

struct Case {
  const char* name;
  std::function<Condition(E&)> build;
  bool want;
};

void RunCases(const std::vector<Case>& cases, const item::Item* item) {
  for (const Case& c : cases) {
    E e;
    e.SetCondition(c.build(e));
    Bindings b = e.Bindings();
    EXPECT_EQ(EvaluateCondition(e.expr(), b, item), c.want) << c.name;
  }
}

Condition Eq(Operand a, Operand b) { return E::Cmp(std::move(a), CompareOp::kEq, std::move(b)); }

TEST(EvaluateTest, Equality) {
  std::vector<Case> cases = {
      {"s = :hello", [](E& e) { return Eq(e.Attr("s"), e.Val(S("hello"))); }, true},
      {"s = :Hello", [](E& e) { return Eq(e.Attr("s"), e.Val(S("Hello"))); }, false},
      {"n = 5.00", [](E& e) { return Eq(e.Attr("n"), e.Val(N("5.00"))); }, true},
      {"n = 5e0", [](E& e) { return Eq(e.Attr("n"), e.Val(N("0.5e1"))); }, true},
      {"n = S 5 across types", [](E& e) { return Eq(e.Attr("n"), e.Val(S("5"))); }, false},
      {"b = B", [](E& e) { return Eq(e.Attr("b"), e.Val(B(std::string("\x01\x02\x03", 3)))); },
       true},
      {"b = S same bytes",
       [](E& e) { return Eq(e.Attr("b"), e.Val(S(std::string("\x01\x02\x03", 3)))); }, false},
      {"t = true", [](E& e) { return Eq(e.Attr("t"), e.Val(Bool(true))); }, true},
      {"t = false", [](E& e) { return Eq(e.Attr("t"), e.Val(Bool(false))); }, false},
      {"t = N 1", [](E& e) { return Eq(e.Attr("t"), e.Val(N("1"))); }, false},
      {"nul = NULL", [](E& e) { return Eq(e.Attr("nul"), e.Val(Null())); }, true},
      {"ss = SS in another order",
       [](E& e) {
         return Eq(e.Attr("ss"), e.Val(SS({"b", "a"})));
       },
       true},
      {"ss = SS subset", [](E& e) { return Eq(e.Attr("ss"), e.Val(SS({"a"}))); }, false},
      {"ss = L of same strings",
       [](E& e) {
         return Eq(e.Attr("ss"), e.Val(L({S("a"), S("b")})));
       },
       false},
      {"ns = NS numerically",
       [](E& e) {
         return Eq(e.Attr("ns"), e.Val(NS({"2.50", "1.0"})));
       },
       true},
      {"bs = BS",
       [](E& e) {
         return Eq(e.Attr("bs"), e.Val(BS({"y", "x"})));
       },
       true},
      {"l = L",
       [](E& e) {
         return Eq(e.Attr("l"), e.Val(L({S("dog"), N("7.0"), M({{"k", S("v")}}), L({N("1")})})));
       },
       true},
      {"l = L reordered",
       [](E& e) {
         return Eq(e.Attr("l"), e.Val(L({N("7"), S("dog"), M({{"k", S("v")}}), L({N("1")})})));
       },
       false},
      {"m.nested = M",
       [](E& e) {
         return Eq(e.Attr("m.nested"), e.Val(M({{"z", S("deep")}})));
       },
       true},
      {"m.nested = M other",
       [](E& e) {
         return Eq(e.Attr("m.nested"), e.Val(M({{"z", S("deep")}, {"w", S("x")}})));
       },
       false},
      {"attribute = attribute", [](E& e) { return Eq(e.Attr("m.x"), e.Attr("l[3][0]")); }, true},
      {"missing = value", [](E& e) { return Eq(e.Attr("zz"), e.Val(S("x"))); }, false},
      {"value = missing", [](E& e) { return Eq(e.Val(S("x")), e.Attr("zz")); }, false},
      {"missing = missing", [](E& e) { return Eq(e.Attr("zz"), e.Attr("qq")); }, false},
      {"missing <> missing",
       [](E& e) { return E::Cmp(e.Attr("zz"), CompareOp::kNe, e.Attr("qq")); }, true},
      {"missing <> value", [](E& e) { return E::Cmp(e.Attr("zz"), CompareOp::kNe, e.Val(N("1"))); },
       true},
      {"s <> same", [](E& e) { return E::Cmp(e.Attr("s"), CompareOp::kNe, e.Val(S("hello"))); },
       false},
      {"s <> other type", [](E& e) { return E::Cmp(e.Attr("s"), CompareOp::kNe, e.Val(N("1"))); },
       true},
      {"n <> n2", [](E& e) { return E::Cmp(e.Attr("n"), CompareOp::kNe, e.Attr("n2")); }, true},
      {"placeholder with a dot",
       [](E& e) {
         e.Name("#d", "a.b");
         return Eq(e.Attr("#d"), e.Val(S("dotted")));
       },
       true},
      {"a.b as a nested path", [](E& e) { return Eq(e.Attr("a.b"), e.Val(S("dotted"))); }, false},
      {"nested placeholders",
       [](E& e) {
         e.Name("#m", "m");
         e.Name("#n", "nested");
         return Eq(e.Attr("#m.#n.z"), e.Val(S("deep")));
       },
       true},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, Ordering) {
  auto cmp = [](const char* path, CompareOp op, item::AttributeValue v) {
    return [=](E& e) { return E::Cmp(e.Attr(path), op, e.Val(v)); };
  };
  using Op = CompareOp;
  std::vector<Case> cases = {
      {"n < n2", [](E& e) { return E::Cmp(e.Attr("n"), Op::kLt, e.Attr("n2")); }, true},
      {"n2 < n", [](E& e) { return E::Cmp(e.Attr("n2"), Op::kLt, e.Attr("n")); }, false},
      {"n <= 5", cmp("n", Op::kLe, N("5")), true},
      {"n < 5", cmp("n", Op::kLt, N("5")), false},
      {"n >= 5", cmp("n", Op::kGe, N("5")), true},
      {"n > 4.99999", cmp("n", Op::kGt, N("4.99999")), true},
      {"n > 1e1 (numeric, not text)", cmp("n", Op::kGt, N("1e1")), false},
      {"n2 > 9 (numeric, not text)", cmp("n2", Op::kGt, N("9")), true},
      {"neg < -2", cmp("neg", Op::kLt, N("-2")), true},
      {"neg > -100", cmp("neg", Op::kGt, N("-100")), true},
      {"s < s2", [](E& e) { return E::Cmp(e.Attr("s"), Op::kLt, e.Attr("s2")); }, true},
      {"s > hell", cmp("s", Op::kGt, S("hell")), true},
      {"s < Z (bytes)", cmp("s", Op::kLt, S("Z")), false},
      {"é > z (unsigned bytes)", cmp("uni", Op::kGt, S("z")), true},
      {"b < bhi (unsigned bytes)", [](E& e) { return E::Cmp(e.Attr("b"), Op::kLt, e.Attr("bhi")); },
       true},
      {"bhi > 0x7f", cmp("bhi", Op::kGt, B("\x7F")), true},
      {"n < S 9 across types", cmp("n", Op::kLt, S("9")), false},
      {"n >= S 1 across types", cmp("n", Op::kGe, S("1")), false},
      {"s > N 1 across types", cmp("s", Op::kGt, N("1")), false},
      {"b < S across types", cmp("b", Op::kLt, S("\xFF")), false},
      {"BOOL not ordered", cmp("f", Op::kLe, Bool(true)), false},
      {"BOOL not ordered even equal", cmp("t", Op::kGe, Bool(true)), false},
      {"NULL not ordered", cmp("nul", Op::kLe, Null()), false},
      {"sets not ordered", [](E& e) { return E::Cmp(e.Attr("ss"), Op::kLe, e.Attr("ss")); }, false},
      {"lists not ordered", [](E& e) { return E::Cmp(e.Attr("l"), Op::kGe, e.Attr("l")); }, false},
      {"missing < 1", cmp("zz", Op::kLt, N("1")), false},
      {"missing >= 1", cmp("zz", Op::kGe, N("1")), false},
      {"1 > missing", [](E& e) { return E::Cmp(e.Val(N("1")), Op::kGt, e.Attr("zz")); }, false},
      {"nested list element", [](E& e) { return E::Cmp(e.Attr("m.x"), Op::kLt, e.Attr("m.y[1]")); },
       true},
      {"nested list element false",
       [](E& e) { return E::Cmp(e.Attr("m.x"), Op::kLt, e.Attr("m.y[0]")); }, false},
      {"index past the end", [](E& e) { return E::Cmp(e.Attr("m.x"), Op::kLt, e.Attr("m.y[9]")); },
       false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, BetweenAndIn) {
  auto between = [](const char* path, item::AttributeValue lo, item::AttributeValue hi) {
    return [=](E& e) { return E::Between(e.Attr(path), e.Val(lo), e.Val(hi)); };
  };
  std::vector<Case> cases = {
      {"n between 1 and 10", between("n", N("1"), N("10")), true},
      {"n between 5 and 5", between("n", N("5"), N("5")), true},
      {"n between 6 and 10", between("n", N("6"), N("10")), false},
      {"n between 1 and 4", between("n", N("1"), N("4")), false},
      {"n between 10 and 1", between("n", N("10"), N("1")), false},
      {"s between a and z", between("s", S("a"), S("z")), true},
      {"s between hello and help", between("s", S("hello"), S("help")), true},
      {"b between", between("b", B(std::string("\x00", 1)), B("\x02")), true},
      {"n between strings", between("n", S("1"), S("9")), false},
      {"n between mixed bounds", between("n", N("1"), S("9")), false},
      {"t between bools", between("t", Bool(false), Bool(true)), false},
      {"missing between", between("zz", N("1"), N("9")), false},
      {"bounds from the item",
       [](E& e) { return E::Between(e.Val(N("7")), e.Attr("n"), e.Attr("n2")); }, true},
      {"missing bound", [](E& e) { return E::Between(e.Attr("n"), e.Attr("zz"), e.Attr("n2")); },
       false},
      {"n in (1, 5)",
       [](E& e) {
         return E::In(e.Attr("n"), {e.Val(N("1")), e.Val(N("5.0"))});
       },
       true},
      {"n in (1, 2)",
       [](E& e) {
         return E::In(e.Attr("n"), {e.Val(N("1")), e.Val(N("2"))});
       },
       false},
      {"n in (S 5)", [](E& e) { return E::In(e.Attr("n"), {e.Val(S("5"))}); }, false},
      {"missing in", [](E& e) { return E::In(e.Attr("zz"), {e.Val(N("1"))}); }, false},
      {"ss in (set)",
       [](E& e) {
         return E::In(e.Attr("ss"), {e.Val(SS({"b", "a"}))});
       },
       true},
      {"n in (missing, n)",
       [](E& e) {
         return E::In(e.Attr("n"), {e.Attr("zz"), e.Attr("n")});
       },
       true},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, AttributeFunctions) {
  auto fn = [](Function f, const char* path) {
    return [=](E& e) { return E::Func(f, {e.Attr(path)}); };
  };
  auto type = [](const char* path, const char* name) {
    return [=](E& e) { return E::Func(Function::kAttributeType, {e.Attr(path), e.Val(S(name))}); };
  };
  std::vector<Case> cases = {
      {"exists s", fn(Function::kAttributeExists, "s"), true},
      {"exists nul", fn(Function::kAttributeExists, "nul"), true},
      {"exists missing", fn(Function::kAttributeExists, "zz"), false},
      {"exists m.x", fn(Function::kAttributeExists, "m.x"), true},
      {"exists m.y[2]", fn(Function::kAttributeExists, "m.y[2]"), true},
      {"exists m.y[3]", fn(Function::kAttributeExists, "m.y[3]"), false},
      {"exists l[2].k", fn(Function::kAttributeExists, "l[2].k"), true},
      {"exists s.x (into a string)", fn(Function::kAttributeExists, "s.x"), false},
      {"exists m[0] (index into a map)", fn(Function::kAttributeExists, "m[0]"), false},
      {"exists l.k (name into a list)", fn(Function::kAttributeExists, "l.k"), false},
      {"not_exists missing", fn(Function::kAttributeNotExists, "zz"), true},
      {"not_exists s", fn(Function::kAttributeNotExists, "s"), false},
      {"not_exists m.zz", fn(Function::kAttributeNotExists, "m.zz"), true},
      {"type S", type("s", "S"), true},
      {"type N", type("n", "N"), true},
      {"type B", type("b", "B"), true},
      {"type BOOL", type("t", "BOOL"), true},
      {"type NULL", type("nul", "NULL"), true},
      {"type SS", type("ss", "SS"), true},
      {"type NS", type("ns", "NS"), true},
      {"type BS", type("bs", "BS"), true},
      {"type L", type("l", "L"), true},
      {"type M", type("m", "M"), true},
      {"type nested", type("m.y[0]", "N"), true},
      {"type wrong", type("n", "S"), false},
      {"type of a set is not its element type", type("ss", "S"), false},
      {"type missing", type("zz", "NULL"), false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, BeginsWith) {
  auto bw = [](const char* path, item::AttributeValue v) {
    return [=](E& e) { return E::Func(Function::kBeginsWith, {e.Attr(path), e.Val(v)}); };
  };
  std::vector<Case> cases = {
      {"s hel", bw("s", S("hel")), true},
      {"s hello", bw("s", S("hello")), true},
      {"s empty prefix", bw("s", S("")), true},
      {"s help", bw("s", S("help")), false},
      {"s longer", bw("s", S("hello!")), false},
      {"b prefix", bw("b", B(std::string("\x01\x02", 2))), true},
      {"b not prefix", bw("b", B(std::string("\x02", 1))), false},
      {"b with S prefix", bw("b", S(std::string("\x01", 1))), false},
      {"s with B prefix", bw("s", B("he")), false},
      {"n", bw("n", N("5")), false},
      {"ss", bw("ss", S("a")), false},
      {"l", bw("l", S("dog")), false},
      {"missing", bw("zz", S("")), false},
      {"prefix from the item",
       [](E& e) {
         return E::Func(Function::kBeginsWith, {e.Attr("m.nested.z"), e.Attr("zz")});
       },
       false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, Contains) {
  auto ct = [](const char* path, item::AttributeValue v) {
    return [=](E& e) { return E::Func(Function::kContains, {e.Attr(path), e.Val(v)}); };
  };
  std::vector<Case> cases = {
      {"S substring", ct("s", S("ell")), true},
      {"S whole", ct("s", S("hello")), true},
      {"S not substring", ct("s", S("elo")), false},
      {"S with N", ct("n2", N("1")), false},
      {"S with number text", ct("s", N("1")), false},
      {"S multibyte", ct("uni", S("\xF0\x9D\x84\x9E")), true},
      {"B subsequence", ct("b", B(std::string("\x02\x03", 2))), true},
      {"B not contiguous", ct("b", B(std::string("\x01\x03", 2))), false},
      {"B with S", ct("b", S(std::string("\x02", 1))), false},
      {"SS member", ct("ss", S("a")), true},
      {"SS not member", ct("ss", S("c")), false},
      {"SS substring is not membership", ct("ss", S("")), false},
      {"SS with B", ct("ss", B("a")), false},
      {"NS member numerically", ct("ns", N("2.50")), true},
      {"NS not member", ct("ns", N("3")), false},
      {"NS with S", ct("ns", S("1")), false},
      {"BS member", ct("bs", B("x")), true},
      {"BS with S", ct("bs", S("x")), false},
      {"L string element", ct("l", S("dog")), true},
      {"L number element", ct("l", N("7.0")), true},
      {"L map element", ct("l", M({{"k", S("v")}})), true},
      {"L list element", ct("l", L({N("1")})), true},
      {"L no such element", ct("l", S("cat")), false},
      {"L substring of an element", ct("l", S("do")), false},
      {"M", ct("m", S("x")), false},
      {"N", ct("n", N("5")), false},
      {"BOOL", ct("t", Bool(true)), false},
      {"missing", ct("zz", S("a")), false},
      {"operand from the item",
       [](E& e) {
         return E::Func(Function::kContains, {e.Attr("s"), e.Attr("s2")});
       },
       false},
      {"missing operand",
       [](E& e) {
         return E::Func(Function::kContains, {e.Attr("s"), e.Attr("zz")});
       },
       false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, Size) {
  auto size_is = [](const char* path, const char* n) {
    return [=](E& e) { return Eq(e.Size(path), e.Val(N(n))); };
  };
  using Op = CompareOp;
  std::vector<Case> cases = {
      {"S", size_is("s", "5"), true},
      {"S in UTF-16 units", size_is("uni", "3"), true},
      {"S is not bytes", size_is("uni", "6"), false},
      {"empty S", size_is("empty", "0"), true},
      {"B", size_is("b", "3"), true},
      {"SS", size_is("ss", "2"), true},
      {"NS", size_is("ns", "2"), true},
      {"BS", size_is("bs", "2"), true},
      {"L", size_is("l", "4"), true},
      {"M", size_is("m", "3"), true},
      {"nested L", size_is("m.y", "3"), true},
      {"nested M in L", size_is("l[2]", "1"), true},
      {"N has no size", size_is("n", "1"), false},
      {"BOOL has no size", size_is("t", "1"), false},
      {"NULL has no size", size_is("nul", "1"), false},
      {"missing has no size", size_is("zz", "0"), false},
      {"size > 4", [](E& e) { return E::Cmp(e.Size("s"), Op::kGt, e.Val(N("4"))); }, true},
      {"size < 5", [](E& e) { return E::Cmp(e.Size("s"), Op::kLt, e.Val(N("5"))); }, false},
      {"size = S", [](E& e) { return Eq(e.Size("s"), e.Val(S("5"))); }, false},
      {"size = attribute", [](E& e) { return Eq(e.Size("s"), e.Attr("n")); }, true},
      {"attribute = size", [](E& e) { return Eq(e.Attr("n"), e.Size("s")); }, true},
      {"size = size", [](E& e) { return Eq(e.Size("ss"), e.Size("bs")); }, true},
      {"size < size", [](E& e) { return E::Cmp(e.Size("ss"), Op::kLt, e.Size("s")); }, true},
      {"size between", [](E& e) { return E::Between(e.Size("s"), e.Val(N("1")), e.Val(N("9"))); },
       true},
      {"size in",
       [](E& e) {
         return E::In(e.Size("l"), {e.Val(N("3")), e.Val(N("4"))});
       },
       true},
      {"size of missing <> 1 (absent operand)",
       [](E& e) { return E::Cmp(e.Size("zz"), Op::kNe, e.Val(N("1"))); }, true},
      {"size of missing < 1", [](E& e) { return E::Cmp(e.Size("zz"), Op::kLt, e.Val(N("1"))); },
       false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, Logic) {
  auto yes = [](E& e) { return Eq(e.Attr("n"), e.Val(N("5"))); };
  auto no = [](E& e) { return Eq(e.Attr("n"), e.Val(N("6"))); };
  std::vector<Case> cases = {
      {"T and T", [&](E& e) { return E::And(yes(e), yes(e)); }, true},
      {"T and F", [&](E& e) { return E::And(yes(e), no(e)); }, false},
      {"F and T", [&](E& e) { return E::And(no(e), yes(e)); }, false},
      {"F or T", [&](E& e) { return E::Or(no(e), yes(e)); }, true},
      {"T or F", [&](E& e) { return E::Or(yes(e), no(e)); }, true},
      {"F or F", [&](E& e) { return E::Or(no(e), no(e)); }, false},
      {"not T", [&](E& e) { return E::Not(yes(e)); }, false},
      {"not F", [&](E& e) { return E::Not(no(e)); }, true},
      {"not not T", [&](E& e) { return E::Not(E::Not(yes(e))); }, true},
      {"not (missing = 1)", [](E& e) { return E::Not(Eq(e.Attr("zz"), e.Val(N("1")))); }, true},
      {"not (missing < 1)",
       [](E& e) { return E::Not(E::Cmp(e.Attr("zz"), CompareOp::kLt, e.Val(N("1")))); }, true},
      {"not contains missing",
       [](E& e) {
         return E::Not(E::Func(Function::kContains, {e.Attr("zz"), e.Val(S("a"))}));
       },
       true},
      {"(F or T) and not F", [&](E& e) { return E::And(E::Or(no(e), yes(e)), E::Not(no(e))); },
       true},
      {"F or (T and F)", [&](E& e) { return E::Or(no(e), E::And(yes(e), no(e))); }, false},
  };
  RunCases(cases, &TestItem());
}

TEST(EvaluateTest, NoItem) {
  std::vector<Case> cases = {
      {"not_exists", [](E& e) { return E::Func(Function::kAttributeNotExists, {e.Attr("s")}); },
       true},
      {"exists", [](E& e) { return E::Func(Function::kAttributeExists, {e.Attr("s")}); }, false},
      {"=", [](E& e) { return Eq(e.Attr("s"), e.Val(S("hello"))); }, false},
      {"<>", [](E& e) { return E::Cmp(e.Attr("s"), CompareOp::kNe, e.Val(S("x"))); }, true},
      {"values only", [](E& e) { return Eq(e.Val(N("1")), e.Val(N("1.0"))); }, true},
  };
  RunCases(cases, nullptr);
}

TEST(ValueOpsTest, Utf16Length) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(Utf16Length("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80"), 2u);  // 😀, a surrogate pair
}

TEST(ValueOpsTest, CompareOrdered) {
  EXPECT_EQ(CompareOrdered(N("-1"), N("1")), -1);
  EXPECT_EQ(CompareOrdered(N("1e2"), N("100")), 0);
  EXPECT_EQ(CompareOrdered(S("b"), S("a")), 1);
  EXPECT_EQ(CompareOrdered(B("\x80"), B("\x7F")), 1);
  EXPECT_FALSE(CompareOrdered(S("1"), N("1")).has_value());
  EXPECT_FALSE(CompareOrdered(Bool(false), Bool(true)).has_value());
  EXPECT_FALSE(CompareOrdered(SS({"a"}), SS({"a"})).has_value());
}

}  // namespace
}  // namespace strata::query
