#pragma once

#include <string>
#include <string_view>

#include "item/attribute_value.h"
#include "util/status.h"

namespace strata::item {

// The binary item codec: how an item is stored as an engine value. The grammar is at the top
// of item_codec.cc and in docs/formats/item.md. Decode validates everything and answers
// Corruption on malformed input; it never reads out of bounds.

void EncodeItem(const Item& item, std::string* dst);
Status DecodeItem(std::string_view src, Item* out);

}  // namespace strata::item
