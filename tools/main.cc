// strata-dump: prints the contents of strata's on-disk files (tools/dump.h).
//
//   strata-dump [--kind wal|sst|manifest|current] [--chunks] [--no-values] <file>...
//
// Exit codes: 0 when every file is intact, 1 when a file is damaged or cannot be read, 2 for a
// bad flag.
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/dump.h"

namespace strata::tools {
namespace {

constexpr std::string_view kUsage = R"(Usage: strata-dump [flags] <file>...

Prints the contents of strata data files (<data-dir>/dynamodb/): WAL segments (NNNNNNNN.wal),
SSTables (NNNNNN.sst), MANIFEST-NNNNNN and CURRENT, detected by file name.

Flags:
  --kind wal|sst|manifest|current   read every file as this kind, whatever its name
  --chunks                          WAL segments and MANIFESTs: also list every physical chunk
  --no-values                       print keys only
  -h, --help                        this text

Keys of tables defined by catalog rows in any of the files are decoded by their key schema.
Exit status: 0 every file intact, 1 a file damaged or unreadable, 2 bad usage.
)";

int Usage(const std::string& error) {
  std::fprintf(stderr, "strata-dump: %s\n%.*s", error.c_str(), static_cast<int>(kUsage.size()),
               kUsage.data());
  return 2;
}

int Run(int argc, char** argv) {
  DumpOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; i++) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
      return 0;
    } else if (arg == "--chunks") {
      options.chunks = true;
    } else if (arg == "--no-values") {
      options.values = false;
    } else if (arg == "--kind" || arg.starts_with("--kind=")) {
      std::string_view value;
      if (arg == "--kind") {
        if (++i == argc) return Usage("--kind needs a value");
        value = argv[i];
      } else {
        value = arg.substr(7);
      }
      Result<DumpKind> kind = ParseDumpKind(value);
      if (!kind.ok()) return Usage(std::string(kind.status().message()));
      options.kind = *kind;
    } else if (arg.starts_with("-") && arg != "-") {
      return Usage("unknown flag '" + std::string(arg) + "'");
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.empty()) return Usage("no file given");

  // First learn the table definitions of every file's catalog rows (output discarded), so that
  // keys decode whatever the order of the files.
  TableSchemas schemas;
  options.schemas = &schemas;
  std::ostream discard(nullptr);
  for (const std::string& file : files) (void)DumpFile(file, options, discard);

  int code = 0;
  for (size_t i = 0; i < files.size(); i++) {
    if (files.size() > 1) std::cout << (i > 0 ? "\n" : "") << "=== " << files[i] << "\n";
    Status s = DumpFile(files[i], options, std::cout);
    std::cout.flush();
    if (!s.ok()) {
      std::fprintf(stderr, "strata-dump: %s: %s\n", files[i].c_str(), s.ToString().c_str());
      code = 1;
    }
  }
  return code;
}

}  // namespace
}  // namespace strata::tools

int main(int argc, char** argv) { return strata::tools::Run(argc, argv); }
