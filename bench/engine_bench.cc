// Engine micro-benchmarks with SSTables (engine/durable_db.h, 1 KB values):
//  - BM_SequentialPutsWithFlushes: sequential puts from one thread through the WAL (wal mode)
//    while full memtables are flushed to L0 and compacted in the background (items/s; the
//    counters say how many tables were written, compactions run and writes stalled);
//  - BM_SequentialPutsNoWal: the same puts in hybrid mode (no WAL), for comparison;
//  - BM_PersistentConcurrentPuts: persistent mode (fdatasync semantics before every
//    acknowledgement, group commit) with 1, 8 and 32 writer threads: acknowledged writes/s, and
//    records_per_sync = writes / durability operations (durable writes + fdatasyncs) counted by
//    a Sink wrapper, with the mean time of one durability operation (us_per_sync);
//  - random point Gets with a warm block cache once everything is in SSTables: in overlapping
//    L0 files after flushes, automatic compactions off (keys present, and keys absent, rejected
//    by the bloom filters of the partition prefix), and in L1 after a full CompactRange;
//  - BM_CompactRange: MB/s of a CompactRange merging N MB of overlapping L0 files (every file
//    spans the whole key space) into L1; timed alone (manual time), the load is not.
// Keys look like the engine's: u32 table id | u8 index id | u64 partition hash | sort key.
// Data directories are fresh directories under /tmp, deleted when a benchmark (or, for the
// shared read databases, the process) ends.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "bench/engine_bench_util.h"
#include "engine/durable_db.h"
#include "util/coding.h"
#include "wal/sink.h"

namespace strata::engine {
namespace {

// 32 MB of values in the read benchmarks: the working set fits the default 64 MiB block cache.
constexpr int kReadKeys = 32 * 1024;

using bench::kValueSize;
using bench::MakeKey;
using bench::MakeValue;

std::string TempDir() { return bench::MakeTempDir("strata_engine_bench_"); }

Options BenchOptions(const std::string& dir) {
  Options options;
  options.mode = StorageMode::kWal;
  options.data_dir = dir;
  options.memtable_bytes = 8 << 20;  // several tables
  return options;
}

// One writer putting sequential keys with 1 KB values into a Db opened with `options`; with
// `background`, the flush and compaction counters too.
void RunSequentialPuts(benchmark::State& state, const Options& options, bool background) {
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
  if (background) {
    state.counters["flushes"] = static_cast<double>((*db)->flushes());
    state.counters["l0_files"] = static_cast<double>((*db)->current_version()->NumFiles(0));
    const BackgroundStats stats = (*db)->background_stats();
    state.counters["compactions"] = static_cast<double>(stats.compactions + stats.trivial_moves);
    state.counters["write_slowdowns"] = static_cast<double>(stats.write_slowdowns);
    state.counters["write_stops"] = static_cast<double>(stats.write_stops);
  }
  (*db)->Close().IgnoreError();
  db->reset();
}

// Argument: the memtable size in MiB (1024: no flush during the run, for comparison).
void BM_SequentialPutsWithFlushes(benchmark::State& state) {
  const std::string dir = TempDir();
  Options options = BenchOptions(dir);
  options.memtable_bytes = static_cast<size_t>(state.range(0)) << 20;
  RunSequentialPuts(state, options, /*background=*/true);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SequentialPutsWithFlushes)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(3)
    ->UseRealTime()
    ->Arg(8)
    ->Arg(1024);

// For comparison with BM_SequentialPutsWithFlushes/1024: the same puts in hybrid mode (no WAL:
// into the memtable under the Db's mutex), no flush during the run. The difference is what the
// WAL costs a single writer.
void BM_SequentialPutsNoWal(benchmark::State& state) {
  const std::string dir = TempDir();
  Options options = BenchOptions(dir);
  options.mode = StorageMode::kHybrid;
  options.memtable_bytes = size_t{1} << 30;
  options.flush_interval_ms = 3600 * 1000;  // no timed switch during the run
  RunSequentialPuts(state, options, /*background=*/false);
  std::filesystem::remove_all(dir);
}
// A fixed count: Close flushes the whole memtable (300 MB, untimed).
BENCHMARK(BM_SequentialPutsNoWal)->Unit(benchmark::kMicrosecond)->Iterations(300000)->UseRealTime();

// What a WAL's sink did: written by the group-commit leaders, read by benchmark thread 0.
struct SinkCounters {
  std::atomic<uint64_t> durable_writes{0};  // Write(durable = true): one per group (persistent)
  std::atomic<uint64_t> syncs{0};           // Sync(): seals at rotation, unsynced bytes
  std::atomic<uint64_t> durable_ns{0};      // time spent in both
};

// Forwards to the default sink (io_uring, or the posix fallback), counting durability
// operations. The engine has no sync counter: this is what a sync is, seen from below.
class CountingSink final : public wal::Sink {
 public:
  CountingSink(std::unique_ptr<wal::Sink> base, SinkCounters* counters)
      : base_(std::move(base)), counters_(counters) {}

