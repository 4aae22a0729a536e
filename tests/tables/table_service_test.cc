#include "tables/table_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/db.h"
#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/key_codec.h"
#include "tables/catalog.h"
#include "tables/table_def.h"
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

std::unique_ptr<engine::Db> OpenMemoryDb() {
  engine::Options options;
  options.mode = engine::StorageMode::kMemory;
  auto db = engine::Db::Open(options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

CreateTableInput HashTable(const std::string& name, const std::string& key = "userId",
                           const std::string& type = "S") {
  CreateTableInput in;
  in.table_name = name;
  in.attribute_definitions = std::vector<AttributeDefinitionInput>{{key, type}};
  in.key_schema = std::vector<KeySchemaElementInput>{{key, "HASH"}};
  in.billing_mode = "PAY_PER_REQUEST";
  return in;
}

CreateTableInput RangeTable(const std::string& name) {
  CreateTableInput in;
  in.table_name = name;
  in.attribute_definitions = std::vector<AttributeDefinitionInput>{{"a", "S"}, {"b", "N"}};
  in.key_schema = std::vector<KeySchemaElementInput>{{"a", "HASH"}, {"b", "RANGE"}};
  in.provisioned_throughput = ProvisionedThroughputInput{5, 6};
  return in;
}

class TableServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenMemoryDb();
    Reopen();
  }
  void Reopen() {
    service_ = std::make_unique<TableService>(db_.get());
    ASSERT_TRUE(service_->Open().ok());
  }
  Status Create(const CreateTableInput& in) { return service_->CreateTable(kScope, in).status(); }
  Status Put(const std::string& table, Item item, const char* rv = nullptr) {
    PutItemInput in;
    in.table_name = table;
    in.item = std::move(item);
    if (rv) in.return_values = rv;
    return service_->PutItem(kScope, in).status();
  }
  Result<ItemOutput> Get(const std::string& table, Item key, bool consistent = true,
                         const char* capacity = nullptr) {
    GetItemInput in;
    in.table_name = table;
    in.key = std::move(key);
    in.consistent_read = consistent;
    if (capacity) in.return_consumed_capacity = capacity;
    return service_->GetItem(kScope, in);
  }

  std::unique_ptr<engine::Db> db_;
  std::unique_ptr<TableService> service_;
};

TEST(TableDefTest, RoundTripsAndRejectsGarbage) {
  TableDef def;
  def.table_id = 7;
  def.account = "123456789012";
  def.region = "eu-west-1";
  def.name = "T";
  def.hash_key = {"a", item::AttrType::kS};
  def.range_key = KeyAttribute{"b", item::AttrType::kN};
  def.attribute_definitions = {{"a", item::AttrType::kS}, {"b", item::AttrType::kN}};
  def.billing_mode = BillingMode::kProvisioned;
  def.throughput = {5, 6, 100, 200, 1};
  def.creation_ms = 1700000000123;
  def.table_uuid = "u";
  def.tags = {{"k", "v"}};
  def.deletion_protection = true;
  std::string enc;
  EncodeTableDef(def, &enc);
  TableDef out;
  ASSERT_TRUE(DecodeTableDef(enc, &out).ok());
  EXPECT_EQ(out, def);
  EXPECT_EQ(def.Arn(), "arn:aws:dynamodb:eu-west-1:123456789012:table/T");
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_TRUE(DecodeTableDef(enc.substr(0, n), &out).IsCorruption()) << n;
  }
  EXPECT_TRUE(DecodeTableDef(enc + "x", &out).IsCorruption());
}

