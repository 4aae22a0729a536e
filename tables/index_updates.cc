// TableService: UpdateTable's GlobalSecondaryIndexUpdates, the GSI backfill, and index
// statistics and orphans at Open().
//
// A GSI created by UpdateTable is installed in CREATING state (catalog Replace swaps the live
// definition under the table's drop lock, so every write after it maintains the index); a
// background thread then indexes the items that existed before, in chunks, each item re-read
// under its item lock so a concurrent write can never be overwritten by an older image. When
// the scan ends the index statistics are recounted with writers held off and the index turns
// ACTIVE. A crash in between leaves it CREATING in the catalog; Open() restarts the backfill.
// A deleted GSI leaves the definition first, then its entries are purged; Open() purges the
// entries of index ids no definition owns.

#include <algorithm>
#include <cstdio>
#include <set>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "item/key_codec.h"
#include "tables/operation_checks.h"
#include "tables/request_locks.h"
#include "tables/schema_checks.h"
#include "tables/secondary_index.h"
#include "tables/table_service.h"
#include "tables/validation_collector.h"

namespace strata::tables {
namespace {

constexpr size_t kBackfillChunk = 256;
constexpr size_t kPurgeChunk = 1000;

Status NoSuchIndex(const TableDef& def, const std::string& name) {
  return item::MakeApiError(
      item::ApiError::kResourceNotFound,
      "Requested resource not found: Index " + name + " for table " + def.name);
}

}  // namespace

void CheckIndexUpdateShapes(const UpdateTableInput& in, ValidationCollector* errors) {
  if (in.attribute_definitions) CheckAttributeDefinitions(*in.attribute_definitions, errors);
  if (!in.global_secondary_index_updates) return;
  const auto& updates = *in.global_secondary_index_updates;
  for (size_t i = 0; i < updates.size(); ++i) {
    const std::string path = "globalSecondaryIndexUpdates." + std::to_string(i + 1) + ".member.";
    if (updates[i].create) CheckIndexShape(*updates[i].create, path + "create.", true, errors);
    for (const auto* part : {&updates[i].update, &updates[i].remove}) {
      if (*part && !(*part)->index_name) {
        errors->AddNull(path + (part == &updates[i].update ? "update" : "delete") + ".indexName",
                        kNotNullConstraint);
      }
    }
    if (updates[i].update) {
      CheckThroughput(updates[i].update->provisioned_throughput,
                      path + "update.provisionedThroughput", errors);
    }
  }
}

Status TableService::ApplyIndexUpdates(const UpdateTableInput& in, TableDef* def,
                                       std::vector<IndexChangeAfterReplace>* after) {
  const auto& updates = *in.global_secondary_index_updates;
  std::set<std::string> touched;
  size_t online = 0;
  for (const GlobalSecondaryIndexUpdateInput& u : updates) {
    const int parts = (u.create ? 1 : 0) + (u.update ? 1 : 0) + (u.remove ? 1 : 0);
    if (parts == 0) {
      return InvalidParameterValue(
          "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
          "GlobalSecondaryIndexUpdate.Delete must not be null");
    }
    const SecondaryIndexInput& part = u.create ? *u.create : u.update ? *u.update : *u.remove;
    if (!touched.insert(*part.index_name).second) {
      return InvalidParameterValue(
          "Only one global secondary index update per index is allowed simultaneously. Index: " +
          *part.index_name);
    }
    if (u.create || u.remove) ++online;
  }
  if (online > 1) {
    return item::MakeApiError(item::ApiError::kLimitExceeded,
                              "Subscriber limit exceeded: Only 1 online index can be created or "
                              "deleted simultaneously per table");
  }
  const bool pay_per_request = def->billing_mode == BillingMode::kPayPerRequest;
  for (const GlobalSecondaryIndexUpdateInput& u : updates) {
    if (u.create) {
      const SecondaryIndexInput& c = *u.create;
      if (def->FindIndex(*c.index_name) != nullptr) {
        return item::ValidationError("Attempting to create an index which already exists");
      }
      std::vector<std::string> defined;
      if (in.attribute_definitions) {
        for (const AttributeDefinitionInput& d : *in.attribute_definitions) {
          defined.push_back(*d.attribute_name);
        }
      }
      for (const KeySchemaElementInput& k : *c.key_schema) {
        if (std::find(defined.begin(), defined.end(), *k.attribute_name) == defined.end()) {
          return InvalidParameterValue("AttributeDefinitions is not specified for index: " +
                                       *c.index_name);
        }
      }
      RETURN_IF_ERROR(
          CheckIndexDefinition(c, /*global=*/true, def->hash_key.name, pay_per_request, defined));
      // The request's definitions join the table's (a redefinition must keep the type).
      for (const AttributeDefinitionInput& d : *in.attribute_definitions) {
        AttributeDefinition a{*d.attribute_name, item::AttrType::kS};
        ParseScalarType(*d.attribute_type, &a.type);
        auto it = std::find_if(def->attribute_definitions.begin(), def->attribute_definitions.end(),
                               [&](const AttributeDefinition& e) { return e.name == a.name; });
        if (it == def->attribute_definitions.end()) {
          def->attribute_definitions.push_back(std::move(a));
        } else if (it->type != a.type) {
          return InvalidParameterValue("Cannot change the type of existing attribute " + a.name);
        }
      }
      IndexDef index = BuildIndexDef(c, /*global=*/true, def->attribute_definitions);
      std::set<uint8_t> used;
      for (const IndexDef& e : def->indexes) used.insert(e.index_id);
      uint8_t id = 1;
      while (used.count(id) != 0) ++id;  // at most 25 live indexes: always found
      index.index_id = id;
      index.status = IndexStatus::kCreating;
      def->indexes.push_back(std::move(index));
      after->push_back(IndexChangeAfterReplace{id, /*created=*/true});
    } else if (u.remove) {
      const IndexDef* index = def->FindIndex(*u.remove->index_name);
      if (index == nullptr) return NoSuchIndex(*def, *u.remove->index_name);
      if (!index->global) {
        return item::ValidationError("Cannot delete an index that is not a GlobalSecondaryIndex: " +
                                     index->name);
      }
      after->push_back(IndexChangeAfterReplace{index->index_id, /*created=*/false});
      def->indexes.erase(def->indexes.begin() + (index - def->indexes.data()));
    } else {
      const IndexDef* found = def->FindIndex(*u.update->index_name);
      if (found == nullptr || !found->global) return NoSuchIndex(*def, *u.update->index_name);
      IndexDef& index = def->indexes[found - def->indexes.data()];
      if (!u.update->provisioned_throughput) {
        return InvalidParameterValue("ProvisionedThroughput is not specified for index: " +
                                     index.name);
      }
      if (pay_per_request) {
        return InvalidParameterValue("ProvisionedThroughput should not be specified for index: " +
                                     index.name + " when BillingMode is PAY_PER_REQUEST");
      }
      index.throughput.read_capacity_units = *u.update->provisioned_throughput->read_capacity_units;
      index.throughput.write_capacity_units =
          *u.update->provisioned_throughput->write_capacity_units;
    }
  }
  return Status::OK();
}

void TableService::AfterIndexReplace(const TableHandle& h,
                                     const std::vector<IndexChangeAfterReplace>& changes) {
  for (const IndexChangeAfterReplace& c : changes) {
    if (c.created) {
      StartBackfill(h, c.index_id);
    } else {
      h.runtime->index_epochs[c.index_id].fetch_add(1);  // stops a backfill still running
      // Writers stopped maintaining it when Replace() returned; a failure leaves orphans that
      // the next Open() purges.
      (void)PurgePrefix(IndexPrefix(h.def->table_id, c.index_id));
      h.runtime->index_stats[c.index_id].item_count.store(0);
      h.runtime->index_stats[c.index_id].size_bytes.store(0);
    }
  }
}

void TableService::StartBackfill(const TableHandle& h, uint8_t index_id) {
  std::lock_guard<std::mutex> lock(backfill_mu_);
  if (stopping_) return;
  const uint32_t epoch = h.runtime->index_epochs[index_id].fetch_add(1) + 1;
  backfills_.emplace_back([this, h, index_id, epoch] {
    Status s = Backfill(h, index_id, epoch);
    if (!s.ok() && !stopping_) {
      std::fprintf(stderr, "strata: backfill of index %u of table %s failed: %s\n",
                   static_cast<unsigned>(index_id), h.def->name.c_str(),
                   std::string(s.message()).c_str());
    }
  });
}

Status TableService::Backfill(const TableHandle& h, uint8_t index_id, uint32_t epoch) {
  // False once the index this backfill serves was deleted (and its id maybe reused).
  auto serving = [&] { return h.runtime->index_epochs[index_id].load() == epoch; };
  const uint32_t table_id = h.def->table_id;
  const std::string prefix = item::TablePrefix(table_id);
  std::string next = prefix;
  while (!stopping_ && serving()) {
    // The next chunk of item keys, from a fresh iterator (nothing is pinned between chunks).
    std::vector<std::string> keys;
    {
      std::unique_ptr<engine::Iterator> it = db_->NewIterator(engine::ReadOptions());
      for (it->Seek(next);
           it->Valid() && it->key().starts_with(prefix) && keys.size() < kBackfillChunk;
           it->Next()) {
        keys.emplace_back(it->key());
      }
      RETURN_IF_ERROR(it->status());
    }
    if (keys.empty()) break;
    next = keys.back() + '\0';
    std::shared_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped) return Status::OK();
    const TableDef& live = *h.runtime->live_def;
    const IndexDef* index = nullptr;
    for (const IndexDef& i : live.indexes) {
      if (i.index_id == index_id) index = &i;
    }
    if (index == nullptr || !serving()) return Status::OK();  // deleted meanwhile
    std::vector<std::mutex*> stripes;
    for (const std::string& k : keys) stripes.push_back(&StripeFor(k));
    StripeLocks item_locks(std::move(stripes));
    engine::WriteBatch batch;
    for (const std::string& k : keys) {
      bool found = false;
      item::Item current;
      RETURN_IF_ERROR(ReadItem(db_, engine::ReadOptions(), k, &found, &current));
      if (!found || !InIndex(*index, current)) continue;
      std::string value;
      item::EncodeItem(ProjectForIndex(live, *index, current), &value);
      batch.Put(IndexEntryKey(live, *index, current), value);
    }
    if (batch.Count() > 0) RETURN_IF_ERROR(db_->Write(batch));
  }
  if (stopping_ || !serving()) return Status::OK();
  // Recount with writers held off, then publish ACTIVE.
  {
    std::unique_lock<std::shared_mutex> drop_lock(h.runtime->drop_mu);
    if (h.runtime->dropped || !serving()) return Status::OK();
    RETURN_IF_ERROR(CountIndex(h, index_id));
  }
  TableHandle current = catalog_.Find(h.def->account, h.def->region, h.def->name);
  if (current.def == nullptr || current.def->table_id != table_id) return Status::OK();
  if (!serving()) return Status::OK();
  TableDef def = *current.def;
  for (IndexDef& i : def.indexes) {
    if (i.index_id == index_id) i.status = IndexStatus::kActive;
  }
  return catalog_.Replace(def);
}

