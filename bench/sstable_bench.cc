// SSTable micro-benchmarks (sstable/): table build throughput (MB/s of keys + values, with and
// without zlib), point Get latency with a warm block cache (key present; key absent but the
// bloom filter says "maybe"; key absent and rejected by the filter), and sequential scan
// throughput. Keys look like the engine's: a 13-byte partition prefix, a sort key and an 8-byte
// tag; values are 1 KB, half text-like (compressible), half random.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sstable/block_cache.h"
#include "sstable/file.h"
#include "sstable/table_builder.h"
#include "sstable/table_reader.h"
#include "util/coding.h"

namespace strata::sstable {
namespace {

constexpr int kEntries = 32 * 1024;
constexpr size_t kValueSize = 1024;

std::string MakeKey(uint64_t i) {
  std::string key;
  PutBigEndian32(&key, 7);                          // table id
  key.push_back(0);                                 // index id
  PutBigEndian64(&key, i * 0x9e3779b97f4a7c15ull);  // partition hash (13 bytes so far)
  key += "sk#" + std::to_string(i % 10);            // sort key
  PutFixed64(&key, ~uint64_t{0} - i);               // tag
  return key;
}

std::string_view FirstThirteen(std::string_view key) { return key.substr(0, 13); }

struct Data {
  std::vector<std::pair<std::string, std::string>> entries;  // sorted
  uint64_t raw_bytes = 0;
};

const Data& GetData() {
  static const Data* data = [] {
    auto* d = new Data;
    std::mt19937_64 rng(42);
    for (int i = 0; i < kEntries; i++) {
      std::string value(kValueSize, '\0');
      for (size_t j = 0; j < kValueSize; j++) {
        value[j] = j < kValueSize / 2 ? "{\"name\": \"item\", \"n\": 12}"[j % 26]
                                      : static_cast<char>(rng());
      }
      d->entries.emplace_back(MakeKey(i), std::move(value));
    }
    std::sort(d->entries.begin(), d->entries.end());
    for (const auto& [k, v] : d->entries) d->raw_bytes += k.size() + v.size();
    return d;
  }();
  return *data;
}

TableOptions BenchOptions(CompressionType compression) {
  TableOptions options;
  options.compression = compression;
  options.filter_key_extractor = &FirstThirteen;
  options.filter_key_name = "bench.First13";
  return options;
}

// Counts bytes and drops them: the build benchmark measures the builder, not the sink.
class NullWritableFile final : public WritableFile {
 public:
  Status Append(std::string_view data) override {
    size_ += data.size();
    return Status::OK();
  }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  std::string_view Name() const override { return "null"; }
  uint64_t size() const { return size_; }

 private:
  uint64_t size_ = 0;
};

std::string Build(const TableOptions& options) {
  std::string contents;
  StringWritableFile file(&contents);
  TableBuilder builder(options, &file);
  for (const auto& [k, v] : GetData().entries) {
    if (!builder.Add(k, v).ok()) std::abort();
  }
  if (!builder.Finish().ok()) std::abort();
  return contents;
}

void BM_Build(benchmark::State& state) {
  const auto compression = static_cast<CompressionType>(state.range(0));
  const TableOptions options = BenchOptions(compression);
  GetData();  // generate the data outside the timed loop
  uint64_t file_size = 0;
  for (auto _ : state) {
    NullWritableFile file;
    TableBuilder builder(options, &file);
    for (const auto& [k, v] : GetData().entries) {
      if (!builder.Add(k, v).ok()) std::abort();
    }
    if (!builder.Finish().ok()) std::abort();
    file_size = file.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * GetData().raw_bytes));
  state.counters["file_MB"] = static_cast<double>(file_size) / 1e6;
  state.SetLabel(compression == CompressionType::kZlib ? "zlib" : "none");
}
BENCHMARK(BM_Build)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

struct Reader {
  std::unique_ptr<TableReader> table;
  std::shared_ptr<BlockCache> cache;
};

Reader& GetReader() {
  static Reader* reader = [] {
    auto* r = new Reader;
    TableOptions options = BenchOptions(CompressionType::kZlib);
    r->cache = std::make_shared<BlockCache>(size_t{256} << 20);
    options.block_cache = r->cache;
    std::string contents = Build(options);
    uint64_t size = contents.size();
    auto table = TableReader::Open(
        options, std::make_unique<StringRandomAccessFile>(std::move(contents)), size, 1);
    if (!table.ok()) std::abort();
    r->table = std::move(table).value();
    // Warm the cache.
    auto it = r->table->NewIterator();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
    }
    return r;
  }();
  return *reader;
}

// A present key: filter check, then Get.
void BM_GetHit(benchmark::State& state) {
  Reader& r = GetReader();
  const auto& entries = GetData().entries;
  std::mt19937_64 rng(1);
  GetResult result;
  for (auto _ : state) {
    const std::string& key = entries[rng() % entries.size()].first;
    if (!r.table->KeyMayMatch(key) || !r.table->Get({}, key, &result).ok() || !result.found) {
      state.SkipWithError("lookup failed");
      break;
    }
  }
}
BENCHMARK(BM_GetHit);

// Absent keys of present partitions: the filter says "maybe", Get runs and finds another key.
void BM_GetMissFilterPasses(benchmark::State& state) {
  Reader& r = GetReader();
  const auto& entries = GetData().entries;
  std::mt19937_64 rng(2);
  GetResult result;
  for (auto _ : state) {
    std::string key = entries[rng() % entries.size()].first;
    key[key.size() - 9] = '~';  // same partition prefix, another sort key
    if (!r.table->KeyMayMatch(key)) continue;
    if (!r.table->Get({}, key, &result).ok()) state.SkipWithError("lookup failed");
  }
}
BENCHMARK(BM_GetMissFilterPasses);

// Absent partitions: the bloom filter rejects almost all of them without touching a block.
void BM_GetMissFilterRejects(benchmark::State& state) {
  Reader& r = GetReader();
  std::mt19937_64 rng(3);
  GetResult result;
  int64_t gets = 0;
  for (auto _ : state) {
    std::string key = MakeKey(kEntries + rng() % 1000000);
    if (!r.table->KeyMayMatch(key)) continue;
    gets++;
    if (!r.table->Get({}, key, &result).ok()) state.SkipWithError("lookup failed");
  }
  state.counters["filter_pass_pct"] =
      100.0 * static_cast<double>(gets) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_GetMissFilterRejects);

void BM_Scan(benchmark::State& state) {
  Reader& r = GetReader();
  for (auto _ : state) {
    auto it = r.table->NewIterator();
    uint64_t bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) bytes += it->key().size() + it->value().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * GetData().raw_bytes));
}
BENCHMARK(BM_Scan)->Unit(benchmark::kMillisecond);

// Scan without the cache: every block is read, checksummed and inflated.
void BM_ScanUncached(benchmark::State& state) {
  static const std::string contents = Build(BenchOptions(CompressionType::kZlib));
  TableOptions options = BenchOptions(CompressionType::kZlib);
  auto table = TableReader::Open(options, std::make_unique<StringRandomAccessFile>(contents),
                                 contents.size(), 2);
  if (!table.ok()) std::abort();
  for (auto _ : state) {
    auto it = (*table)->NewIterator();
    uint64_t bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) bytes += it->key().size() + it->value().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * GetData().raw_bytes));
}
BENCHMARK(BM_ScanUncached)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strata::sstable
