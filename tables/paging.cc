#include "tables/paging.h"

#include "item/item_codec.h"
#include "item/item_size.h"

namespace strata::tables {

item::Item KeyOf(const ReadTarget& target, const item::Item& item) {
  const TableDef& def = *target.table;
  item::Item key;
  auto add = [&](const KeyAttribute* k) {
    if (k == nullptr) return;
    for (const auto& [name, value] : key) {
      if (name == k->name) return;  // an LSI shares the table's partition key
    }
    if (const item::AttributeValue* v = item::FindAttribute(item, k->name)) {
      key.emplace_back(k->name, *v);
    }
  };
  add(&def.hash_key);
  add(def.range_key ? &*def.range_key : nullptr);
  if (target.index != nullptr) {
    add(&target.hash_key());
    add(target.range_key());
  }
  item::SortMap(&key);
  return key;
}

Status ReadPage(engine::Db* db, const engine::ReadOptions& options, const ReadTarget& target,
                const KeyRange& range, bool forward, int64_t limit, const PageVisitor& visit,
                PageStats* stats) {
  *stats = PageStats();
  if (!range.end.empty() && range.start >= range.end) return Status::OK();
  std::unique_ptr<engine::Iterator> it = db->NewIterator(options);
  if (forward) {
    it->Seek(range.start);
  } else if (range.end.empty()) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(range.end);
    if (it->Valid() && it->key() == range.end) it->Prev();
  }
  item::Item current;
  while (it->Valid()) {
    const std::string_view key = it->key();
    if (forward ? (!range.end.empty() && key >= range.end) : key < range.start) break;
    RETURN_IF_ERROR(item::DecodeItem(it->value(), &current));
    ++stats->scanned;
    stats->bytes += item::ItemSize(current);
    const bool stop = (limit > 0 && stats->scanned >= limit) || stats->bytes >= kMaxPageBytes;
    if (stop) stats->last_evaluated_key = KeyOf(target, current);
    visit(&current);
    if (stop) break;
    if (forward) {
      it->Next();
    } else {
      it->Prev();
    }
  }
  return it->status();
}

}  // namespace strata::tables
