#include "sstable/properties.h"

#include "sstable/block_builder.h"
#include "sstable/comparator.h"
#include "util/coding.h"

namespace strata::sstable {
namespace {

constexpr std::string_view kUserPrefix = "user.";

std::string Varint(uint64_t v) {
  std::string s;
  PutVarint64(&s, v);
  return s;
}

}  // namespace

std::string EncodeProperties(const TableProperties& p) {
  std::map<std::string, std::string> entries;
  entries["strata.comparator"] = p.comparator_name;
  entries["strata.data.blocks"] = Varint(p.num_data_blocks);
  entries["strata.data.raw_size"] = Varint(p.raw_data_size);
  entries["strata.data.size"] = Varint(p.data_size);
  entries["strata.entries"] = Varint(p.num_entries);
  entries["strata.filter.key"] = p.filter_key_name;
  entries["strata.filter.keys"] = Varint(p.num_filter_keys);
  entries["strata.filter.size"] = Varint(p.filter_size);
  entries["strata.format_version"] = Varint(p.format_version);
  entries["strata.index.size"] = Varint(p.index_size);
  entries["strata.largest_key"] = p.largest_key;
  entries["strata.raw.key.size"] = Varint(p.raw_key_size);
  entries["strata.raw.value.size"] = Varint(p.raw_value_size);
  entries["strata.smallest_key"] = p.smallest_key;
  if (p.has_sequence_range) {
    entries["strata.commit_time.max"] = Varint(p.max_commit_time_us);
    entries["strata.commit_time.min"] = Varint(p.min_commit_time_us);
    entries["strata.seq.max"] = Varint(p.max_sequence);
    entries["strata.seq.min"] = Varint(p.min_sequence);
  }
  for (const auto& [name, value] : p.user_properties) {
    entries[std::string(kUserPrefix) + name] = value;
  }
  BlockBuilder builder(16);
  for (const auto& [name, value] : entries) builder.Add(name, value);
  return std::string(builder.Finish());
}

Status DecodeProperties(const Block& block, TableProperties* p) {
  *p = TableProperties();
  const std::map<std::string_view, uint64_t*> numbers = {
      {"strata.commit_time.max", &p->max_commit_time_us},
      {"strata.commit_time.min", &p->min_commit_time_us},
      {"strata.data.blocks", &p->num_data_blocks},
      {"strata.data.raw_size", &p->raw_data_size},
      {"strata.data.size", &p->data_size},
      {"strata.entries", &p->num_entries},
      {"strata.filter.keys", &p->num_filter_keys},
      {"strata.filter.size", &p->filter_size},
      {"strata.index.size", &p->index_size},
      {"strata.raw.key.size", &p->raw_key_size},
      {"strata.raw.value.size", &p->raw_value_size},
      {"strata.seq.max", &p->max_sequence},
      {"strata.seq.min", &p->min_sequence},
  };
  const std::map<std::string_view, std::string*> strings = {
      {"strata.comparator", &p->comparator_name},
      {"strata.filter.key", &p->filter_key_name},
      {"strata.largest_key", &p->largest_key},
      {"strata.smallest_key", &p->smallest_key},
  };
  BlockIter it(&block, &BytewiseCompare);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    std::string_view name = it.key();
    std::string_view value = it.value();
    if (auto n = numbers.find(name); n != numbers.end()) {
      if (!GetVarint64(&value, n->second) || !value.empty()) {
        return Status::Corruption("bad table property " + std::string(name));
      }
      if (name.starts_with("strata.seq.")) p->has_sequence_range = true;
    } else if (auto s = strings.find(name); s != strings.end()) {
      s->second->assign(value);
    } else if (name == "strata.format_version") {
      uint64_t v;
      if (!GetVarint64(&value, &v) || !value.empty() || v > UINT32_MAX) {
        return Status::Corruption("bad table property strata.format_version");
      }
      p->format_version = static_cast<uint32_t>(v);
    } else if (name.starts_with(kUserPrefix)) {
      p->user_properties[std::string(name.substr(kUserPrefix.size()))] = std::string(value);
    }
  }
  return it.status();
}

}  // namespace strata::sstable
