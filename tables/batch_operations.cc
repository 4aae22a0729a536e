// TableService batch operations: BatchWriteItem and BatchGetItem.
//
// Order of checks (dynalite validations/batchWriteItem.js, batchGetItem.js and
// actions/*.js, validated against AWS):
//
//   BatchWriteItem: coral constraints (returnConsumedCapacity, returnItemCollectionMetrics,
//   requestItems: not null, 1..25 tables, table-name keys, 1..25 requests per table, then per
//   request deleteRequest.key / putRequest.item not null) -> more than 25 requests in total ->
//   per table in request order: a request with neither (or both) of PutRequest/DeleteRequest,
//   then per request its attribute values, attribute names and item size -> per table: the
//   table lookup, then per request the primary key and duplicates -> the items a
//   TransactWriteItems in flight holds (to UnprocessedItems) -> the writes.
//
//   BatchGetItem: coral constraints (returnConsumedCapacity, requestItems: not null, 1..100
//   tables, table-name keys, per table keys not null and 1..100) -> not-yet-supported features
//   -> per table per key: attribute values, duplicates, more than 100 keys in total -> per
//   table: the table lookup, then per key the primary key -> the reads.
//
// AWS renders the value of a violated map constraint with Java's toString of its model
// objects ("{t=[com.amazonaws.dynamodb.v20120810.WriteRequest@caad9cb8, ...]}"); the hash part
// here is derived from the request so that messages are deterministic.

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_set>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "tables/capacity.h"
#include "tables/index_writes.h"
#include "tables/item_key.h"
#include "tables/operation_checks.h"
#include "tables/read_projection.h"
#include "tables/request_locks.h"
#include "tables/secondary_index.h"
#include "tables/table_name.h"
#include "tables/table_service.h"
#include "tables/validation_collector.h"
#include "util/hash.h"

namespace strata::tables {
namespace {

constexpr size_t kMaxBatchWriteRequests = 25;
constexpr size_t kMaxBatchWriteTables = 25;
constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchGetTables = 100;
// A BatchGetItem response stops at 16 MB of items; the rest goes to UnprocessedKeys.
constexpr size_t kMaxBatchGetResponseBytes = size_t{16} << 20;
constexpr std::string_view kModelPackage = "com.amazonaws.dynamodb.v20120810.";
constexpr std::string_view kMapKeysConstraint =
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
    "Member must have length greater than or equal to 3, Member must satisfy regular "
    "expression pattern: [a-zA-Z0-9_.-]+]";
constexpr std::string_view kWriteRequestsValueConstraint =
    "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
    "Member must have length greater than or equal to 1]";
constexpr std::string_view kNoKeyMatch = "The provided key element does not match the schema";

Status Duplicates() {
  return item::ValidationError("Provided list of item keys contains duplicates");
}

// A RequestItems key is rejected by coral when it is neither a usable table name nor a table
// ARN; names shorter than 3 characters are simply not found, as for the single-item calls.
bool BadTableKey(const std::string& name) {
  ValidationCollector scratch;
  CheckTableNameOrArn(name, &scratch);
  return !scratch.empty();
}

// "<package><cls>@<hex>" as Java's Object.toString prints a coral model object.
std::string JavaObject(std::string_view cls, std::string_view seed, size_t index) {
  char hash[24];
  std::snprintf(hash, sizeof(hash), "%" PRIx32, static_cast<uint32_t>(Hash64WithSeed(seed, index)));
  std::string s(kModelPackage);
  s.append(cls);
  s.push_back('@');
  s.append(hash);
  return s;
}

// {t1=[...WriteRequest@h, ...], t2=null}
std::string RenderWriteRequestItems(const std::vector<TableWriteRequestsInput>& tables) {
  std::string s = "{";
  for (size_t t = 0; t < tables.size(); ++t) {
    if (t > 0) s.append(", ");
    s.append(tables[t].table_name);
    s.push_back('=');
    if (!tables[t].requests) {
      s.append("null");
      continue;
    }
    s.push_back('[');
    for (size_t i = 0; i < tables[t].requests->size(); ++i) {
      if (i > 0) s.append(", ");
      s.append(JavaObject("WriteRequest", tables[t].table_name, i));
    }
    s.push_back(']');
  }
  s.push_back('}');
  return s;
}

// {t1=...KeysAndAttributes@h, ...}
std::string RenderGetRequestItems(const std::vector<TableKeysInput>& tables) {
  std::string s = "{";
  for (size_t t = 0; t < tables.size(); ++t) {
    if (t > 0) s.append(", ");
    s.append(tables[t].table_name);
    s.push_back('=');
    s.append(JavaObject("KeysAndAttributes", tables[t].table_name, 0));
  }
  s.push_back('}');
  return s;
}

// [{a=...AttributeValue@h, b=...}, ...]
std::string RenderKeys(const std::vector<KeyInput>& keys) {
  std::string s = "[";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) s.append(", ");
    s.push_back('{');
    for (size_t a = 0; a < keys[i].key.size(); ++a) {
      if (a > 0) s.append(", ");
      s.append(keys[i].key[a].first);
      s.push_back('=');
      s.append(JavaObject("AttributeValue", keys[i].key[a].first, i));
    }
    s.push_back('}');
  }
  s.push_back(']');
  return s;
}

