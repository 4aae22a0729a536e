#include "server/config.h"

#include <cstdlib>
#include <limits>

namespace strata::server {
namespace {

constexpr uint64_t kMaxFlushIntervalMs = 24ull * 60 * 60 * 1000;  // one day

// Strict unsigned decimal: digits only, no sign, no spaces, no overflow.
std::optional<uint64_t> ParseUint(std::string_view s, uint64_t max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  if (v > max) return std::nullopt;
  return v;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status BadValue(std::string_view value, std::string_view source, std::string_view expected) {
  return Status::InvalidArgument("invalid value '" + std::string(value) + "' for " +
                                 std::string(source) + ": expected " + std::string(expected));
}

Status SetPort(std::string_view value, std::string_view source, Config* config) {
  std::optional<uint64_t> port = ParseUint(value, 65535);
  if (!port || *port == 0) return BadValue(value, source, "an integer from 1 to 65535");
  config->port = static_cast<uint16_t>(*port);
  return Status::OK();
}

Status SetFlushInterval(std::string_view value, std::string_view source, Config* config) {
  std::optional<uint64_t> ms = ParseUint(value, kMaxFlushIntervalMs);
  if (!ms || *ms == 0) {
    return BadValue(value, source, "an integer number of milliseconds from 1 to 86400000");
  }
  config->flush_interval_ms = static_cast<uint32_t>(*ms);
  return Status::OK();
}

Status SetStorageMode(std::string_view value, std::string_view source, Config* config) {
  Result<engine::StorageMode> mode = engine::ParseStorageMode(Lower(value));
  if (!mode.ok()) return BadValue(value, source, "memory, wal, persistent or hybrid");
  config->storage_mode = *mode;
  return Status::OK();
}

Status SetNonEmpty(std::string_view value, std::string_view source, std::string* out) {
  if (value.empty()) return BadValue(value, source, "a non-empty value");
  out->assign(value);
  return Status::OK();
}

Status SetRegion(std::string_view value, std::string_view source, Config* config) {
  bool ok = !value.empty();
  for (char c : value) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) ok = false;
  }
  if (!ok) return BadValue(value, source, "a region name such as us-east-1");
  config->region.assign(value);
  return Status::OK();
}

Status SetAccount(std::string_view value, std::string_view source, Config* config) {
  bool ok = value.size() == 12;
  for (char c : value) {
    if (c < '0' || c > '9') ok = false;
  }
  if (!ok) return BadValue(value, source, "a 12-digit AWS account id");
  config->account_id.assign(value);
  return Status::OK();
}

Status SetBool(std::string_view value, std::string_view source, bool* out) {
  std::string v = Lower(value);
  if (v == "true") {
    *out = true;
  } else if (v == "false") {
    *out = false;
  } else {
    return BadValue(value, source, "true or false");
  }
  return Status::OK();
}

Status ApplyEnv(const EnvLookup& env, Config* config) {
  auto get = [&](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string> v = env(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  if (auto v = get("FLOCI_PORT")) RETURN_IF_ERROR(SetPort(*v, "FLOCI_PORT", config));
  if (auto v = get("FLOCI_STORAGE_PERSISTENT_PATH")) {
    RETURN_IF_ERROR(SetNonEmpty(*v, "FLOCI_STORAGE_PERSISTENT_PATH", &config->data_dir));
  }
  if (auto v = get("FLOCI_STORAGE_MODE")) {
    RETURN_IF_ERROR(SetStorageMode(*v, "FLOCI_STORAGE_MODE", config));
  }
  // The per-service mode is more specific and wins.
  if (auto v = get("FLOCI_STORAGE_SERVICES_DYNAMODB_MODE")) {
    RETURN_IF_ERROR(SetStorageMode(*v, "FLOCI_STORAGE_SERVICES_DYNAMODB_MODE", config));
  }
  if (auto v = get("FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS")) {
    RETURN_IF_ERROR(
        SetFlushInterval(*v, "FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS", config));
  }
  if (auto v = get("FLOCI_DEFAULT_REGION")) {
    RETURN_IF_ERROR(SetRegion(*v, "FLOCI_DEFAULT_REGION", config));
  }
  if (auto v = get("FLOCI_DEFAULT_ACCOUNT_ID")) {
    RETURN_IF_ERROR(SetAccount(*v, "FLOCI_DEFAULT_ACCOUNT_ID", config));
  }
  if (auto v = get("FLOCI_SERVICES_DYNAMODB_ENABLED")) {
    RETURN_IF_ERROR(SetBool(*v, "FLOCI_SERVICES_DYNAMODB_ENABLED", &config->dynamodb_enabled));
  }
  return Status::OK();
}

Status ApplyFlags(const std::vector<std::string>& args, Config* config) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      config->show_help = true;
      continue;
    }
    if (arg == "--version") {
      config->show_version = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      return Status::InvalidArgument("unexpected argument '" + std::string(arg) + "' (see --help)");
    }
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    bool known = name == "--host" || name == "--port" || name == "--data-dir" ||
                 name == "--storage-mode" || name == "--flush-interval-ms";
    if (!known) {
      return Status::InvalidArgument("unknown flag '" + std::string(name) + "' (see --help)");
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument("flag " + std::string(name) + " needs a value");
      }
      value = args[++i];
    }
    if (name == "--host") {
      RETURN_IF_ERROR(SetNonEmpty(*value, name, &config->host));
    } else if (name == "--port") {
      RETURN_IF_ERROR(SetPort(*value, name, config));
    } else if (name == "--data-dir") {
      RETURN_IF_ERROR(SetNonEmpty(*value, name, &config->data_dir));
    } else if (name == "--storage-mode") {
      RETURN_IF_ERROR(SetStorageMode(*value, name, config));
    } else {
      RETURN_IF_ERROR(SetFlushInterval(*value, name, config));
    }
  }
  return Status::OK();
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<Config> LoadConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  Config config;
  RETURN_IF_ERROR(ApplyEnv(env, &config));
  RETURN_IF_ERROR(ApplyFlags(args, &config));
  return config;
}

std::string Usage() {
  return R"(Usage: strata [flags]

A DynamoDB-compatible server.

Flags (they override the environment variables):
  --host HOST               address to listen on (default 127.0.0.1)
  --port PORT               TCP port, 1-65535 (default 4566; env FLOCI_PORT)
  --data-dir DIR            where data is stored (default ./data;
                            env FLOCI_STORAGE_PERSISTENT_PATH)
  --storage-mode MODE       memory, wal, persistent or hybrid (default wal;
                            env FLOCI_STORAGE_SERVICES_DYNAMODB_MODE, FLOCI_STORAGE_MODE)
  --flush-interval-ms MS    flush / fsync interval in milliseconds (default 5000;
                            env FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS)
  --help                    print this help and exit
  --version                 print the version and exit

Other environment variables:
  FLOCI_DEFAULT_REGION              region when a request names none (default us-east-1)
  FLOCI_DEFAULT_ACCOUNT_ID          account when the access key id is not a 12-digit
                                    account id (default 000000000000)
  FLOCI_SERVICES_DYNAMODB_ENABLED   true or false (default true)

Flags take `--flag value` or `--flag=value`. See docs/configuration.md.
)";
}

}  // namespace strata::server
