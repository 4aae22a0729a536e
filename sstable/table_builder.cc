#include "sstable/table_builder.h"

#include <algorithm>

#include "util/coding.h"

namespace strata::sstable {

TableBuilder::TableBuilder(TableOptions options, WritableFile* file)
    : options_(std::move(options)),
      file_(file),
      data_block_(options_.block_restart_interval),
      index_block_(1) {
  if (options_.filter_bits_per_key > 0) {
    filter_ = std::make_unique<BloomFilterBuilder>(options_.filter_bits_per_key);
  }
  if (options_.compression == CompressionType::kZlib) {
    compressor_ = std::make_unique<ZlibCompressor>(options_.zlib_level);
  }
  props_.format_version = kFormatVersion;
  props_.comparator_name = options_.comparator->name;
  if (filter_) props_.filter_key_name = options_.filter_key_name;
}

uint64_t TableBuilder::FileSize() const {
  return finished_ ? offset_ : offset_ + data_block_.CurrentSizeEstimate();
}

Status TableBuilder::Add(std::string_view key, std::string_view value) {
  RETURN_IF_ERROR(status_);
  if (finished_) return Fail(Status::InvalidArgument("TableBuilder::Add after Finish"));
  if (props_.num_entries > 0 && options_.comparator->compare(key, last_key_) <= 0) {
    return Status::InvalidArgument("TableBuilder::Add: keys must be strictly increasing");
  }
  if (pending_index_entry_) {
    if (options_.comparator->find_shortest_separator != nullptr) {
      options_.comparator->find_shortest_separator(&last_key_, key);
    }
    scratch_.clear();
    pending_handle_.EncodeTo(&scratch_);
    index_block_.Add(last_key_, scratch_);
    pending_index_entry_ = false;
  }
  if (filter_) {
    filter_->AddKey(options_.filter_key_extractor ? options_.filter_key_extractor(key) : key);
  }
  if (props_.num_entries == 0) props_.smallest_key.assign(key);
  last_key_.assign(key);
  props_.num_entries++;
  props_.raw_key_size += key.size();
  props_.raw_value_size += value.size();
  data_block_.Add(key, value);
  if (data_block_.CurrentSizeEstimate() >= options_.block_size) return FlushDataBlock();
  return Status::OK();
}

void TableBuilder::NoteSequence(uint64_t seq, uint64_t commit_time_us) {
  if (!props_.has_sequence_range) {
    props_.has_sequence_range = true;
    props_.min_sequence = props_.max_sequence = seq;
    props_.min_commit_time_us = props_.max_commit_time_us = commit_time_us;
    return;
  }
  props_.min_sequence = std::min(props_.min_sequence, seq);
  props_.max_sequence = std::max(props_.max_sequence, seq);
  props_.min_commit_time_us = std::min(props_.min_commit_time_us, commit_time_us);
  props_.max_commit_time_us = std::max(props_.max_commit_time_us, commit_time_us);
}

void TableBuilder::SetUserProperty(std::string name, std::string value) {
  props_.user_properties[std::move(name)] = std::move(value);
}

Status TableBuilder::FlushDataBlock() {
  if (data_block_.empty()) return Status::OK();
  std::string_view raw = data_block_.Finish();
  props_.raw_data_size += raw.size();
  const uint64_t start = offset_;
  Status s = WriteBlock(raw, true, &pending_handle_);
  data_block_.Reset();
  RETURN_IF_ERROR(s);
  props_.data_size += offset_ - start;
  props_.num_data_blocks++;
  pending_index_entry_ = true;
  return Status::OK();
}

void TableBuilder::PrepareBlock(std::string_view raw, bool allow_compression, std::string* out,
                                size_t* contents_size) {
  CompressionType type = CompressionType::kNone;
  std::string_view contents = raw;
  if (allow_compression && compressor_ && compressor_->Compress(raw, &compressed_) &&
      compressed_.size() <= raw.size() - raw.size() / 8) {
    type = CompressionType::kZlib;
    contents = compressed_;
  }
  out->assign(contents);
  out->push_back(static_cast<char>(type));
  *contents_size = contents.size();
}

Status TableBuilder::EmitBlock(std::string& prepared, size_t contents_size, BlockHandle* handle) {
  handle->offset = offset_;
  handle->size = contents_size;
  PutFixed32(&prepared, BlockChecksum(prepared, offset_));
  Status s = file_->Append(prepared);
  if (!s.ok()) return Fail(s);
  offset_ += prepared.size();
  return Status::OK();
}

Status TableBuilder::WriteBlock(std::string_view raw, bool allow_compression, BlockHandle* handle) {
  std::string prepared;
  size_t contents_size;
  PrepareBlock(raw, allow_compression, &prepared, &contents_size);
  return EmitBlock(prepared, contents_size, handle);
}

Status TableBuilder::Finish() {
  RETURN_IF_ERROR(status_);
  if (finished_) return Status::InvalidArgument("TableBuilder::Finish called twice");
  RETURN_IF_ERROR(FlushDataBlock());
  finished_ = true;

  if (props_.num_entries > 0) props_.largest_key = last_key_;
  // The index is prepared first so the properties can state its size.
  if (pending_index_entry_) {
    if (options_.comparator->find_short_successor != nullptr) {
      options_.comparator->find_short_successor(&last_key_);
    }
    scratch_.clear();
    pending_handle_.EncodeTo(&scratch_);
    index_block_.Add(last_key_, scratch_);
    pending_index_entry_ = false;
  }
  std::string index_prepared;
  size_t index_contents_size;
  PrepareBlock(index_block_.Finish(), true, &index_prepared, &index_contents_size);
  props_.index_size = index_prepared.size() + sizeof(uint32_t);

  BlockBuilder metaindex(1);
  std::string handle_encoding;
  if (filter_) {
    props_.num_filter_keys = filter_->num_keys();
    std::string filter = filter_->Finish();
    BlockHandle filter_handle;
    RETURN_IF_ERROR(WriteBlock(filter, false, &filter_handle));
    props_.filter_size = filter_handle.size + kBlockTrailerSize;
    filter_handle.EncodeTo(&handle_encoding);
    metaindex.Add("filter", handle_encoding);  // "filter" < "properties": byte-wise order
  }
  BlockHandle properties_handle;
  RETURN_IF_ERROR(WriteBlock(EncodeProperties(props_), false, &properties_handle));
  handle_encoding.clear();
  properties_handle.EncodeTo(&handle_encoding);
  metaindex.Add("properties", handle_encoding);

  Footer footer;
  RETURN_IF_ERROR(WriteBlock(metaindex.Finish(), false, &footer.metaindex));
  RETURN_IF_ERROR(EmitBlock(index_prepared, index_contents_size, &footer.index));
  std::string footer_bytes;
  footer.EncodeTo(&footer_bytes, offset_);
  if (Status s = file_->Append(footer_bytes); !s.ok()) return Fail(s);
  offset_ += footer_bytes.size();
  if (Status s = file_->Sync(); !s.ok()) return Fail(s);
  if (Status s = file_->Close(); !s.ok()) return Fail(s);
  return Status::OK();
}

}  // namespace strata::sstable
