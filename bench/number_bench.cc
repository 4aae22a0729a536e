// Micro-benchmarks for item::Number (parse, format, key form) and item key encoding.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "item/key_codec.h"
#include "item/number.h"

namespace strata::item {
namespace {

const std::vector<std::string>& Inputs(int kind) {
  static const std::vector<std::vector<std::string>> kInputs = {
      {"0", "1", "42", "-7", "1000", "65535", "123456", "-98765432"},
      {"0.5", "-1.25", "3.14159", "1e3", "2.5E-7", "100.00", "-0.001", "12345.6789"},
      {"3.1415926535897932384626433832795028841", "-31415926535897932384626433832795028841e30",
       "314159265358979323846.26433832795028841", "9.9999999999999999999999999999999999999E+125"},
  };
  return kInputs[kind];
}

std::vector<Number> Parsed(int kind) {
  std::vector<Number> out;
  for (const std::string& s : Inputs(kind)) out.push_back(Number::Parse(s).value());
  return out;
}

void BM_NumberParse(benchmark::State& state) {
  const std::vector<std::string>& inputs = Inputs(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    Result<Number> n = Number::Parse(inputs[i++ % inputs.size()]);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberParse)->ArgName("int0_dec1_38digit2")->Arg(0)->Arg(1)->Arg(2);

void BM_NumberToString(benchmark::State& state) {
  const std::vector<Number> numbers = Parsed(static_cast<int>(state.range(0)));
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    numbers[i++ % numbers.size()].AppendTo(&out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberToString)->ArgName("int0_dec1_38digit2")->Arg(0)->Arg(1)->Arg(2);

void BM_NumberEncodeKey(benchmark::State& state) {
  const std::vector<Number> numbers = Parsed(static_cast<int>(state.range(0)));
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    numbers[i++ % numbers.size()].EncodeKey(&out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberEncodeKey)->ArgName("int0_dec1_38digit2")->Arg(0)->Arg(1)->Arg(2);

void BM_NumberDecodeKey(benchmark::State& state) {
  std::vector<std::string> keys;
  for (const Number& n : Parsed(static_cast<int>(state.range(0)))) {
    keys.emplace_back();
    n.EncodeKey(&keys.back());
  }
  size_t i = 0;
  for (auto _ : state) {
    std::string_view in = keys[i++ % keys.size()];
    Result<Number> n = Number::DecodeKey(&in);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NumberDecodeKey)->ArgName("int0_dec1_38digit2")->Arg(0)->Arg(1)->Arg(2);

void BM_NumberAdd(benchmark::State& state) {
  const Number a = Number::Parse("12345.678").value();
  const Number b = Number::Parse("0.00042").value();
  for (auto _ : state) {
    Result<Number> r = Number::Add(a, b);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_NumberAdd);

void BM_EncodeItemKeyString(benchmark::State& state) {
  const AttributeValue pk = AttributeValue::String("customer#0001234567");
  const AttributeValue sk = AttributeValue::String("order#2024-06-11T10:00:00Z");
  for (auto _ : state) {
    std::string key = EncodeItemKey(42, pk, &sk);
    benchmark::DoNotOptimize(key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeItemKeyString);

void BM_EncodeItemKeyNumber(benchmark::State& state) {
  const AttributeValue pk(Number::Parse("1234567890").value());
  const AttributeValue sk(Number::Parse("-17.25").value());
  for (auto _ : state) {
    std::string key = EncodeItemKey(42, pk, &sk);
    benchmark::DoNotOptimize(key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeItemKeyNumber);

}  // namespace
}  // namespace strata::item
