#pragma once

#include <cstddef>

#include "item/attribute_value.h"

namespace strata::item {

// DynamoDB item size in bytes (DESIGN 5.2): attribute-name UTF-8 bytes + value sizes;
// S: UTF-8 bytes; N: Number::DynamoSize(); B: raw bytes; BOOL/NULL: 1; L/M: 3 + 1 per element
// + nested sizes (map entries count their names); sets: sum of elements. Used for every size
// limit (400 KB items, capacity, 1 MB pages). Never JSON length.
size_t ItemSize(const Item& item);
size_t AttributeValueSize(const AttributeValue& value);

constexpr size_t kMaxItemSize = 400 * 1024;

}  // namespace strata::item
