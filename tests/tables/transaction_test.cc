// TransactWriteItems and TransactGetItems through TableService on real engines (memory mode,
// and wal mode in a temp dir for idempotency across a reopen).

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/db.h"
#include "item/api_error.h"
#include "item/number.h"
#include "tables/idempotency.h"
#include "tables/table_service.h"
#include "tests/tables/tables_test_util.h"
#include "tests/testutil/temp_dir.h"

namespace strata::tables {
namespace {

using item::ApiError;
using item::Item;
using Kind = TransactActionInput::Kind;

using test::ExpectError;
using test::kScope;
using test::MakeItem;
using test::N;
using test::S;

TransactWriteItemInput Put(const std::string& table, Item item, const char* condition = nullptr) {
  TransactActionInput a;
  a.kind = Kind::kPut;
  a.table_name = table;
  a.item = std::move(item);
  if (condition) a.expressions.condition = condition;
  TransactWriteItemInput t;
  t.put = std::move(a);
  return t;
}

TransactActionInput KeyAction(Kind kind, const std::string& table, Item key, const char* condition,
                              Item values = {}) {
  TransactActionInput a;
  a.kind = kind;
  a.table_name = table;
  a.key = std::move(key);
  if (condition) a.expressions.condition = condition;
  if (!values.empty()) {
    item::SortMap(&values);
    a.expressions.values = std::move(values);
  }
  return a;
}

TransactWriteItemInput Delete(const std::string& table, Item key, const char* condition = nullptr) {
  TransactWriteItemInput t;
  t.delete_action = KeyAction(Kind::kDelete, table, std::move(key), condition);
  return t;
}

TransactWriteItemInput Check(const std::string& table, Item key, const char* condition,
                             Item values = {}) {
  TransactWriteItemInput t;
  t.condition_check =
      KeyAction(Kind::kConditionCheck, table, std::move(key), condition, std::move(values));
  return t;
}

TransactWriteItemInput Update(const std::string& table, Item key, const char* update,
                              const char* condition, Item values = {}) {
  TransactWriteItemInput t;
  t.update = KeyAction(Kind::kUpdate, table, std::move(key), condition, std::move(values));
  t.update->expressions.update = update;
  return t;
}

Item Id(const std::string& id) { return MakeItem({{"id", S(id)}}); }

bool CodeIn(const std::vector<CancellationReason>& reasons, const std::string& code) {
  for (const CancellationReason& r : reasons) {
    if (r.code == code) return true;
  }
  return false;
}

// Transfer `amount` from one account to another: two conditional ADDs.
std::vector<TransactWriteItemInput> Transfer(const std::string& from, const std::string& to,
                                             int amount) {
  const std::string x = std::to_string(amount);
  return {Update("Accounts", Id(from), "ADD balance :neg", "balance >= :x",
                 MakeItem({{":neg", N("-" + x)}, {":x", N(x)}})),
          Update("Accounts", Id(to), "ADD balance :x", nullptr, MakeItem({{":x", N(x)}}))};
}

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenDb(engine::StorageMode::kMemory, ""); }

