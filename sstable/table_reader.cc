#include "sstable/table_reader.h"

#include "sstable/block_cache.h"
#include "sstable/comparator.h"

namespace strata::sstable {

// TableIterator: a two-level iterator over the index block and the data blocks it points to.
// It stops at the first error (status() says why) instead of skipping a bad block.
class TableIterator final : public Iterator {
 public:
  TableIterator(const TableReader* table, const ReadOptions& options,
                std::shared_ptr<const TableReader> owner)
      : table_(table),
        options_(options),
        owner_(std::move(owner)),
        compare_(table->options().comparator->compare),
        index_iter_(table->index_block(), compare_) {}

  bool Valid() const override { return data_block_ != nullptr && data_iter_.Valid(); }
  Status status() const override { return status_; }
  std::string_view key() const override { return data_iter_.key(); }
  std::string_view value() const override { return data_iter_.value(); }

  void Seek(std::string_view target) override {
    if (!status_.ok()) return;
    index_iter_.Seek(target);
    InitDataBlock();
    if (data_block_) data_iter_.Seek(target);
    SkipEmptyDataBlocksForward();
  }
  void SeekToFirst() override {
    if (!status_.ok()) return;
    index_iter_.SeekToFirst();
    InitDataBlock();
    if (data_block_) data_iter_.SeekToFirst();
    SkipEmptyDataBlocksForward();
  }
  void SeekToLast() override {
    if (!status_.ok()) return;
    index_iter_.SeekToLast();
    InitDataBlock();
    if (data_block_) data_iter_.SeekToLast();
    SkipEmptyDataBlocksBackward();
  }
  void Next() override {
    if (!Valid()) return;
    data_iter_.Next();
    SkipEmptyDataBlocksForward();
  }
  void Prev() override {
    if (!Valid()) return;
    data_iter_.Prev();
    SkipEmptyDataBlocksBackward();
  }

 private:
  void SetError(Status s) {
    status_ = std::move(s);
    data_block_.reset();
  }

  // Loads the block the index iterator points at, or clears the data iterator.
  void InitDataBlock() {
    if (!index_iter_.Valid()) {
      data_block_.reset();
      if (!index_iter_.status().ok()) {
        SetError(TableCorruption(table_->file_name(), table_->index_offset(),
                                 "index block: " + std::string(index_iter_.status().message())));
      }
      return;
    }
    BlockHandle handle;
    std::string_view encoded = index_iter_.value();
    if (!handle.DecodeFrom(&encoded)) {
      SetError(TableCorruption(table_->file_name(), table_->index_offset(),
                               "bad block handle in index"));
      return;
    }
    if (data_block_ != nullptr && handle.offset == block_offset_) return;
    Result<std::shared_ptr<const Block>> block = table_->ReadDataBlock(handle, options_);
    if (!block.ok()) {
      SetError(block.status());
      return;
    }
    data_block_ = std::move(block).value();
    block_offset_ = handle.offset;
    data_iter_.Init(data_block_.get(), compare_);
  }

  bool CheckDataIter() {
    if (data_iter_.status().ok()) return true;
    SetError(TableCorruption(table_->file_name(), block_offset_, data_iter_.status().message()));
    return false;
  }

  void SkipEmptyDataBlocksForward() {
    while (status_.ok() && data_block_ != nullptr && !data_iter_.Valid()) {
      if (!CheckDataIter()) return;
      index_iter_.Next();
      InitDataBlock();
      if (data_block_) data_iter_.SeekToFirst();
    }
    if (status_.ok() && data_block_ != nullptr) CheckDataIter();
  }

  void SkipEmptyDataBlocksBackward() {
    while (status_.ok() && data_block_ != nullptr && !data_iter_.Valid()) {
      if (!CheckDataIter()) return;
      index_iter_.Prev();
      InitDataBlock();
      if (data_block_) data_iter_.SeekToLast();
    }
    if (status_.ok() && data_block_ != nullptr) CheckDataIter();
  }

  const TableReader* const table_;
  const ReadOptions options_;
  const std::shared_ptr<const TableReader> owner_;  // may be null
  const CompareFn compare_;
  BlockIter index_iter_;
  std::shared_ptr<const Block> data_block_;
  uint64_t block_offset_ = 0;
  BlockIter data_iter_;
  Status status_;
};

TableReader::TableReader(TableOptions options, std::unique_ptr<RandomAccessFile> file,
                         uint64_t file_size, uint64_t file_number)
    : options_(std::move(options)),
      file_(std::move(file)),
      file_size_(file_size),
      file_number_(file_number) {}

Result<std::unique_ptr<TableReader>> TableReader::Open(TableOptions options,
                                                       std::unique_ptr<RandomAccessFile> file,
                                                       uint64_t file_size, uint64_t file_number) {
  std::unique_ptr<TableReader> table(
      new TableReader(std::move(options), std::move(file), file_size, file_number));
  RETURN_IF_ERROR(table->Init());
  return table;
}

Result<std::unique_ptr<TableReader>> TableReader::OpenFile(TableOptions options,
                                                           const std::string& path,
                                                           uint64_t file_number) {
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, NewPosixRandomAccessFile(path));
  ASSIGN_OR_RETURN(uint64_t size, file->Size());
  return Open(std::move(options), std::move(file), size, file_number);
}

