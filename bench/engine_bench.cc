// Engine micro-benchmarks with SSTables (engine/durable_db.h, wal mode, 1 KB values):
//  - sequential puts through the WAL while full memtables are flushed to L0 in the background
//    (items/s; the flushes counter says how many tables were written);
//  - random point Gets once everything is in L0 SSTables, with a warm block cache: keys present,
//    and keys absent (rejected by the bloom filters of the partition prefix).
// Keys look like the engine's: u32 table id | u8 index id | u64 partition hash | sort key.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "engine/durable_db.h"
#include "util/coding.h"

namespace strata::engine {
namespace {

constexpr size_t kValueSize = 1024;
// 32 MB of values in the read benchmarks: the working set fits the default 64 MiB block cache.
constexpr int kReadKeys = 32 * 1024;

std::string MakeKey(uint64_t i) {
  std::string key;
  PutBigEndian32(&key, 7);                          // table id
  key.push_back(0);                                 // index id
  PutBigEndian64(&key, i * 0x9e3779b97f4a7c15ull);  // partition hash
  key += "sk#" + std::to_string(i);
  return key;
}

std::string MakeValue(uint64_t i) {
  std::string value(kValueSize, 'v');
  std::mt19937_64 rng(i);
  for (size_t j = 0; j < kValueSize; j += 8) value[j] = static_cast<char>(rng());
  return value;
}

std::string TempDir() {
  std::string tmpl = "/tmp/strata_engine_bench_XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

Options BenchOptions(const std::string& dir) {
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = dir;
  options.memtable_bytes = 8 << 20;  // several tables
  return options;
}

// Argument: the memtable size in MiB (1024: no flush during the run, for comparison).
void BM_SequentialPutsWithFlushes(benchmark::State& state) {
  const std::string dir = TempDir();
  Options options = BenchOptions(dir);
  options.memtable_bytes = static_cast<size_t>(state.range(0)) << 20;
  auto db = DurableDb::Open(options);
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return;
  }
  const std::string value = MakeValue(1);
  uint64_t i = 0;
  for (auto _ : state) {
    WriteBatch batch;
    batch.Put(MakeKey(i++), value);
    if (!(*db)->Write(batch).ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(i));
  state.SetBytesProcessed(static_cast<int64_t>(i * kValueSize));
  state.counters["flushes"] = static_cast<double>((*db)->flushes());
  state.counters["l0_files"] = static_cast<double>((*db)->current_version()->NumFiles(0));
  (*db)->Close().IgnoreError();
  db->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SequentialPutsWithFlushes)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(3)
    ->UseRealTime()
    ->Arg(8)
    ->Arg(1024);

// One database of kReadKeys keys, all flushed to L0, shared by the read benchmarks.
DurableDb* ReadDb() {
  static DurableDb* db = [] {
    const std::string dir = TempDir();
    auto opened = DurableDb::Open(BenchOptions(dir));
    if (!opened.ok()) std::abort();
    for (int i = 0; i < kReadKeys; i++) {
      WriteBatch batch;
      batch.Put(MakeKey(i), MakeValue(i));
      if (!(*opened)->Write(batch).ok()) std::abort();
    }
    if (!(*opened)->FlushMemTable().ok()) std::abort();
    return opened->release();  // lives until exit; the directory is left in /tmp
  }();
  return db;
}

void BM_RandomGetAfterFlush(benchmark::State& state) {
  DurableDb* db = ReadDb();
  std::mt19937_64 rng(state.thread_index());
  std::string value;
  for (int i = 0; i < kReadKeys; i++) db->Get(ReadOptions(), MakeKey(i), &value).IgnoreError();
  int64_t found = 0;
  for (auto _ : state) {
    if (db->Get(ReadOptions(), MakeKey(rng() % kReadKeys), &value).ok()) found++;
  }
  if (found != state.iterations()) state.SkipWithError("a key was not found");
  state.SetItemsProcessed(state.iterations());
  state.counters["l0_files"] = static_cast<double>(db->current_version()->NumFiles(0));
}
BENCHMARK(BM_RandomGetAfterFlush)->Unit(benchmark::kMicrosecond)->Threads(1)->Threads(2);

void BM_RandomGetAbsentAfterFlush(benchmark::State& state) {
  DurableDb* db = ReadDb();
  std::mt19937_64 rng(state.thread_index() + 100);
  std::string value;
  int64_t found = 0;
  for (auto _ : state) {
    if (db->Get(ReadOptions(), MakeKey(kReadKeys + rng() % kReadKeys), &value).ok()) found++;
  }
  if (found != 0) state.SkipWithError("an absent key was found");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomGetAbsentAfterFlush)->Unit(benchmark::kMicrosecond);

void BM_ScanAfterFlush(benchmark::State& state) {
  DurableDb* db = ReadDb();
  int64_t entries = 0;
  for (auto _ : state) {
    auto iter = db->NewIterator(ReadOptions());
    for (iter->SeekToFirst(); iter->Valid(); iter->Next()) entries++;
  }
  state.SetItemsProcessed(entries);
}
BENCHMARK(BM_ScanAfterFlush)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strata::engine