  Status Write(int fd, uint64_t offset, std::string_view data, bool durable) override {
    if (!durable) return base_->Write(fd, offset, data, durable);
    const auto start = std::chrono::steady_clock::now();
    Status s = base_->Write(fd, offset, data, durable);
    Count(&counters_->durable_writes, start);
    return s;
  }
  Status Sync(int fd) override {
    const auto start = std::chrono::steady_clock::now();
    Status s = base_->Sync(fd);
    Count(&counters_->syncs, start);
    return s;
  }
  std::string_view Name() const override { return base_->Name(); }

 private:
  void Count(std::atomic<uint64_t>* ops, std::chrono::steady_clock::time_point start) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now() - start);
    ops->fetch_add(1, std::memory_order_relaxed);
    counters_->durable_ns.fetch_add(static_cast<uint64_t>(ns.count()), std::memory_order_relaxed);
  }

  const std::unique_ptr<wal::Sink> base_;
  SinkCounters* const counters_;
};

struct PersistentShared {
  std::string dir;
  SinkCounters sink;
  std::unique_ptr<DurableDb> db;
  uint64_t first_seq = 0;
};
PersistentShared* g_persistent = nullptr;

// Persistent mode, the default 64 MiB memtable (flushes happen during the run, as in service):
// every thread writes its own keys, one 1 KB put per batch, and waits for its acknowledgement.
void BM_PersistentConcurrentPuts(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_persistent = new PersistentShared;
    g_persistent->dir = TempDir();
    Options options;
    options.mode = StorageMode::kPersistent;
    options.data_dir = g_persistent->dir;
    SinkCounters* counters = &g_persistent->sink;
    options.wal_sink_factory = [counters] {
      return std::make_unique<CountingSink>(wal::NewSink(wal::SinkOptions()), counters);
    };
    auto db = DurableDb::Open(options);
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
    } else {
      g_persistent->db = std::move(db).value();
      g_persistent->first_seq = g_persistent->db->LatestSequence();
      state.SetLabel(std::string(g_persistent->db->sink_name()));
    }
  }
  const std::string value = MakeValue(state.thread_index());
  uint64_t i = static_cast<uint64_t>(state.thread_index()) << 40;
  for (auto _ : state) {
    if (g_persistent->db == nullptr) continue;
    WriteBatch batch;
    batch.Put(MakeKey(i++), value);
    if (Status s = g_persistent->db->Write(batch); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kValueSize));
  if (state.thread_index() == 0) {
    // Every thread has left the timed loop (the benchmark library's barrier).
    if (DurableDb* db = g_persistent->db.get(); db != nullptr) {
      const SinkCounters& c = g_persistent->sink;
      const double records = static_cast<double>(db->LatestSequence() - g_persistent->first_seq);
      const double ops = static_cast<double>(c.durable_writes.load() + c.syncs.load());
      state.counters["records_per_sync"] = ops > 0 ? records / ops : 0;
      state.counters["syncs"] = ops;
      state.counters["us_per_sync"] =
          ops > 0 ? static_cast<double>(c.durable_ns.load()) / ops / 1e3 : 0;
      state.counters["flushes"] = static_cast<double>(db->flushes());
      db->Close().IgnoreError();
    }
    g_persistent->db.reset();
    std::filesystem::remove_all(g_persistent->dir);
    delete g_persistent;
    g_persistent = nullptr;
  }
}
BENCHMARK(BM_PersistentConcurrentPuts)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(3)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(8)
    ->Threads(32);

