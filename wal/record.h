#pragma once

// Logical WAL record: one writer's atomic batch. Grammar (little-endian, docs/formats/wal.md):
//
//   record   := u64 first_seq | u32 op_count | u64 commit_time_us | u8 flags |
//               op{op_count} | section*
//   op       := u8 kind | varstring key | [varstring value]        (value iff kind == PUT)
//   section  := u8 section_id | varint32 length | body[length]    (ids strictly ascending)
//   varstring:= varint32 length | bytes
//
// The ops use the layout of engine::WriteBatch::rep(), so a batch is copied in as is.
// Op i has sequence number first_seq + i. A known section is present iff its flag bit is set;
// sections with unknown ids are skipped by this reader (forward compatibility).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace strata::wal {

// Op kinds; the same values as engine::ValueKind. DO NOT CHANGE.
enum class OpKind : uint8_t { kDelete = 0, kPut = 1 };

// Record flags. DO NOT CHANGE.
inline constexpr uint8_t kFlagStreamEvents = 0x01;  // has a STREAM_EVENTS section
inline constexpr uint8_t kFlagIdempotency = 0x02;   // has an IDEMPOTENCY section
inline constexpr uint8_t kFlagTransaction = 0x04;   // written by a transaction
inline constexpr uint8_t kFlagTtlDelete = 0x08;     // deletes issued by the TTL sweeper

// Section ids. DO NOT CHANGE.
inline constexpr uint8_t kSectionStreamEvents = 1;
inline constexpr uint8_t kSectionIdempotency = 2;

// Fixed part of an encoded record, and the offsets the group commit leader patches after encoding.
inline constexpr size_t kRecordFixedSize = 8 + 4 + 8 + 1;
inline constexpr size_t kRecordSeqOffset = 0;
inline constexpr size_t kRecordCommitTimeOffset = 12;

// One logical record. A plain value: no thread-safety of its own.
struct Record {
  uint64_t first_seq = 0;
  uint32_t op_count = 0;
  uint64_t commit_time_us = 0;
  uint8_t flags = 0;
  std::string ops;            // op_count encoded ops
  std::string stream_events;  // STREAM_EVENTS body; meaningful iff flags & kFlagStreamEvents
  std::string idempotency;    // IDEMPOTENCY body; meaningful iff flags & kFlagIdempotency

  void AddPut(std::string_view key, std::string_view value);
  void AddDelete(std::string_view key);
  // Takes `count` ops already encoded in the op layout (e.g. a WriteBatch rep).
  void SetOps(std::string_view encoded_ops, uint32_t count);
  void SetStreamEvents(std::string_view body);
  void SetIdempotency(std::string_view body);

  // Sequence number of the last op; first_seq - 1 when there are no ops.
  uint64_t last_seq() const { return first_seq + op_count - 1; }
  // Sequence number after this record.
  uint64_t next_seq() const { return first_seq + op_count; }

  bool operator==(const Record& other) const = default;
};

// Appends the encoding of `record` to *dst.
void EncodeRecord(const Record& record, std::string* dst);
// Size EncodeRecord would append.
size_t EncodedRecordSize(const Record& record);
// Overwrites first_seq and commit_time_us of an encoded record.
// REQUIRES: encoded points at >= kRecordFixedSize bytes of an encoded record.
void PatchRecordHeader(char* encoded, uint64_t first_seq, uint64_t commit_time_us);

// Parses `input` (the whole record) into *record. Corruption on any malformed input, including
// trailing bytes, unknown op kinds, sections out of order and flag/section mismatches.
Status DecodeRecord(std::string_view input, Record* record);

// Calls fn(kind, key, value) for each of the `count` ops in `ops` (value empty for deletes).
// Corruption when `ops` does not hold exactly `count` well-formed ops.
using OpFunction = std::function<void(OpKind, std::string_view key, std::string_view value)>;
Status ForEachOp(std::string_view ops, uint32_t count, const OpFunction& fn);

}  // namespace strata::wal
