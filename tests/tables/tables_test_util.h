#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "item/api_error.h"
#include "item/attribute_value.h"
#include "item/number.h"
#include "tables/requests.h"

namespace strata::tables::test {

// Shared fixtures of the tables tests: the default scope, value builders and the error check.

inline const Scope kScope{"000000000000", "us-east-1"};

inline item::AttributeValue S(const std::string& s) { return item::AttributeValue::String(s); }

inline item::AttributeValue N(const std::string& s) {
  auto n = item::Number::Parse(s);
  EXPECT_TRUE(n.ok()) << s;
  return n.ok() ? item::AttributeValue(n.value()) : item::AttributeValue();
}

inline item::Item MakeItem(
    std::initializer_list<std::pair<std::string, item::AttributeValue>> attrs) {
  item::Item item(attrs.begin(), attrs.end());
  item::SortMap(&item);
  return item;
}

inline void ExpectError(const Status& s, item::ApiError type, const std::string& message) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(item::ApiErrorOf(s), type) << s.ToString();
  EXPECT_EQ(s.message(), message);
}

}  // namespace strata::tables::test
