#include <memory>
#include <string>

#include "engine/version_edit.h"
#include "engine/version_set.h"
#include "tools/file_dumpers.h"
#include "wal/file_util.h"

namespace strata::tools {
namespace {

void PrintFile(const engine::FileMetaData& f, const TableSchemas& schemas, std::ostream& out) {
  out << "#" << f.number << " " << f.file_size << " bytes, seq " << f.smallest_seq << ".."
      << f.largest_seq << "\n      smallest " << RenderInternalKey(f.smallest, schemas)
      << "\n      largest  " << RenderInternalKey(f.largest, schemas) << "\n";
}

void PrintEdit(uint64_t offset, const engine::VersionEdit& edit, const TableSchemas& schemas,
               std::ostream& out) {
  out << "edit @" << offset << ":\n";
  if (edit.has_comparator()) out << "  comparator " << edit.comparator() << "\n";
  if (edit.has_log_number()) out << "  log_number " << edit.log_number() << "\n";
  if (edit.has_next_file_number()) out << "  next_file_number " << edit.next_file_number() << "\n";
  if (edit.has_last_sequence()) out << "  last_sequence " << edit.last_sequence() << "\n";
  if (edit.has_pitr_horizon_seq()) out << "  pitr_horizon_seq " << edit.pitr_horizon_seq() << "\n";
  for (uint32_t id : edit.dropped_table_ids()) out << "  dropped_table_id " << id << "\n";
  for (const auto& [level, number] : edit.deleted_files()) {
    out << "  delete L" << level << " #" << number << "\n";
  }
  for (const auto& [level, f] : edit.new_files()) {
    out << "  add L" << level << " ";
    PrintFile(f, schemas, out);
  }
}

// Replays the edits of one MANIFEST as VersionSet::Recover does (engine::ApplyEdit), printing
// each. Thread-safety: none. Lifecycle: schemas and out must outlive it.
class ManifestReplay {
 public:
  ManifestReplay(const TableSchemas& schemas, std::ostream& out) : schemas_(schemas), out_(out) {}

  Status Apply(uint64_t offset, std::string_view payload) {
    engine::VersionEdit edit;
    if (Status s = edit.DecodeFrom(payload); !s.ok()) return Damaged(offset, "", s);
    PrintEdit(offset, edit, schemas_, out_);
    if (edit.has_comparator()) comparator_ = edit.comparator();
    if (edit.has_log_number()) log_number_ = edit.log_number();
    if (edit.has_next_file_number()) next_file_number_ = edit.next_file_number();
    if (edit.has_last_sequence()) last_sequence_ = edit.last_sequence();
    edits_++;
    Result<std::shared_ptr<const engine::Version>> next =
        engine::ApplyEdit(*version_, edit, next_file_number_);
    if (!next.ok()) return Damaged(offset, "  does not apply: ", next.status());
    version_ = std::move(next).value();
    return Status::OK();
  }

  void PrintVersion() const {
    const engine::Version& v = *version_;
    out_ << "version after " << edits_ << " edits: comparator " << comparator_ << ", log_number "
         << log_number_ << ", next_file_number " << next_file_number_ << ", last_sequence "
         << last_sequence_ << ", pitr_horizon_seq " << v.pitr_horizon_seq() << "\n";
    for (int level = 0; level < engine::kNumLevels; level++) {
      out_ << "  L" << level << ": " << v.NumFiles(level) << " files, " << v.LevelBytes(level)
           << " bytes\n";
      for (const engine::FileRef& f : v.files(level)) {
        out_ << "    ";
        PrintFile(*f, schemas_, out_);
      }
    }
    if (!v.dropped_table_ids().empty()) {
      out_ << "  dropped table ids:";
      for (uint32_t id : v.dropped_table_ids()) out_ << " " << id;
      out_ << "\n";
    }
  }

 private:
  Status Damaged(uint64_t offset, std::string_view prefix, const Status& s) {
    out_ << (prefix.empty() ? "edit @" + std::to_string(offset) + ": " : std::string(prefix))
         << s.ToString() << "\n";
    return Status::Corruption("edit at offset " + std::to_string(offset) + ": " +
                              std::string(s.message()));
  }

  const TableSchemas& schemas_;
  std::ostream& out_;
  std::shared_ptr<const engine::Version> version_ = std::make_shared<const engine::Version>();
  std::string comparator_;
  uint64_t log_number_ = 0;
  uint64_t next_file_number_ = 0;
  uint64_t last_sequence_ = 0;
  uint64_t edits_ = 0;
};

}  // namespace

Status DumpManifest(const std::string& path, uint64_t number, const DumpOptions& options,
                    TableSchemas* schemas, std::ostream& out) {
  std::string data;
  RETURN_IF_ERROR(wal::ReadWholeFile(path, &data));
  out << "MANIFEST " << path << ": " << data.size() << " bytes\n";
  ManifestReplay replay(*schemas, out);
  Status s = WalkLog(
      data, number, options.chunks, out,
      [&](uint64_t offset, std::string_view payload) { return replay.Apply(offset, payload); });
  replay.PrintVersion();
  return s;
}

}  // namespace strata::tools