  void OpenDb(engine::StorageMode mode, const std::string& dir) {
    service_.reset();
    db_.reset();
    engine::Options options;
    options.mode = mode;
    if (!dir.empty()) options.data_dir = dir;
    auto db = engine::Db::Open(options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    OpenService();
    if (!service_->DescribeTable(kScope, std::string("Accounts")).ok()) {
      CreateHash("Accounts");
      CreateHash("Other");
    }
  }

  void OpenService() {
    service_ = std::make_unique<TableService>(db_.get());
    ASSERT_TRUE(service_->Open().ok());
  }

  void CreateHash(const std::string& name) {
    CreateTableInput in;
    in.table_name = name;
    in.attribute_definitions = std::vector<AttributeDefinitionInput>{{"id", "S"}};
    in.key_schema = std::vector<KeySchemaElementInput>{{"id", "HASH"}};
    in.billing_mode = "PAY_PER_REQUEST";
    ASSERT_TRUE(service_->CreateTable(kScope, in).ok());
  }

  Result<TransactWriteItemsOutput> Write(std::vector<TransactWriteItemInput> items,
                                         const char* token = nullptr,
                                         const char* capacity = nullptr) {
    TransactWriteItemsInput in;
    in.transact_items = std::move(items);
    if (token) in.client_request_token = token;
    if (capacity) in.return_consumed_capacity = capacity;
    return service_->TransactWriteItems(kScope, in, &reasons_);
  }

  std::optional<Item> Get(const std::string& table, const std::string& id) {
    GetItemInput in;
    in.table_name = table;
    in.key = Id(id);
    auto out = service_->GetItem(kScope, in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->item : std::nullopt;
  }

  void PutPlain(const std::string& table, Item item) {
    PutItemInput in;
    in.table_name = table;
    in.item = std::move(item);
    ASSERT_TRUE(service_->PutItem(kScope, in).ok());
  }

  std::string Balance(const std::string& id) {
    auto it = Get("Accounts", id);
    if (!it) return "absent";
    for (const auto& [name, v] : *it) {
      if (name == "balance") return v.as<item::Number>().ToString();
    }
    return "none";
  }

  TableDescription Describe(const std::string& table) {
    auto d = service_->DescribeTable(kScope, table);
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : TableDescription();
  }

  std::unique_ptr<engine::Db> db_;
  std::unique_ptr<TableService> service_;
  std::vector<CancellationReason> reasons_;
};

TEST_F(TransactionTest, CoralValidationMessages) {
  TransactWriteItemsInput in;
  in.return_consumed_capacity = "hi";
  ExpectError(service_->TransactWriteItems(kScope, in, &reasons_).status(), ApiError::kValidation,
              "2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to "
              "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
              "Value null at 'transactItems' failed to satisfy constraint: Member must not be "
              "null");
  ExpectError(Write({}).status(), ApiError::kValidation,
              "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");
  std::vector<TransactWriteItemInput> many;
  for (int i = 0; i < 101; ++i) many.push_back(Put("Accounts", Id(std::to_string(i))));
  auto s = Write(many).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  EXPECT_NE(s.message().find("at 'transactItems' failed to satisfy constraint: Member must have "
                             "length less than or equal to 100"),
            std::string_view::npos)
      << s.ToString();

  TransactWriteItemInput check;
  check.condition_check = KeyAction(Kind::kConditionCheck, "Accounts", Id("a"), nullptr);
  ExpectError(Write({check}).status(), ApiError::kValidation,
              "1 validation error detected: Value null at "
              "'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy "
              "constraint: Member must not be null");
  TransactWriteItemInput no_item;
  no_item.put.emplace();
  no_item.put->kind = Kind::kPut;
  no_item.put->table_name = "Accounts";
  ExpectError(Write({Put("Accounts", Id("a")), no_item}).status(), ApiError::kValidation,
              "1 validation error detected: Value null at 'transactItems.2.member.put.item' "
              "failed to satisfy constraint: Member must not be null");
  ExpectError(Write({Put("Accounts", Id("a"))}, std::string(37, 't').c_str()).status(),
              ApiError::kValidation,
              "1 validation error detected: Value '" + std::string(37, 't') +
                  "' at 'clientRequestToken' failed to satisfy constraint: Member must have "
                  "length less than or equal to 36");
}

TEST_F(TransactionTest, RequestLevelValidation) {
  TransactWriteItemInput two = Put("Accounts", Id("a"));
  two.delete_action = KeyAction(Kind::kDelete, "Accounts", Id("a"), nullptr);
  ExpectError(Write({two}).status(), ApiError::kValidation,
              "TransactItems can only contain one of Check, Put, Update or Delete");
  ExpectError(Write({TransactWriteItemInput()}).status(), ApiError::kValidation,
              "The action or operation requested is invalid. Verify that the action is typed "
              "correctly.");
  ExpectError(Write({Put("Accounts", Id("a")), Check("Accounts", Id("a"), "attribute_exists(id)")})
                  .status(),
              ApiError::kValidation,
              "Transaction request cannot include multiple operations on one item");
  ExpectError(Write({Put("Accounts", Id("a")), Put("Missing", Id("a"))}).status(),
              ApiError::kResourceNotFound, "Requested resource not found");
  // Expression errors fail the whole request.
  ExpectError(
      Write({Put("Accounts", Id("a")), Put("Accounts", Id("b"), "attribute_exists(#x)")}).status(),
      ApiError::kValidation,
      "Invalid ConditionExpression: An expression attribute name used in the document "
      "path is not defined; attribute name: #x");
  auto s = Write({Put("Accounts", Id("a"), "hello!")}).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  EXPECT_NE(s.message().find("Syntax error"), std::string_view::npos) << s.ToString();
  ExpectError(
      Write({Update("Accounts", Id("a"), "SET id = :v", nullptr, MakeItem({{":v", S("x")}}))})
          .status(),
      ApiError::kValidation,
      "One or more parameter values were invalid: Cannot update attribute id. This "
      "attribute is part of the key");
  // 4 MB of payload.
  std::vector<TransactWriteItemInput> big;
  for (int i = 0; i < 50; ++i) {
    big.push_back(Put(
        "Accounts", MakeItem({{"id", S(std::to_string(i))}, {"x", S(std::string(100000, 'x'))}})));
  }
  s = Write(big).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  EXPECT_NE(s.message().find("size cannot exceed"), std::string_view::npos) << s.ToString();
  EXPECT_EQ(Describe("Accounts").item_count, 0);
}

TEST_F(TransactionTest, InvalidKeyCancelsWithValidationError) {
  auto s = Write({Put("Accounts", MakeItem({{"id", N("7")}})),
                  Put("Accounts", MakeItem({{"id", N("8")}})),
                  Put("Accounts", Id("c"), "attribute_exists(id)")})
               .status();
  ExpectError(s, ApiError::kTransactionCanceled,
              "Transaction cancelled, please refer cancellation reasons for specific reasons "
              "[ValidationError, None, None]");
  ASSERT_EQ(reasons_.size(), 3u);
  EXPECT_EQ(reasons_[0].code, "ValidationError");
  EXPECT_EQ(reasons_[0].message,
            "One or more parameter values were invalid: Type mismatch for key id expected: S "
            "actual: N");
  EXPECT_EQ(reasons_[1].code, "None");
  EXPECT_EQ(reasons_[1].message, "");
}

TEST_F(TransactionTest, AllOrNothingWithCancellationReasons) {
  PutPlain("Accounts", MakeItem({{"id", S("old")}, {"v", N("1")}}));
  PutPlain("Accounts", Id("kept"));
  auto s = Write({Put("Accounts", Id("new")), Put("Other", Id("x"), "attribute_not_exists(id)"),
                  Check("Accounts", Id("old"), "v = :two", MakeItem({{":two", N("2")}})),
                  Delete("Accounts", Id("kept"), "attribute_not_exists(id)")})
               .status();
  ExpectError(s, ApiError::kTransactionCanceled,
              "Transaction cancelled, please refer cancellation reasons for specific reasons "
              "[None, None, ConditionalCheckFailed, ConditionalCheckFailed]");
  ASSERT_EQ(reasons_.size(), 4u);
  EXPECT_EQ(reasons_[0].code, "None");
  EXPECT_EQ(reasons_[1].code, "None");
  EXPECT_EQ(reasons_[2].code, "ConditionalCheckFailed");
  EXPECT_EQ(reasons_[2].message, "The conditional request failed");
  EXPECT_FALSE(reasons_[2].item.has_value());
  EXPECT_EQ(reasons_[3].code, "ConditionalCheckFailed");
  EXPECT_FALSE(Get("Accounts", "new").has_value());
  EXPECT_FALSE(Get("Other", "x").has_value());
  EXPECT_TRUE(Get("Accounts", "old").has_value());
  EXPECT_TRUE(Get("Accounts", "kept").has_value());
  EXPECT_EQ(Describe("Accounts").item_count, 2);

  // ALL_OLD returns the stored item with the reason.
  std::vector<TransactWriteItemInput> items = {
      Check("Accounts", Id("old"), "v = :two", MakeItem({{":two", N("2")}}))};
  items[0].condition_check->return_values_on_condition_check_failure = "ALL_OLD";
  ASSERT_FALSE(Write(items).ok());
  ASSERT_EQ(reasons_.size(), 1u);
  ASSERT_TRUE(reasons_[0].item.has_value());
  EXPECT_EQ(*reasons_[0].item, MakeItem({{"id", S("old")}, {"v", N("1")}}));
}

TEST_F(TransactionTest, CommitsAllActionsWithExactStatistics) {
  PutPlain("Accounts", MakeItem({{"id", S("gone")}, {"pad", S(std::string(100, 'p'))}}));
  PutPlain("Accounts", MakeItem({{"id", S("upd")}, {"v", N("1")}}));
  auto out =
      Write({Put("Accounts", MakeItem({{"id", S("p")}, {"pad", S(std::string(1500, 'x'))}})),
             Delete("Accounts", Id("gone"), "attribute_exists(id)"),
             Update("Accounts", Id("upd"), "ADD v :one", "v = :one", MakeItem({{":one", N("1")}})),
             Update("Other", Id("fresh"), "SET w = :s", nullptr, MakeItem({{":s", S("s")}})),
             Update("Other", Id("nothing"), "REMOVE w", nullptr),
             Check("Other", Id("absent"), "attribute_not_exists(id)")},
            nullptr, "TOTAL");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FALSE(Get("Accounts", "gone").has_value());
  EXPECT_EQ(Balance("upd"), "none");
  EXPECT_EQ(*Get("Accounts", "upd"), MakeItem({{"id", S("upd")}, {"v", N("2")}}));
  EXPECT_EQ(*Get("Other", "fresh"), MakeItem({{"id", S("fresh")}, {"w", S("s")}}));
  EXPECT_FALSE(Get("Other", "nothing").has_value());
  EXPECT_FALSE(Get("Other", "absent").has_value());

  // Statistics equal a recount after reopening.
  const TableDescription accounts = Describe("Accounts"), other = Describe("Other");
  EXPECT_EQ(accounts.item_count, 2);
  EXPECT_EQ(other.item_count, 1);
  OpenService();
  EXPECT_EQ(Describe("Accounts").item_count, accounts.item_count);
  EXPECT_EQ(Describe("Accounts").table_size_bytes, accounts.table_size_bytes);
  EXPECT_EQ(Describe("Other").table_size_bytes, other.table_size_bytes);

  // Transactional writes cost 2x: Accounts: put 2 KB (2*2) + delete (2*1) + update (2*1);
  // Other: update (2*1) + remove of nothing (2*1) + condition check (2*1).
  ASSERT_EQ(out->consumed.size(), 2u);
  EXPECT_EQ(out->consumed[0].table_name, "Accounts");
  EXPECT_EQ(out->consumed[0].CapacityUnits(), 8.0);
  EXPECT_EQ(out->consumed[1].table_name, "Other");
  EXPECT_EQ(out->consumed[1].CapacityUnits(), 6.0);
}

TEST_F(TransactionTest, ClientRequestTokenReplaysAndMismatches) {
  PutPlain("Accounts", MakeItem({{"id", S("a")}, {"balance", N("10")}}));
  PutPlain("Accounts", MakeItem({{"id", S("b")}, {"balance", N("0")}}));
  ASSERT_TRUE(Write(Transfer("a", "b", 3), "tok-1").ok());
  auto again = Write(Transfer("a", "b", 3), "tok-1", "TOTAL");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Balance("a"), "7");
  EXPECT_EQ(Balance("b"), "3");
  // A replay reports read units (2 per 4 KB per item, transactional).
  ASSERT_EQ(again->consumed.size(), 1u);
  EXPECT_EQ(again->consumed[0].CapacityUnits(), 4.0);

  ExpectError(Write(Transfer("a", "b", 4), "tok-1").status(),
              ApiError::kIdempotentParameterMismatch,
              "DynamoDB rejected the request because you retried a request with a different "
              "payload but with an idempotent token that was already used.");
  // Without a token the same request applies again.
  ASSERT_TRUE(Write(Transfer("a", "b", 3)).ok());
  EXPECT_EQ(Balance("a"), "4");
  // A cancelled transaction is not remembered: its token can run again once it can succeed.
  ASSERT_FALSE(Write(Transfer("a", "b", 5), "tok-2").ok());
  ASSERT_TRUE(Write(Transfer("b", "a", 5), "tok-3").ok());
  ASSERT_TRUE(Write(Transfer("a", "b", 5), "tok-2").ok());
  EXPECT_EQ(Balance("a"), "4");
  EXPECT_EQ(Balance("b"), "6");
}

TEST_F(TransactionTest, TokensSurviveReopen) {
  strata::test::TempDir dir;
  OpenDb(engine::StorageMode::kWal, dir.path());
  PutPlain("Accounts", MakeItem({{"id", S("a")}, {"balance", N("10")}}));
  PutPlain("Accounts", MakeItem({{"id", S("b")}, {"balance", N("0")}}));
  ASSERT_TRUE(Write(Transfer("a", "b", 2), "persist-1").ok());
  // A new TableService on the same Db.
  OpenService();
  ASSERT_TRUE(Write(Transfer("a", "b", 2), "persist-1").ok());
  EXPECT_EQ(Balance("a"), "8");
  // A reopened Db (recovery from the WAL).
  ASSERT_TRUE(db_->Close().ok());
  OpenDb(engine::StorageMode::kWal, dir.path());
  ASSERT_TRUE(Write(Transfer("a", "b", 2), "persist-1").ok());
  EXPECT_EQ(Balance("a"), "8");
  EXPECT_EQ(Balance("b"), "2");
  EXPECT_EQ(item::ApiErrorOf(Write(Transfer("a", "b", 1), "persist-1").status()),
            ApiError::kIdempotentParameterMismatch);
}

TEST(IdempotencyStoreTest, ExpiresTenMinutesAfterCompletion) {
  int64_t now = 1000000;
  IdempotencyStore store([&] { return now; });
  const std::string key = IdempotencyStore::Key("acct", "region", "t");
  IdempotencyStore::Record replay;
  ASSERT_EQ(store.Begin(key, 42, &replay), IdempotencyStore::BeginResult::kStarted);
  EXPECT_EQ(store.Begin(key, 42, &replay), IdempotencyStore::BeginResult::kInProgress);
  EXPECT_EQ(store.Begin(key, 43, &replay), IdempotencyStore::BeginResult::kMismatch);
  IdempotencyStore::Record r;
  r.fingerprint = 42;
  r.completed_ms = now;
  r.tables.push_back({"T", 4, 2});
  store.Complete(key, r);
  now += IdempotencyStore::kWindowMs - 1;
  ASSERT_EQ(store.Begin(key, 42, &replay), IdempotencyStore::BeginResult::kReplay);
  EXPECT_EQ(replay.tables.size(), 1u);
  EXPECT_EQ(replay.tables[0].write_half_units, 4);
  EXPECT_TRUE(store.TakeExpired(1, 10).empty());
  now += 1;
  EXPECT_EQ(store.TakeExpired(1, 10), std::vector<std::string>{key});
  EXPECT_TRUE(store.ForgetIfExpired(key));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.Begin(key, 43, &replay), IdempotencyStore::BeginResult::kStarted);
  store.Abort(key);
  EXPECT_EQ(store.size(), 0u);