TEST_F(TableServiceTest, CreateDescribeAndPersistAcrossReopen) {
  auto created = service_->CreateTable(kScope, HashTable("Users"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->table_status, "CREATING");
  EXPECT_EQ(created->def->billing_mode, BillingMode::kPayPerRequest);
  EXPECT_EQ(created->def->table_uuid.size(), 36u);
  EXPECT_EQ(created->def->table_uuid[14], '4');
  ASSERT_TRUE(Create(RangeTable("Range")).ok());
  ASSERT_TRUE(Put("Users", MakeItem({{"userId", S("u1")}, {"x", N("1")}})).ok());

  Reopen();
  auto d = service_->DescribeTable(kScope, std::string("Users"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->table_status, "ACTIVE");
  EXPECT_EQ(*d->def, *created->def);
  EXPECT_EQ(d->item_count, 1);
  EXPECT_GT(d->table_size_bytes, 0);
  auto r = service_->DescribeTable(kScope, std::string("Range"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->def->range_key->type, item::AttrType::kN);
  EXPECT_EQ(r->def->throughput.read_capacity_units, 5);
  EXPECT_EQ(r->def->throughput.write_capacity_units, 6);
  // Table ids are never reused, even after a drop and a reopen.
  uint32_t range_id = r->def->table_id;
  ASSERT_TRUE(service_->DeleteTable(kScope, std::string("Range")).ok());
  Reopen();
  auto again = service_->CreateTable(kScope, RangeTable("Range"));
  ASSERT_TRUE(again.ok());
  EXPECT_GT(again->def->table_id, range_id);
}

TEST_F(TableServiceTest, TableAlreadyExistsAndNotFound) {
  ASSERT_TRUE(Create(HashTable("Users")).ok());
  ExpectError(Create(HashTable("Users")), ApiError::kResourceInUse, "Table already exists: Users");
  ExpectError(service_->DescribeTable(kScope, std::string("Nope")).status(),
              ApiError::kResourceNotFound, "Requested resource not found: Table: Nope not found");
  ExpectError(service_->DeleteTable(kScope, std::string("Nope")).status(),
              ApiError::kResourceNotFound, "Requested resource not found: Table: Nope not found");
  ExpectError(Get("Nope", MakeItem({{"userId", S("a")}})).status(), ApiError::kResourceNotFound,
              "Requested resource not found");
  ExpectError(Put("Nope", MakeItem({{"userId", S("a")}})), ApiError::kResourceNotFound,
              "Requested resource not found");
}

TEST_F(TableServiceTest, TableNameValidation) {
  const std::string len =
      "TableName must be at least 3 characters long and at most 255 characters long";
  ExpectError(Create(HashTable("ab")), ApiError::kValidation, len);
  ExpectError(Create(HashTable(std::string(256, 'a'))), ApiError::kValidation, len);
  ExpectError(Create(HashTable("bad name!")), ApiError::kValidation,
              "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  EXPECT_TRUE(Create(HashTable(std::string(255, 'a'))).ok());
  EXPECT_TRUE(Create(HashTable("A-z_0.9")).ok());
  ExpectError(service_->DescribeTable(kScope, std::nullopt).status(), ApiError::kValidation,
              "1 validation error detected: Value null at 'tableName' failed to satisfy "
              "constraint: Member must not be null");
}

TEST_F(TableServiceTest, CreateTableValidationMessages) {
  CreateTableInput in = HashTable("T01");
  in.billing_mode = "NOPE";
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "FOO"}};
  ExpectError(Create(in), ApiError::kValidation,
              "2 validation errors detected: Value 'NOPE' at 'billingMode' failed to satisfy "
              "constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; "
              "Value 'FOO' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member "
              "must satisfy enum value set: [HASH, RANGE]");

  in = HashTable("T01");
  in.provisioned_throughput = ProvisionedThroughputInput{1, 1};
  ExpectError(Create(in), ApiError::kValidation,
              "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
              "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  in.billing_mode.reset();
  in.provisioned_throughput.reset();
  ExpectError(Create(in), ApiError::kValidation,
              "One or more parameter values were invalid: ReadCapacityUnits and "
              "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  in.provisioned_throughput = ProvisionedThroughputInput{0, std::nullopt};
  ExpectError(Create(in), ApiError::kValidation,
              "2 validation errors detected: Value null at "
              "'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member "
              "must not be null; Value '0' at 'provisionedThroughput.readCapacityUnits' failed to "
              "satisfy constraint: Member must have value greater than or equal to 1");
  in.provisioned_throughput = ProvisionedThroughputInput{1000000000001, 1};
  ExpectError(Create(in), ApiError::kValidation,
              "Given value 1000000000001 for ReadCapacityUnits is out of bounds");

  in = HashTable("T01");
  in.key_schema = std::vector<KeySchemaElementInput>{{"other", "HASH"}};
  ExpectError(Create(in), ApiError::kValidation,
              "One or more parameter values were invalid: Some index key attributes are not "
              "defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [userId]");
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "RANGE"}};
  ExpectError(Create(in), ApiError::kValidation,
              "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  in.attribute_definitions = std::vector<AttributeDefinitionInput>{{"userId", "S"}, {"x", "S"}};
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "HASH"}};
  ExpectError(Create(in), ApiError::kValidation,
              "One or more parameter values were invalid: Number of attributes in KeySchema does "
              "not exactly match number of attributes defined in AttributeDefinitions");
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "HASH"}, {"userId", "RANGE"}};
  ExpectError(Create(in), ApiError::kValidation,
              "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "HASH"}, {"x", "HASH"}};
  ExpectError(Create(in), ApiError::kValidation,
              "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  in.key_schema = std::vector<KeySchemaElementInput>{{"userId", "HASH"}, {"y", "RANGE"}};
  ExpectError(Create(in), ApiError::kValidation,
              "Invalid KeySchema: Some index key attribute have no definition");

  in = HashTable("T01");
  in.attribute_definitions.reset();
  in.key_schema = std::vector<KeySchemaElementInput>{};
  ExpectError(Create(in), ApiError::kValidation,
              "2 validation errors detected: Value '[]' at 'keySchema' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1; Value null at "
              "'attributeDefinitions' failed to satisfy constraint: Member must not be null");

  in = HashTable("T01");
  in.unsupported_fields = {"LocalSecondaryIndexes"};
  ExpectError(Create(in), ApiError::kValidation,
              "strata: LocalSecondaryIndexes is not supported yet");
  ListTablesOutput none = service_->ListTables(kScope, {}).value();
  EXPECT_TRUE(none.table_names.empty());
}

TEST_F(TableServiceTest, ListTablesPaginatesInOrder) {
  for (const char* name : {"ccc", "aaa", "bbb", "ddd"}) ASSERT_TRUE(Create(HashTable(name)).ok());
  ListTablesInput in;
  in.limit = 2;
  auto page = service_->ListTables(kScope, in);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->table_names, (std::vector<std::string>{"aaa", "bbb"}));
  ASSERT_TRUE(page->last_evaluated_table_name);
  in.exclusive_start_table_name = *page->last_evaluated_table_name;
  page = service_->ListTables(kScope, in);
  EXPECT_EQ(page->table_names, (std::vector<std::string>{"ccc", "ddd"}));
  EXPECT_FALSE(page->last_evaluated_table_name);
  in.limit = 0;
  in.exclusive_start_table_name = "a;";
  ExpectError(service_->ListTables(kScope, in).status(), ApiError::kValidation,
              "3 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: "
              "Member must have value greater than or equal to 1; Value 'a;' at "
              "'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy "
              "regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at "
              "'exclusiveStartTableName' failed to satisfy constraint: Member must have length "
              "greater than or equal to 3");
  in.limit = 101;
  in.exclusive_start_table_name.reset();
  ExpectError(service_->ListTables(kScope, in).status(), ApiError::kValidation,
              "1 validation error detected: Value '101' at 'limit' failed to satisfy "
              "constraint: Member must have value less than or equal to 100");
}