// A database shared by the read benchmarks; closed and deleted at exit.
struct SharedDb {
  std::string dir;
  std::unique_ptr<DurableDb> db;
  ~SharedDb() {
    if (db != nullptr) db->Close().IgnoreError();
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// Options keeping every flushed table in L0: the L0 triggers are out of reach.
Options NoAutoCompactionOptions(const std::string& dir) {
  Options options = BenchOptions(dir);
  options.compaction.l0_compaction_trigger = 1 << 20;
  options.compaction.l0_slowdown_writes_trigger = 1 << 20;
  options.compaction.l0_stop_writes_trigger = 1 << 20;
  return options;
}

// kReadKeys keys in a wal-mode database (8 MiB memtables), flushed to overlapping L0 SSTables
// (automatic compactions off); with `compact`, then compacted by CompactRange over the whole
// key space into L1 (no L0 file left).
std::unique_ptr<SharedDb> LoadReadDb(bool compact) {
  auto shared = std::make_unique<SharedDb>();
  shared->dir = TempDir();
  auto opened = DurableDb::Open(NoAutoCompactionOptions(shared->dir));
  if (!opened.ok()) std::abort();
  shared->db = std::move(opened).value();
  for (int i = 0; i < kReadKeys; i++) {
    WriteBatch batch;
    batch.Put(MakeKey(i), MakeValue(i));
    if (!shared->db->Write(batch).ok()) std::abort();
  }
  if (!shared->db->FlushMemTable().ok()) std::abort();
  if (shared->db->current_version()->NumFiles(0) < 2) std::abort();
  if (compact) {
    if (!shared->db->CompactRange(std::nullopt, std::nullopt).ok()) std::abort();
    if (shared->db->current_version()->NumFiles(0) != 0) std::abort();
  }
  return shared;
}

DurableDb* ReadDb() {
  static const std::unique_ptr<SharedDb> shared = LoadReadDb(/*compact=*/false);
  return shared->db.get();
}

DurableDb* CompactedReadDb() {
  static const std::unique_ptr<SharedDb> shared = LoadReadDb(/*compact=*/true);
  return shared->db.get();
}

void SetLevelCounters(benchmark::State& state, const Version& version) {
  for (int level = 0; level < kNumLevels; level++) {
    state.counters["l" + std::to_string(level) + "_files"] =
        static_cast<double>(version.NumFiles(level));
  }
}

// Random Gets of present keys, after a warm-up pass that loads every block into the cache.
void RandomGets(benchmark::State& state, DurableDb* db) {
  std::mt19937_64 rng(state.thread_index());
  std::string value;
  for (int i = 0; i < kReadKeys; i++) db->Get(ReadOptions(), MakeKey(i), &value).IgnoreError();
  int64_t found = 0;
  for (auto _ : state) {
    if (db->Get(ReadOptions(), MakeKey(rng() % kReadKeys), &value).ok()) found++;
  }
  if (found != state.iterations()) state.SkipWithError("a key was not found");
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) SetLevelCounters(state, *db->current_version());
}

void BM_RandomGetAfterFlush(benchmark::State& state) { RandomGets(state, ReadDb()); }
BENCHMARK(BM_RandomGetAfterFlush)->Unit(benchmark::kMicrosecond)->Threads(1)->Threads(2);

void BM_RandomGetAfterCompaction(benchmark::State& state) { RandomGets(state, CompactedReadDb()); }
BENCHMARK(BM_RandomGetAfterCompaction)->Unit(benchmark::kMicrosecond)->Threads(1)->Threads(2);

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

// Argument: MB of 1 KB values (unique keys, in hash order) written as 8 MiB memtables, each
// flushed to an L0 file spanning the whole key space; automatic compactions are off (L0
// triggers out of reach) so that they all wait in L0. Each iteration loads a fresh database,
// then times CompactRange(all) alone. bytes_per_second: input SSTable bytes (zlib-compressed,
// as on disk) per second; logical_MB_per_s: keys + values per second.
void BM_CompactRange(benchmark::State& state) {
  const uint64_t keys = (static_cast<uint64_t>(state.range(0)) << 20) / kValueSize;
  uint64_t read = 0, written = 0, logical = 0, l0_files = 0, outputs = 0;
  double seconds = 0;
  for (auto _ : state) {
    const std::string dir = TempDir();
    auto db = DurableDb::Open(NoAutoCompactionOptions(dir));
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
      break;
    }
    WriteBatch batch;
    for (uint64_t i = 0; i < keys; i++) {
      const std::string key = MakeKey(i);
      logical += key.size() + kValueSize;
      batch.Put(key, MakeValue(i));
      if (batch.Count() == 16 || i + 1 == keys) {
        if (!(*db)->Write(batch).ok()) std::abort();
        batch.Clear();
      }
    }
    if (!(*db)->FlushMemTable().ok()) std::abort();
    l0_files += (*db)->current_version()->NumFiles(0);
    const BackgroundStats before = (*db)->background_stats();

    const auto start = std::chrono::steady_clock::now();
    const Status s = (*db)->CompactRange(std::nullopt, std::nullopt);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(elapsed);
    seconds += elapsed;

    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    const BackgroundStats after = (*db)->background_stats();
    read += after.compaction_bytes_read - before.compaction_bytes_read;
    written += after.compaction_bytes_written - before.compaction_bytes_written;
    for (int level = 1; level < kNumLevels; level++) {
      outputs += (*db)->current_version()->NumFiles(level);
    }
    if ((*db)->current_version()->NumFiles(0) != 0) state.SkipWithError("L0 not compacted");
    (*db)->Close().IgnoreError();
    db->reset();
    std::filesystem::remove_all(dir);
  }
  const double n = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(read));
  state.counters["logical_MB_per_s"] = seconds > 0 ? logical / 1e6 / seconds : 0;
  state.counters["input_MB"] = read / 1e6 / n;
  state.counters["output_MB"] = written / 1e6 / n;
  state.counters["l0_files_in"] = l0_files / n;
  state.counters["files_out"] = outputs / n;
}
BENCHMARK(BM_CompactRange)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2)
    ->Arg(64)
    ->Arg(256);

}  // namespace
}  // namespace strata::engine
