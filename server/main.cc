// strata: the executable. Parses the configuration, opens the engine, serves HTTP until
// SIGINT/SIGTERM, then shuts down gracefully (in-flight requests finish, the engine closes).
//
// Exit codes: 0 after a clean shutdown (or --help/--version), 1 when the server cannot start
// (storage or listening failed), 2 for a bad flag or environment value.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/dispatcher.h"
#include "api/dynamodb_handlers.h"
#include "api/http_server.h"
#include "api/router.h"
#include "engine/db.h"
#include "engine/options.h"
#include "server/config.h"
#include "tables/table_service.h"

namespace strata::server {
namespace {

// Handlers run on their connection's thread, and a durable write blocks that thread until its
// WAL group is written (and synced, in persistent mode). Group commit can only group writes
// that are in flight together, so the durable modes serve with enough threads for concurrent
// connections to write concurrently; the in-memory modes never block and use one per core.
int ServerThreads(engine::StorageMode mode) {
  constexpr int kDurableModeThreads = 64;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const bool writes_block =
      mode == engine::StorageMode::kWal || mode == engine::StorageMode::kPersistent;
  return writes_block ? std::max(cores, kDurableModeThreads) : cores;
}

// With the durable modes' 64 server threads, glibc gives threads up to 8 malloc arenas per core,
// and memtables, filled by whichever handler thread leads a WAL group, then leave their freed
// blocks scattered over all of them. One arena per core keeps them reused: measured end to end
// (10 s of PutItem at ~29k/s, wal mode) 270 MB RSS at the end with glibc's default, 198 MB with
// 2 arenas, same throughput (docs/benchmarks.md).
void LimitMallocArenas() {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mallopt(M_ARENA_MAX, cores);
}

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "strata: %s\n", message.c_str());
  return code;
}

int Run(int argc, char** argv) {
  LimitMallocArenas();
  std::vector<std::string> args(argv + 1, argv + argc);
  Result<Config> loaded = LoadConfig(args, ProcessEnv());
  if (!loaded.ok()) return Fail(2, std::string(loaded.status().message()));
  const Config& config = *loaded;
  if (config.show_help) {
    std::fputs(Usage().c_str(), stdout);
    return 0;
  }
  if (config.show_version) {
    std::printf("strata %.*s\n", static_cast<int>(kVersion.size()), kVersion.data());
    return 0;
  }

  // Block the shutdown signals in every thread (the server threads inherit this mask); the
  // main thread takes them synchronously with sigwait, so no code runs in a signal handler.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  engine::Options options;
  options.mode = config.storage_mode;
  options.data_dir = config.data_dir;
  options.flush_interval_ms = config.flush_interval_ms;
  Result<std::unique_ptr<engine::Db>> opened = engine::Db::Open(options);
  if (!opened.ok()) {
    return Fail(1, "cannot open storage in " + config.data_dir + ": " +
                       std::string(opened.status().message()));
  }
  std::unique_ptr<engine::Db> db = std::move(opened).value();

  auto service = std::make_unique<tables::TableService>(db.get());
  if (Status s = service->Open(); !s.ok()) {
    return Fail(1, "cannot open tables: " + std::string(s.message()));
  }

  api::Router router;
  if (config.dynamodb_enabled) api::RegisterDynamoDbHandlers(&router, service.get());
  api::Dispatcher dispatcher(&router, {config.region, config.account_id});
  dispatcher.SetCompactHandler(
      [db = db.get()] { return db->CompactRange(std::nullopt, std::nullopt); });
  api::HttpServer server(&dispatcher,
                         {config.host, config.port, ServerThreads(config.storage_mode)});
  if (Status s = server.Start(); !s.ok()) return Fail(1, std::string(s.message()));

  std::string mode(engine::StorageModeName(config.storage_mode));
  std::printf("strata listening on http://%s (storage: %s, data: %s)\n",
              api::HttpServer::Endpoint(config.host, server.port()).c_str(), mode.c_str(),
              config.data_dir.c_str());
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&shutdown_signals, &signal_number) != 0) {
  }

  server.Stop();
  service.reset();
  if (Status s = db->Close(); !s.ok()) {
    return Fail(1, "error closing storage: " + std::string(s.message()));
  }
  return 0;
}

}  // namespace
}  // namespace strata::server

int main(int argc, char** argv) { return strata::server::Run(argc, argv); }
