#include "tables/request_locks.h"

#include <algorithm>
#include <functional>

#include "tables/operation_checks.h"

namespace strata::tables {

Status TableLocks::Lock(std::vector<const TableHandle*> handles) {
  std::sort(handles.begin(), handles.end(), [](const TableHandle* a, const TableHandle* b) {
    return a->def->table_id < b->def->table_id;
  });
  TableRuntime* last = nullptr;
  for (const TableHandle* h : handles) {
    if (h->runtime.get() == last) continue;
    last = h->runtime.get();
    locks_.emplace_back(last->drop_mu);
    if (last->dropped) return TableGone();
  }
  return Status::OK();
}

Status TableLocks::Lock(const std::vector<TableHandle>& handles) {
  std::vector<const TableHandle*> pointers;
  pointers.reserve(handles.size());
  for (const TableHandle& h : handles) pointers.push_back(&h);
  return Lock(std::move(pointers));
}

StripeLocks::StripeLocks(std::vector<std::mutex*> stripes) {
  std::sort(stripes.begin(), stripes.end(), std::less<std::mutex*>());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  locks_.reserve(stripes.size());
  for (std::mutex* m : stripes) locks_.emplace_back(*m);
}

}  // namespace strata::tables
