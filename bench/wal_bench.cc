// WAL append throughput: 1 KB records in persistent mode (durable before acknowledging, one
// group = one durable write), with 1, 8 and 32 writer threads, for each durability method:
// io_uring writev+RWF_DSYNC, io_uring writev linked to fsync(DATASYNC), pwritev+fdatasync.
// Segments live in a fresh directory under /tmp (pre-zeroed 64 MiB segments).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "wal/group_commit.h"
#include "wal/sink.h"

namespace strata::wal {
namespace {

enum SinkArg { kDsync = 0, kLinked = 1, kPosix = 2 };

struct Shared {
  std::string dir;
  std::unique_ptr<GroupCommit> wal;
};
Shared* g_shared = nullptr;

std::unique_ptr<Sink> MakeSink(int kind) {
  std::unique_ptr<Sink> sink;
  if (kind == kPosix) return NewPosixSink();
  const SyncMethod method = kind == kDsync ? SyncMethod::kDsyncWrite : SyncMethod::kLinkedFsync;
  if (!NewUringSink(method, &sink).ok()) return nullptr;
  return sink;
}

void BM_PersistentAppend1KB(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_shared = new Shared;
    std::string tmpl = "/tmp/strata_wal_bench_XXXXXX";
    g_shared->dir = ::mkdtemp(tmpl.data());
    GroupCommitOptions o;
    o.dir = g_shared->dir;
    o.sync_policy = SyncPolicy::kEveryGroup;
    o.precreate_next_segment = false;  // keep the background zero-fill out of the timings
    std::unique_ptr<Sink> sink = MakeSink(static_cast<int>(state.range(0)));
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
    if (g_shared->wal != nullptr) g_shared->wal->Close().IgnoreError();
    g_shared->wal.reset();
    std::error_code ec;
    std::filesystem::remove_all(g_shared->dir, ec);
    delete g_shared;
    g_shared = nullptr;
  }
}

BENCHMARK(BM_PersistentAppend1KB)
    ->ArgName("sink(0=dsync,1=linked,2=posix)")
    ->DenseRange(0, 2)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

}  // namespace
}  // namespace strata::wal