TEST_F(TableServiceTest, AccountAndRegionIsolation) {
  ASSERT_TRUE(Create(HashTable("Shared")).ok());
  Scope west{"000000000000", "us-west-2"};
  Scope other{"111111111111", "us-east-1"};
  EXPECT_TRUE(service_->ListTables(west, {}).value().table_names.empty());
  EXPECT_TRUE(service_->ListTables(other, {}).value().table_names.empty());
  EXPECT_FALSE(service_->DescribeTable(other, std::string("Shared")).ok());
  ASSERT_TRUE(service_->CreateTable(west, HashTable("Shared")).ok());
  PutItemInput put;
  put.table_name = "Shared";
  put.item = MakeItem({{"userId", S("u")}, {"where", S("west")}});
  ASSERT_TRUE(service_->PutItem(west, put).ok());
  EXPECT_FALSE(Get("Shared", MakeItem({{"userId", S("u")}})).value().item);
  // A table ARN is accepted as TableName, but only for the request's own account and region.
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Shared";
  EXPECT_TRUE(service_->DescribeTable(kScope, arn).ok());
  EXPECT_FALSE(service_->DescribeTable(west, arn).ok());
  EXPECT_FALSE(
      service_->DescribeTable(kScope, "arn:aws:dynamodb:us-east-1:111111111111:table/Shared").ok());
}

