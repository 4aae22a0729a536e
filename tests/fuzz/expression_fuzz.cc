// libFuzzer target over the expression layer: parse, compile against fixed attribute names
// and values, then evaluate, apply and project against fixed items. Any crash, sanitizer
// report or hang is a bug; errors are expected answers.
//
// Input: byte 0 selects the expression kind; the rest is the expression text.

#include <cstddef>
#include <cstdint>
#include <string>

#include "item/attribute_value.h"
#include "item/number.h"
#include "query/evaluate.h"
#include "query/projection.h"
#include "query/request_expressions.h"
#include "query/update.h"

namespace {

using strata::item::AttributeValue;
using strata::item::Item;
using strata::item::Number;

AttributeValue Num(const char* text) { return AttributeValue(Number::Parse(text).value()); }

// Names #a..#f and values :a..:j of every type.
strata::query::ExpressionParams BaseParams() {
  strata::query::ExpressionParams p;
  p.names.emplace();
  for (char c = 'a'; c <= 'f'; ++c) p.names->emplace_back(std::string("#") + c, std::string(1, c));
  p.values.emplace();
  Item& v = *p.values;
  v.emplace_back(":a", AttributeValue::String("x"));
  v.emplace_back(":b", Num("1"));
  v.emplace_back(":c", Num("9.99999999999999999999999999999999999E+125"));
  v.emplace_back(":d", AttributeValue::Bytes(std::string("\0\1", 2)));
  v.emplace_back(":e", AttributeValue(true));
  v.emplace_back(":f", AttributeValue(strata::item::Null{}));
  v.emplace_back(":g", AttributeValue(strata::item::StringSet{{"p", "q"}}));
  v.emplace_back(":h", AttributeValue(strata::item::List{Num("2"), AttributeValue::String("s")}));
  v.emplace_back(":i", AttributeValue(Item{{"a", Num("3")}}));
  v.emplace_back(":j", AttributeValue::String("S"));
  return p;
}

Item SampleItem() {
  Item m{{"a", Num("5")},
         {"b", AttributeValue(strata::item::List{Num("1"), AttributeValue(Item{{"c", Num("2")}})})},
         {"c", AttributeValue(Item{{"d", AttributeValue::String("e")}})},
         {"d", AttributeValue(strata::item::NumberSet{{Num("7").as<Number>()}})},
         {"e", AttributeValue::String("xyz")}};
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  strata::query::ExpressionParams params = BaseParams();
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      params.condition = text;
      break;
    case 1:
      params.filter = text;
      break;
    case 2:
      params.key_condition = text;
      break;
    case 3:
      params.update = text;
      break;
    default:
      params.projection = text;
      break;
  }
  strata::query::CompiledExpressions compiled;
  if (!strata::query::CompileExpressions(params, &compiled).ok()) return 0;
  const Item item = SampleItem();
  if (compiled.condition) {
    (void)strata::query::EvaluateCondition(*compiled.condition, compiled.condition_bindings, &item);
    (void)strata::query::EvaluateCondition(*compiled.condition, compiled.condition_bindings,
                                           nullptr);
  }
  if (compiled.filter) {
    (void)strata::query::EvaluateCondition(*compiled.filter, compiled.filter_bindings, &item);
  }
  if (compiled.key_condition) {
    (void)strata::query::EvaluateCondition(*compiled.key_condition, compiled.key_condition_bindings,
                                           &item);
  }
  if (compiled.update) {
    Item copy = item;
    (void)strata::query::ApplyUpdate(*compiled.update, compiled.update_bindings, &copy);
    Item empty;
    (void)strata::query::ApplyUpdate(*compiled.update, compiled.update_bindings, &empty);
  }
  if (compiled.projection) {
    (void)strata::query::Project(compiled.projection->projection, compiled.projection_bindings,
                                 item);
  }
  return 0;
}
