#include "query/update.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "item/api_error.h"
#include "tests/query/ast_builder.h"

namespace strata::query {
namespace {

using test::B;
using test::Bool;
using test::BS;
using test::ExprBuilder;
using test::ItemOf;
using test::Json;
using test::L;
using test::M;
using test::N;
using test::NS;
using test::S;
using test::SS;
using E = ExprBuilder;

constexpr std::string_view kMissing =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr std::string_view kBadType =
    "An operand in the update expression has an incorrect data type";
constexpr std::string_view kBadPath =
    "The document path provided in the update expression is invalid for update";
constexpr std::string_view kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";

item::Item Base() {
  return ItemOf({
      {"s", S("hello")},
      {"n", N("5")},
      {"ss", SS({"a", "b"})},
      {"ns", NS({"1", "2.5"})},
      {"bs", BS({"x", "y"})},
      {"l", L({S("l0"), S("l1"), S("l2"), S("l3")})},
      {"m",
       M({{"x", N("1")}, {"y", L({N("10"), N("11"), N("12")})}, {"in", M({{"z", S("deep")}})}})},
      {"big", N("9e125")},
  });
}

// `Base()` with `edit` applied.
item::Item Edited(const std::function<void(item::Item*)>& edit) {
  item::Item it = Base();
  edit(&it);
  return it;
}

item::AttributeValue& At(item::Item* it, const std::string& name) {
  for (auto& [k, v] : *it) {
    if (k == name) return v;
  }
  ADD_FAILURE() << "no attribute " << name;
  static item::AttributeValue none;
  return none;
}

void Erase(item::Item* it, const std::string& name) {
  std::erase_if(*it, [&](const auto& e) { return e.first == name; });
}

struct Case {
  const char* name;
  std::function<void(E&)> build;
  std::function<item::Item()> want;  // the item after the update; unused when `error` is set
  std::string_view error = {};
};

void RunCases(const std::vector<Case>& cases, const std::function<item::Item()>& start = Base) {
  for (const Case& c : cases) {
    E e(ExpressionKind::kUpdate);
    c.build(e);
    Bindings b = e.Bindings();
    item::Item it = start();
    const item::Item before = it;
    Status s = ApplyUpdate(e.expr(), b, &it);
    if (!c.error.empty()) {
      EXPECT_FALSE(s.ok()) << c.name;
      EXPECT_EQ(item::ApiErrorOf(s), item::ApiError::kValidation) << c.name;
      EXPECT_EQ(s.message(), c.error) << c.name;
      EXPECT_EQ(it, before) << c.name << ": item changed on error: " << Json(it);
      continue;
    }
    ASSERT_TRUE(s.ok()) << c.name << ": " << s.ToString();
    item::Item want = c.want();
    EXPECT_EQ(it, want) << c.name << "\n got: " << Json(it) << "\nwant: " << Json(want);
    EXPECT_TRUE(std::is_sorted(it.begin(), it.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    })) << c.name;
  }
}

TEST(UpdateTest, Set) {
  std::vector<Case> cases = {
      {"SET new = :v", [](E& e) { e.Set("new", e.Val(S("v"))); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "new", S("v")); }); }},
      {"SET s = :v replaces", [](E& e) { e.Set("s", e.Val(N("1"))); },
       [] { return Edited([](item::Item* it) { At(it, "s") = N("1"); }); }},
      {"SET a = s copies", [](E& e) { e.Set("a", e.Attr("s")); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "a", S("hello")); }); }},
      {"SET a = m.y[1]", [](E& e) { e.Set("a", e.Attr("m.y[1]")); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "a", N("11")); }); }},
      {"SET n = n + :1", [](E& e) { e.Set("n", E::Plus(e.Attr("n"), e.Val(N("1")))); },
       [] { return Edited([](item::Item* it) { At(it, "n") = N("6"); }); }},
      {"SET n = :10 - n", [](E& e) { e.Set("n", E::Minus(e.Val(N("10")), e.Attr("n"))); },
       [] { return Edited([](item::Item* it) { At(it, "n") = N("5"); }); }},
      {"SET n = n - :0.25", [](E& e) { e.Set("n", E::Minus(e.Attr("n"), e.Val(N("0.25")))); },
       [] { return Edited([](item::Item* it) { At(it, "n") = N("4.75"); }); }},
      {"exact: 1e37 + 1", [](E& e) { e.Set("r", E::Plus(e.Val(N("1e37")), e.Val(N("1")))); },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(it, "r", N("10000000000000000000000000000000000001"));
         });
       }},
      {"1e50 + 1 is too precise",
       [](E& e) { e.Set("r", E::Plus(e.Val(N("1e50")), e.Val(N("1")))); }, nullptr, kOverflow},
      {"9e125 + 9e125 overflows",
       [](E& e) { e.Set("r", E::Plus(e.Attr("big"), e.Val(N("9e125")))); }, nullptr, kOverflow},
      {"-9e125 - 9e125 overflows",
       [](E& e) { e.Set("r", E::Minus(e.Val(N("-9e125")), e.Attr("big"))); }, nullptr, kOverflow},
      {"+ on a string", [](E& e) { e.Set("n", E::Plus(e.Attr("s"), e.Val(N("1")))); }, nullptr,
       kBadType},
      {"+ with a string value", [](E& e) { e.Set("n", E::Plus(e.Attr("n"), e.Val(S("1")))); },
       nullptr, kBadType},
      {"- on a set", [](E& e) { e.Set("n", E::Minus(e.Attr("ns"), e.Val(N("1")))); }, nullptr,
       kBadType},
      {"+ on a missing attribute", [](E& e) { e.Set("n", E::Plus(e.Attr("zz"), e.Val(N("1")))); },
       nullptr, kMissing},
      {"SET a = missing", [](E& e) { e.Set("a", e.Attr("zz")); }, nullptr, kMissing},
      {"SET a = m.zz", [](E& e) { e.Set("a", e.Attr("m.zz")); }, nullptr, kMissing},
      {"if_not_exists on a missing attribute",
       [](E& e) { e.Set("c", e.IfNotExists("c", e.Val(N("0")))); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "c", N("0")); }); }},
      {"if_not_exists on a present attribute",
       [](E& e) { e.Set("n", e.IfNotExists("n", e.Val(N("0")))); }, [] { return Base(); }},
      {"if_not_exists from another path",
       [](E& e) { e.Set("c", e.IfNotExists("s", e.Val(N("0")))); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "c", S("hello")); }); }},
      {"if_not_exists + 1",
       [](E& e) { e.Set("c", E::Plus(e.IfNotExists("c", e.Val(N("0"))), e.Val(N("1")))); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "c", N("1")); }); }},
      {"if_not_exists with a missing fallback",
       [](E& e) { e.Set("c", e.IfNotExists("c", e.Attr("zz"))); }, nullptr, kMissing},
      {"list_append(l, :v)",
       [](E& e) { e.Set("l", E::ListAppend(e.Attr("l"), e.Val(L({N("4")})))); },
       [] {
         return Edited([](item::Item* it) { At(it, "l").as<item::List>().push_back(N("4")); });
       }},
      {"list_append(:v, l)",
       [](E& e) {
         e.Set("l", E::ListAppend(e.Val(L({N("4"), N("5")})), e.Attr("l")));
       },
       [] {
         return Edited([](item::Item* it) {
           At(it, "l") = L({N("4"), N("5"), S("l0"), S("l1"), S("l2"), S("l3")});
         });
       }},
      {"list_append of two values into a new attribute",
       [](E& e) { e.Set("new", E::ListAppend(e.Val(L({})), e.Val(L({Bool(true)})))); },
       [] {
         return Edited([](item::Item* it) { item::SetAttribute(it, "new", L({Bool(true)})); });
       }},
      {"list_append(if_not_exists(new, []), :v)",
       [](E& e) {
         e.Set("new", E::ListAppend(e.IfNotExists("new", e.Val(L({}))), e.Val(L({N("1")}))));
       },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "new", L({N("1")})); }); }},
      {"list_append with a set", [](E& e) { e.Set("l", E::ListAppend(e.Attr("l"), e.Attr("ss"))); },
       nullptr, kBadType},
      {"list_append with a string first",
       [](E& e) { e.Set("l", E::ListAppend(e.Attr("s"), e.Attr("l"))); }, nullptr, kBadType},
      {"list_append with a missing list",
       [](E& e) { e.Set("l", E::ListAppend(e.Attr("zz"), e.Attr("l"))); }, nullptr, kMissing},
      {"SET m.x replaces a member", [](E& e) { e.Set("m.x", e.Val(N("2"))); },
       [] {
         return Edited(
             [](item::Item* it) { item::SetAttribute(&At(it, "m").as<item::Map>(), "x", N("2")); });
       }},
      {"SET m.a adds a member in order", [](E& e) { e.Set("m.a", e.Val(N("2"))); },
       [] {
         return Edited(
             [](item::Item* it) { item::SetAttribute(&At(it, "m").as<item::Map>(), "a", N("2")); });
       }},
      {"SET m.in.z deep", [](E& e) { e.Set("m.in.z", e.Val(S("new"))); },
       [] {
         return Edited([](item::Item* it) {
           At(it, "m") = M({{"x", N("1")},
                            {"y", L({N("10"), N("11"), N("12")})},
                            {"in", M({{"z", S("new")}})}});
         });
       }},
      {"SET l[1] replaces an element", [](E& e) { e.Set("l[1]", e.Val(N("1"))); },
       [] { return Edited([](item::Item* it) { At(it, "l").as<item::List>()[1] = N("1"); }); }},
      {"SET m.y[2] nested list element", [](E& e) { e.Set("m.y[2]", e.Val(S("x"))); },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(&At(it, "m").as<item::Map>(), "y", L({N("10"), N("11"), S("x")}));
         });
       }},
      {"SET l[9] past the end appends", [](E& e) { e.Set("l[9]", e.Val(S("end"))); },
       [] {
         return Edited([](item::Item* it) { At(it, "l").as<item::List>().push_back(S("end")); });
       }},
      {"SET l[4] at the end appends", [](E& e) { e.Set("l[4]", e.Val(S("end"))); },
       [] {
         return Edited([](item::Item* it) { At(it, "l").as<item::List>().push_back(S("end")); });
       }},
      {"several appends go in index order",
       [](E& e) {
         e.Set("l[20]", e.Val(S("twenty")));
         e.Set("l[7]", e.Val(S("seven")));
         e.Set("l[10]", e.Val(S("ten")));
       },
       [] {
         return Edited([](item::Item* it) {
           auto& l = At(it, "l").as<item::List>();
           l.push_back(S("seven"));
           l.push_back(S("ten"));
           l.push_back(S("twenty"));
         });
       }},
      {"SET in a missing map", [](E& e) { e.Set("zz.a", e.Val(N("1"))); }, nullptr, kBadPath},
      {"SET in a missing nested map", [](E& e) { e.Set("m.zz.a", e.Val(N("1"))); }, nullptr,
       kBadPath},
      {"SET a member of a string", [](E& e) { e.Set("s.a", e.Val(N("1"))); }, nullptr, kBadPath},
      {"SET an index of a map", [](E& e) { e.Set("m[0]", e.Val(N("1"))); }, nullptr, kBadPath},
      {"SET a member of a list", [](E& e) { e.Set("l.a", e.Val(N("1"))); }, nullptr, kBadPath},
      {"SET an index of a missing list", [](E& e) { e.Set("zz[0]", e.Val(N("1"))); }, nullptr,
       kBadPath},
      {"SET past the end of a missing element", [](E& e) { e.Set("l[9].a", e.Val(N("1"))); },
       nullptr, kBadPath},
      {"placeholder names",
       [](E& e) {
         e.Name("#k", "odd.name");
         e.Set("#k", e.Val(N("1")));
       },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "odd.name", N("1")); }); }},
  };
  RunCases(cases);
}

