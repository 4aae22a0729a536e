#include <memory>
#include <string>
#include <vector>

#include "engine/table_format.h"
#include "memtable/internal_key.h"
#include "sstable/block.h"
#include "sstable/file.h"
#include "sstable/format.h"
#include "sstable/table_reader.h"
#include "tools/file_dumpers.h"
#include "util/escape.h"

namespace strata::tools {
namespace {

std::string HandleString(const sstable::BlockHandle& handle) {
  return "@" + std::to_string(handle.offset) + " size " + std::to_string(handle.size);
}

// The footer, decoded by sstable::Footer (TableReader::Open checks it again).
void PrintFooter(const sstable::RandomAccessFile& file, uint64_t size, std::ostream& out) {
  if (size < sstable::kFooterSize) return;
  const uint64_t offset = size - sstable::kFooterSize;
  char scratch[sstable::kFooterSize];
  std::string_view input;
  sstable::Footer footer;
  Status s = file.Read(offset, sstable::kFooterSize, scratch, &input);
  if (s.ok()) s = footer.DecodeFrom(input, offset, file.Name());
  if (!s.ok()) {
    out << "footer @" << offset << ": " << s.ToString() << "\n";
    return;
  }
  out << "footer @" << offset << ": format " << footer.format_version << ", checksum type "
      << static_cast<int>(footer.checksum_type) << ", metaindex " << HandleString(footer.metaindex)
      << ", index " << HandleString(footer.index) << "\n";
}

void PrintProperties(const sstable::TableReader& table, const TableSchemas& schemas,
                     std::ostream& out) {
  const sstable::TableProperties& p = table.properties();
  out << "properties: format " << p.format_version << ", comparator " << p.comparator_name
      << "\n  entries " << p.num_entries << ", data blocks " << p.num_data_blocks << " ("
      << p.data_size << " bytes on disk, " << p.raw_data_size << " raw), index " << p.index_size
      << " bytes, raw keys " << p.raw_key_size << " bytes, raw values " << p.raw_value_size
      << " bytes\n";
  if (p.num_entries > 0) {
    out << "  smallest " << RenderInternalKey(p.smallest_key, schemas) << "\n  largest  "
        << RenderInternalKey(p.largest_key, schemas) << "\n";
  }
  if (p.has_sequence_range) {
    out << "  seq " << p.min_sequence << ".." << p.max_sequence;
    if (p.max_commit_time_us != 0) {  // 0: the writer did not know the commit times
      out << ", commit " << FormatMicros(p.min_commit_time_us) << " .. "
          << FormatMicros(p.max_commit_time_us);
    }
    out << "\n";
  }
  for (const auto& [name, value] : p.user_properties) {
    out << "  user." << name << " = '" << EscapeBytes(value) << "'\n";
  }
  out << "filter: " << (table.has_filter() ? "" : "none (or unusable), ") << p.filter_size
      << " bytes, " << p.num_filter_keys << " keys, extractor '" << p.filter_key_name << "'\n";
}

// Every entry of the data block at `handle`, read and checksum-verified by the TableReader.
Status PrintDataBlock(const sstable::TableReader& table, int index,
                      const sstable::BlockHandle& handle, const DumpOptions& options,
                      TableSchemas* schemas, uint64_t* entries, std::ostream& out) {
  sstable::ReadOptions read_options;
  read_options.fill_cache = false;
  Result<std::shared_ptr<const sstable::Block>> block = table.ReadDataBlock(handle, read_options);
  if (!block.ok()) {
    out << "data block " << index << " " << HandleString(handle) << ": DAMAGED "
        << block.status().ToString() << "\n";
    return block.status();
  }
  out << "data block " << index << " " << HandleString(handle) << ":\n";
  sstable::BlockIter it(block->get(), engine::InternalKeyTableComparator()->compare);
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    memtable::ParsedInternalKey parsed;
    const bool put =
        memtable::ParseInternalKey(it.key(), &parsed) && parsed.kind == memtable::EntryKind::kPut;
    if (put) schemas->Learn(parsed.user_key, it.value());
    out << "  " << RenderInternalKey(it.key(), *schemas);
    if (put && options.values) out << " => " << RenderValue(parsed.user_key, it.value());
    out << "\n";
    ++*entries;
  }
  if (!it.status().ok()) {
    Status s = sstable::TableCorruption(table.file_name(), handle.offset, it.status().message());
    out << "  DAMAGED " << s.ToString() << "\n";
    return s;
  }
  return Status::OK();
}

}  // namespace

Status DumpTable(const std::string& path, uint64_t number, const DumpOptions& options,
                 TableSchemas* schemas, std::ostream& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<sstable::RandomAccessFile> file,
                   sstable::NewPosixRandomAccessFile(path));
  ASSIGN_OR_RETURN(uint64_t size, file->Size());
  out << "SSTable " << path << ": " << size << " bytes\n";
  PrintFooter(*file, size, out);
  Result<std::unique_ptr<sstable::TableReader>> opened = sstable::TableReader::Open(
      engine::EngineTableOptions(nullptr), std::move(file), size, number);
  if (!opened.ok()) {
    out << "DAMAGED " << opened.status().ToString() << "\n";
    return opened.status();
  }
  const sstable::TableReader& table = **opened;
  PrintProperties(table, *schemas, out);

  // The index (verified when the table was opened): one handle per data block.
  std::vector<sstable::BlockHandle> handles;
  Status first_error;
  sstable::BlockIter index(table.index_block(), engine::InternalKeyTableComparator()->compare);
  out << "index @" << table.index_offset() << ":\n";
  for (index.SeekToFirst(); index.Valid(); index.Next()) {
    std::string_view value = index.value();
    sstable::BlockHandle handle;
    if (!handle.DecodeFrom(&value)) {
      KeepFirstError(&first_error, sstable::TableCorruption(table.file_name(), table.index_offset(),
                                                            "bad block handle in the index"));
      break;
    }
    out << "  block " << handles.size() << " " << HandleString(handle)
        << " last key <= " << RenderInternalKey(index.key(), *schemas) << "\n";
    handles.push_back(handle);
  }
  if (!index.status().ok()) {
    KeepFirstError(&first_error, sstable::TableCorruption(table.file_name(), table.index_offset(),
                                                          index.status().message()));
  }
  if (!first_error.ok()) out << "  DAMAGED " << first_error.ToString() << "\n";

  uint64_t entries = 0;
  int damaged = 0;
  for (size_t i = 0; i < handles.size(); i++) {
    Status s =
        PrintDataBlock(table, static_cast<int>(i), handles[i], options, schemas, &entries, out);
    if (!s.ok()) damaged++;
    KeepFirstError(&first_error, s);
  }
  if (first_error.ok() && entries != table.properties().num_entries) {
    first_error = sstable::TableCorruption(table.file_name(), 0,
                                           "the data blocks hold " + std::to_string(entries) +
                                               " entries, the properties say " +
                                               std::to_string(table.properties().num_entries));
  }
  out << "summary: " << entries << " entries in " << handles.size() << " data blocks, ";
  if (first_error.ok()) {
    out << "every block checksum verified\n";
  } else {
    out << damaged << " damaged blocks; first damage: " << first_error.ToString() << "\n";
  }
  return first_error;
}

}  // namespace strata::tools
