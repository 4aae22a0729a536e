#include "tools/dump.h"

#include <filesystem>
#include <string>

#include "engine/file_names.h"
#include "tools/file_dumpers.h"
#include "wal/file_util.h"

namespace strata::tools {

Result<DumpKind> ParseDumpKind(std::string_view name) {
  if (name == "wal") return DumpKind::kWal;
  if (name == "sst") return DumpKind::kSst;
  if (name == "manifest") return DumpKind::kManifest;
  if (name == "current") return DumpKind::kCurrent;
  return Status::InvalidArgument("unknown kind '" + std::string(name) +
                                 "' (expected wal, sst, manifest or current)");
}

Status DumpCurrent(const std::string& path, std::ostream& out) {
  std::string contents;
  RETURN_IF_ERROR(wal::ReadWholeFile(path, &contents));
  uint64_t number = 0;
  engine::FileType type;
  const std::string name = contents.empty() ? "" : contents.substr(0, contents.size() - 1);
  if (contents.empty() || contents.back() != '\n' || !engine::ParseFileName(name, &number, &type) ||
      type != engine::FileType::kManifest) {
    out << "CURRENT " << path << ": malformed (" << contents.size() << " bytes)\n";
    return Status::Corruption(path + ": CURRENT does not hold \"MANIFEST-<digits>\\n\"");
  }
  const std::filesystem::path manifest =
      std::filesystem::path(path).parent_path() / engine::ManifestBaseName(number);
  std::error_code ec;
  const bool exists = std::filesystem::exists(manifest, ec);
  out << "CURRENT " << path << ": names " << name << " (" << (exists ? "present" : "MISSING")
      << ")\n";
  return Status::OK();
}

Status DumpFile(const std::string& path, const DumpOptions& options, std::ostream& out) {
  uint64_t number = 0;
  engine::FileType type;
  const bool named =
      engine::ParseFileName(std::filesystem::path(path).filename().string(), &number, &type);
  DumpKind detected = DumpKind::kAuto;
  if (named) {
    switch (type) {
      case engine::FileType::kWalSegment:
      case engine::FileType::kWalSegmentTemp:
        detected = DumpKind::kWal;
        break;
      case engine::FileType::kTable:
        detected = DumpKind::kSst;
        break;
      case engine::FileType::kManifest:
        detected = DumpKind::kManifest;
        break;
      case engine::FileType::kCurrent:
      case engine::FileType::kTemp:  // the next CURRENT before its rename
        detected = DumpKind::kCurrent;
        break;
      case engine::FileType::kLock:
        break;
    }
  }
  const DumpKind kind = options.kind == DumpKind::kAuto ? detected : options.kind;
  if (kind != detected) number = 0;  // the name's number is not this kind's
  TableSchemas local;
  TableSchemas* schemas = options.schemas != nullptr ? options.schemas : &local;
  switch (kind) {
    case DumpKind::kWal:
      return DumpWalSegment(path, number, options, schemas, out);
    case DumpKind::kSst:
      return DumpTable(path, number, options, schemas, out);
    case DumpKind::kManifest:
      return DumpManifest(path, number, options, schemas, out);
    case DumpKind::kCurrent:
      return DumpCurrent(path, out);
    case DumpKind::kAuto:
      break;
  }
  return Status::InvalidArgument(path +
                                 ": not a WAL segment, SSTable, MANIFEST or CURRENT by its name; "
                                 "use --kind wal|sst|manifest|current");
}

}  // namespace strata::tools
