// Secondary-index micro-benchmarks (tables/ on a memory-mode engine::Db): an index Query must
// cost what its result costs, whatever the table's size (docs/indexes.md). Each benchmark runs
// over a table of 10k items and, with STRATA_BENCH_LARGE=1, of 1M items; compare the two rows.
//
// Table `bench_gsi` (pk S), ~200-byte items {pk, gpk S, gsk N, email S, payload S}:
//   GSI ByGroup (gpk HASH, gsk RANGE, ALL): 100 items per gpk value.
//   GSI ByEmail (email HASH, ALL): one item per email (a unique key).
// Table `bench_hr` (pk S, sk N), the same payload, 100 items per pk, no index.
//
// BM_GsiQuery25:   Query ByGroup "gpk = :g" of a random group, Limit 25.
// BM_GsiLookup:    Query ByEmail "email = :e" of a random existing email: 1 item ("GetItem on
//                  a GSI").
// BM_TableQuery25: Query on `bench_hr` "pk = :p" of a random partition, Limit 25, for comparison.
// BM_GetItem:      GetItem on `bench_gsi` of a random pk, for comparison with BM_GsiLookup.
// BM_Scan:         a full Scan of `bench_gsi`, page by page (1 MB pages); bytes = sum of ItemSize.
//
// Both tables of a size are loaded once (BatchWriteItem, 25 items per request) and shared by
// every benchmark of that size; load_items_per_s and load_s report the load of `bench_gsi` (three
// engine keys per item: the item and two index entries). Every answer is checked.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/db.h"
#include "engine/options.h"
#include "item/attribute_value.h"
#include "item/item_size.h"
#include "item/number.h"
#include "tables/query_requests.h"
#include "tables/requests.h"
#include "tables/table_service.h"

namespace strata::tables {
namespace {

using item::AttributeValue;
using item::Item;

constexpr int64_t kSmall = 10'000;
constexpr int64_t kLarge = 1'000'000;
constexpr int64_t kGroupSize = 100;    // items per gpk value and per `bench_hr` partition
constexpr size_t kPayloadChars = 140;  // makes a ~200-byte item
constexpr size_t kInputPool = 4096;    // prebuilt requests cycled through per benchmark

const Scope kScope{"000000000000", "us-east-1"};

bool LargeEnabled() {
  const char* v = std::getenv("STRATA_BENCH_LARGE");
  return v != nullptr && std::string(v) == "1";
}

AttributeValue S(std::string s) { return AttributeValue::String(std::move(s)); }
AttributeValue N(int64_t n) {
  return AttributeValue(item::Number::Parse(std::to_string(n)).value());
}

std::string Fmt(const char* format, int64_t n) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, static_cast<long long>(n));
  return buf;
}

std::string Payload(int64_t i) {
  std::string p(kPayloadChars, 'x');
  for (size_t j = 0; j < p.size(); j++) p[j] = "abcdefghijklmnopqrstuvwxyz0123456789"[(i + j) % 36];
  return p;
}

KeySchemaElementInput KeyElem(const std::string& name, const std::string& type) {
  return {name, type};
}

SecondaryIndexInput Gsi(const std::string& name, std::vector<KeySchemaElementInput> keys) {
  SecondaryIndexInput gsi;
  gsi.index_name = name;
  gsi.key_schema = std::move(keys);
  gsi.projection.emplace();
  gsi.projection->projection_type = "ALL";
  return gsi;
}

// The two tables of one size on their own memory-mode Db.
struct Fixture {
  std::unique_ptr<engine::Db> db;
  std::unique_ptr<TableService> service;
  int64_t items = 0;  // in each table
  int64_t groups = 0;
  double load_seconds = 0;  // loading `bench_gsi`
  double hr_load_seconds = 0;
};

// Loads items [0, n) made by `make` into `table` with BatchWriteItem; aborts on error.
template <typename MakeItem>
void Load(TableService* service, const std::string& table, int64_t n, MakeItem make) {
  for (int64_t first = 0; first < n; first += 25) {
    BatchWriteItemInput in;
    in.request_items.emplace();
    TableWriteRequestsInput& t = in.request_items->emplace_back();
    t.table_name = table;
    t.requests.emplace();
    for (int64_t i = first; i < std::min(n, first + 25); i++) {
      WriteRequestInput& r = t.requests->emplace_back();
      r.has_put = true;
      r.put_item = make(i);
    }
    auto out = service->BatchWriteItem(kScope, in);
    if (!out.ok() || !out.value().unprocessed.empty()) {
      std::fprintf(stderr, "load of %s failed: %s\n", table.c_str(),
                   out.ok() ? "unprocessed items" : out.status().ToString().c_str());
      std::abort();
    }
  }
}

