#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/db.h"
#include "tables/table_def.h"
#include "util/result.h"

namespace strata::tables {

// ItemCount and IndexSizeBytes of one secondary index.
struct IndexCounters {
  std::atomic<int64_t> item_count{0};
  std::atomic<int64_t> size_bytes{0};
};

// Live, in-memory state of a table that is not part of its definition: item statistics, the
// drop guard and the definition writers maintain indexes for. Item writers hold `drop_mu`
// shared, check `dropped` and read `live_def`; DeleteTable takes it exclusively, so no write
// lands under a table id after its items were purged, and the catalog installs a new
// definition under it exclusively, so once Replace() returns every later write maintains the
// new set of indexes (what a GSI backfill relies on).
//
// Thread-safety: all members are safe for concurrent use as described.
struct TableRuntime {
  std::atomic<int64_t> item_count{0};
  std::atomic<int64_t> size_bytes{0};
  std::array<IndexCounters, 256> index_stats;  // by index id
  // Bumped whenever an index id is created or deleted, so that a backfill started for an
  // earlier index under the same id stops instead of finishing the new one's work.
  std::array<std::atomic<uint32_t>, 256> index_epochs{};
  std::shared_mutex drop_mu;
  bool dropped = false;                      // guarded by drop_mu
  std::shared_ptr<const TableDef> live_def;  // guarded by drop_mu
};

// A table as handed out by the catalog: an immutable definition plus its runtime state.
struct TableHandle {
  std::shared_ptr<const TableDef> def;
  std::shared_ptr<TableRuntime> runtime;
};

// Catalog persists table definitions in the engine under reserved table id 0 and caches them
// in memory. Key grammar (docs/formats/catalog.md):
//
//   catalog key := item::TablePrefix(0) | u8 kind | payload
//   kind 0x01 next table id : (no payload)                 value: varint32 next_table_id
//   kind 0x02 table         : str account | str region | name   value: EncodeTableDef
//   kind 0x03 dropped table : u32BE table_id               value: empty (items still to purge)
//   str := varint32 length | bytes
//
// Table ids start at 1 and are never reused: the counter is written in the same batch as the
// definition that takes an id.
//
// Thread-safety: all methods may be called concurrently. Mutations are serialised by an
// internal mutex; lookups take a shared lock. Lifecycle: Load() once before use.
class Catalog {
 public:
  explicit Catalog(engine::Db* db) : db_(db) {}

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Reads every definition and the id counter. *pending_drops receives the ids of dropped
  // tables whose items may still exist.
  Status Load(std::vector<uint32_t>* pending_drops);

  // nullptr def when absent.
  TableHandle Find(std::string_view account, std::string_view region, std::string_view name) const;

  // Assigns def.table_id and persists the definition. ResourceInUseException
  // "Table already exists: <name>" when the name is taken in (account, region).
  Result<TableHandle> Create(TableDef def);

  // Persists a changed definition of an existing table (same id and name).
  Status Replace(const TableDef& def);

  // Removes the definition and records a dropped-table marker, atomically.
  Status Drop(const TableDef& def);
  // Removes the dropped-table marker once the table's items are gone.
  Status FinishDrop(uint32_t table_id);

  // Names in (account, region) in ascending byte order, strictly after `start_after` (all when
  // empty), at most `limit`. *more is set when further names exist.
  std::vector<std::string> ListNames(std::string_view account, std::string_view region,
                                     std::string_view start_after, size_t limit, bool* more) const;

  // Every table (for statistics recomputation at open).
  std::vector<TableHandle> All() const;

  // The kind byte after TablePrefix(0) (token records: IdempotencyStore::kTokenKind).
  // On disk: DO NOT CHANGE.
  static constexpr char kNextIdKind = 0x01;
  static constexpr char kTableKind = 0x02;
  static constexpr char kDroppedKind = 0x03;

  // Key helpers (exposed for tests, docs and strata-dump).
  static std::string TableKey(std::string_view account, std::string_view region,
                              std::string_view name);
  static std::string NextIdKey();
  static std::string DroppedKey(uint32_t table_id);

 private:
  using NameKey = std::tuple<std::string, std::string, std::string>;

  engine::Db* const db_;
  std::mutex write_mu_;  // serialises mutations (id assignment, create-if-absent)
  mutable std::shared_mutex mu_;
  std::map<NameKey, TableHandle, std::less<>> tables_;  // guarded by mu_
  uint32_t next_table_id_ = 1;                          // guarded by write_mu_
};

}  // namespace strata::tables