  std::string encoded;
  IdempotencyStore::EncodeRecord(r, &encoded);
  IdempotencyStore::Record decoded;
  ASSERT_TRUE(IdempotencyStore::DecodeRecord(encoded, &decoded).ok());
  EXPECT_EQ(decoded.fingerprint, 42u);
  EXPECT_EQ(decoded.tables[0].table_name, "T");
  EXPECT_FALSE(IdempotencyStore::DecodeRecord(encoded + "x", &decoded).ok());
}

TEST_F(TransactionTest, ConcurrentTransfersConserveTotalAndGetsSeeOneSnapshot) {
  constexpr int kAccounts = 6;
  for (int i = 0; i < kAccounts; ++i) {
    PutPlain("Accounts", MakeItem({{"id", S("acct" + std::to_string(i))}, {"balance", N("100")}}));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0}, torn{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      uint32_t seed = 17 + t;
      for (int n = 0; n < 400; ++n) {
        seed = seed * 1103515245 + 12345;
        const int from = (seed >> 8) % kAccounts,
                  to = (from + 1 + (seed >> 16) % (kAccounts - 1)) % kAccounts;
        TransactWriteItemsInput in;
        in.transact_items = Transfer("acct" + std::to_string(from), "acct" + std::to_string(to),
                                     1 + (seed >> 4) % 30);
        std::vector<CancellationReason> reasons;
        auto out = service_->TransactWriteItems(kScope, in, &reasons);
        if (out.ok()) {
          ++committed;
        } else {
          // A failed balance condition, or the other transaction in flight on an account.
          EXPECT_EQ(item::ApiErrorOf(out.status()), ApiError::kTransactionCanceled);
          if (CodeIn(reasons, "TransactionConflict")) ++conflicts;
        }
      }
    });
  }
  // Every TransactGetItems of all accounts either sees one total or is cancelled because a
  // transfer was in flight; the last one, after the transfers, must succeed.
  auto read_all = [&]() -> bool {
    TransactGetItemsInput in;
    in.transact_items.emplace();
    for (int i = 0; i < kAccounts; ++i) {
      TransactGetItemInput g;
      g.has_get = true;
      g.table_name = "Accounts";
      g.key = Id("acct" + std::to_string(i));
      in.transact_items->push_back(std::move(g));
    }
    std::vector<CancellationReason> reasons;
    auto out = service_->TransactGetItems(kScope, in, &reasons);
    if (!out.ok()) {
      EXPECT_EQ(item::ApiErrorOf(out.status()), ApiError::kTransactionCanceled);
      EXPECT_TRUE(CodeIn(reasons, "TransactionConflict"));
      return false;
    }
    int64_t sum = 0;
    for (const auto& r : out->responses) {
      for (const auto& [name, v] : *r) {
        if (name == "balance") sum += std::stoll(v.as<item::Number>().ToString());
      }
    }
    if (sum != 100 * kAccounts) ++torn;
    return true;
  };
  threads.emplace_back([&] {
    while (!stop.load()) read_all();
  });
  for (int t = 0; t < 6; ++t) threads[t].join();
  stop = true;
  threads.back().join();
  EXPECT_TRUE(read_all());
  EXPECT_GT(committed.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  int64_t total = 0;
  for (int i = 0; i < kAccounts; ++i) total += std::stoll(Balance("acct" + std::to_string(i)));
  EXPECT_EQ(total, 100 * kAccounts);
  std::printf("committed %d, TransactionConflict cancellations %d\n", committed.load(),
              conflicts.load());
}

