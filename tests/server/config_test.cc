#include "server/config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace strata::server {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;

EnvLookup FakeEnv(Env env) {
  return [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

Result<Config> Load(std::vector<std::string> args, Env env = {}) {
  return LoadConfig(args, FakeEnv(std::move(env)));
}

std::string ErrorOf(std::vector<std::string> args, Env env = {}) {
  Result<Config> r = Load(std::move(args), std::move(env));
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_TRUE(r.status().IsInvalidArgument());
  return std::string(r.status().message());
}

TEST(ConfigTest, Defaults) {
  Result<Config> r = Load({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host, "127.0.0.1");
  EXPECT_EQ(r->port, 4566);
  EXPECT_EQ(r->data_dir, "./data");
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kWal);
  EXPECT_EQ(r->flush_interval_ms, 5000u);
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->account_id, "000000000000");
  EXPECT_TRUE(r->dynamodb_enabled);
  EXPECT_FALSE(r->show_help);
  EXPECT_FALSE(r->show_version);
}

TEST(ConfigTest, EnvironmentVariables) {
  Result<Config> r = Load({}, {{"FLOCI_PORT", "4567"},
                               {"FLOCI_STORAGE_PERSISTENT_PATH", "/var/lib/strata"},
                               {"FLOCI_STORAGE_MODE", "persistent"},
                               {"FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS", "250"},
                               {"FLOCI_DEFAULT_REGION", "eu-west-2"},
                               {"FLOCI_DEFAULT_ACCOUNT_ID", "123456789012"},
                               {"FLOCI_SERVICES_DYNAMODB_ENABLED", "false"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->port, 4567);
  EXPECT_EQ(r->data_dir, "/var/lib/strata");
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kPersistent);
  EXPECT_EQ(r->flush_interval_ms, 250u);
  EXPECT_EQ(r->region, "eu-west-2");
  EXPECT_EQ(r->account_id, "123456789012");
  EXPECT_FALSE(r->dynamodb_enabled);
}

TEST(ConfigTest, ServiceSpecificModeBeatsGlobalMode) {
  Result<Config> r = Load({}, {{"FLOCI_STORAGE_MODE", "persistent"},
                               {"FLOCI_STORAGE_SERVICES_DYNAMODB_MODE", "memory"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kMemory);
  r = Load({}, {{"FLOCI_STORAGE_MODE", "hybrid"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kHybrid);
}

TEST(ConfigTest, FlagsBeatEnvironment) {
  Result<Config> r = Load({"--port", "5000", "--storage-mode=memory", "--data-dir", "/tmp/d",
                           "--flush-interval-ms=10", "--host", "0.0.0.0"},
                          {{"FLOCI_PORT", "4567"},
                           {"FLOCI_STORAGE_SERVICES_DYNAMODB_MODE", "wal"},
                           {"FLOCI_STORAGE_PERSISTENT_PATH", "/elsewhere"},
                           {"FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS", "99"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->port, 5000);
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kMemory);
  EXPECT_EQ(r->data_dir, "/tmp/d");
  EXPECT_EQ(r->flush_interval_ms, 10u);
  EXPECT_EQ(r->host, "0.0.0.0");
}

TEST(ConfigTest, BothFlagForms) {
  ASSERT_EQ(Load({"--port=5000"})->port, 5000);
  ASSERT_EQ(Load({"--port", "5001"})->port, 5001);
  // The last occurrence wins.
  ASSERT_EQ(Load({"--port", "5001", "--port=5002"})->port, 5002);
}

TEST(ConfigTest, HelpAndVersion) {
  EXPECT_TRUE(Load({"--help"})->show_help);
  EXPECT_TRUE(Load({"-h"})->show_help);
  EXPECT_TRUE(Load({"--version"})->show_version);
  EXPECT_NE(Usage().find("--flush-interval-ms"), std::string::npos);
  EXPECT_NE(Usage().find("FLOCI_DEFAULT_REGION"), std::string::npos);
}

TEST(ConfigTest, PortIsValidatedStrictly) {
  for (const char* bad :
       {"0", "65536", "-1", "abc", "80x", " 80", "+80", "", "99999999999999999999999"}) {
    std::string msg = ErrorOf({std::string("--port=") + bad});
    EXPECT_EQ(msg, "invalid value '" + std::string(bad) +
                       "' for --port: expected an integer from 1 to 65535");
  }
  EXPECT_EQ(Load({"--port", "1"})->port, 1);
  EXPECT_EQ(Load({"--port", "65535"})->port, 65535);
  EXPECT_EQ(ErrorOf({}, {{"FLOCI_PORT", "70000"}}),
            "invalid value '70000' for FLOCI_PORT: expected an integer from 1 to 65535");
}

TEST(ConfigTest, OtherValuesAreValidated) {
  EXPECT_EQ(ErrorOf({"--storage-mode", "disk"}),
            "invalid value 'disk' for --storage-mode: expected memory, wal, persistent or hybrid");
  EXPECT_EQ(Load({"--storage-mode", "WAL"})->storage_mode, engine::StorageMode::kWal);
  EXPECT_NE(ErrorOf({"--flush-interval-ms", "0"}).find("--flush-interval-ms"), std::string::npos);
  EXPECT_NE(ErrorOf({"--flush-interval-ms", "1.5"}).find("'1.5'"), std::string::npos);
  EXPECT_NE(ErrorOf({"--flush-interval-ms", "86400001"}).find("86400000"), std::string::npos);
  EXPECT_NE(ErrorOf({"--data-dir="}).find("--data-dir"), std::string::npos);
  EXPECT_NE(ErrorOf({"--host", ""}).find("--host"), std::string::npos);
  EXPECT_EQ(ErrorOf({}, {{"FLOCI_SERVICES_DYNAMODB_ENABLED", "maybe"}}),
            "invalid value 'maybe' for FLOCI_SERVICES_DYNAMODB_ENABLED: expected true or false");
  EXPECT_TRUE(Load({}, {{"FLOCI_SERVICES_DYNAMODB_ENABLED", "TRUE"}})->dynamodb_enabled);
  EXPECT_NE(ErrorOf({}, {{"FLOCI_DEFAULT_ACCOUNT_ID", "12345"}}).find("12-digit"),
            std::string::npos);
  EXPECT_NE(ErrorOf({}, {{"FLOCI_DEFAULT_REGION", "US EAST"}}).find("FLOCI_DEFAULT_REGION"),
            std::string::npos);
  EXPECT_NE(ErrorOf({}, {{"FLOCI_STORAGE_MODE", "fast"}}).find("FLOCI_STORAGE_MODE"),
            std::string::npos);
}

TEST(ConfigTest, EmptyEnvironmentVariablesAreUnset) {
  Result<Config> r = Load({}, {{"FLOCI_PORT", ""}, {"FLOCI_STORAGE_MODE", ""}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->port, 4566);
  EXPECT_EQ(r->storage_mode, engine::StorageMode::kWal);
}

TEST(ConfigTest, UnknownFlagsAndMissingValues) {
  EXPECT_EQ(ErrorOf({"--bogus"}), "unknown flag '--bogus' (see --help)");
  EXPECT_EQ(ErrorOf({"--bogus=1"}), "unknown flag '--bogus' (see --help)");
  EXPECT_EQ(ErrorOf({"--port"}), "flag --port needs a value");
  EXPECT_EQ(ErrorOf({"serve"}), "unexpected argument 'serve' (see --help)");
  EXPECT_EQ(ErrorOf({"-p", "1"}), "unexpected argument '-p' (see --help)");
}

TEST(ConfigTest, ProcessEnvReadsTheEnvironment) {
  setenv("STRATA_CONFIG_TEST_VAR", "x", 1);
  EXPECT_EQ(ProcessEnv()("STRATA_CONFIG_TEST_VAR"), "x");
  unsetenv("STRATA_CONFIG_TEST_VAR");
  EXPECT_FALSE(ProcessEnv()("STRATA_CONFIG_TEST_VAR").has_value());
}

}  // namespace
}  // namespace strata::server