Status TableReader::Init() {
  const std::string_view name = file_->Name();
  if (file_size_ < kFooterSize) {
    return TableCorruption(name, 0,
                           "file too short (" + std::to_string(file_size_) + " bytes) for a table");
  }
  data_end_ = file_size_ - kFooterSize;
  char footer_space[kFooterSize];
  std::string_view footer_input;
  RETURN_IF_ERROR(file_->Read(data_end_, kFooterSize, footer_space, &footer_input));
  RETURN_IF_ERROR(footer_.DecodeFrom(footer_input, data_end_, name));

  ASSIGN_OR_RETURN(std::string index_contents, ReadBlockContents(*file_, footer_.index, data_end_));
  index_block_ = Block::Parse(std::move(index_contents));
  if (index_block_ == nullptr) {
    return TableCorruption(name, footer_.index.offset, "bad index block restart array");
  }

  ASSIGN_OR_RETURN(std::string meta_contents,
                   ReadBlockContents(*file_, footer_.metaindex, data_end_));
  std::shared_ptr<const Block> metaindex = Block::Parse(std::move(meta_contents));
  if (metaindex == nullptr) {
    return TableCorruption(name, footer_.metaindex.offset, "bad metaindex block");
  }
  BlockHandle filter_handle, properties_handle;
  bool found_filter = false, found_properties = false;
  BlockIter meta(metaindex.get(), &BytewiseCompare);
  for (meta.SeekToFirst(); meta.Valid(); meta.Next()) {
    std::string_view value = meta.value();
    BlockHandle* handle = nullptr;
    if (meta.key() == "filter") {
      handle = &filter_handle;
      found_filter = true;
    } else if (meta.key() == "properties") {
      handle = &properties_handle;
      found_properties = true;
    } else {
      continue;  // a meta block this version does not know
    }
    if (!handle->DecodeFrom(&value)) {
      return TableCorruption(name, footer_.metaindex.offset, "bad handle in metaindex");
    }
  }
  if (!meta.status().ok()) {
    return TableCorruption(name, footer_.metaindex.offset, meta.status().message());
  }
  if (!found_properties) {
    return TableCorruption(name, footer_.metaindex.offset, "no properties block");
  }

  ASSIGN_OR_RETURN(std::string props_contents,
                   ReadBlockContents(*file_, properties_handle, data_end_));
  std::shared_ptr<const Block> props_block = Block::Parse(std::move(props_contents));
  if (props_block == nullptr) {
    return TableCorruption(name, properties_handle.offset, "bad properties block");
  }
  if (Status s = DecodeProperties(*props_block, &properties_); !s.ok()) {
    return TableCorruption(name, properties_handle.offset, s.message());
  }
  if (properties_.comparator_name != options_.comparator->name) {
    return Status::InvalidArgument("sstable " + std::string(name) + " was built with comparator " +
                                   properties_.comparator_name + ", not " +
                                   options_.comparator->name);
  }

  if (found_filter && properties_.filter_key_name == options_.filter_key_name) {
    ASSIGN_OR_RETURN(filter_data_, ReadBlockContents(*file_, filter_handle, data_end_));
    filter_ = BloomFilterReader(filter_data_);
    has_filter_ = true;
  }
  return Status::OK();
}

Result<std::shared_ptr<const Block>> TableReader::ReadDataBlock(const BlockHandle& handle,
                                                                const ReadOptions& options) const {
  BlockCache* cache = options_.block_cache.get();
  if (cache != nullptr) {
    if (std::shared_ptr<const Block> block = cache->Lookup(file_number_, handle.offset)) {
      return block;
    }
  }
  ASSIGN_OR_RETURN(std::string contents, ReadBlockContents(*file_, handle, data_end_));
  std::shared_ptr<const Block> block = Block::Parse(std::move(contents));
  if (block == nullptr)
    return TableCorruption(file_->Name(), handle.offset, "bad block restart array");
  if (cache != nullptr && options.fill_cache)
    block = cache->Insert(file_number_, handle.offset, block);
  return block;
}

Status TableReader::Get(const ReadOptions& options, std::string_view key, GetResult* result) const {
  result->found = false;
  TableIterator it(this, options, nullptr);
  it.Seek(key);
  if (!it.Valid()) return it.status();
  result->found = true;
  result->key.assign(it.key());
  result->value.assign(it.value());
  return Status::OK();
}

std::unique_ptr<Iterator> TableReader::NewIterator(const ReadOptions& options) const {
  return std::make_unique<TableIterator>(this, options, nullptr);
}

std::unique_ptr<Iterator> NewTableIterator(std::shared_ptr<const TableReader> table,
                                           const ReadOptions& options) {
  const TableReader* raw = table.get();
  return std::make_unique<TableIterator>(raw, options, std::move(table));
}

bool TableReader::MayContainPrefix(std::string_view filter_key) const {
  return !has_filter_ || filter_.MayContain(filter_key);
}

bool TableReader::KeyMayMatch(std::string_view key) const {
  if (!has_filter_) return true;
  return filter_.MayContain(options_.filter_key_extractor ? options_.filter_key_extractor(key)
                                                          : key);
}

uint64_t TableReader::ApproximateOffsetOf(std::string_view key) const {
  BlockIter it(index_block_.get(), options_.comparator->compare);
  it.Seek(key);
  if (it.Valid()) {
    BlockHandle handle;
    std::string_view encoded = it.value();
    if (handle.DecodeFrom(&encoded)) return handle.offset;
  }
  // Past the last key (or a bad index): the end of the data blocks is near the metaindex.
  return footer_.metaindex.offset;
}

}  // namespace strata::sstable
