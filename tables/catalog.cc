#include "tables/catalog.h"

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/key_codec.h"
#include "util/coding.h"

namespace strata::tables {
namespace {

std::string KindPrefix(char kind) {
  std::string k = item::TablePrefix(0);
  k.push_back(kind);
  return k;
}

}  // namespace

std::string Catalog::TableKey(std::string_view account, std::string_view region,
                              std::string_view name) {
  std::string k = KindPrefix(kTableKind);
  PutLengthPrefixed(&k, account);
  PutLengthPrefixed(&k, region);
  k.append(name);
  return k;
}

std::string Catalog::NextIdKey() { return KindPrefix(kNextIdKind); }

std::string Catalog::DroppedKey(uint32_t table_id) {
  std::string k = KindPrefix(kDroppedKind);
  PutBigEndian32(&k, table_id);
  return k;
}

Status Catalog::Load(std::vector<uint32_t>* pending_drops) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  std::map<NameKey, TableHandle, std::less<>> tables;
  uint32_t next_id = 1;
  std::unique_ptr<engine::Iterator> it = db_->NewIterator(engine::ReadOptions());
  const std::string catalog_prefix = item::TablePrefix(0);
  const std::string table_prefix = KindPrefix(kTableKind);
  const std::string dropped_prefix = KindPrefix(kDroppedKind);
  for (it->Seek(catalog_prefix); it->Valid() && it->key().starts_with(catalog_prefix); it->Next()) {
    std::string_view key = it->key();
    if (key == NextIdKey()) {
      std::string_view v = it->value();
      if (!GetVarint32(&v, &next_id) || !v.empty()) {
        return Status::Corruption("malformed catalog table id counter");
      }
    } else if (key.starts_with(table_prefix)) {
      auto def = std::make_shared<TableDef>();
      RETURN_IF_ERROR(DecodeTableDef(it->value(), def.get()));
      if (TableKey(def->account, def->region, def->name) != key) {
        return Status::Corruption("catalog key does not match its table definition");
      }
      NameKey name_key{def->account, def->region, def->name};
      auto runtime = std::make_shared<TableRuntime>();
      runtime->live_def = def;
      tables[std::move(name_key)] = TableHandle{std::move(def), std::move(runtime)};
    } else if (key.starts_with(dropped_prefix)) {
      if (key.size() != dropped_prefix.size() + 4) {
        return Status::Corruption("malformed dropped-table marker");
      }
      if (pending_drops != nullptr) {
        pending_drops->push_back(DecodeBigEndian32(key.data() + dropped_prefix.size()));
      }
    }
  }
  RETURN_IF_ERROR(it->status());
  for (const auto& [k, handle] : tables) {
    if (handle.def->table_id >= next_id) {
      return Status::Corruption("catalog table id counter is behind a table id");
    }
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_ = std::move(tables);
  next_table_id_ = next_id;
  return Status::OK();
}

TableHandle Catalog::Find(std::string_view account, std::string_view region,
                          std::string_view name) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it =
      tables_.find(std::make_tuple(std::string(account), std::string(region), std::string(name)));
  if (it == tables_.end()) return TableHandle{};
  return it->second;
}

Result<TableHandle> Catalog::Create(TableDef def) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  if (Find(def.account, def.region, def.name).def != nullptr) {
    return item::MakeApiError(item::ApiError::kResourceInUse, "Table already exists: " + def.name);
  }
  def.table_id = next_table_id_;
  std::string value;
  EncodeTableDef(def, &value);
  std::string counter;
  PutVarint32(&counter, next_table_id_ + 1);
  engine::WriteBatch batch;
  batch.Put(NextIdKey(), counter);
  batch.Put(TableKey(def.account, def.region, def.name), value);
  RETURN_IF_ERROR(db_->Write(batch));
  ++next_table_id_;
  TableHandle handle{std::make_shared<const TableDef>(std::move(def)),
                     std::make_shared<TableRuntime>()};
  handle.runtime->live_def = handle.def;
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_[NameKey{handle.def->account, handle.def->region, handle.def->name}] = handle;
  return handle;
}

Status Catalog::Replace(const TableDef& def) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  TableHandle current = Find(def.account, def.region, def.name);
  if (current.def == nullptr || current.def->table_id != def.table_id) {
    return Status::NotFound("table definition changed concurrently");
  }
  std::string value;
  EncodeTableDef(def, &value);
  engine::WriteBatch batch;
  batch.Put(TableKey(def.account, def.region, def.name), value);
  RETURN_IF_ERROR(db_->Write(batch));
  auto shared = std::make_shared<const TableDef>(def);
  {
    std::unique_lock<std::shared_mutex> drop_lock(current.runtime->drop_mu);
    current.runtime->live_def = shared;
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_[NameKey{def.account, def.region, def.name}] = TableHandle{shared, current.runtime};
  return Status::OK();
}

Status Catalog::Drop(const TableDef& def) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  TableHandle current = Find(def.account, def.region, def.name);
  if (current.def == nullptr || current.def->table_id != def.table_id) {
    return Status::NotFound("table already dropped");
  }
  engine::WriteBatch batch;
  batch.Delete(TableKey(def.account, def.region, def.name));
  batch.Put(DroppedKey(def.table_id), "");
  RETURN_IF_ERROR(db_->Write(batch));
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_.erase(NameKey{def.account, def.region, def.name});
  return Status::OK();
}

Status Catalog::FinishDrop(uint32_t table_id) {
  engine::WriteBatch batch;
  batch.Delete(DroppedKey(table_id));
  return db_->Write(batch);
}

std::vector<std::string> Catalog::ListNames(std::string_view account, std::string_view region,
                                            std::string_view start_after, size_t limit,
                                            bool* more) const {
  std::vector<std::string> names;
  *more = false;
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = tables_.upper_bound(
      std::make_tuple(std::string(account), std::string(region), std::string(start_after)));
  for (; it != tables_.end(); ++it) {
    const auto& [acct, reg, name] = it->first;
    if (acct != account || reg != region) break;
    if (names.size() == limit) {
      *more = true;
      break;
    }
    names.push_back(name);
  }
  return names;
}

std::vector<TableHandle> Catalog::All() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<TableHandle> all;
  all.reserve(tables_.size());
  for (const auto& [k, handle] : tables_) all.push_back(handle);
  return all;
}

}  // namespace strata::tables