TEST(UpdateTest, Remove) {
  std::vector<Case> cases = {
      {"REMOVE s", [](E& e) { e.Remove("s"); },
       [] { return Edited([](item::Item* it) { Erase(it, "s"); }); }},
      {"REMOVE missing is ignored", [](E& e) { e.Remove("zz"); }, [] { return Base(); }},
      {"REMOVE m.x", [](E& e) { e.Remove("m.x"); },
       [] {
         return Edited([](item::Item* it) {
           std::erase_if(At(it, "m").as<item::Map>(), [](auto& e) { return e.first == "x"; });
         });
       }},
      {"REMOVE m.zz is ignored", [](E& e) { e.Remove("m.zz"); }, [] { return Base(); }},
      {"REMOVE in a missing map", [](E& e) { e.Remove("zz.a"); }, nullptr, kBadPath},
      {"REMOVE a member of a string", [](E& e) { e.Remove("s.a"); }, nullptr, kBadPath},
      {"REMOVE l[1] shifts", [](E& e) { e.Remove("l[1]"); },
       [] { return Edited([](item::Item* it) {
              At(it, "l") = L({S("l0"), S("l2"), S("l3")});
            }); }},
      {"REMOVE l[0], l[2] removes the original elements",
       [](E& e) {
         e.Remove("l[0]");
         e.Remove("l[2]");
       },
       [] { return Edited([](item::Item* it) {
              At(it, "l") = L({S("l1"), S("l3")});
            }); }},
      {"REMOVE l[2], l[0], l[3]",
       [](E& e) {
         e.Remove("l[2]");
         e.Remove("l[0]");
         e.Remove("l[3]");
       },
       [] { return Edited([](item::Item* it) { At(it, "l") = L({S("l1")}); }); }},
      {"REMOVE every element leaves an empty list",
       [](E& e) {
         for (const char* p : {"l[0]", "l[1]", "l[2]", "l[3]"}) e.Remove(p);
       },
       [] { return Edited([](item::Item* it) { At(it, "l") = L({}); }); }},
      {"REMOVE l[9] is ignored", [](E& e) { e.Remove("l[9]"); }, [] { return Base(); }},
      {"REMOVE nested list elements",
       [](E& e) {
         e.Remove("m.y[0]");
         e.Remove("m.y[2]");
       },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(&At(it, "m").as<item::Map>(), "y", L({N("11")}));
         });
       }},
      {"REMOVE s, n, m",
       [](E& e) {
         e.Remove("s");
         e.Remove("n");
         e.Remove("m");
       },
       [] {
         return Edited([](item::Item* it) {
           Erase(it, "s");
           Erase(it, "n");
           Erase(it, "m");
         });
       }},
  };
  RunCases(cases);
}

