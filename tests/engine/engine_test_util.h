#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "engine/db.h"
#include "engine/durable_db.h"
#include "engine/iterator.h"
#include "engine/options.h"
#include "sstable/file.h"
#include "tests/testutil/fault_injection_file.h"
#include "tests/testutil/fault_injection_sink.h"
#include "wal/sink.h"

namespace strata::engine::test {

// Get at `snapshot` (0 = latest) as a value, or "NOT_FOUND".
inline std::string GetAt(Db* db, std::string_view key, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  Status s = db->Get(ro, key, &value);
  if (s.IsNotFound()) return "NOT_FOUND";
  EXPECT_TRUE(s.ok()) << s.ToString();
  return value;
}

// DurableDb::Open, or null (and a test failure) when it fails.
inline std::unique_ptr<DurableDb> MustOpen(const Options& options) {
  auto db = DurableDb::Open(options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  return std::move(db).value();
}

// `options` with every new SSTable written through a FaultInjectionWritableFile that `arm`
// configures as the file is created.
inline Options WithTableFaults(Options options,
                               std::function<void(testutil::FaultInjectionWritableFile*)> arm) {
  options.table_file_factory =
      [arm = std::move(arm)](
          const std::string& path) -> Result<std::unique_ptr<sstable::WritableFile>> {
    ASSIGN_OR_RETURN(std::unique_ptr<sstable::WritableFile> file,
                     sstable::NewPosixWritableFile(path));
    auto faulty = std::make_unique<testutil::FaultInjectionWritableFile>(std::move(file));
    arm(faulty.get());
    return std::unique_ptr<sstable::WritableFile>(std::move(faulty));
  };
  return options;
}

// `options` with the MANIFEST (and CURRENT) written through a FaultInjectionSink, stored in
// *sink when the Db opens.
inline Options WithManifestFaults(Options options, testutil::FaultInjectionSink** sink) {
  options.manifest_sink_factory = [sink] {
    auto s = std::make_unique<testutil::FaultInjectionSink>(wal::NewPosixSink());
    *sink = s.get();
    return std::unique_ptr<wal::Sink>(std::move(s));
  };
  return options;
}

// Every live key/value at `snapshot` (0 = latest), walking forward.
inline std::map<std::string, std::string> Contents(Db* db, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  std::map<std::string, std::string> out;
  auto iter = db->NewIterator(ro);
  for (iter->SeekToFirst(); iter->Valid(); iter->Next()) {
    out.emplace(std::string(iter->key()), std::string(iter->value()));
  }
  EXPECT_TRUE(iter->status().ok()) << iter->status().ToString();
  return out;
}

// The same walking backward (and checking the order).
inline std::map<std::string, std::string> ContentsBackward(Db* db, uint64_t snapshot = 0) {
  ReadOptions ro;
  ro.snapshot = snapshot;
  std::map<std::string, std::string> out;
  auto iter = db->NewIterator(ro);
  std::string prev;
  for (iter->SeekToLast(); iter->Valid(); iter->Prev()) {
    EXPECT_TRUE(prev.empty() || std::string(iter->key()) < prev) << "out of order";
    prev = std::string(iter->key());
    out.emplace(prev, std::string(iter->value()));
  }
  EXPECT_TRUE(iter->status().ok()) << iter->status().ToString();
  return out;
}

// Random SeekToFirst / SeekToLast / Seek / SeekForPrev / Next / Prev steps over `iter` (targets
// from `random_target`), each checked against `model`, the live keys the iterator should see;
// `between_steps`, when given, runs before every step.
inline void RandomWalk(Iterator* iter, const std::map<std::string, std::string>& model,
                       std::mt19937_64& rng, int steps,
                       const std::function<std::string()>& random_target,
                       const std::function<void()>& between_steps = nullptr) {
  auto expected = model.end();
  for (int step = 0; step < steps; step++) {
    if (between_steps) between_steps();
    const int op = static_cast<int>(rng() % 8);
    const std::string target = random_target();
    if (op == 0) {
      iter->SeekToFirst();
      expected = model.begin();
    } else if (op == 1) {
      iter->SeekToLast();
      expected = model.empty() ? model.end() : std::prev(model.end());
    } else if (op == 2 || !iter->Valid()) {
      iter->Seek(target);
      expected = model.lower_bound(target);
    } else if (op == 3) {
      iter->SeekForPrev(target);
      expected = model.upper_bound(target);
      expected = expected == model.begin() ? model.end() : std::prev(expected);
    } else if (op <= 5) {
      iter->Next();
      ++expected;
    } else {
      iter->Prev();
      expected = expected == model.begin() ? model.end() : std::prev(expected);
    }
    ASSERT_EQ(iter->Valid(), expected != model.end()) << "step " << step << " op " << op;
    if (iter->Valid()) {
      ASSERT_EQ(iter->key(), expected->first) << "step " << step << " op " << op;
      ASSERT_EQ(iter->value(), expected->second) << "step " << step << " op " << op;
    }
  }
  ASSERT_TRUE(iter->status().ok()) << iter->status().ToString();
}

}  // namespace strata::engine::test
