#include "item/item_size.h"

namespace strata::item {
namespace {

// The overhead DynamoDB charges for a List or Map, plus one byte per element.
constexpr size_t kDocumentOverhead = 3;

size_t MapEntriesSize(const Map& map) {
  size_t size = 0;
  for (const auto& [name, value] : map) size += name.size() + AttributeValueSize(value);
  return size;
}

}  // namespace

size_t AttributeValueSize(const AttributeValue& value) {
  switch (value.type()) {
    case AttrType::kS:
      return value.as<std::string>().size();
    case AttrType::kN:
      return value.as<Number>().DynamoSize();
    case AttrType::kB:
      return value.as<Binary>().bytes.size();
    case AttrType::kBool:
    case AttrType::kNull:
      return 1;
    case AttrType::kSS: {
      size_t size = 0;
      for (const std::string& s : value.as<StringSet>().values) size += s.size();
      return size;
    }
    case AttrType::kNS: {
      size_t size = 0;
      for (const Number& n : value.as<NumberSet>().values) size += n.DynamoSize();
      return size;
    }
    case AttrType::kBS: {
      size_t size = 0;
      for (const std::string& b : value.as<BinarySet>().values) size += b.size();
      return size;
    }
    case AttrType::kL: {
      const List& list = value.as<List>();
      size_t size = kDocumentOverhead + list.size();
      for (const AttributeValue& v : list) size += AttributeValueSize(v);
      return size;
    }
    case AttrType::kM: {
      const Map& map = value.as<Map>();
      return kDocumentOverhead + map.size() + MapEntriesSize(map);
    }
  }
  return 0;
}

size_t ItemSize(const Item& item) { return MapEntriesSize(item); }

}  // namespace strata::item