TEST(UpdateTest, Add) {
  std::vector<Case> cases = {
      {"ADD n :1", [](E& e) { e.Add("n", N("1")); },
       [] { return Edited([](item::Item* it) { At(it, "n") = N("6"); }); }},
      {"ADD n :-5.5", [](E& e) { e.Add("n", N("-5.5")); },
       [] { return Edited([](item::Item* it) { At(it, "n") = N("-0.5"); }); }},
      {"ADD to a missing number starts from 0", [](E& e) { e.Add("c", N("3")); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "c", N("3")); }); }},
      {"ADD a nested missing number", [](E& e) { e.Add("m.c", N("3")); },
       [] {
         return Edited(
             [](item::Item* it) { item::SetAttribute(&At(it, "m").as<item::Map>(), "c", N("3")); });
       }},
      {"ADD to a list element", [](E& e) { e.Add("m.y[0]", N("5")); },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(&At(it, "m").as<item::Map>(), "y", L({N("15"), N("11"), N("12")}));
         });
       }},
      {"ADD overflow", [](E& e) { e.Add("big", N("9e125")); }, nullptr, kOverflow},
      {"ADD too precise", [](E& e) { e.Add("n", N("1e50")); }, nullptr, kOverflow},
      {"ADD SS union",
       [](E& e) {
         e.Add("ss", SS({"c", "a", "0"}));
       },
       [] { return Edited([](item::Item* it) {
              At(it, "ss") = SS({"0", "a", "b", "c"});
            }); }},
      {"ADD NS union numerically",
       [](E& e) {
         e.Add("ns", NS({"2.50", "10", "-1"}));
       },
       [] { return Edited([](item::Item* it) {
              At(it, "ns") = NS({"-1", "1", "2.5", "10"});
            }); }},
      {"ADD BS union",
       [](E& e) {
         e.Add("bs", BS({"\x01", "y"}));
       },
       [] { return Edited([](item::Item* it) {
              At(it, "bs") = BS({"\x01", "x", "y"});
            }); }},
      {"ADD a set to a missing attribute", [](E& e) { e.Add("new", SS({"q"})); },
       [] { return Edited([](item::Item* it) { item::SetAttribute(it, "new", SS({"q"})); }); }},
      {"ADD a number to a string", [](E& e) { e.Add("s", N("1")); }, nullptr, kBadType},
      {"ADD a number to a set", [](E& e) { e.Add("ns", N("1")); }, nullptr, kBadType},
      {"ADD a set to a number", [](E& e) { e.Add("n", NS({"1"})); }, nullptr, kBadType},
      {"ADD NS to SS", [](E& e) { e.Add("ss", NS({"1"})); }, nullptr, kBadType},
      {"ADD BS to SS", [](E& e) { e.Add("ss", BS({"a"})); }, nullptr, kBadType},
      {"ADD a number to a list", [](E& e) { e.Add("l", N("1")); }, nullptr, kBadType},
      {"ADD a string", [](E& e) { e.Add("c", S("x")); }, nullptr, kBadType},
      {"ADD a list", [](E& e) { e.Add("l", L({N("1")})); }, nullptr, kBadType},
      {"ADD in a missing map", [](E& e) { e.Add("zz.c", N("1")); }, nullptr, kBadPath},
  };
  RunCases(cases);
}

