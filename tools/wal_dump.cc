#include <string>
#include <utility>

#include "tools/file_dumpers.h"
#include "util/escape.h"
#include "wal/file_util.h"
#include "wal/record.h"
#include "wal/segment_header.h"

namespace strata::tools {
namespace {

std::string FlagNames(uint8_t flags) {
  static constexpr std::pair<uint8_t, const char*> kNames[] = {
      {wal::kFlagStreamEvents, "STREAM_EVENTS"},
      {wal::kFlagIdempotency, "IDEMPOTENCY"},
      {wal::kFlagTransaction, "TXN"},
      {wal::kFlagTtlDelete, "TTL_DELETE"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) {
      out += out.empty() ? "" : "|";
      out += name;
      flags &= ~bit;
    }
  }
  if (flags != 0) out += (out.empty() ? "" : "|") + std::to_string(flags);
  return out.empty() ? "none" : out;
}

// What one segment holds, for the summary.
struct WalTotals {
  uint64_t records = 0;
  uint64_t ops = 0;
  uint64_t bytes = 0;
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
};

Status PrintHeader(std::string_view payload, std::ostream& out) {
  wal::SegmentHeader header;
  RETURN_IF_ERROR(wal::DecodeSegmentHeader(payload, &header));
  out << "header @0: format " << header.format_version << ", segment " << header.segment_number
      << ", created " << FormatMicros(header.creation_time_us) << ", first_seq " << header.first_seq
      << ", previous segment "
      << (header.prev_tail == wal::kPrevSealed
              ? std::string("sealed")
              : "recovered, valid data ends at offset " + std::to_string(header.prev_tail))
      << "\n";
  return Status::OK();
}

Status PrintRecord(uint64_t offset, std::string_view payload, const DumpOptions& options,
                   TableSchemas* schemas, WalTotals* totals, std::ostream& out) {
  wal::Record record;
  if (Status s = wal::DecodeRecord(payload, &record); !s.ok()) {
    out << "record @" << offset << ": " << s.ToString() << "\n";
    return Status::Corruption("record at offset " + std::to_string(offset) + ": " +
                              std::string(s.message()));
  }
  out << "record @" << offset << ": ";
  if (record.op_count == 0) {
    out << "next seq " << record.first_seq;
  } else {
    out << "seq " << record.first_seq;
    if (record.op_count > 1) out << ".." << record.last_seq();
  }
  out << ", commit " << FormatMicros(record.commit_time_us) << ", " << record.op_count
      << " ops, flags " << FlagNames(record.flags) << ", " << payload.size() << " bytes\n";
  uint64_t seq = record.first_seq;
  RETURN_IF_ERROR(
      wal::ForEachOp(record.ops, record.op_count,
                     [&](wal::OpKind kind, std::string_view key, std::string_view value) {
                       if (kind == wal::OpKind::kPut) schemas->Learn(key, value);
                       out << "  @" << seq++ << (kind == wal::OpKind::kPut ? " PUT " : " DEL ")
                           << RenderUserKey(key, *schemas);
                       if (kind == wal::OpKind::kPut && options.values)
                         out << " => " << RenderValue(key, value);
                       out << "\n";
                     }));
  if (record.flags & wal::kFlagIdempotency) {
    out << "  section IDEMPOTENCY: " << record.idempotency.size() << " bytes "
        << HexBytes(record.idempotency) << "\n";
  }
  if (record.flags & wal::kFlagStreamEvents) {
    out << "  section STREAM_EVENTS: " << record.stream_events.size() << " bytes "
        << HexBytes(record.stream_events) << "\n";
  }
  totals->records++;
  totals->bytes += payload.size();
  if (record.op_count > 0) {
    if (totals->ops == 0) totals->first_seq = record.first_seq;
    totals->last_seq = record.last_seq();
  }
  totals->ops += record.op_count;
  return Status::OK();
}

}  // namespace

Status DumpWalSegment(const std::string& path, uint64_t number, const DumpOptions& options,
                      TableSchemas* schemas, std::ostream& out) {
  std::string data;
  RETURN_IF_ERROR(wal::ReadWholeFile(path, &data));
  out << "WAL segment " << path << ": " << data.size() << " bytes\n";
  WalTotals totals;
  bool first = true;
  Status s = WalkLog(data, number, options.chunks, out,
                     [&](uint64_t offset, std::string_view payload) -> Status {
                       if (!std::exchange(first, false)) {
                         return PrintRecord(offset, payload, options, schemas, &totals, out);
                       }
                       Status header = PrintHeader(payload, out);
                       if (!header.ok()) out << "header @0: " << header.ToString() << "\n";
                       return header;
                     });
  out << "summary: " << totals.records << " records, " << totals.ops << " ops, " << totals.bytes
      << " record bytes";
  if (totals.ops > 0) out << ", seq " << totals.first_seq << ".." << totals.last_seq;
  out << "\n";
  return s;
}

}  // namespace strata::tools
