#include "tables/item_key.h"

#include "item/api_error.h"
#include "item/key_codec.h"

namespace strata::tables {
namespace {

// AWS words the empty-key error differently for an Item ("are not valid.") and for a Key
// parameter ("were invalid:").
Status ValidateKeyValue(const KeyAttribute& key, const item::AttributeValue& value, bool is_hash,
                        bool in_item) {
  const std::string_view prefix = in_item ? "One or more parameter values are not valid. "
                                          : "One or more parameter values were invalid: ";
  size_t bytes = 0;
  if (key.type == item::AttrType::kS) {
    bytes = value.as<std::string>().size();
    if (bytes == 0) {
      return item::ValidationError(std::string(prefix) +
                                   "The AttributeValue for a key attribute cannot contain an "
                                   "empty string value. Key: " +
                                   key.name);
    }
  } else if (key.type == item::AttrType::kB) {
    bytes = value.as<item::Binary>().bytes.size();
    if (bytes == 0) {
      return item::ValidationError(std::string(prefix) +
                                   "The AttributeValue for a key attribute cannot contain an "
                                   "empty binary value. Key: " +
                                   key.name);
    }
  }
  if (is_hash && bytes > kMaxPartitionKeyBytes) {
    return item::ValidationError(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
        "size limit of2048 bytes");
  }
  if (!is_hash && bytes > kMaxSortKeyBytes) {
    return item::ValidationError(
        "One or more parameter values were invalid: Aggregated size of all range keys has "
        "exceeded the size limit of 1024 bytes");
  }
  return Status::OK();
}

Status CheckItemKeyAttribute(const KeyAttribute& key, const item::Item& item, bool is_hash,
                             const item::AttributeValue** out) {
  const item::AttributeValue* v = item::FindAttribute(item, key.name);
  if (v == nullptr) {
    return item::ValidationError("One or more parameter values were invalid: Missing the key " +
                                 key.name + " in the item");
  }
  if (v->type() != key.type) {
    return item::ValidationError(
        "One or more parameter values were invalid: Type mismatch for key " + key.name +
        " expected: " + std::string(item::AttrTypeName(key.type)) +
        " actual: " + std::string(item::AttrTypeName(v->type())));
  }
  RETURN_IF_ERROR(ValidateKeyValue(key, *v, is_hash, /*in_item=*/true));
  *out = v;
  return Status::OK();
}

Status CheckKeyParamAttribute(const KeyAttribute& key, const item::Item& map, bool is_hash,
                              const item::AttributeValue** out) {
  const item::AttributeValue* v = item::FindAttribute(map, key.name);
  if (v == nullptr || v->type() != key.type) {
    return item::ValidationError("The provided key element does not match the schema");
  }
  RETURN_IF_ERROR(ValidateKeyValue(key, *v, is_hash, /*in_item=*/false));
  *out = v;
  return Status::OK();
}

Status ValidateNamesIn(const item::Map& map);

Status ValidateNamesInValue(const item::AttributeValue& value) {
  if (value.is<item::Map>()) return ValidateNamesIn(value.as<item::Map>());
  if (value.is<item::List>()) {
    for (const item::AttributeValue& v : value.as<item::List>()) {
      RETURN_IF_ERROR(ValidateNamesInValue(v));
    }
  }
  return Status::OK();
}

Status ValidateNamesIn(const item::Map& map) {
  for (const auto& [name, value] : map) {
    if (name.empty()) {
      return item::ValidationError(
          "One or more parameter values were invalid: An attribute name cannot be empty");
    }
    if (name.size() > kMaxAttributeNameBytes) {
      return item::ValidationError(
          "1 validation error detected: Attribute name is too large, must be less than 65536 "
          "bytes");
    }
    RETURN_IF_ERROR(ValidateNamesInValue(value));
  }
  return Status::OK();
}

}  // namespace

Result<std::string> ItemKeyFromItem(const TableDef& def, const item::Item& item) {
  const item::AttributeValue* pk = nullptr;
  const item::AttributeValue* sk = nullptr;
  RETURN_IF_ERROR(CheckItemKeyAttribute(def.hash_key, item, /*is_hash=*/true, &pk));
  if (def.range_key) {
    RETURN_IF_ERROR(CheckItemKeyAttribute(*def.range_key, item, /*is_hash=*/false, &sk));
  }
  return item::EncodeItemKey(def.table_id, *pk, sk);
}

Result<std::string> ItemKeyFromKey(const TableDef& def, const item::Item& key) {
  const size_t expected = def.range_key ? 2 : 1;
  if (key.size() != expected) {
    return item::ValidationError("The provided key element does not match the schema");
  }
  const item::AttributeValue* pk = nullptr;
  const item::AttributeValue* sk = nullptr;
  RETURN_IF_ERROR(CheckKeyParamAttribute(def.hash_key, key, /*is_hash=*/true, &pk));
  if (def.range_key) {
    RETURN_IF_ERROR(CheckKeyParamAttribute(*def.range_key, key, /*is_hash=*/false, &sk));
  }
  return item::EncodeItemKey(def.table_id, *pk, sk);
}

Status ValidateAttributeNames(const item::Item& item) { return ValidateNamesIn(item); }

}  // namespace strata::tables
