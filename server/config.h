#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/options.h"
#include "util/result.h"

namespace strata::server {

inline constexpr std::string_view kVersion = "0.1.0";

// Everything the strata executable is configured with (docs/configuration.md).
// Sources, lowest to highest precedence: these defaults, Floci's environment variables, then
// command-line flags.
//
// Thread-safety: a value type.
struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;
  std::string data_dir = "./data";
  engine::StorageMode storage_mode = engine::StorageMode::kWal;
  uint32_t flush_interval_ms = 5000;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  bool dynamodb_enabled = true;

  bool show_help = false;     // --help: print Usage() and exit 0
  bool show_version = false;  // --version: print "strata <kVersion>" and exit 0
};

// Reads an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
EnvLookup ProcessEnv();

// Builds the configuration from `env` and `args` (argv without the program name). A bad flag
// or value is an InvalidArgument whose message names it, e.g.
// "invalid value 'abc' for --port: expected an integer from 1 to 65535".
// An environment variable set to the empty string counts as unset.
Result<Config> LoadConfig(const std::vector<std::string>& args, const EnvLookup& env);

// The --help text.
std::string Usage();

}  // namespace strata::server