// AWS answers a PutRequest whose item lacks (or mistypes) a key attribute with the Key
// parameter's wording, unlike PutItem.
Status AsBatchKeyError(Status s) {
  const std::string_view m = s.message();
  if (m.find("Missing the key ") != std::string_view::npos ||
      m.find("Type mismatch for key ") != std::string_view::npos) {
    return item::ValidationError(kNoKeyMatch);
  }
  return s;
}

// One validated write of a BatchWriteItem.
struct PlannedWrite {
  size_t table_index;    // into the request's tables
  size_t request_index;  // into the table's requests
  std::string key;       // engine key
  bool is_put;
  std::string value;  // encoded item (puts)
  size_t new_size;    // item size (puts)
};

}  // namespace

Result<BatchWriteItemOutput> TableService::BatchWriteItem(const Scope& scope,
                                                          const BatchWriteItemInput& in) {
  // Coral constraints.
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  CheckReturnItemCollectionMetrics(in.return_item_collection_metrics, &errors);
  if (!in.request_items) {
    errors.AddNull("requestItems", kNotNullConstraint);
  } else if (in.request_items->empty()) {
    errors.Add("{}", "requestItems", MinLengthConstraint(1));
  } else {
    const std::vector<TableWriteRequestsInput>& tables = *in.request_items;
    const std::string rendered = RenderWriteRequestItems(tables);
    if (tables.size() > kMaxBatchWriteTables) {
      errors.Add(rendered, "requestItems", MaxLengthConstraint(kMaxBatchWriteTables));
    }
    for (const TableWriteRequestsInput& t : tables) {
      if (BadTableKey(t.table_name)) errors.Add(rendered, "requestItems", kMapKeysConstraint);
    }
    for (const TableWriteRequestsInput& t : tables) {
      if (!t.requests || t.requests->empty() || t.requests->size() > kMaxBatchWriteRequests) {
        errors.Add(rendered, "requestItems", kWriteRequestsValueConstraint);
      }
    }
    // AWS walks the map's members in reverse.
    for (auto t = tables.rbegin(); t != tables.rend(); ++t) {
      if (!t->requests) continue;
      for (size_t i = 0; i < t->requests->size(); ++i) {
        const WriteRequestInput& r = (*t->requests)[i];
        const std::string path =
            "requestItems." + t->table_name + ".member." + std::to_string(i + 1) + ".member.";
        if (r.has_delete && !r.delete_key && r.delete_key_status.ok()) {
          errors.AddNull(path + "deleteRequest.key", kNotNullConstraint);
        }
        if (r.has_put && !r.put_item && r.put_item_status.ok()) {
          errors.AddNull(path + "putRequest.item", kNotNullConstraint);
        }
      }
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  const std::vector<TableWriteRequestsInput>& tables = *in.request_items;

  size_t total = 0;
  for (const TableWriteRequestsInput& t : tables) total += t.requests->size();
  if (total > kMaxBatchWriteRequests) {
    return item::ValidationError("Too many items requested for the BatchWriteItem call");
  }

  // Attribute values and sizes, before any table is looked up.
  for (const TableWriteRequestsInput& t : tables) {
    for (const WriteRequestInput& r : *t.requests) {
      if (r.has_put == r.has_delete) {
        return item::ValidationError(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes");
      }
    }
    for (const WriteRequestInput& r : *t.requests) {
      if (r.has_put) {
        RETURN_IF_ERROR(r.put_item_status);
        RETURN_IF_ERROR(ValidateAttributeNames(*r.put_item));
        if (item::ItemSize(*r.put_item) > item::kMaxItemSize) {
          return item::ValidationError("Item size has exceeded the maximum allowed size");
        }
      } else {
        RETURN_IF_ERROR(r.delete_key_status);
      }
    }
  }

  // Tables, keys and duplicates.
  std::vector<TableHandle> handles;
  std::vector<PlannedWrite> writes;
  std::unordered_set<std::string> seen;
  for (size_t t = 0; t < tables.size(); ++t) {
    ASSIGN_OR_RETURN(TableHandle h,
                     FindTable(scope, tables[t].table_name, /*name_in_message=*/false));
    for (size_t i = 0; i < tables[t].requests->size(); ++i) {
      const WriteRequestInput& r = (*tables[t].requests)[i];
      PlannedWrite w;
      w.table_index = t;
      w.request_index = i;
      w.is_put = r.has_put;
      w.new_size = 0;
      if (r.has_put) {
        Result<std::string> key = ItemKeyFromItem(*h.def, *r.put_item);
        if (!key.ok()) return AsBatchKeyError(key.status());
        w.key = std::move(key).value();
        RETURN_IF_ERROR(CheckIndexKeys(*h.def, *r.put_item, ImageOrigin::kItem));
      } else {
        ASSIGN_OR_RETURN(w.key, ItemKeyFromKey(*h.def, *r.delete_key));
      }
      if (!seen.insert(w.key).second) return Duplicates();
      writes.push_back(std::move(w));
    }
    handles.push_back(std::move(h));
  }
  // Encode only once everything is known to be valid.
  {
    size_t next = 0;
    for (const TableWriteRequestsInput& t : tables) {
      for (const WriteRequestInput& r : *t.requests) {
        PlannedWrite& w = writes[next++];
        if (!w.is_put) continue;
        item::EncodeItem(*r.put_item, &w.value);
        w.new_size = item::ItemSize(*r.put_item);
      }
    }
  }

  // A request whose item a TransactWriteItems in flight holds is not applied: it goes to
  // UnprocessedItems (AWS's BatchWriteItem has no TransactionConflictException).
  BatchWriteItemOutput out;
  {
    size_t kept = 0;
    for (PlannedWrite& w : writes) {
      if (claims_.IsClaimed(w.key)) {
        out.unprocessed.push_back({w.table_index, w.request_index});
      } else {
        if (&writes[kept] != &w) writes[kept] = std::move(w);
        ++kept;
      }
    }
    writes.resize(kept);
  }

  // The writes: one engine batch under every involved item lock.
  std::vector<int64_t> half_units(tables.size(), 0);
  std::vector<IndexWrites> index_writes(tables.size());
  if (!writes.empty()) {
    TableLocks table_locks;
    RETURN_IF_ERROR(table_locks.Lock(handles));
    std::vector<std::mutex*> stripes;
    stripes.reserve(writes.size());
    for (const PlannedWrite& w : writes) stripes.push_back(&StripeFor(w.key));
    StripeLocks item_locks(std::move(stripes));

    engine::WriteBatch batch;
    std::vector<size_t> old_sizes(writes.size(), 0);
    std::vector<bool> existed(writes.size(), false);
    for (size_t i = 0; i < writes.size(); ++i) {
      const PlannedWrite& w = writes[i];
      bool found = false;
      item::Item old_item;
      RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), w.key, &found, &old_item));
      existed[i] = found;
      if (found) old_sizes[i] = item::ItemSize(old_item);
      if (w.is_put) {
        batch.Put(w.key, w.value);
      } else if (found) {
        batch.Delete(w.key);
      }
      const TableDef& live = *handles[w.table_index].runtime->live_def;
      if (!live.indexes.empty() && (w.is_put || found)) {
        const WriteRequestInput& r = (*tables[w.table_index].requests)[w.request_index];
        index_writes[w.table_index].Add(live, found ? &old_item : nullptr,
                                        w.is_put ? &*r.put_item : nullptr, &batch);
      }
    }
    RETURN_IF_ERROR(db_->Write(batch));
    for (size_t t = 0; t < tables.size(); ++t) {
      index_writes[t].Commit(handles[t].runtime.get());
    }
    for (size_t i = 0; i < writes.size(); ++i) {
      const PlannedWrite& w = writes[i];
      TableRuntime& rt = *handles[w.table_index].runtime;
      const int64_t old_size = static_cast<int64_t>(old_sizes[i]);
      if (w.is_put) {
        if (!existed[i]) rt.item_count.fetch_add(1, std::memory_order_relaxed);
        rt.size_bytes.fetch_add(static_cast<int64_t>(w.new_size) - old_size,
                                std::memory_order_relaxed);
        half_units[w.table_index] += WriteHalfUnits(std::max(old_sizes[i], w.new_size));
      } else {
        if (existed[i]) {
          rt.item_count.fetch_sub(1, std::memory_order_relaxed);
          rt.size_bytes.fetch_sub(old_size, std::memory_order_relaxed);
        }
        half_units[w.table_index] += WriteHalfUnits(old_sizes[i]);
      }
    }
  }

  {
    for (size_t t = 0; t < tables.size(); ++t) {
      std::vector<item::Item> keys;
      for (const PlannedWrite& w : writes) {
        if (w.table_index != t) continue;
        const WriteRequestInput& r = (*tables[t].requests)[w.request_index];
        std::optional<item::Item> key =
            ItemCollectionKey(*handles[t].def, in.return_item_collection_metrics,
                              r.has_put ? *r.put_item : *r.delete_key);
        if (key) keys.push_back(std::move(*key));
      }
      if (!keys.empty()) out.item_collections.emplace_back(tables[t].table_name, std::move(keys));
    }
  }
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  if (out.capacity_detail != CapacityDetail::kNone) {
    for (size_t t = 0; t < tables.size(); ++t) {
      out.consumed.push_back(ConsumedCapacity{handles[t].def->name, half_units[t], {}});
      index_writes[t].AddUnits(&out.consumed.back());
    }
  }
  return out;
}