TEST(UpdateTest, Delete) {
  std::vector<Case> cases = {
      {"DELETE ss a", [](E& e) { e.Delete("ss", SS({"a"})); },
       [] { return Edited([](item::Item* it) { At(it, "ss") = SS({"b"}); }); }},
      {"DELETE absent members", [](E& e) { e.Delete("ss", SS({"zz"})); }, [] { return Base(); }},
      {"DELETE every member removes the attribute",
       [](E& e) {
         e.Delete("ss", SS({"a", "b", "c"}));
       },
       [] { return Edited([](item::Item* it) { Erase(it, "ss"); }); }},
      {"DELETE NS numerically", [](E& e) { e.Delete("ns", NS({"2.50"})); },
       [] { return Edited([](item::Item* it) { At(it, "ns") = NS({"1"}); }); }},
      {"DELETE BS empties",
       [](E& e) {
         e.Delete("bs", BS({"x", "y"}));
       },
       [] { return Edited([](item::Item* it) { Erase(it, "bs"); }); }},
      {"DELETE from a missing attribute", [](E& e) { e.Delete("zz", SS({"a"})); },
       [] { return Base(); }},
      {"DELETE NS from SS", [](E& e) { e.Delete("ss", NS({"1"})); }, nullptr, kBadType},
      {"DELETE from a number", [](E& e) { e.Delete("n", NS({"5"})); }, nullptr, kBadType},
      {"DELETE from a string", [](E& e) { e.Delete("s", SS({"hello"})); }, nullptr, kBadType},
      {"DELETE a number", [](E& e) { e.Delete("n", N("5")); }, nullptr, kBadType},
      {"DELETE in a missing map", [](E& e) { e.Delete("zz.a", SS({"a"})); }, nullptr, kBadPath},
  };
  RunCases(cases);
}