// A transaction in flight, staged by claiming its item: every other transaction and plain
// write meeting that item fails at once with AWS's conflict errors and writes nothing.
TEST_F(TransactionTest, ItemsOfATransactionInFlightConflict) {
  PutPlain("Accounts", MakeItem({{"id", S("held")}, {"balance", N("5")}}));
  auto held = service_->ItemKeyForTesting(kScope, "Accounts", Id("held"));
  auto free_key = service_->ItemKeyForTesting(kScope, "Accounts", Id("free"));
  ASSERT_TRUE(held.ok() && free_key.ok());
  TransactionClaims* claims = service_->claims_for_testing();
  std::vector<bool> conflicts;
  ASSERT_TRUE(claims->TryClaim({*held}, &conflicts));
  const std::string kConflict = "Transaction is ongoing for the item";

  // TransactWriteItems: TransactionConflict on the held item, None on the others, nothing
  // written and nothing left claimed.
  auto s =
      Write(
          {Put("Accounts", MakeItem({{"id", S("free")}, {"v", N("1")}})),
           Update("Accounts", Id("held"), "SET balance = :z", nullptr, MakeItem({{":z", N("0")}})),
           Put("Other", Id("x"))},
          "token-conflict")
          .status();
  ExpectError(s, ApiError::kTransactionCanceled,
              "Transaction cancelled, please refer cancellation reasons for specific reasons "
              "[None, TransactionConflict, None]");
  ASSERT_EQ(reasons_.size(), 3u);
  EXPECT_EQ(reasons_[0].code, "None");
  EXPECT_EQ(reasons_[0].message, "");
  EXPECT_EQ(reasons_[1].code, "TransactionConflict");
  EXPECT_EQ(reasons_[1].message, kConflict);
  EXPECT_EQ(reasons_[2].code, "None");
  EXPECT_FALSE(Get("Accounts", "free").has_value());
  EXPECT_FALSE(Get("Other", "x").has_value());
  EXPECT_EQ(Balance("held"), "5");
  EXPECT_FALSE(claims->IsClaimed(*free_key));
  EXPECT_TRUE(claims->IsClaimed(*held));
  EXPECT_EQ(Describe("Accounts").item_count, 1);

  // PutItem, UpdateItem, DeleteItem: TransactionConflictException, nothing written.
  PutItemInput put;
  put.table_name = "Accounts";
  put.item = MakeItem({{"id", S("held")}, {"balance", N("9")}});
  ExpectError(service_->PutItem(kScope, put).status(), ApiError::kTransactionConflict, kConflict);
  UpdateItemInput update;
  update.table_name = "Accounts";
  update.key = Id("held");
  update.expressions.update = "SET balance = :z";
  update.expressions.values = MakeItem({{":z", N("0")}});
  ExpectError(service_->UpdateItem(kScope, update).status(), ApiError::kTransactionConflict,
              kConflict);
  DeleteItemInput del;
  del.table_name = "Accounts";
  del.key = Id("held");
  ExpectError(service_->DeleteItem(kScope, del).status(), ApiError::kTransactionConflict,
              kConflict);
  EXPECT_EQ(Balance("held"), "5");

  // TransactGetItems is cancelled too; GetItem reads.
  TransactGetItemsInput gets;
  gets.transact_items.emplace();
  for (const char* id : {"free", "held"}) {
    TransactGetItemInput g;
    g.has_get = true;
    g.table_name = "Accounts";
    g.key = Id(id);
    gets.transact_items->push_back(std::move(g));
  }
  ExpectError(service_->TransactGetItems(kScope, gets, &reasons_).status(),
              ApiError::kTransactionCanceled,
              "Transaction cancelled, please refer cancellation reasons for specific reasons "
              "[None, TransactionConflict]");
  ASSERT_EQ(reasons_.size(), 2u);
  EXPECT_EQ(reasons_[1].message, kConflict);
  EXPECT_EQ(Balance("held"), "5");

  // BatchWriteItem: the held item goes to UnprocessedItems, the others are written.
  BatchWriteItemInput batch;
  batch.request_items.emplace();
  batch.request_items->push_back({"Other", std::vector<WriteRequestInput>(1)});
  batch.request_items->push_back({"Accounts", std::vector<WriteRequestInput>(2)});
  (*batch.request_items)[0].requests->at(0).has_put = true;
  (*batch.request_items)[0].requests->at(0).put_item = Id("y");
  (*batch.request_items)[1].requests->at(0).has_put = true;
  (*batch.request_items)[1].requests->at(0).put_item = Id("free");
  (*batch.request_items)[1].requests->at(1).has_delete = true;
  (*batch.request_items)[1].requests->at(1).delete_key = Id("held");
  batch.return_consumed_capacity = "TOTAL";
  auto written = service_->BatchWriteItem(kScope, batch);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_EQ(written->unprocessed.size(), 1u);
  EXPECT_EQ(written->unprocessed[0].table_index, 1u);
  EXPECT_EQ(written->unprocessed[0].request_index, 1u);
  ASSERT_EQ(written->consumed.size(), 2u);
  EXPECT_EQ(written->consumed[1].CapacityUnits(), 1.0);  // only the put is charged
  EXPECT_TRUE(Get("Other", "y").has_value());
  EXPECT_TRUE(Get("Accounts", "free").has_value());
  EXPECT_EQ(Balance("held"), "5");

  // Once released, the same token runs (a cancelled call is not remembered) and commits.
  claims->Release({*held});
  EXPECT_FALSE(claims->IsClaimed(*held));
  ASSERT_TRUE(Write({Update("Accounts", Id("held"), "SET balance = :z", nullptr,
                            MakeItem({{":z", N("0")}}))},
                    "token-conflict")
                  .ok());
  EXPECT_EQ(Balance("held"), "0");
  ASSERT_TRUE(service_->PutItem(kScope, put).ok());
  EXPECT_EQ(Balance("held"), "9");
  ASSERT_TRUE(service_->TransactGetItems(kScope, gets, &reasons_).ok());
  EXPECT_FALSE(claims->IsClaimed(*held));
}

