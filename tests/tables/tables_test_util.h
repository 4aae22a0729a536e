#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "engine/db.h"
#include "item/api_error.h"
#include "item/attribute_value.h"
#include "item/number.h"
#include "tables/requests.h"
#include "tables/table_service.h"

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

// A fixture with a memory-mode Db and an open TableService. CreateTable() creates a
// PAY_PER_REQUEST table with the given key schema: {{"pk", "S", "HASH"}, ...}.
class ServiceTest : public ::testing::Test {
 protected:
  struct KeyAttr {
    std::string name, type, key_type;
  };

  void SetUp() override {
    engine::Options options;
    options.mode = engine::StorageMode::kMemory;
    auto db = engine::Db::Open(options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    service_ = std::make_unique<TableService>(db_.get());
    ASSERT_TRUE(service_->Open().ok());
  }

  Status CreateTable(const std::string& name, std::initializer_list<KeyAttr> keys) {
    CreateTableInput in;
    in.table_name = name;
    in.attribute_definitions.emplace();
    in.key_schema.emplace();
    for (const KeyAttr& k : keys) {
      in.attribute_definitions->push_back({k.name, k.type});
      in.key_schema->push_back({k.name, k.key_type});
    }
    in.billing_mode = "PAY_PER_REQUEST";
    return service_->CreateTable(kScope, in).status();
  }

  std::unique_ptr<engine::Db> db_;
  std::unique_ptr<TableService> service_;
};

}  // namespace strata::tables::test