TEST(UpdateTest, SetInListOfSets) {
  // DELETE emptying a set inside a list removes that element, shifting the rest.
  auto start = [] { return ItemOf({{"l", L({SS({"a"}), SS({"b", "c"}), N("1")})}}); };
  std::vector<Case> cases = {
      {"DELETE l[0] empties", [](E& e) { e.Delete("l[0]", SS({"a"})); },
       [] {
         return ItemOf({{"l", L({SS({"b", "c"}), N("1")})}});
       }},
      {"DELETE l[1] partly", [](E& e) { e.Delete("l[1]", SS({"b"})); },
       [] {
         return ItemOf({{"l", L({SS({"a"}), SS({"c"}), N("1")})}});
       }},
      {"ADD l[2]", [](E& e) { e.Add("l[2]", N("1")); },
       [] {
         return ItemOf({{"l", L({SS({"a"}), SS({"b", "c"}), N("2")})}});
       }},
  };
  RunCases(cases, start);
}

TEST(UpdateTest, SeveralActions) {
  std::vector<Case> cases = {
      {"operands read the original item",
       [](E& e) {
         e.Set("a", E::Plus(e.Attr("n"), e.Val(N("1"))));
         e.Set("n", e.Val(N("100")));
         e.Set("b", e.Attr("n"));
       },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(it, "a", N("6"));
           At(it, "n") = N("100");
           item::SetAttribute(it, "b", N("5"));
         });
       }},
      {"SET a = l[0] REMOVE l[0]",
       [](E& e) {
         e.Remove("l[0]");
         e.Set("a", e.Attr("l[0]"));
       },
       [] {
         return Edited([](item::Item* it) {
           item::SetAttribute(it, "a", S("l0"));
           At(it, "l") = L({S("l1"), S("l2"), S("l3")});
         });
       }},
      {"SET l[2] and REMOVE l[0] address the original list",
       [](E& e) {
         e.Remove("l[0]");
         e.Set("l[2]", e.Val(S("new")));
       },
       [] {
         return Edited([](item::Item* it) { At(it, "l") = L({S("l1"), S("new"), S("l3")}); });
       }},
      {"SET l[9] and REMOVE l[0]",
       [](E& e) {
         e.Set("l[9]", e.Val(S("end")));
         e.Remove("l[0]");
       },
       [] {
         return Edited([](item::Item* it) {
           At(it, "l") = L({S("l1"), S("l2"), S("l3"), S("end")});
         });
       }},
      {"SET, REMOVE, ADD, DELETE together",
       [](E& e) {
         e.Set("s", e.Val(S("bye")));
         e.Remove("m.x");
         e.Add("n", N("1"));
         e.Add("ss", SS({"c"}));
         e.Delete("ns", NS({"1"}));
       },
       [] {
         return Edited([](item::Item* it) {
           At(it, "s") = S("bye");
           std::erase_if(At(it, "m").as<item::Map>(), [](auto& e) { return e.first == "x"; });
           At(it, "n") = N("6");
           At(it, "ss") = SS({"a", "b", "c"});
           At(it, "ns") = NS({"2.5"});
         });
       }},
      // On error nothing changes, whichever action fails.
      {"a later path error undoes nothing",
       [](E& e) {
         e.Set("a", e.Val(N("1")));
         e.Remove("s");
         e.Set("s.x", e.Val(N("2")));
       },
       nullptr, kBadPath},
      {"a later ADD type error",
       [](E& e) {
         e.Add("n", N("1"));
         e.Add("s", N("1"));
       },
       nullptr, kBadType},
      {"a later overflow",
       [](E& e) {
         e.Remove("l[0]");
         e.Add("big", N("9e125"));
       },
       nullptr, kOverflow},
      {"SET operand errors come before path errors",
       [](E& e) {
         e.Set("zz.a", e.Val(N("1")));
         e.Set("c", e.Attr("missing"));
       },
       nullptr, kMissing},
  };
  RunCases(cases);
}

TEST(UpdateTest, EmptyItem) {
  auto start = [] { return item::Item(); };
  std::vector<Case> cases = {
      {"SET on an empty item", [](E& e) { e.Set("a", e.Val(N("1"))); },
       [] {
         return ItemOf({{"a", N("1")}});
       }},
      {"ADD on an empty item", [](E& e) { e.Add("c", N("1")); },
       [] {
         return ItemOf({{"c", N("1")}});
       }},
      {"DELETE and REMOVE on an empty item",
       [](E& e) {
         e.Delete("c", SS({"a"}));
         e.Remove("d");
       },
       [] { return item::Item(); }},
      {"SET nested on an empty item", [](E& e) { e.Set("a.b", e.Val(N("1"))); }, nullptr, kBadPath},
      {"SET a = a + 1 on an empty item",
       [](E& e) { e.Set("a", E::Plus(e.Attr("a"), e.Val(N("1")))); }, nullptr, kMissing},
  };
  RunCases(cases, start);
}

}  // namespace
}  // namespace strata::query
