// WAL append throughput: 1 KB records in persistent mode (durable before acknowledging, one
// group = one durable write), with 1, 8 and 32 writer threads, for each durability method:
// io_uring writev+RWF_DSYNC, io_uring writev linked to fsync(DATASYNC), pwrite+fdatasync.
// Segments live in a fresh directory under /tmp (pre-zeroed 64 MiB segments).
// BM_WalModeAppend1KB: the same in wal mode (written to the page cache, fdatasync every 5 s),
// one writer's round trip through group commit, for 1 and 8 writers.
// records_per_sync: records / groups, the groups counted by GroupCommitOptions::on_durable (in
// persistent mode each group is one durable write: records_per_sync is what group commit puts
// in one sync).

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "wal/group_commit.h"
#include "wal/sink.h"

namespace strata::wal {
namespace {

enum SinkArg { kDsync = 0, kLinked = 1, kPosix = 2 };

struct Shared {
  std::string dir;
  std::unique_ptr<GroupCommit> wal;
  std::atomic<uint64_t> groups{0};   // on_durable calls (group leaders)
  std::atomic<uint64_t> records{0};  // records in them
};
Shared* g_shared = nullptr;

std::unique_ptr<Sink> MakeSink(int kind) {
  std::unique_ptr<Sink> sink;
  if (kind == kPosix) return NewPosixSink();
  const SyncMethod method = kind == kDsync ? SyncMethod::kDsyncWrite : SyncMethod::kLinkedFsync;
  if (!NewUringSink(method, &sink).ok()) return nullptr;
  return sink;
}

// Every thread appends 1 KB records and waits for each; thread 0 opens and closes the WAL.
// `records_counter` names records / groups.
void Append1KB(benchmark::State& state, GroupCommitOptions o, std::unique_ptr<Sink> sink,
               const char* records_counter) {
  if (state.thread_index() == 0) {
    g_shared = new Shared;
    std::string tmpl = "/tmp/strata_wal_bench_XXXXXX";
    g_shared->dir = ::mkdtemp(tmpl.data());
    o.dir = g_shared->dir;
    Shared* shared = g_shared;
    o.on_durable = [shared](std::span<Record* const> group) {
      shared->groups.fetch_add(1, std::memory_order_relaxed);
      shared->records.fetch_add(group.size(), std::memory_order_relaxed);
    };
    if (sink == nullptr) {
      state.SkipWithError("io_uring unavailable");
    } else {
      state.SetLabel(std::string(sink->Name()));
      auto wal = GroupCommit::Open(o, std::move(sink));
      if (!wal.ok()) {
        state.SkipWithError(wal.status().ToString().c_str());
      } else {
        g_shared->wal = std::move(wal).value();
      }
    }
  }
  const std::string value(1000, 'v');
  uint64_t i = 0;
  for (auto _ : state) {
    if (g_shared->wal == nullptr) continue;
    Record r;
    r.AddPut("key-" + std::to_string(state.thread_index()) + "-" + std::to_string(i++), value);
    Status s = g_shared->wal->Write(&r);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 1024);
  if (state.thread_index() == 0) {
    // Every thread has left the timed loop (the benchmark library's barrier).
    const uint64_t groups = g_shared->groups.load();
    state.counters[records_counter] =
        groups > 0 ? static_cast<double>(g_shared->records.load()) / groups : 0;
    state.counters["groups"] = static_cast<double>(groups);
    if (g_shared->wal != nullptr) g_shared->wal->Close().IgnoreError();
    g_shared->wal.reset();
    std::error_code ec;
    std::filesystem::remove_all(g_shared->dir, ec);
    delete g_shared;
    g_shared = nullptr;
  }
}

void BM_PersistentAppend1KB(benchmark::State& state) {
  GroupCommitOptions o;
  o.sync_policy = SyncPolicy::kEveryGroup;
  o.precreate_next_segment = false;  // keep the background zero-fill out of the timings
  std::unique_ptr<Sink> sink;
  if (state.thread_index() == 0) sink = MakeSink(static_cast<int>(state.range(0)));
  Append1KB(state, std::move(o), std::move(sink), "records_per_sync");
}

BENCHMARK(BM_PersistentAppend1KB)
    ->ArgName("sink(0=dsync,1=linked,2=posix)")
    ->DenseRange(0, 2)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

// wal mode as the engine runs it (SyncPolicy::kInterval, fdatasync every 5 s, the default sink,
// the next segment zero-filled in the background): the round trip of a writer through group
// commit when nothing waits for the disk.
void BM_WalModeAppend1KB(benchmark::State& state) {
  GroupCommitOptions o;
  o.sync_policy = SyncPolicy::kInterval;
  o.sync_interval = std::chrono::milliseconds(5000);
  std::unique_ptr<Sink> sink;
  if (state.thread_index() == 0) sink = NewSink(SinkOptions());
  Append1KB(state, std::move(o), std::move(sink), "records_per_group");
}

BENCHMARK(BM_WalModeAppend1KB)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace strata::wal