TEST_F(TableServiceTest, PutGetDeleteWithOldImages) {
  ASSERT_TRUE(Create(HashTable("Users")).ok());
  PutItemInput put;
  put.table_name = "Users";
  put.return_values = "ALL_OLD";
  put.item = MakeItem({{"userId", S("u1")}, {"a", S("1")}});
  auto first = service_->PutItem(kScope, put);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->item);
  put.item = MakeItem({{"userId", S("u1")}, {"a", S("2")}});
  auto second = service_->PutItem(kScope, put);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->item);
  EXPECT_EQ(*second->item, MakeItem({{"userId", S("u1")}, {"a", S("1")}}));
  EXPECT_EQ(*Get("Users", MakeItem({{"userId", S("u1")}})).value().item, *put.item);

  DeleteItemInput del;
  del.table_name = "Users";
  del.key = MakeItem({{"userId", S("u1")}});
  del.return_values = "ALL_OLD";
  auto gone = service_->DeleteItem(kScope, del);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(*gone->item, *put.item);
  EXPECT_FALSE(Get("Users", MakeItem({{"userId", S("u1")}})).value().item);
  auto again = service_->DeleteItem(kScope, del);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->item);
  EXPECT_EQ(service_->DescribeTable(kScope, std::string("Users")).value().item_count, 0);

  put.return_values = "ALL_NEW";
  ExpectError(service_->PutItem(kScope, put).status(), ApiError::kValidation,
              "ReturnValues can only be ALL_OLD or NONE");
  put.return_values = "BOGUS";
  ExpectError(service_->PutItem(kScope, put).status(), ApiError::kValidation,
              "1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy "
              "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, "
              "NONE, UPDATED_NEW]");
  put.return_values.reset();
  put.expressions.condition = "attribute_not_exists(userId)";
  put.expressions.names = query::NameMap{{"#unused", "x"}};
  ExpectError(service_->PutItem(kScope, put).status(), ApiError::kValidation,
              "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
}

TEST_F(TableServiceTest, NumberKeysAreCanonical) {
  ASSERT_TRUE(Create(HashTable("Nums", "n", "N")).ok());
  ASSERT_TRUE(Put("Nums", MakeItem({{"n", N("1e3")}, {"v", S("first")}})).ok());
  auto got = Get("Nums", MakeItem({{"n", N("1000")}}));
  ASSERT_TRUE(got.ok() && got->item);
  EXPECT_EQ(*got->item, MakeItem({{"n", N("1000")}, {"v", S("first")}}));
  ASSERT_TRUE(Put("Nums", MakeItem({{"n", N("1000.0")}, {"v", S("second")}})).ok());
  EXPECT_EQ(service_->DescribeTable(kScope, std::string("Nums")).value().item_count, 1);
}

