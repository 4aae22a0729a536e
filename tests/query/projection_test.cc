#include "query/projection.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/query/ast_builder.h"

namespace strata::query {
namespace {

using test::ExprBuilder;
using test::ItemOf;
using test::Json;
using test::L;
using test::M;
using test::N;
using test::S;
using test::SS;

item::Item TestItem() {
  return ItemOf({
      {"s", S("hello")},
      {"n", N("5")},
      {"ss", SS({"a"})},
      {"l", L({S("l0"), M({{"k", S("v")}, {"j", N("1")}}), S("l2"), L({N("0"), N("1")})})},
      {"m", M({{"x", N("1")},
               {"y", L({N("10"), N("11"), N("12")})},
               {"in", M({{"z", S("deep")}, {"w", S("other")}})}})},
      {"odd.name", S("dotted")},
  });
}

struct Case {
  std::vector<const char*> paths;
  item::Item want;
};

TEST(ProjectionTest, Paths) {
  std::vector<Case> cases = {
      {{"s"}, ItemOf({{"s", S("hello")}})},
      {{"s", "n"}, ItemOf({{"s", S("hello")}, {"n", N("5")}})},
      {{"n", "s"}, ItemOf({{"s", S("hello")}, {"n", N("5")}})},
      {{"zz"}, ItemOf({})},
      {{"zz", "ss"}, ItemOf({{"ss", SS({"a"})}})},
      {{"m"}, ItemOf({{"m", *item::FindAttribute(TestItem(), "m")}})},
      {{"m.x"}, ItemOf({{"m", M({{"x", N("1")}})}})},
      {{"m.x", "m.in.z"}, ItemOf({{"m", M({{"x", N("1")}, {"in", M({{"z", S("deep")}})}})}})},
      {{"m.in.z", "m.in.w"},
       ItemOf({{"m", M({{"in", M({{"z", S("deep")}, {"w", S("other")}})}})}})},
      {{"l[2]", "l[0]"}, ItemOf({{"l", L({S("l0"), S("l2")})}})},
      {{"l[0]", "l[2]"}, ItemOf({{"l", L({S("l0"), S("l2")})}})},
      {{"l[1]", "l[10]"}, ItemOf({{"l", L({M({{"k", S("v")}, {"j", N("1")}})})}})},
      {{"l[10]"}, ItemOf({})},
      {{"l[1].k"}, ItemOf({{"l", L({M({{"k", S("v")}})})}})},
      {{"l[3][1]", "l[1].j"}, ItemOf({{"l", L({M({{"j", N("1")}}), L({N("1")})})}})},
      {{"m.y[2]", "m.y[0]", "m.x"},
       ItemOf({{"m", M({{"x", N("1")}, {"y", L({N("10"), N("12")})}})}})},
      {{"s.x"}, ItemOf({})},
      {{"m[0]"}, ItemOf({})},
      {{"l.k"}, ItemOf({})},
      {{"m.zz", "s"}, ItemOf({{"s", S("hello")}})},
      {{"#o"}, ItemOf({{"odd.name", S("dotted")}})},
      {{"odd.name"}, ItemOf({})},
  };
  for (const Case& c : cases) {
    ExprBuilder e(ExpressionKind::kProjection);
    e.Name("#o", "odd.name");
    std::string label;
    for (const char* p : c.paths) {
      e.Project(p);
      label += std::string(p) + ", ";
    }
    Bindings b = e.Bindings();
    item::Item got = Project(e.expr().projection, b, TestItem());
    EXPECT_EQ(got, c.want) << label << "\n got: " << Json(got) << "\nwant: " << Json(c.want);
  }
}

TEST(ProjectionTest, EmptyItem) {
  ExprBuilder e(ExpressionKind::kProjection);
  e.Project("a");
  e.Project("b.c[1]");
  Bindings b = e.Bindings();
  EXPECT_TRUE(Project(e.expr().projection, b, item::Item()).empty());
}

}  // namespace
}  // namespace strata::query
