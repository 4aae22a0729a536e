// Binary item codec: the engine value of an item. Grammar (also docs/formats/item.md):
//
//   item      := varint32 n_attrs, attr{n_attrs}        names strictly ascending (bytewise)
//   attr      := varstring name, value
//   value     := u8 tag, payload                         tag = AttrType (attribute_value.h)
//   varstring := varint32 length, byte{length}
//   payload by tag:
//     S    (0) := varstring utf8
//     N    (1) := varstring number                        Number::EncodeKey bytes (1..21)
//     B    (2) := varstring bytes
//     BOOL (3) := u8 0 | 1
//     NULL (4) := (nothing)
//     SS   (5) := varint32 count>=1, varstring{count}    strictly ascending (bytewise)
//     NS   (6) := varint32 count>=1, number{count}       number := varstring as for N;
//                                                         strictly ascending numerically
//     BS   (7) := varint32 count>=1, varstring{count}    strictly ascending (bytewise)
//     L    (8) := varint32 count, value{count}
//     M    (9) := item
//
// Varints are LevelDB's (util/coding.h). Encoding is canonical: equal items encode to equal
// bytes. DecodeItem checks every length, tag, ordering rule and the nesting depth, and answers
// Corruption on anything else; it never reads out of bounds.

#include "item/item_codec.h"

#include "util/coding.h"

namespace strata::item {
namespace {

// Documents nest at most 32 levels on input; decoding allows generous headroom while still
// bounding recursion on hostile bytes.
constexpr int kMaxDecodeDepth = 256;

void EncodeValue(const AttributeValue& value, std::string* dst);

void EncodeNumber(const Number& n, std::string* dst) {
  // EncodeKey writes at most 21 bytes, so the length fits one varint byte.
  const size_t len_pos = dst->size();
  dst->push_back('\0');
  n.EncodeKey(dst);
  (*dst)[len_pos] = static_cast<char>(dst->size() - len_pos - 1);
}

void EncodeMap(const Map& map, std::string* dst) {
  PutVarint32(dst, static_cast<uint32_t>(map.size()));
  for (const auto& [name, value] : map) {
    PutLengthPrefixed(dst, name);
    EncodeValue(value, dst);
  }
}

void EncodeValue(const AttributeValue& value, std::string* dst) {
  dst->push_back(static_cast<char>(value.type()));
  switch (value.type()) {
    case AttrType::kS:
      PutLengthPrefixed(dst, value.as<std::string>());
      break;
    case AttrType::kN:
      EncodeNumber(value.as<Number>(), dst);
      break;
    case AttrType::kB:
      PutLengthPrefixed(dst, value.as<Binary>().bytes);
      break;
    case AttrType::kBool:
      dst->push_back(value.as<bool>() ? 1 : 0);
      break;
    case AttrType::kNull:
      break;
    case AttrType::kSS: {
      const auto& values = value.as<StringSet>().values;
      PutVarint32(dst, static_cast<uint32_t>(values.size()));
      for (const std::string& s : values) PutLengthPrefixed(dst, s);
      break;
    }
    case AttrType::kNS: {
      const auto& values = value.as<NumberSet>().values;
      PutVarint32(dst, static_cast<uint32_t>(values.size()));
      for (const Number& n : values) EncodeNumber(n, dst);
      break;
    }
    case AttrType::kBS: {
      const auto& values = value.as<BinarySet>().values;
      PutVarint32(dst, static_cast<uint32_t>(values.size()));
      for (const std::string& s : values) PutLengthPrefixed(dst, s);
      break;
    }
    case AttrType::kL: {
      const List& list = value.as<List>();
      PutVarint32(dst, static_cast<uint32_t>(list.size()));
      for (const AttributeValue& v : list) EncodeValue(v, dst);
      break;
    }
    case AttrType::kM:
      EncodeMap(value.as<Map>(), dst);
      break;
  }
}

Status Corrupt(std::string_view what) {
  return Status::Corruption(std::string("item codec: ") + std::string(what));
}

// Reads a count of elements that each take at least `min_bytes`, rejecting counts the
// remaining input cannot hold (so a hostile count cannot force a huge reservation).
bool GetCount(std::string_view* in, size_t min_bytes, uint32_t* count) {
  if (!GetVarint32(in, count)) return false;
  return *count <= in->size() / min_bytes;
}

Status DecodeNumber(std::string_view* in, Number* out) {
  std::string_view bytes;
  if (!GetLengthPrefixed(in, &bytes)) return Corrupt("truncated number");
  Result<Number> n = Number::DecodeKey(&bytes);
  if (!n.ok() || !bytes.empty()) return Corrupt("bad number");
  *out = std::move(n).value();
  return Status();
}

Status DecodeValue(std::string_view* in, int depth, AttributeValue* out);

Status DecodeMap(std::string_view* in, int depth, Map* out) {
  if (depth > kMaxDecodeDepth) return Corrupt("nesting too deep");
  uint32_t count;
  if (!GetCount(in, 2, &count)) return Corrupt("bad attribute count");
  out->clear();
  out->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!GetLengthPrefixed(in, &name)) return Corrupt("truncated attribute name");
    if (!out->empty() && !(std::string_view(out->back().first) < name)) {
      return Corrupt("attribute names out of order");
    }
    out->emplace_back(std::string(name), AttributeValue());
    RETURN_IF_ERROR(DecodeValue(in, depth, &out->back().second));
  }
  return Status();
}

