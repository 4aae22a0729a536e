// Item codecs on a ~1 KB item shaped like the load harness's: DynamoDB JSON decode (simdjson
// parse + DecodeAttributeMap) and encode (JsonWriter), the binary item codec, and ItemSize.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "item/item_codec.h"
#include "item/item_size.h"
#include "item/json.h"

namespace strata::item {
namespace {

std::string ItemJson() {
  return R"({"pk":{"S":"user#0000012345"},"payload":{"S":")" + std::string(1000, 'x') +
         R"("},"count":{"N":"42"},"score":{"N":"-1234.5678"},"active":{"BOOL":true}})";
}

Map DecodedItem() {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(simdjson::padded_string(ItemJson())).get(e) != simdjson::SUCCESS) std::abort();
  Map item;
  if (!DecodeAttributeMap(e, &item).ok()) std::abort();
  return item;
}

void BM_JsonDecode(benchmark::State& state) {
  const simdjson::padded_string json(ItemJson());
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element e;
    if (parser.parse(json).get(e) != simdjson::SUCCESS) std::abort();
    Map item;
    Status s = DecodeAttributeMap(e, &item);
    benchmark::DoNotOptimize(s.ok());
    benchmark::DoNotOptimize(item.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_JsonDecode);

void BM_JsonEncode(benchmark::State& state) {
  const Map item = DecodedItem();
  std::string out;
  for (auto _ : state) {
    out.clear();
    JsonWriter writer(&out);
    writer.AttributeMap(item);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_JsonEncode);

void BM_ItemEncode(benchmark::State& state) {
  const Map item = DecodedItem();
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeItem(item, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_ItemEncode);

void BM_ItemDecode(benchmark::State& state) {
  std::string encoded;
  EncodeItem(DecodedItem(), &encoded);
  for (auto _ : state) {
    Item item;
    Status s = DecodeItem(encoded, &item);
    benchmark::DoNotOptimize(s.ok());
    benchmark::DoNotOptimize(item.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(encoded.size()));
}
BENCHMARK(BM_ItemDecode);

void BM_ItemSize(benchmark::State& state) {
  const Map item = DecodedItem();
  for (auto _ : state) benchmark::DoNotOptimize(ItemSize(item));
}
BENCHMARK(BM_ItemSize);

}  // namespace
}  // namespace strata::item