Result<BatchGetItemOutput> TableService::BatchGetItem(const Scope& scope,
                                                      const BatchGetItemInput& in) {
  // Coral constraints.
  ValidationCollector errors;
  CheckReturnConsumedCapacity(in.return_consumed_capacity, &errors);
  if (!in.request_items) {
    errors.AddNull("requestItems", kNotNullConstraint);
  } else if (in.request_items->empty()) {
    errors.Add("{}", "requestItems", MinLengthConstraint(1));
  } else {
    const std::vector<TableKeysInput>& tables = *in.request_items;
    const std::string rendered = RenderGetRequestItems(tables);
    if (tables.size() > kMaxBatchGetTables) {
      errors.Add(rendered, "requestItems", MaxLengthConstraint(kMaxBatchGetTables));
    }
    for (const TableKeysInput& t : tables) {
      if (BadTableKey(t.table_name)) errors.Add(rendered, "requestItems", kMapKeysConstraint);
    }
    for (auto t = tables.rbegin(); t != tables.rend(); ++t) {
      const std::string path = "requestItems." + t->table_name + ".member.keys";
      if (!t->keys) {
        errors.AddNull(path, kNotNullConstraint);
      } else if (t->keys->empty()) {
        errors.Add("[]", path, MinLengthConstraint(1));
      } else if (t->keys->size() > kMaxBatchGetKeys) {
        errors.Add(RenderKeys(*t->keys), path, MaxLengthConstraint(kMaxBatchGetKeys));
      }
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  const std::vector<TableKeysInput>& tables = *in.request_items;

  // Per table: projection parameters, attribute values, duplicates (as sent: no schema yet)
  // and the total count.
  std::vector<std::unique_ptr<ReadProjection>> projections;
  size_t total = 0;
  for (const TableKeysInput& t : tables) {
    RETURN_IF_ERROR(ReadProjection::CheckParams(t.expressions, t.attributes_to_get));
    projections.push_back(std::make_unique<ReadProjection>());
    RETURN_IF_ERROR(projections.back()->Prepare(t.expressions, t.attributes_to_get));
    std::set<std::string> seen;
    for (const KeyInput& k : *t.keys) {
      RETURN_IF_ERROR(k.key_status);
      std::string canonical;
      item::EncodeItem(k.key, &canonical);  // numbers are canonical, names sorted
      if (!seen.insert(std::move(canonical)).second) return Duplicates();
      if (++total > kMaxBatchGetKeys) {
        return item::ValidationError("Too many items requested for the BatchGetItem call");
      }
    }
  }

  // Tables and keys.
  std::vector<TableHandle> handles;
  std::vector<std::vector<std::string>> keys(tables.size());
  for (size_t t = 0; t < tables.size(); ++t) {
    ASSIGN_OR_RETURN(TableHandle h,
                     FindTable(scope, tables[t].table_name, /*name_in_message=*/false));
    for (const KeyInput& k : *tables[t].keys) {
      ASSIGN_OR_RETURN(std::string key, ItemKeyFromKey(*h.def, k.key));
      keys[t].push_back(std::move(key));
    }
    handles.push_back(std::move(h));
  }

  // The reads, at one snapshot.
  BatchGetItemOutput out;
  out.capacity_detail = DetailOf(in.return_consumed_capacity);
  // Registered, so that memtable rebuilds keep what the reads need until they are done.
  const std::shared_ptr<const engine::Snapshot> snapshot = db_->GetSnapshot();
  engine::ReadOptions read_options;
  read_options.snapshot = snapshot->sequence();
  size_t response_bytes = 0;  // of the items returned so far
  {
    TableLocks table_locks;
    RETURN_IF_ERROR(table_locks.Lock(handles));
    for (size_t t = 0; t < tables.size(); ++t) {
      const bool consistent = tables[t].consistent_read.value_or(false);
      BatchGetItemOutput::TableItems items;
      items.table_name = tables[t].table_name;
      int64_t half_units = 0;
      for (size_t k = 0; k < keys[t].size(); ++k) {
        if (response_bytes >= kMaxBatchGetResponseBytes) {
          if (out.unprocessed.empty() || out.unprocessed.back().table_index != t) {
            out.unprocessed.push_back({t, {}});
          }
          out.unprocessed.back().keys.push_back((*tables[t].keys)[k].key);
          continue;
        }
        const std::string& key = keys[t][k];
        bool found = false;
        item::Item current;
        RETURN_IF_ERROR(ReadItem(db_, read_options, key, &found, &current));
        half_units += ReadHalfUnits(found ? item::ItemSize(current) : 0, consistent);
        if (found) {
          projections[t]->Apply(&current);
          response_bytes += item::ItemSize(current);
          items.items.push_back(std::move(current));
        }
      }
      out.responses.push_back(std::move(items));
      if (out.capacity_detail != CapacityDetail::kNone) {
        out.consumed.push_back(ConsumedCapacity{handles[t].def->name, half_units, {}});
      }
    }
  }
  return out;
}

}  // namespace strata::tables