// Decodes a set of varstrings (SS, BS) into *values.
Status DecodeStringValues(std::string_view* in, std::vector<std::string>* values) {
  uint32_t count;
  if (!GetCount(in, 1, &count) || count == 0) return Corrupt("bad set count");
  values->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view s;
    if (!GetLengthPrefixed(in, &s)) return Corrupt("truncated set member");
    if (!values->empty() && !(std::string_view(values->back()) < s)) {
      return Corrupt("set members out of order");
    }
    values->emplace_back(s);
  }
  return Status();
}

Status DecodeValue(std::string_view* in, int depth, AttributeValue* out) {
  if (in->empty()) return Corrupt("truncated value");
  const auto tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  switch (static_cast<AttrType>(tag)) {
    case AttrType::kS: {
      std::string_view s;
      if (!GetLengthPrefixed(in, &s)) return Corrupt("truncated string");
      *out = std::string(s);
      return Status();
    }
    case AttrType::kN: {
      Number n;
      RETURN_IF_ERROR(DecodeNumber(in, &n));
      *out = n;
      return Status();
    }
    case AttrType::kB: {
      std::string_view s;
      if (!GetLengthPrefixed(in, &s)) return Corrupt("truncated binary");
      *out = Binary{std::string(s)};
      return Status();
    }
    case AttrType::kBool: {
      if (in->empty()) return Corrupt("truncated bool");
      const auto b = static_cast<uint8_t>((*in)[0]);
      in->remove_prefix(1);
      if (b > 1) return Corrupt("bad bool");
      *out = b == 1;
      return Status();
    }
    case AttrType::kNull:
      *out = Null{};
      return Status();
    case AttrType::kSS: {
      StringSet set;
      RETURN_IF_ERROR(DecodeStringValues(in, &set.values));
      *out = std::move(set);
      return Status();
    }
    case AttrType::kBS: {
      BinarySet set;
      RETURN_IF_ERROR(DecodeStringValues(in, &set.values));
      *out = std::move(set);
      return Status();
    }
    case AttrType::kNS: {
      uint32_t count;
      if (!GetCount(in, 2, &count) || count == 0) return Corrupt("bad set count");
      NumberSet set;
      set.values.reserve(count);
      for (uint32_t i = 0; i < count; ++i) {
        Number n;
        RETURN_IF_ERROR(DecodeNumber(in, &n));
        if (!set.values.empty() && !(set.values.back() < n)) {
          return Corrupt("set members out of order");
        }
        set.values.push_back(n);
      }
      *out = std::move(set);
      return Status();
    }
    case AttrType::kL: {
      if (depth + 1 > kMaxDecodeDepth) return Corrupt("nesting too deep");
      uint32_t count;
      if (!GetCount(in, 1, &count)) return Corrupt("bad list count");
      List list;
      list.reserve(count);
      for (uint32_t i = 0; i < count; ++i) {
        list.emplace_back();
        RETURN_IF_ERROR(DecodeValue(in, depth + 1, &list.back()));
      }
      *out = std::move(list);
      return Status();
    }
    case AttrType::kM: {
      Map map;
      RETURN_IF_ERROR(DecodeMap(in, depth + 1, &map));
      *out = std::move(map);
      return Status();
    }
  }
  return Corrupt("bad type tag");
}

}  // namespace

void EncodeItem(const Item& item, std::string* dst) { EncodeMap(item, dst); }

Status DecodeItem(std::string_view src, Item* out) {
  RETURN_IF_ERROR(DecodeMap(&src, 0, out));
  if (!src.empty()) return Corrupt("trailing bytes");
  return Status();
}

}  // namespace strata::item
