#pragma once

#include <mutex>
#include <shared_mutex>
#include <vector>

#include "tables/catalog.h"
#include "util/status.h"

namespace strata::tables {

// The locks a multi-item request (BatchWriteItem, BatchGetItem, TransactWriteItems,
// TransactGetItems) holds. Every request takes them in one global order — table drop locks by
// table id, then item stripes by address — so requests never deadlock.
//
// Thread-safety: one object per request and thread. Lifecycle: locks are released on
// destruction.

// The TableRuntime drop locks (shared) of the tables of a request.
class TableLocks {
 public:
  // ResourceNotFoundException when a table was dropped meanwhile.
  Status Lock(std::vector<const TableHandle*> handles);
  Status Lock(const std::vector<TableHandle>& handles);

 private:
  std::vector<std::shared_lock<std::shared_mutex>> locks_;
};

// Item lock stripes, deduplicated.
class StripeLocks {
 public:
  explicit StripeLocks(std::vector<std::mutex*> stripes);

 private:
  std::vector<std::unique_lock<std::mutex>> locks_;
};

}  // namespace strata::tables
