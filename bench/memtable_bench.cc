// Memtable and memory-backend Db micro-benchmarks: random 32-byte keys, 1 KB values.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/db.h"
#include "engine/memory_db.h"
#include "memtable/memtable.h"

namespace strata {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kValueSize = 1024;
constexpr size_t kPreloaded = 100000;

std::vector<std::string> RandomKeys(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> keys(n);
  for (auto& k : keys) {
    k.resize(kKeySize);
    for (size_t i = 0; i < kKeySize; i += 8) {
      uint64_t r = rng();
      for (size_t j = 0; j < 8; j++) k[i + j] = static_cast<char>(r >> (8 * j));
    }
  }
  return keys;
}

const std::string& Value() {
  static const std::string value(kValueSize, 'v');
  return value;
}

void BM_MemTableInsert(benchmark::State& state) {
  const auto keys = RandomKeys(1 << 16, 1);
  auto mem = std::make_unique<memtable::MemTable>();
  uint64_t seq = 10;
  size_t i = 0;
  for (auto _ : state) {
    if (i == keys.size()) {  // keep the table size bounded (about 70 MB)
      state.PauseTiming();
      mem = std::make_unique<memtable::MemTable>();
      i = 0;
      state.ResumeTiming();
    }
    mem->Add(seq++, memtable::EntryKind::kPut, keys[i++], Value());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * (kKeySize + kValueSize));
}
BENCHMARK(BM_MemTableInsert);

void BM_MemTableGetHit(benchmark::State& state) {
  const auto keys = RandomKeys(kPreloaded, 2);
  memtable::MemTable mem;
  uint64_t seq = 10;
  for (const auto& k : keys) mem.Add(seq++, memtable::EntryKind::kPut, k, Value());
  std::string value;
  size_t i = 0;
  for (auto _ : state) {
    auto r = mem.Get(keys[i], seq, &value);
    benchmark::DoNotOptimize(r);
    i = (i + 7919) % keys.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemTableGetHit);

std::unique_ptr<engine::Db> OpenMemoryDb() {
  engine::Options options;
  options.mode = engine::StorageMode::kMemory;
  auto db = engine::Db::Open(options);
  if (!db.ok()) std::abort();
  return std::move(db).value();
}

void BM_DbWriteSinglePut(benchmark::State& state) {
  const auto keys = RandomKeys(1 << 16, 3);
  auto db = OpenMemoryDb();
  engine::WriteBatch batch;
  size_t i = 0;
  for (auto _ : state) {
    if (i == keys.size()) {
      state.PauseTiming();
      db = OpenMemoryDb();
      i = 0;
      state.ResumeTiming();
    }
    batch.Clear();
    batch.Put(keys[i++], Value());
    if (!db->Write(batch).ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * (kKeySize + kValueSize));
}
BENCHMARK(BM_DbWriteSinglePut);

void BM_DbGet(benchmark::State& state) {
  const auto keys = RandomKeys(kPreloaded, 4);
  auto db = OpenMemoryDb();
  engine::WriteBatch batch;
  for (const auto& k : keys) {
    batch.Clear();
    batch.Put(k, Value());
    if (!db->Write(batch).ok()) std::abort();
  }
  std::string value;
  size_t i = 0;
  for (auto _ : state) {
    Status s = db->Get(engine::ReadOptions(), keys[i], &value);
    benchmark::DoNotOptimize(s.ok());
    i = (i + 7919) % keys.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DbGet);

// Resident set size in bytes (Linux /proc/self/statm), 0 when unknown.
double RssBytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0;
  double resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

// Overwrites 10k keys with 1 KB values (the PutItem overwrite load): memtable rebuilds keep
// the memtable within max(memtable_bytes, 2 x live data) instead of growing forever.
// Arg: memtable_bytes in MiB.
void BM_DbOverwrite(benchmark::State& state) {
  const auto keys = RandomKeys(10000, 5);
  engine::Options options;
  options.mode = engine::StorageMode::kMemory;
  options.memtable_bytes = static_cast<size_t>(state.range(0)) << 20;
  engine::MemoryDb db(options);
  engine::WriteBatch batch;
  size_t i = 0;
  size_t peak = 0;
  for (auto _ : state) {
    batch.Clear();
    batch.Put(keys[i], Value());
    i = (i + 1) % keys.size();
    if (!db.Write(batch).ok()) state.SkipWithError("write failed");
    if ((i & 1023) == 0) peak = std::max(peak, db.ApproximateMemoryUsage());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * (kKeySize + kValueSize));
  state.counters["rebuilds"] = static_cast<double>(db.memtable_rebuilds());
  state.counters["peak_memtable_MiB"] = static_cast<double>(peak) / (1 << 20);
  state.counters["rss_MiB"] = RssBytes() / (1 << 20);
}
BENCHMARK(BM_DbOverwrite)->Arg(16)->Arg(64)->Iterations(2000000);

}  // namespace
}  // namespace strata