TEST_F(TableServiceTest, KeyValidationMessages) {
  ASSERT_TRUE(Create(HashTable("Users")).ok());
  ASSERT_TRUE(Create(RangeTable("Range")).ok());
  const std::string invalid = "One or more parameter values were invalid: ";
  ExpectError(Put("Users", MakeItem({{"name", S("x")}})), ApiError::kValidation,
              invalid + "Missing the key userId in the item");
  ExpectError(Put("Users", MakeItem({{"userId", N("1")}})), ApiError::kValidation,
              invalid + "Type mismatch for key userId expected: S actual: N");
  ExpectError(Put("Range", MakeItem({{"a", S("x")}, {"b", S("1")}})), ApiError::kValidation,
              invalid + "Type mismatch for key b expected: N actual: S");
  ExpectError(Put("Users", MakeItem({{"userId", S("")}})), ApiError::kValidation,
              "One or more parameter values are not valid. The AttributeValue for a key "
              "attribute cannot contain an empty string value. Key: userId");
  ExpectError(Get("Users", MakeItem({{"userId", S("")}})).status(), ApiError::kValidation,
              invalid +
                  "The AttributeValue for a key attribute cannot contain an empty string "
                  "value. Key: userId");
  ExpectError(Put("Users", MakeItem({{"userId", S(std::string(2049, 'k'))}})),
              ApiError::kValidation,
              invalid + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
  EXPECT_TRUE(Put("Users", MakeItem({{"userId", S(std::string(2048, 'k'))}})).ok());
  ExpectError(Put("Range", MakeItem({{"a", S("x")}})), ApiError::kValidation,
              invalid + "Missing the key b in the item");
  const std::string mismatch = "The provided key element does not match the schema";
  ExpectError(Get("Users", MakeItem({{"userId", N("1")}})).status(), ApiError::kValidation,
              mismatch);
  ExpectError(Get("Users", MakeItem({{"other", S("1")}})).status(), ApiError::kValidation,
              mismatch);
  ExpectError(Get("Users", MakeItem({{"userId", S("1")}, {"b", S("x")}})).status(),
              ApiError::kValidation, mismatch);
  ExpectError(Get("Range", MakeItem({{"a", S("1")}})).status(), ApiError::kValidation, mismatch);
  DeleteItemInput del;
  del.table_name = "Users";
  del.key = MakeItem({{"userId", N("1")}});
  ExpectError(service_->DeleteItem(kScope, del).status(), ApiError::kValidation, mismatch);
}

TEST_F(TableServiceTest, ItemSizeLimit) {
  ASSERT_TRUE(Create(HashTable("Users")).ok());
  const size_t overhead = std::string("userId").size() + 2 + std::string("data").size();
  Item ok = MakeItem({{"userId", S("k1")}, {"data", S(std::string(409600 - overhead, 'x'))}});
  EXPECT_TRUE(Put("Users", ok).ok());
  Item big = MakeItem({{"userId", S("k2")}, {"data", S(std::string(409601 - overhead, 'x'))}});
  ExpectError(Put("Users", big), ApiError::kValidation,
              "Item size has exceeded the maximum allowed size");
  EXPECT_FALSE(Get("Users", MakeItem({{"userId", S("k2")}})).value().item);
}

TEST_F(TableServiceTest, ConsumedCapacity) {
  ASSERT_TRUE(Create(HashTable("Users")).ok());
  const size_t base = std::string("userId").size() + 4 + 1;  // key "cap1", attribute "d"
  PutItemInput put;
  put.table_name = "Users";
  put.return_consumed_capacity = "TOTAL";
  put.item = MakeItem({{"userId", S("cap1")}, {"d", S(std::string(1024 - base, 'x'))}});
  auto out = service_->PutItem(kScope, put);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->capacity_detail, CapacityDetail::kTotal);
  EXPECT_EQ(out->consumed.CapacityUnits(), 1.0);
  EXPECT_EQ(out->consumed.table_name, "Users");
  // Put charges the larger of the old and new item.
  put.item = MakeItem({{"userId", S("cap1")}});
  EXPECT_EQ(service_->PutItem(kScope, put).value().consumed.CapacityUnits(), 1.0);
  put.item = MakeItem({{"userId", S("cap1")}, {"d", S(std::string(1025 - base, 'x'))}});
  EXPECT_EQ(service_->PutItem(kScope, put).value().consumed.CapacityUnits(), 2.0);
  put.item = MakeItem({{"userId", S("cap1")}});
  EXPECT_EQ(service_->PutItem(kScope, put).value().consumed.CapacityUnits(), 2.0);

  put.item = MakeItem({{"userId", S("cap2")}, {"d", S(std::string(4097 - base, 'x'))}});
  ASSERT_TRUE(service_->PutItem(kScope, put).ok());
  EXPECT_EQ(Get("Users", MakeItem({{"userId", S("cap2")}}), false, "TOTAL")
                .value()
                .consumed.CapacityUnits(),
            1.0);
  EXPECT_EQ(Get("Users", MakeItem({{"userId", S("cap2")}}), true, "TOTAL")
                .value()
                .consumed.CapacityUnits(),
            2.0);
  auto missing = Get("Users", MakeItem({{"userId", S("none")}}), false, "INDEXES").value();
  EXPECT_EQ(missing.capacity_detail, CapacityDetail::kIndexes);
  EXPECT_EQ(missing.consumed.CapacityUnits(), 0.5);
  EXPECT_EQ(Get("Users", MakeItem({{"userId", S("none")}}), false, "NONE").value().capacity_detail,
            CapacityDetail::kNone);

  DeleteItemInput del;
  del.table_name = "Users";
  del.key = MakeItem({{"userId", S("cap2")}});
  del.return_consumed_capacity = "TOTAL";
  EXPECT_EQ(service_->DeleteItem(kScope, del).value().consumed.CapacityUnits(), 5.0);
  EXPECT_EQ(service_->DeleteItem(kScope, del).value().consumed.CapacityUnits(), 1.0);
}

