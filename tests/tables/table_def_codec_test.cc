// The catalog codec of TableDef (tables/table_def.cc): version 2 with secondary indexes round
// trips; version 1 (no indexes) still decodes; every truncation and bad enum is Corruption.

#include <gtest/gtest.h>

#include <string>

#include "tables/table_def.h"
#include "util/coding.h"

namespace strata::tables {
namespace {

using item::AttrType;

IndexDef Index(uint8_t id, bool global, const std::string& name, KeyAttribute hash,
               std::optional<KeyAttribute> range, ProjectionType projection,
               std::vector<std::string> non_key = {}) {
  IndexDef i;
  i.index_id = id;
  i.global = global;
  i.name = name;
  i.hash_key = std::move(hash);
  i.range_key = std::move(range);
  i.projection = projection;
  i.non_key_attributes = std::move(non_key);
  return i;
}

TableDef FullDef() {
  TableDef def;
  def.table_id = 300;  // a 2-byte varint
  def.account = "123456789012";
  def.region = "eu-west-1";
  def.name = "Orders";
  def.hash_key = {"pk", AttrType::kS};
  def.range_key = KeyAttribute{"sk", AttrType::kN};
  def.attribute_definitions = {{"pk", AttrType::kS}, {"sk", AttrType::kN}, {"l1", AttrType::kB},
                               {"l2", AttrType::kS}, {"g1", AttrType::kS}, {"g2", AttrType::kN},
                               {"g3", AttrType::kB}};
  def.billing_mode = BillingMode::kProvisioned;
  def.throughput = {5, 7, 1700000000000, 1700000001000, 3};
  def.creation_ms = 1699999999999;
  def.last_update_to_pay_per_request_ms = 0;
  def.table_uuid = "0b5c1a8e-2f3d-4c7a-9e1b-123456789abc";
  def.tags = {{"env", "prod"}, {"team", ""}};
  def.deletion_protection = true;
  def.indexes = {
      Index(1, false, "LocalAll", {"pk", AttrType::kS}, KeyAttribute{"l1", AttrType::kB},
            ProjectionType::kAll),
      Index(2, false, "LocalIncl", {"pk", AttrType::kS}, KeyAttribute{"l2", AttrType::kS},
            ProjectionType::kInclude, {"z", "a", "m"}),
      Index(3, true, "GlobalKeys", {"g1", AttrType::kS}, std::nullopt, ProjectionType::kKeysOnly),
      Index(7, true, "GlobalIncl", {"g2", AttrType::kN}, KeyAttribute{"g3", AttrType::kB},
            ProjectionType::kInclude, {"x"}),
      Index(255, true, "GlobalAll", {"g3", AttrType::kB}, KeyAttribute{"g1", AttrType::kS},
            ProjectionType::kAll),
  };
  def.indexes[2].throughput = {1, 2, 0, 0, 0};
  def.indexes[3].throughput = {10, 20, 1700000000123, 1700000000456, 4};
  def.indexes[3].status = IndexStatus::kCreating;
  def.indexes[4].throughput = {1000000, 40000, 1, 2, 0};
  return def;
}

TEST(TableDefCodecTest, RoundTripWithLocalAndGlobalIndexes) {
  const TableDef def = FullDef();
  std::string encoded;
  EncodeTableDef(def, &encoded);
  EXPECT_EQ(encoded[0], '\x02');
  TableDef decoded;
  ASSERT_TRUE(DecodeTableDef(encoded, &decoded).ok());
  EXPECT_EQ(decoded, def);
  ASSERT_EQ(decoded.indexes.size(), 5u);
  EXPECT_EQ(decoded.indexes[3].status, IndexStatus::kCreating);
  EXPECT_EQ(decoded.indexes[1].non_key_attributes, (std::vector<std::string>{"z", "a", "m"}));
  EXPECT_FALSE(decoded.indexes[2].range_key.has_value());
  EXPECT_EQ(decoded.FindIndex("GlobalIncl"), &decoded.indexes[3]);
  EXPECT_EQ(decoded.FindIndex("Missing"), nullptr);
  // Re-encoding is byte-identical.
  std::string again;
  EncodeTableDef(decoded, &again);
  EXPECT_EQ(again, encoded);
}

TEST(TableDefCodecTest, RoundTripWithoutIndexesAndPayPerRequest) {
  TableDef def;
  def.table_id = 1;
  def.name = "t";
  def.hash_key = {"id", AttrType::kN};
  def.attribute_definitions = {{"id", AttrType::kN}};
  def.billing_mode = BillingMode::kPayPerRequest;
  def.last_update_to_pay_per_request_ms = 42;
  std::string encoded;
  EncodeTableDef(def, &encoded);
  TableDef decoded;
  decoded.indexes.push_back(IndexDef());  // must be replaced
  ASSERT_TRUE(DecodeTableDef(encoded, &decoded).ok());
  EXPECT_EQ(decoded, def);
  EXPECT_TRUE(decoded.indexes.empty());
}

// A version-1 encoding written by hand from the grammar at the top of table_def.cc.
std::string HandWrittenVersion1() {
  std::string s;
  s.push_back('\x01');  // version
  s.push_back('\x05');  // varint32 table_id = 5
  s += std::string(
      "\x03"
      "acc",
      4);  // account
  s += std::string(
      "\x03"
      "reg",
      4);  // region
  s += std::string(
      "\x02"
      "T1",
      3);  // name
  s += std::string(
      "\x02"
      "pk\x00",
      4);               // hash key pk S
  s.push_back('\x01');  // has_range
  s += std::string(
      "\x02"
      "sk\x01",
      4);               // range key sk N
  s.push_back('\x02');  // n_defs
  s += std::string(
      "\x02"
      "pk\x00",
      4);
  s += std::string(
      "\x02"
      "sk\x01",
      4);
  s.push_back('\x00');                  // billing_mode PROVISIONED
  s += std::string("\x0a\x96\x01", 3);  // rcu 10, wcu 150
  s += std::string("\x00\x00\x00", 3);  // last_increase, last_decrease, decreases_today
  PutVarint64(&s, 1600000000000);       // creation_ms
  s.push_back('\x00');                  // last_update_to_ppr_ms
  s += std::string(
      "\x04"
      "uuid",
      5);               // table_uuid
  s.push_back('\x01');  // n_tags
  s += std::string(
      "\x01"
      "k\x01"
      "v",
      4);
  s.push_back('\x01');  // deletion_protection
  return s;
}

TEST(TableDefCodecTest, VersionOneDecodesWithoutIndexes) {
  const std::string v1 = HandWrittenVersion1();
  TableDef decoded;
  ASSERT_TRUE(DecodeTableDef(v1, &decoded).ok());
  EXPECT_EQ(decoded.table_id, 5u);
  EXPECT_EQ(decoded.account, "acc");
  EXPECT_EQ(decoded.region, "reg");
  EXPECT_EQ(decoded.name, "T1");
  EXPECT_EQ(decoded.hash_key, (KeyAttribute{"pk", AttrType::kS}));
  EXPECT_EQ(decoded.range_key, (KeyAttribute{"sk", AttrType::kN}));
  EXPECT_EQ(decoded.attribute_definitions.size(), 2u);
  EXPECT_EQ(decoded.billing_mode, BillingMode::kProvisioned);
  EXPECT_EQ(decoded.throughput.read_capacity_units, 10);
  EXPECT_EQ(decoded.throughput.write_capacity_units, 150);
  EXPECT_EQ(decoded.creation_ms, 1600000000000);
  EXPECT_EQ(decoded.table_uuid, "uuid");
  ASSERT_EQ(decoded.tags.size(), 1u);
  EXPECT_EQ(decoded.tags[0], (Tag{"k", "v"}));
  EXPECT_TRUE(decoded.deletion_protection);
  EXPECT_TRUE(decoded.indexes.empty());

  // The same definition re-encoded is version 2 with an empty index list.
  std::string v2;
  EncodeTableDef(decoded, &v2);
  std::string expected = v1;
  expected[0] = '\x02';
  expected.push_back('\x00');  // n_indexes
  EXPECT_EQ(v2, expected);

  // Version 1 has no index list: an extra byte is trailing garbage.
  TableDef out;
  EXPECT_TRUE(DecodeTableDef(v1 + std::string(1, '\0'), &out).IsCorruption());
  // Version 2 requires it.
  std::string v2_without_list = v1;
  v2_without_list[0] = '\x02';
  EXPECT_TRUE(DecodeTableDef(v2_without_list, &out).IsCorruption());
  // Every truncation of version 1 fails too.
  for (size_t n = 0; n < v1.size(); ++n) {
    EXPECT_TRUE(DecodeTableDef(v1.substr(0, n), &out).IsCorruption()) << n;
  }
}

TEST(TableDefCodecTest, EveryTruncationIsCorruption) {
  std::string encoded;
  EncodeTableDef(FullDef(), &encoded);
  ASSERT_GT(encoded.size(), 150u);
  for (size_t n = 0; n < encoded.size(); ++n) {
    // A copy of exactly n bytes, so that reading past the end is visible to sanitizers.
    const std::string truncated = encoded.substr(0, n);
    TableDef out;
    const Status s = DecodeTableDef(truncated, &out);
    EXPECT_TRUE(s.IsCorruption()) << "length " << n << ": " << s.ToString();
  }
  TableDef out;
  EXPECT_TRUE(DecodeTableDef(encoded + "x", &out).IsCorruption());
}

// Out-of-range enums and ids, and counts larger than the input, in an index.
TEST(TableDefCodecTest, BadIndexFieldsAreCorruption) {
  TableDef def;
  def.table_id = 2;
  def.name = "t";
  def.hash_key = {"pk", AttrType::kS};
  def.attribute_definitions = {{"pk", AttrType::kS}, {"g", AttrType::kS}};
  def.billing_mode = BillingMode::kPayPerRequest;
  def.indexes = {
      Index(1, true, "gi", {"g", AttrType::kS}, std::nullopt, ProjectionType::kKeysOnly)};
  std::string good;
  EncodeTableDef(def, &good);
  TableDef out;
  ASSERT_TRUE(DecodeTableDef(good, &out).ok());
  // The index starts right after "u8 deletion_protection | varint n_indexes (1)".
  std::string prefix;
  {
    TableDef no_index = def;
    no_index.indexes.clear();
    EncodeTableDef(no_index, &prefix);  // ends with n_indexes = 0
  }
  const size_t index_at = prefix.size();
  ASSERT_EQ(good.substr(0, index_at - 1), prefix.substr(0, index_at - 1));
  ASSERT_EQ(good[index_at - 1], '\x01');
  // index := u8 id | u8 global | str name | key hash | u8 has_range | u8 projection | varint n |
  //          5 varints | u8 status
  ASSERT_EQ(good[index_at], '\x01');      // id
  ASSERT_EQ(good[index_at + 1], '\x01');  // global
  const size_t hash_type_at = index_at + 2 + 3 + 2;
  const size_t has_range_at = hash_type_at + 1;
  const size_t projection_at = has_range_at + 1;
  ASSERT_EQ(good[projection_at], '\x01');  // KEYS_ONLY
  const size_t status_at = good.size() - 1;
  ASSERT_EQ(good[status_at], '\x00');  // ACTIVE
  struct Mutation {
    const char* what;
    size_t at;
    char byte;
  };
  for (const Mutation& m :
       {Mutation{"index id 0", index_at, '\x00'}, Mutation{"global 2", index_at + 1, '\x02'},
        Mutation{"key type BOOL", hash_type_at, '\x03'},
        Mutation{"has_range 2", has_range_at, '\x02'},
        Mutation{"projection 3", projection_at, '\x03'}, Mutation{"status 2", status_at, '\x02'},
        Mutation{"n_indexes 2", index_at - 1, '\x02'}, Mutation{"version 3", 0, '\x03'},
        Mutation{"version 0", 0, '\x00'}}) {
    std::string bad = good;
    bad[m.at] = m.byte;
    EXPECT_TRUE(DecodeTableDef(bad, &out).IsCorruption()) << m.what;
  }
  // A huge n_indexes or non_key count is rejected without allocating for it.
  std::string huge = good.substr(0, index_at - 1);
  PutVarint32(&huge, 0xFFFFFFFFu);
  huge += good.substr(index_at);
  EXPECT_TRUE(DecodeTableDef(huge, &out).IsCorruption());
  std::string huge_n = good.substr(0, projection_at + 1);
  PutVarint32(&huge_n, 0x7FFFFFFFu);
  huge_n += good.substr(projection_at + 2);
  EXPECT_TRUE(DecodeTableDef(huge_n, &out).IsCorruption());
}

}  // namespace
}  // namespace strata::tables