Status TableService::CountIndex(const TableHandle& h, uint8_t index_id) {
  int64_t count = 0, bytes = 0;
  RETURN_IF_ERROR(CountEntries(IndexPrefix(h.def->table_id, index_id), &count, &bytes));
  h.runtime->index_stats[index_id].item_count.store(count);
  h.runtime->index_stats[index_id].size_bytes.store(bytes);
  return Status::OK();
}

Status TableService::OpenIndexes(const TableHandle& h) {
  std::set<uint8_t> live;
  for (const IndexDef& index : h.def->indexes) {
    live.insert(index.index_id);
    if (index.status == IndexStatus::kCreating) {
      StartBackfill(h, index.index_id);
    } else {
      RETURN_IF_ERROR(CountIndex(h, index.index_id));
    }
  }
  // Entries of index ids no definition owns (a crash during a GSI delete).
  std::unique_ptr<engine::Iterator> it = db_->NewIterator(engine::ReadOptions());
  const std::string table = item::TablePrefix(h.def->table_id).substr(0, 4);
  for (it->Seek(IndexPrefix(h.def->table_id, 1)); it->Valid() && it->key().starts_with(table);) {
    const uint8_t id = static_cast<uint8_t>(it->key()[4]);
    if (live.count(id) == 0) RETURN_IF_ERROR(PurgePrefix(IndexPrefix(h.def->table_id, id)));
    if (id == 255) break;
    it->Seek(IndexPrefix(h.def->table_id, static_cast<uint8_t>(id + 1)));
  }
  return it->status();
}

Status TableService::PurgePrefix(const std::string& prefix) {
  std::unique_ptr<engine::Iterator> it = db_->NewIterator(engine::ReadOptions());
  engine::WriteBatch batch;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    batch.Delete(it->key());
    if (batch.Count() >= kPurgeChunk) {
      RETURN_IF_ERROR(db_->Write(batch));
      batch.Clear();
    }
  }
  RETURN_IF_ERROR(it->status());
  return batch.Count() > 0 ? db_->Write(batch) : Status::OK();
}

void TableService::StopBackfills() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(backfill_mu_);
    stopping_ = true;
    threads.swap(backfills_);
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace strata::tables
