#include "wal/record.h"

#include <string>

#include "util/coding.h"
#include "util/result.h"
#include "wal/format.h"

namespace strata::wal {

namespace {

// Consumes `count` ops from the front of *in, calling fn (when set) for each one.
Status ConsumeOps(std::string_view* in, uint32_t count, const OpFunction* fn) {
  // Each op takes at least two bytes (kind + empty key length): reject absurd counts early.
  if (count > in->size() / 2) {
    return Status::Corruption("WAL record: op count " + std::to_string(count) +
                              " exceeds the record size");
  }
  for (uint32_t i = 0; i < count; i++) {
    if (in->empty()) return Status::Corruption("WAL record: truncated op");
    const uint8_t kind = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    std::string_view key;
    std::string_view value;
    if (!GetLengthPrefixed(in, &key)) return Status::Corruption("WAL record: bad op key");
    if (kind == static_cast<uint8_t>(OpKind::kPut)) {
      if (!GetLengthPrefixed(in, &value)) return Status::Corruption("WAL record: bad op value");
    } else if (kind != static_cast<uint8_t>(OpKind::kDelete)) {
      return Status::Corruption("WAL record: unknown op kind " + std::to_string(kind));
    }
    if (fn != nullptr) (*fn)(static_cast<OpKind>(kind), key, value);
  }
  return Status::OK();
}

void PutSection(std::string* dst, uint8_t id, std::string_view body) {
  dst->push_back(static_cast<char>(id));
  PutLengthPrefixed(dst, body);
}

}  // namespace

void Record::AddPut(std::string_view key, std::string_view value) {
  ops.push_back(static_cast<char>(OpKind::kPut));
  PutLengthPrefixed(&ops, key);
  PutLengthPrefixed(&ops, value);
  op_count++;
}

void Record::AddDelete(std::string_view key) {
  ops.push_back(static_cast<char>(OpKind::kDelete));
  PutLengthPrefixed(&ops, key);
  op_count++;
}

void Record::SetOps(std::string_view encoded_ops, uint32_t count) {
  ops.assign(encoded_ops);
  op_count = count;
}

void Record::SetStreamEvents(std::string_view body) {
  stream_events.assign(body);
  flags |= kFlagStreamEvents;
}

void Record::SetIdempotency(std::string_view body) {
  idempotency.assign(body);
  flags |= kFlagIdempotency;
}

size_t EncodedRecordSize(const Record& record) {
  size_t n = kRecordFixedSize + record.ops.size();
  if (record.flags & kFlagStreamEvents) {
    n += 1 + VarintLength(record.stream_events.size()) + record.stream_events.size();
  }
  if (record.flags & kFlagIdempotency) {
    n += 1 + VarintLength(record.idempotency.size()) + record.idempotency.size();
  }
  return n;
}

void EncodeRecord(const Record& record, std::string* dst) {
  dst->reserve(dst->size() + EncodedRecordSize(record));
  PutFixed64(dst, record.first_seq);
  PutFixed32(dst, record.op_count);
  PutFixed64(dst, record.commit_time_us);
  dst->push_back(static_cast<char>(record.flags));
  dst->append(record.ops);
  if (record.flags & kFlagStreamEvents) {
    PutSection(dst, kSectionStreamEvents, record.stream_events);
  }
  if (record.flags & kFlagIdempotency) PutSection(dst, kSectionIdempotency, record.idempotency);
}

void PatchRecordHeader(char* encoded, uint64_t first_seq, uint64_t commit_time_us) {
  EncodeFixed64(encoded + kRecordSeqOffset, first_seq);
  EncodeFixed64(encoded + kRecordCommitTimeOffset, commit_time_us);
}

Status DecodeRecord(std::string_view input, Record* record) {
  if (input.size() < kRecordFixedSize) {
    return Status::Corruption("WAL record: " + std::to_string(input.size()) +
                              " bytes is shorter than the record header");
  }
  Record r;
  r.first_seq = DecodeFixed64(input.data());
  r.op_count = DecodeFixed32(input.data() + 8);
  r.commit_time_us = DecodeFixed64(input.data() + 12);
  r.flags = static_cast<uint8_t>(input[20]);
  input.remove_prefix(kRecordFixedSize);
  if (r.first_seq > kMaxSeq || kMaxSeq - r.first_seq < r.op_count) {
    return Status::Corruption("WAL record: sequence number out of range");
  }

  const std::string_view ops_start = input;
  RETURN_IF_ERROR(ConsumeOps(&input, r.op_count, nullptr));
  r.ops.assign(ops_start.data(), ops_start.size() - input.size());

  int last_id = 0;
  uint8_t sections_seen = 0;
  while (!input.empty()) {
    const uint8_t id = static_cast<uint8_t>(input[0]);
    input.remove_prefix(1);
    std::string_view body;
    if (!GetLengthPrefixed(&input, &body)) {
      return Status::Corruption("WAL record: truncated section " + std::to_string(id));
    }
    if (id <= last_id) return Status::Corruption("WAL record: sections out of order");
    last_id = id;
    if (id == kSectionStreamEvents) {
      if (!(r.flags & kFlagStreamEvents)) {
        return Status::Corruption("WAL record: STREAM_EVENTS section without its flag");
      }
      r.stream_events.assign(body);
      sections_seen |= kFlagStreamEvents;
    } else if (id == kSectionIdempotency) {
      if (!(r.flags & kFlagIdempotency)) {
        return Status::Corruption("WAL record: IDEMPOTENCY section without its flag");
      }
      r.idempotency.assign(body);
      sections_seen |= kFlagIdempotency;
    }
    // Unknown ids: skipped.
  }
  const uint8_t gated = r.flags & (kFlagStreamEvents | kFlagIdempotency);
  if (sections_seen != gated) return Status::Corruption("WAL record: flagged section missing");
  *record = std::move(r);
  return Status::OK();
}

Status ForEachOp(std::string_view ops, uint32_t count, const OpFunction& fn) {
  RETURN_IF_ERROR(ConsumeOps(&ops, count, &fn));
  if (!ops.empty()) return Status::Corruption("WAL record: bytes after the last op");
  return Status::OK();
}

}  // namespace strata::wal