TEST_F(TableServiceTest, DeleteTableRemovesItems) {
  auto created = service_->CreateTable(kScope, HashTable("Users"));
  ASSERT_TRUE(created.ok());
  for (int i = 0; i < 2500; ++i) {
    ASSERT_TRUE(Put("Users", MakeItem({{"userId", S("u" + std::to_string(i))}})).ok());
  }
  auto deleted = service_->DeleteTable(kScope, std::string("Users"));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->table_status, "DELETING");
  EXPECT_EQ(deleted->item_count, 2500);
  const std::string prefix = item::TablePrefix(created->def->table_id);
  auto it = db_->NewIterator(engine::ReadOptions());
  it->Seek(prefix);
  EXPECT_TRUE(!it->Valid() || it->key().substr(0, prefix.size()) != prefix);
  // The catalog entry and the dropped-table marker are gone too.
  std::string value;
  EXPECT_TRUE(db_->Get(engine::ReadOptions(),
                       Catalog::TableKey(kScope.account, kScope.region, "Users"), &value)
                  .IsNotFound());
  EXPECT_TRUE(db_->Get(engine::ReadOptions(), Catalog::DroppedKey(created->def->table_id), &value)
                  .IsNotFound());
  ExpectError(Put("Users", MakeItem({{"userId", S("u1")}})), ApiError::kResourceNotFound,
              "Requested resource not found");
}