TEST_F(TransactionTest, TransactGetItems) {
  PutPlain("Accounts", MakeItem({{"id", S("a")}, {"x", N("1")}, {"y", N("2")}}));
  TransactGetItemsInput in;
  in.return_consumed_capacity = "TOTAL";
  in.transact_items.emplace();
  TransactGetItemInput g;
  g.has_get = true;
  g.table_name = "Accounts";
  g.key = Id("a");
  g.expressions.projection = "#x";
  g.expressions.names = query::NameMap{{"#x", "x"}};
  in.transact_items->push_back(g);
  TransactGetItemInput missing;
  missing.has_get = true;
  missing.table_name = "Other";
  missing.key = Id("a");
  in.transact_items->push_back(missing);
  auto out = service_->TransactGetItems(kScope, in, &reasons_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->responses.size(), 2u);
  EXPECT_EQ(*out->responses[0], MakeItem({{"x", N("1")}}));
  EXPECT_FALSE(out->responses[1].has_value());
  ASSERT_EQ(out->consumed.size(), 2u);
  EXPECT_EQ(out->consumed[0].CapacityUnits(), 2.0);

  in.transact_items->push_back(g);
  in.transact_items->back().expressions = {};
  ExpectError(service_->TransactGetItems(kScope, in, &reasons_).status(), ApiError::kValidation,
              "Transaction request cannot include multiple operations on one item");
  in.transact_items->resize(1);
  (*in.transact_items)[0].expressions.names = query::NameMap{{"#q", "q"}, {"#x", "x"}};
  auto s = service_->TransactGetItems(kScope, in, &reasons_).status();
  ASSERT_EQ(item::ApiErrorOf(s), ApiError::kValidation);
  EXPECT_NE(s.message().find("unused"), std::string_view::npos) << s.ToString();
  in.transact_items->push_back(TransactGetItemInput());
  ExpectError(service_->TransactGetItems(kScope, in, &reasons_).status(), ApiError::kValidation,
              "1 validation error detected: Value null at 'transactItems.2.member.get' failed "
              "to satisfy constraint: Member must not be null");
}

}  // namespace
}  // namespace strata::tables