Item GsiItem(int64_t i, int64_t groups) {
  Item it{{"email", S(Fmt("user%08lld@example.com", i))},
          {"gpk", S(Fmt("g%06lld", i % groups))},
          {"gsk", N(i / groups)},
          {"payload", S(Payload(i))},
          {"pk", S(Fmt("k%08lld", i))}};
  item::SortMap(&it);
  return it;
}

Item HrItem(int64_t i, int64_t parts) {
  Item it{{"payload", S(Payload(i))}, {"pk", S(Fmt("p%06lld", i % parts))}, {"sk", N(i / parts)}};
  item::SortMap(&it);
  return it;
}

std::unique_ptr<Fixture> MakeFixture(int64_t n) {
  auto f = std::make_unique<Fixture>();
  engine::Options options;
  options.mode = engine::StorageMode::kMemory;
  auto db = engine::Db::Open(options);
  if (!db.ok()) std::abort();
  f->db = std::move(db).value();
  f->service = std::make_unique<TableService>(f->db.get());
  if (!f->service->Open().ok()) std::abort();
  f->items = n;
  f->groups = n / kGroupSize;

  CreateTableInput gsi;
  gsi.table_name = "bench_gsi";
  gsi.billing_mode = "PAY_PER_REQUEST";
  gsi.attribute_definitions = std::vector<AttributeDefinitionInput>{
      {"pk", "S"}, {"gpk", "S"}, {"gsk", "N"}, {"email", "S"}};
  gsi.key_schema = std::vector<KeySchemaElementInput>{KeyElem("pk", "HASH")};
  gsi.global_secondary_indexes = std::vector<SecondaryIndexInput>{
      Gsi("ByGroup", {KeyElem("gpk", "HASH"), KeyElem("gsk", "RANGE")}),
      Gsi("ByEmail", {KeyElem("email", "HASH")})};
  CreateTableInput hr;
  hr.table_name = "bench_hr";
  hr.billing_mode = "PAY_PER_REQUEST";
  hr.attribute_definitions = std::vector<AttributeDefinitionInput>{{"pk", "S"}, {"sk", "N"}};
  hr.key_schema = std::vector<KeySchemaElementInput>{KeyElem("pk", "HASH"), KeyElem("sk", "RANGE")};
  for (const CreateTableInput* in : {&gsi, &hr}) {
    auto s = f->service->CreateTable(kScope, *in);
    if (!s.ok()) {
      std::fprintf(stderr, "CreateTable: %s\n", s.status().ToString().c_str());
      std::abort();
    }
  }

  const int64_t groups = f->groups;
  auto start = std::chrono::steady_clock::now();
  Load(f->service.get(), "bench_gsi", n, [groups](int64_t i) { return GsiItem(i, groups); });
  auto mid = std::chrono::steady_clock::now();
  Load(f->service.get(), "bench_hr", n, [groups](int64_t i) { return HrItem(i, groups); });
  auto end = std::chrono::steady_clock::now();
  f->load_seconds = std::chrono::duration<double>(mid - start).count();
  f->hr_load_seconds = std::chrono::duration<double>(end - mid).count();
  std::fprintf(stderr, "loaded %lld items: gsi table %.2f s (%.0f items/s), hr table %.2f s\n",
               static_cast<long long>(n), f->load_seconds, n / f->load_seconds, f->hr_load_seconds);
  return f;
}

// The fixture of table size n, loaded on first use and kept for the process.
Fixture& GetFixture(int64_t n) {
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  std::unique_ptr<Fixture>& f = fixtures[n];
  if (!f) f = MakeFixture(n);
  return *f;
}

void ReportLoad(benchmark::State& state, const Fixture& f) {
  state.counters["load_items_per_s"] = static_cast<double>(f.items) / f.load_seconds;
  state.counters["load_s"] = f.load_seconds;
}

QueryInput MakeQuery(const std::string& table, const std::optional<std::string>& index,
                     const std::string& condition, const std::string& placeholder,
                     std::string value, std::optional<int64_t> limit) {
  QueryInput in;
  in.table_name = table;
  in.index_name = index;
  in.limit = limit;
  in.expressions.key_condition = condition;
  in.expressions.values = item::Map{{placeholder, S(std::move(value))}};
  return in;
}

