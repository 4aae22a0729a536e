// Recovery benchmarks (engine/durable_db.h, wal mode, 1 KB values): what DurableDb::Open costs.
//
// BM_WalReplay/<MB>/<cold>: Open replaying <MB> MB of values from the WAL (batches of 16 puts)
// into a memtable large enough not to flush (memtable_bytes = 1 GiB). bytes_per_second: WAL
// bytes (the sum of the *.wal file sizes: whole 64 MiB pre-zeroed segments, all read) per
// second of Open; data_MB_per_s: replayed keys + values per second; open_s: the Open. Open
// also creates and zero-fills the new 64 MiB segment: /0 (an empty WAL) times that fixed part.
// BM_OpenWithData/<MB>/<cold>: Open + the first Get (a random present key) of a database
// holding <MB> MB of values in SSTables, after the flushes and the compactions it triggered
// (WaitForCompactions, then FlushMemTable: an empty WAL); 256 MB, and 1 GB with
// STRATA_BENCH_LARGE=1. The database is loaded once per size and reopened by every iteration.
// BM_OpenWithWalTail/<MB>/<cold>: the same database, each iteration first adding a nearly full
// memtable (56 MB of values, the default 64 MiB memtable) that stays in the WAL at Close, so
// Open replays it too (the worst case after a clean shutdown in wal mode).
//
// <cold> = 1: every file of the data directory is dropped from the page cache
// (fdatasync + POSIX_FADV_DONTNEED) before the timed Open; 0: the files are warm. Each
// iteration sets up untimed and times Open (+ Get) alone (manual time). Keys look like the
// engine's: u32 table id | u8 index id | u64 partition hash | sort key. Data directories are
// fresh directories under /tmp, deleted when the benchmark (or the process) ends.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "bench/engine_bench_util.h"
#include "engine/durable_db.h"
#include "util/coding.h"

namespace strata::engine {
namespace {

constexpr int kBatchPuts = 16;
constexpr uint64_t kTailMB = 56;  // below the default 64 MiB memtable: no switch, stays in WAL

bool LargeEnabled() {
  const char* v = std::getenv("STRATA_BENCH_LARGE");
  return v != nullptr && std::string(v) == "1";
}

using bench::kValueSize;
using bench::MakeKey;
using bench::MakeValue;

std::string TempDir() { return bench::MakeTempDir("strata_recovery_bench_"); }

Options BenchOptions(const std::string& dir) {
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = dir;
  return options;
}

uint64_t KeysFor(uint64_t mb) { return (mb << 20) / kValueSize; }

// Writes keys [begin, end) in batches of kBatchPuts; returns the bytes of keys + values.
uint64_t Load(DurableDb* db, uint64_t begin, uint64_t end) {
  uint64_t bytes = 0;
  WriteBatch batch;
  for (uint64_t i = begin; i < end; i++) {
    const std::string key = MakeKey(i);
    bytes += key.size() + kValueSize;
    batch.Put(key, MakeValue(i));
    if (batch.Count() == kBatchPuts || i + 1 == end) {
      if (!db->Write(batch).ok()) std::abort();
      batch.Clear();
    }
  }
  return bytes;
}

// Sum of the sizes of the files of `dir` whose name ends with `suffix`.
uint64_t FileBytes(const std::string& dir, const std::string& suffix) {
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      bytes += entry.file_size();
    }
  }
  return bytes;
}

