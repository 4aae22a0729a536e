// Micro-benchmarks for the expression layer (query/): parsing, the parsed-expression cache,
// compiling a request's expressions, condition evaluation and update application.
//
// "Typical condition": 3 comparisons and one function. "5-action update": SET with +, SET of a
// nested path, list_append, REMOVE and ADD.

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "item/number.h"
#include "query/evaluate.h"
#include "query/expression_cache.h"
#include "query/parser.h"
#include "query/request_expressions.h"
#include "query/update.h"

// Counts heap allocations so that each benchmark reports allocations per operation. (GCC warns
// that the replaced operator delete frees what operator new returned; both are ours.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<uint64_t> g_allocations{0};

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace strata::query {
namespace {

// Sets the "allocs" counter: heap allocations per iteration since `start`.
void ReportAllocations(benchmark::State& state, uint64_t start) {
  const uint64_t n = g_allocations.load(std::memory_order_relaxed) - start;
  state.counters["allocs"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kAvgIterations);
}

using item::AttributeValue;
using item::Item;

constexpr const char* kCondition =
    "#s = :active AND age >= :min AND score < :max AND begins_with(email, :domain)";
constexpr const char* kUpdate =
    "SET visits = visits + :one, profile.city = :city, tags = list_append(tags, :tags) "
    "REMOVE obsolete ADD points :one";

AttributeValue Num(const char* s) { return AttributeValue(item::Number::Parse(s).value()); }

ExpressionParams ConditionParams() {
  ExpressionParams p;
  p.condition = kCondition;
  p.names = NameMap{{"#s", "status"}};
  p.values = Item{{":active", AttributeValue::String("active")},
                  {":domain", AttributeValue::String("user")},
                  {":max", Num("1000")},
                  {":min", Num("18")}};
  return p;
}

ExpressionParams UpdateParams() {
  ExpressionParams p;
  p.update = kUpdate;
  p.values = Item{{":city", AttributeValue::String("Lisbon")},
                  {":one", Num("1")},
                  {":tags", AttributeValue(item::List{AttributeValue::String("new")})}};
  return p;
}

Item SampleItem() {
  Item it{{"age", Num("42")},
          {"email", AttributeValue::String("user@example.com")},
          {"obsolete", AttributeValue(true)},
          {"pk", AttributeValue::String("user#1")},
          {"points", Num("10")},
          {"profile", AttributeValue(Item{{"city", AttributeValue::String("Porto")}})},
          {"score", Num("512.5")},
          {"status", AttributeValue::String("active")},
          {"tags", AttributeValue(item::List{AttributeValue::String("a")})},
          {"visits", Num("99")}};
  return it;
}

void BM_ParseCondition(benchmark::State& state) {
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    auto parsed = ParseExpression(ExpressionKind::kCondition, kCondition);
    benchmark::DoNotOptimize(parsed);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_ParseCondition);

void BM_ParseUpdate(benchmark::State& state) {
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    auto parsed = ParseExpression(ExpressionKind::kUpdate, kUpdate);
    benchmark::DoNotOptimize(parsed);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_ParseUpdate);

void BM_CacheHitCondition(benchmark::State& state) {
  ExpressionCache cache;
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    auto parsed = cache.Get(ExpressionKind::kCondition, kCondition);
    benchmark::DoNotOptimize(parsed);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_CacheHitCondition)->Threads(1)->Threads(8);

// What a request pays before evaluation: cache lookup, binding, unused checks.
void BM_CompileCondition(benchmark::State& state) {
  const ExpressionParams params = ConditionParams();
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    CompiledExpressions compiled;
    Status s = CompileExpressions(params, &compiled);
    benchmark::DoNotOptimize(s);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_CompileCondition);

void BM_EvaluateCondition(benchmark::State& state) {
  const ExpressionParams params = ConditionParams();
  CompiledExpressions compiled;
  if (!CompileExpressions(params, &compiled).ok()) state.SkipWithError("compile failed");
  const Item it = SampleItem();
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    bool holds = EvaluateCondition(*compiled.condition, compiled.condition_bindings, &it);
    benchmark::DoNotOptimize(holds);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_EvaluateCondition);

void BM_ApplyUpdate(benchmark::State& state) {
  const ExpressionParams params = UpdateParams();
  CompiledExpressions compiled;
  if (!CompileExpressions(params, &compiled).ok()) state.SkipWithError("compile failed");
  const Item original = SampleItem();
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    Item it = original;
    Status s = ApplyUpdate(*compiled.update, compiled.update_bindings, &it);
    benchmark::DoNotOptimize(s);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_ApplyUpdate);

// The copy BM_ApplyUpdate includes, to subtract.
void BM_CopyItem(benchmark::State& state) {
  const Item original = SampleItem();
  const uint64_t allocations_start = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    Item it = original;
    benchmark::DoNotOptimize(it);
  }
  ReportAllocations(state, allocations_start);
}
BENCHMARK(BM_CopyItem);

}  // namespace
}  // namespace strata::query
