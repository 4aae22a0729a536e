#include "tables/secondary_index.h"

#include <algorithm>
#include <vector>

#include "item/api_error.h"
#include "item/key_codec.h"

namespace strata::tables {
namespace {

const item::AttributeValue* TypedAttribute(const item::Item& item, const KeyAttribute& key) {
  const item::AttributeValue* v = item::FindAttribute(item, key.name);
  return v != nullptr && v->type() == key.type ? v : nullptr;
}

bool IsEmptyScalar(const item::AttributeValue& v) {
  if (v.is<std::string>()) return v.as<std::string>().empty();
  if (v.is<item::Binary>()) return v.as<item::Binary>().bytes.empty();
  return false;
}

}  // namespace

std::string PartitionPrefix(uint32_t table_id, uint8_t index_id, const item::AttributeValue& pk) {
  std::string key;
  item::AppendKeyPrefix(table_id, index_id, item::PartitionHash(pk), &key);
  item::AppendKeyComponent(pk, &key);
  return key;
}

std::string IndexPrefix(uint32_t table_id, uint8_t index_id) {
  std::string key = item::TablePrefix(table_id);
  key.back() = static_cast<char>(index_id);
  return key;
}

bool InIndex(const IndexDef& index, const item::Item& item) {
  return TypedAttribute(item, index.hash_key) != nullptr &&
         (!index.range_key || TypedAttribute(item, *index.range_key) != nullptr);
}

std::string IndexEntryKey(const TableDef& def, const IndexDef& index, const item::Item& item) {
  std::string key = PartitionPrefix(def.table_id, index.index_id,
                                    *item::FindAttribute(item, index.hash_key.name));
  if (index.range_key) {
    item::AppendKeyComponent(*item::FindAttribute(item, index.range_key->name), &key);
  }
  if (index.global) item::AppendKeyComponent(*item::FindAttribute(item, def.hash_key.name), &key);
  if (def.range_key) {
    item::AppendKeyComponent(*item::FindAttribute(item, def.range_key->name), &key);
  }
  return key;
}

std::string TargetKey(const ReadTarget& target, const item::Item& item) {
  if (target.index != nullptr) return IndexEntryKey(*target.table, *target.index, item);
  const TableDef& def = *target.table;
  return item::EncodeItemKey(
      def.table_id, *item::FindAttribute(item, def.hash_key.name),
      def.range_key ? item::FindAttribute(item, def.range_key->name) : nullptr);
}

bool ProjectsAttribute(const TableDef& def, const IndexDef& index, std::string_view name) {
  if (index.projection == ProjectionType::kAll) return true;
  if (name == def.hash_key.name || (def.range_key && name == def.range_key->name) ||
      name == index.hash_key.name || (index.range_key && name == index.range_key->name)) {
    return true;
  }
  return index.projection == ProjectionType::kInclude &&
         std::find(index.non_key_attributes.begin(), index.non_key_attributes.end(), name) !=
             index.non_key_attributes.end();
}

item::Item ProjectForIndex(const TableDef& def, const IndexDef& index, const item::Item& item) {
  if (index.projection == ProjectionType::kAll) return item;
  item::Item out;
  for (const auto& [name, value] : item) {
    if (ProjectsAttribute(def, index, name)) out.emplace_back(name, value);
  }
  return out;  // a subsequence of a sorted map stays sorted
}

std::optional<item::Item> ItemCollectionKey(const TableDef& def,
                                            const std::optional<std::string>& return_metrics,
                                            const item::Item& item) {
  if (return_metrics.value_or("NONE") != "SIZE") return std::nullopt;
  const bool has_lsi = std::any_of(def.indexes.begin(), def.indexes.end(),
                                   [](const IndexDef& i) { return !i.global; });
  const item::AttributeValue* pk = item::FindAttribute(item, def.hash_key.name);
  if (!has_lsi || pk == nullptr) return std::nullopt;
  return item::Item{{def.hash_key.name, *pk}};
}

Status CheckIndexKeys(const TableDef& def, const item::Item& item, ImageOrigin origin) {
  if (def.indexes.empty()) return Status::OK();
  std::vector<const IndexDef*> by_name;
  for (const IndexDef& index : def.indexes) by_name.push_back(&index);
  std::sort(by_name.begin(), by_name.end(),
            [](const IndexDef* a, const IndexDef* b) { return a->name < b->name; });
  for (const IndexDef* index : by_name) {
    for (const KeyAttribute* key :
         {&index->hash_key, index->range_key ? &*index->range_key : nullptr}) {
      if (key == nullptr) continue;
      const item::AttributeValue* v = item::FindAttribute(item, key->name);
      if (v == nullptr) continue;
      if (v->type() != key->type) {
        return item::ValidationError(
            "One or more parameter values were invalid: Type mismatch for Index Key " + key->name +
            " Expected: " + std::string(item::AttrTypeName(key->type)) + " Actual: " +
            std::string(item::AttrTypeName(v->type())) + " IndexName: " + index->name);
      }
      if (IsEmptyScalar(*v)) {
        const std::string what = key->type == item::AttrType::kS ? "string" : "binary";
        const std::string lead =
            origin == ImageOrigin::kItem
                ? "A value specified for a secondary index key is not supported. "
                : "The update expression attempted to update a secondary index key to a value "
                  "that is not supported. ";
        return item::ValidationError(
            "One or more parameter values are not valid. " + lead +
            "The AttributeValue for a key attribute cannot contain an empty " + what +
            " value. IndexName: " + index->name + ", IndexKey: " + key->name);
      }
    }
  }
  return Status::OK();
}

}  // namespace strata::tables