// Drops every file of `dir` from the page cache (written back first, so the pages are clean).
void DropCaches(const std::string& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_WalReplay(benchmark::State& state) {
  const uint64_t keys = KeysFor(static_cast<uint64_t>(state.range(0)));
  const bool cold = state.range(1) != 0;
  uint64_t wal_bytes = 0, data_bytes = 0, records = 0;
  double seconds = 0;
  for (auto _ : state) {
    const std::string dir = TempDir();
    Options options = BenchOptions(dir);
    options.memtable_bytes = size_t{1} << 30;
    {
      auto db = DurableDb::Open(options);
      if (!db.ok()) std::abort();
      data_bytes += Load(db->get(), 0, keys);
      if ((*db)->flushes() != 0) std::abort();
      if (!(*db)->Close().ok()) std::abort();
    }
    const std::string db_dir = dir + "/dynamodb";
    wal_bytes += FileBytes(db_dir, ".wal");
    if (cold) DropCaches(db_dir);

    const auto start = std::chrono::steady_clock::now();
    auto db = DurableDb::Open(options);
    const double elapsed = SecondsSince(start);
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
    } else {
      records += (*db)->recovered_records();
      (*db)->Close().IgnoreError();  // flushes the recovered memtable (untimed)
    }
    if (db.ok()) db->reset();
    std::filesystem::remove_all(dir);
  }
  const double n = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(wal_bytes));
  state.counters["data_MB_per_s"] = seconds > 0 ? data_bytes / 1e6 / seconds : 0;
  state.counters["wal_MB"] = wal_bytes / 1e6 / n;
  state.counters["records"] = records / n;
  state.counters["open_s"] = seconds / n;
}
BENCHMARK(BM_WalReplay)
    ->ArgNames({"MB", "cold"})
    ->Args({0, 0})
    ->Args({256, 0})
    ->Args({256, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);

// A closed database of `mb` MB of values (keys 0..KeysFor(mb)), everything in SSTables.
struct LoadedDb {
  std::string dir;
  uint64_t keys = 0;
  uint64_t next_key = 0;  // the WAL tails write keys from here on
  double load_s = 0;
  BackgroundStats stats;
  ~LoadedDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

LoadedDb* GetLoadedDb(uint64_t mb) {
  static std::map<uint64_t, std::unique_ptr<LoadedDb>> dbs;
  if (auto it = dbs.find(mb); it != dbs.end()) return it->second.get();
  dbs.clear();  // one size at a time on disk
  std::unique_ptr<LoadedDb>& fresh = dbs[mb];
  fresh = std::make_unique<LoadedDb>();
  fresh->dir = TempDir();
  fresh->keys = KeysFor(mb);
  fresh->next_key = fresh->keys;
  const auto start = std::chrono::steady_clock::now();
  auto db = DurableDb::Open(BenchOptions(fresh->dir));
  if (!db.ok()) std::abort();
  Load(db->get(), 0, fresh->keys);
  if (!(*db)->WaitForCompactions().ok()) std::abort();
  if (!(*db)->FlushMemTable().ok()) std::abort();
  if (!(*db)->WaitForCompactions().ok()) std::abort();
  fresh->stats = (*db)->background_stats();
  if (!(*db)->Close().ok()) std::abort();
  fresh->load_s = SecondsSince(start);
  return fresh.get();
}

// Times Open + one Get of a present key; fills the counters of the database it opened.
void TimedOpen(benchmark::State& state, LoadedDb* loaded, bool cold, std::mt19937_64* rng,
               double* seconds) {
  const std::string db_dir = loaded->dir + "/dynamodb";
  if (cold) DropCaches(db_dir);
  const std::string key = MakeKey((*rng)() % loaded->keys);
  const auto start = std::chrono::steady_clock::now();
  auto db = DurableDb::Open(BenchOptions(loaded->dir));
  std::string value;
  Status s = db.ok() ? (*db)->Get(ReadOptions(), key, &value) : db.status();
  const double elapsed = SecondsSince(start);
  state.SetIterationTime(elapsed);
  *seconds += elapsed;
  if (!s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const std::shared_ptr<const Version> version = (*db)->current_version();
  uint64_t files = 0, sst_bytes = 0;
  for (int level = 0; level < kNumLevels; level++) {
    files += version->NumFiles(level);
    for (const FileRef& f : version->files(level)) sst_bytes += f->file_size;
    state.counters["l" + std::to_string(level) + "_files"] =
        static_cast<double>(version->NumFiles(level));
  }
  state.counters["sst_MB"] = sst_bytes / 1e6;
  state.counters["recovered_records"] = static_cast<double>((*db)->recovered_records());
  (*db)->Close().IgnoreError();  // flushes what was replayed (untimed)
}

void SetLoadCounters(benchmark::State& state, const LoadedDb& loaded, double seconds) {
  state.counters["open_s"] = seconds / static_cast<double>(state.iterations());
  state.counters["load_s"] = loaded.load_s;
  state.counters["load_flushes"] = static_cast<double>(loaded.stats.flushes);
  state.counters["load_compactions"] = static_cast<double>(loaded.stats.compactions);
}

void BM_OpenWithData(benchmark::State& state) {
  LoadedDb* loaded = GetLoadedDb(static_cast<uint64_t>(state.range(0)));
  std::mt19937_64 rng(1);
  double seconds = 0;
  for (auto _ : state) TimedOpen(state, loaded, state.range(1) != 0, &rng, &seconds);
  SetLoadCounters(state, *loaded, seconds);
}

void BM_OpenWithWalTail(benchmark::State& state) {
  LoadedDb* loaded = GetLoadedDb(static_cast<uint64_t>(state.range(0)));
  std::mt19937_64 rng(2);
  double seconds = 0;
  uint64_t wal_bytes = 0;
  for (auto _ : state) {
    {
      auto db = DurableDb::Open(BenchOptions(loaded->dir));
      if (!db.ok()) std::abort();
      Load(db->get(), loaded->next_key, loaded->next_key + KeysFor(kTailMB));
      loaded->next_key += KeysFor(kTailMB);
      if (!(*db)->Close().ok()) std::abort();
    }
    wal_bytes += FileBytes(loaded->dir + "/dynamodb", ".wal");
    TimedOpen(state, loaded, state.range(1) != 0, &rng, &seconds);
  }
  SetLoadCounters(state, *loaded, seconds);
  state.counters["wal_MB"] = wal_bytes / 1e6 / static_cast<double>(state.iterations());
}

// Registered so that each size's benchmarks run together: the database of a size is loaded
// once and replaced by the next size's.
void RegisterOpenBenchmarks() {
  for (int64_t mb : {int64_t{256}, int64_t{1024}}) {
    if (mb > 256 && !LargeEnabled()) continue;
    for (int64_t cold : {0, 1}) {
      benchmark::RegisterBenchmark("BM_OpenWithData", BM_OpenWithData)
          ->ArgNames({"MB", "cold"})
          ->Args({mb, cold})
          ->Unit(benchmark::kMillisecond)
          ->UseManualTime()
          ->Iterations(3);
    }
    for (int64_t cold : {0, 1}) {
      benchmark::RegisterBenchmark("BM_OpenWithWalTail", BM_OpenWithWalTail)
          ->ArgNames({"MB", "cold"})
          ->Args({mb, cold})
          ->Unit(benchmark::kMillisecond)
          ->UseManualTime()
          ->Iterations(2);
    }
  }
}
[[maybe_unused]] const bool registered = (RegisterOpenBenchmarks(), true);

}  // namespace
}  // namespace strata::engine