// Runs the queries of `pool` in turn; each must return `expected` items.
void RunQueries(benchmark::State& state, const Fixture& f, const std::vector<QueryInput>& pool,
                int64_t expected) {
  size_t next = 0;
  int64_t items = 0;
  for (auto _ : state) {
    auto out = f.service->Query(kScope, pool[next]);
    if (!out.ok() || out.value().count != expected) {
      state.SkipWithError(out.ok() ? "wrong Count" : out.status().ToString().c_str());
      break;
    }
    items += out.value().count;
    benchmark::DoNotOptimize(out.value().items.data());
    next = (next + 1) % pool.size();
  }
  state.SetItemsProcessed(items);
  ReportLoad(state, f);
}

void BM_GsiQuery25(benchmark::State& state) {
  const Fixture& f = GetFixture(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<QueryInput> pool;
  for (size_t i = 0; i < kInputPool; i++) {
    pool.push_back(MakeQuery("bench_gsi", "ByGroup", "gpk = :g", ":g",
                             Fmt("g%06lld", static_cast<int64_t>(rng() % f.groups)), 25));
  }
  RunQueries(state, f, pool, 25);
}

void BM_GsiLookup(benchmark::State& state) {
  const Fixture& f = GetFixture(state.range(0));
  std::mt19937_64 rng(2);
  std::vector<QueryInput> pool;
  for (size_t i = 0; i < kInputPool; i++) {
    pool.push_back(MakeQuery("bench_gsi", "ByEmail", "email = :e", ":e",
                             Fmt("user%08lld@example.com", static_cast<int64_t>(rng() % f.items)),
                             std::nullopt));
  }
  RunQueries(state, f, pool, 1);
}

void BM_TableQuery25(benchmark::State& state) {
  const Fixture& f = GetFixture(state.range(0));
  std::mt19937_64 rng(3);
  std::vector<QueryInput> pool;
  for (size_t i = 0; i < kInputPool; i++) {
    pool.push_back(MakeQuery("bench_hr", std::nullopt, "pk = :p", ":p",
                             Fmt("p%06lld", static_cast<int64_t>(rng() % f.groups)), 25));
  }
  RunQueries(state, f, pool, 25);
}

void BM_GetItem(benchmark::State& state) {
  const Fixture& f = GetFixture(state.range(0));
  std::mt19937_64 rng(4);
  std::vector<GetItemInput> pool(kInputPool);
  for (GetItemInput& in : pool) {
    in.table_name = "bench_gsi";
    in.key = Item{{"pk", S(Fmt("k%08lld", static_cast<int64_t>(rng() % f.items)))}};
  }
  size_t next = 0;
  for (auto _ : state) {
    auto out = f.service->GetItem(kScope, pool[next]);
    if (!out.ok() || !out.value().item) {
      state.SkipWithError(out.ok() ? "no Item" : out.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(out.value().item->data());
    next = (next + 1) % pool.size();
  }
  state.SetItemsProcessed(state.iterations());
  ReportLoad(state, f);
}

void BM_Scan(benchmark::State& state) {
  const Fixture& f = GetFixture(state.range(0));
  int64_t bytes = 0;
  int64_t pages = 0;
  for (auto _ : state) {
    ScanInput in;
    in.table_name = "bench_gsi";
    int64_t count = 0;
    while (true) {
      auto out = f.service->Scan(kScope, in);
      if (!out.ok()) {
        state.SkipWithError(out.status().ToString().c_str());
        return;
      }
      for (const Item& it : out.value().items) bytes += static_cast<int64_t>(item::ItemSize(it));
      count += out.value().count;
      pages++;
      if (!out.value().last_evaluated_key) break;
      in.exclusive_start_key = std::move(out.value().last_evaluated_key);
    }
    if (count != f.items) {
      state.SkipWithError("Scan missed items");
      return;
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations() * f.items);
  state.counters["pages"] =
      benchmark::Counter(static_cast<double>(pages), benchmark::Counter::kAvgIterations);
  ReportLoad(state, f);
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(kSmall);
  if (LargeEnabled()) b->Arg(kLarge);
}

BENCHMARK(BM_GsiQuery25)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GsiLookup)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TableQuery25)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GetItem)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Scan)->Arg(kSmall)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strata::tables