TEST_F(TableServiceTest, OpenFinishesAnInterruptedDrop) {
  auto created = service_->CreateTable(kScope, HashTable("Users"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(Put("Users", MakeItem({{"userId", S("a")}})).ok());
  // Simulate a crash after the catalog drop but before the items were purged.
  engine::WriteBatch batch;
  batch.Delete(Catalog::TableKey(kScope.account, kScope.region, "Users"));
  batch.Put(Catalog::DroppedKey(created->def->table_id), "");
  ASSERT_TRUE(db_->Write(batch).ok());
  Reopen();
  const std::string prefix = item::TablePrefix(created->def->table_id);
  auto it = db_->NewIterator(engine::ReadOptions());
  it->Seek(prefix);
  EXPECT_TRUE(!it->Valid() || it->key().substr(0, prefix.size()) != prefix);
  EXPECT_TRUE(service_->ListTables(kScope, {}).value().table_names.empty());
}

TEST_F(TableServiceTest, UpdateTable) {
  ASSERT_TRUE(Create(RangeTable("Prov")).ok());
  UpdateTableInput in;
  in.table_name = "Prov";
  ExpectError(service_->UpdateTable(kScope, in).status(), ApiError::kValidation,
              "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
              "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  in.provisioned_throughput = ProvisionedThroughputInput{5, 6};
  ExpectError(service_->UpdateTable(kScope, in).status(), ApiError::kValidation,
              "The provisioned throughput for the table will not change. The requested value "
              "equals the current value. Current ReadCapacityUnits provisioned for the table: 5. "
              "Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the "
              "table: 6. Requested WriteCapacityUnits: 6. Refer to the Amazon DynamoDB Developer "
              "Guide for current limits and how to request higher limits.");
  in.provisioned_throughput = ProvisionedThroughputInput{10, 3};
  auto out = service_->UpdateTable(kScope, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->table_status, "UPDATING");
  EXPECT_EQ(out->def->throughput.read_capacity_units, 10);
  EXPECT_EQ(out->def->throughput.number_of_decreases_today, 1);
  EXPECT_NE(out->def->throughput.last_increase_ms, 0);
  EXPECT_NE(out->def->throughput.last_decrease_ms, 0);

  in.provisioned_throughput.reset();
  in.billing_mode = "PROVISIONED";
  ExpectError(service_->UpdateTable(kScope, in).status(), ApiError::kValidation,
              "One or more parameter values were invalid: ProvisionedThroughput must be "
              "specified when BillingMode is PROVISIONED");
  in.billing_mode = "PAY_PER_REQUEST";
  in.provisioned_throughput = ProvisionedThroughputInput{1, 1};
  ExpectError(service_->UpdateTable(kScope, in).status(), ApiError::kValidation,
              "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
              "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  in.provisioned_throughput.reset();
  ASSERT_TRUE(service_->UpdateTable(kScope, in).ok());
  Reopen();
  auto d = service_->DescribeTable(kScope, std::string("Prov")).value();
  EXPECT_EQ(d.def->billing_mode, BillingMode::kPayPerRequest);
  EXPECT_EQ(d.def->throughput.read_capacity_units, 0);
  EXPECT_NE(d.def->last_update_to_pay_per_request_ms, 0);
  // Re-sending PAY_PER_REQUEST is accepted.
  EXPECT_TRUE(service_->UpdateTable(kScope, in).ok());

  UpdateTableInput protect;
  protect.table_name = "Prov";
  protect.deletion_protection_enabled = true;
  ASSERT_TRUE(service_->UpdateTable(kScope, protect).ok());
  ExpectError(service_->DeleteTable(kScope, std::string("Prov")).status(), ApiError::kValidation,
              "Resource cannot be deleted as it is currently protected against deletion. "
              "Disable deletion protection first.");
  UpdateTableInput missing;
  missing.table_name = "Nope";
  missing.billing_mode = "PAY_PER_REQUEST";
  ExpectError(service_->UpdateTable(kScope, missing).status(), ApiError::kResourceNotFound,
              "Requested resource not found: Table: Nope not found");
}

}  // namespace
}  // namespace strata::tables
