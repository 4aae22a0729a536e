// strata-dump (tools/dump.h) over files written by the engine's own writers: a DurableDb in
// persistent mode with a catalog table definition and items, flushed once (an SSTable and a
// MANIFEST edit), then written to again (the WAL).

#include "tools/dump.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/durable_db.h"
#include "engine/file_names.h"
#include "engine/write_batch.h"
#include "item/item_codec.h"
#include "item/key_codec.h"
#include "tables/catalog.h"
#include "tables/idempotency.h"
#include "tables/secondary_index.h"
#include "tests/testutil/temp_dir.h"

namespace strata::tools {
namespace {

namespace fs = std::filesystem;

item::AttributeValue N(std::string_view text) { return *item::Number::Parse(text); }

// `out` with every partition hash ("hash 3f0c8a1d2e4b5a69") replaced by "hash H".
std::string MaskHashes(const std::string& out) {
  return std::regex_replace(out, std::regex("hash [0-9a-f]{16}"), "hash H");
}

class StrataDumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::Options options;
    options.mode = engine::StorageMode::kPersistent;
    options.data_dir = tmp_.path();
    options.wal_segment_bytes = 64 * 1024;
    auto opened = engine::DurableDb::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<engine::DurableDb> db = std::move(opened).value();
    dir_ = db->dir();

    tables::Catalog catalog(db.get());
    std::vector<uint32_t> pending;
    ASSERT_TRUE(catalog.Load(&pending).ok());
    tables::TableDef def;
    def.account = "000000000000";
    def.region = "us-east-1";
    def.name = "users";
    def.hash_key = {"pk", item::AttrType::kS};
    def.range_key = tables::KeyAttribute{"sk", item::AttrType::kN};
    auto created = catalog.Create(def);  // seq 10 (next id), 11 (definition)
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ASSERT_EQ(created->def->table_id, 1u);

    ASSERT_TRUE(Put(db.get(), "alice", "1", "Alice").ok());  // seq 12
    ASSERT_TRUE(db->FlushMemTable().ok());
    ASSERT_TRUE(Put(db.get(), "bob", "2", "Bob").ok());  // seq 13
    engine::WriteBatch del;
    const item::AttributeValue alice = std::string("alice"), one = N("1");
    del.Delete(item::EncodeItemKey(1, alice, &one));  // seq 14
    ASSERT_TRUE(db->Write(del).ok());
    ASSERT_TRUE(db->Close().ok());

    for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
      uint64_t number;
      engine::FileType type;
      if (!engine::ParseFileName(e.path().filename().string(), &number, &type)) continue;
      if (type == engine::FileType::kTable) tables_.push_back(e.path());
      if (type == engine::FileType::kWalSegment) segments_.push_back(e.path());
    }
    std::sort(segments_.begin(), segments_.end());
    ASSERT_EQ(tables_.size(), 1u);
    ASSERT_FALSE(segments_.empty());
  }

  static Status Put(engine::Db* db, const std::string& pk, std::string_view sk,
                    const std::string& name) {
    const item::AttributeValue pk_value = pk, sk_value = N(sk);
    item::Item item = {{"name", std::string(name)}, {"pk", pk_value}, {"sk", sk_value}};
    std::string value;
    item::EncodeItem(item, &value);
    engine::WriteBatch batch;
    batch.Put(item::EncodeItemKey(1, pk_value, &sk_value), value);
    return db->Write(batch);
  }

  // Dumps `path`, returning the output; *status receives DumpFile's result.
  static std::string Dump(const std::string& path, DumpOptions options = {},
                          Status* status = nullptr) {
    std::ostringstream out;
    Status s = DumpFile(path, options, out);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << out.str();
    }
    return out.str();
  }

  // The last segment holds the writes after the flush.
  std::string LastSegment() const { return segments_.back().string(); }

  strata::test::TempDir tmp_;
  std::string dir_;
  std::vector<fs::path> tables_;
  std::vector<fs::path> segments_;
};

TEST_F(StrataDumpTest, SstShowsCatalogRowsItemsAndVerifiedBlocks) {
  const std::string out = Dump(tables_[0].string());
  EXPECT_NE(out.find("footer @"), std::string::npos) << out;
  EXPECT_NE(out.find("entries 3,"), std::string::npos) << out;
  EXPECT_NE(out.find("seq 10..12"), std::string::npos) << out;
  EXPECT_NE(out.find("filter: "), std::string::npos) << out;
  EXPECT_NE(out.find("  block 0 @0 size "), std::string::npos) << out;
  EXPECT_NE(out.find("catalog next-table-id @10 PUT => next_table_id 2"), std::string::npos) << out;
  EXPECT_NE(out.find("catalog table 000000000000/us-east-1/'users' @11 PUT => table_def {id 1 "
                     "name 'users' hash pk:S range sk:N"),
            std::string::npos)
      << out;
  // The item's key decodes with the schema of the catalog row above it.
  EXPECT_NE(
      MaskHashes(out).find(R"(table 1 'users' base hash H {"pk":{"S":"alice"},"sk":{"N":"1"}})"
                           R"( @12 PUT => {"name":{"S":"Alice"},)"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("summary: 3 entries in 1 data blocks, every block checksum verified"),
            std::string::npos)
      << out;

  DumpOptions keys_only;
  keys_only.values = false;
  const std::string keys = Dump(tables_[0].string(), keys_only);
  EXPECT_EQ(keys.find("=>"), std::string::npos) << keys;
  EXPECT_NE(keys.find("@12 PUT"), std::string::npos) << keys;
}

TEST_F(StrataDumpTest, DamagedSstBlockIsReportedWithItsOffset) {
  const std::string copy = tmp_.path() + "/000099.sst";
  fs::copy_file(tables_[0], copy);
  {
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8);  // inside the first data block, which starts at offset 0
    char c;
    f.seekg(8);
    f.get(c);
    f.seekp(8);
    f.put(static_cast<char>(c ^ 0x40));
  }
  Status s;
  const std::string out = Dump(copy, {}, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("offset 0"), std::string::npos) << s.ToString();
  EXPECT_NE(out.find("data block 0 @0 size "), std::string::npos) << out;
  EXPECT_NE(out.find("DAMAGED"), std::string::npos) << out;
  EXPECT_NE(out.find("1 damaged blocks"), std::string::npos) << out;
  // The metadata blocks are intact, so the properties are still shown.
  EXPECT_NE(out.find("entries 3,"), std::string::npos) << out;
}

TEST_F(StrataDumpTest, WalShowsRecordsOpsAndSummary) {
  // The table definition comes from the SSTable (the segment may hold it too).
  TableSchemas schemas;
  DumpOptions options;
  options.schemas = &schemas;
  std::ostringstream discard;
  ASSERT_TRUE(DumpFile(tables_[0].string(), options, discard).ok());
  ASSERT_NE(schemas.Find(1), nullptr);
  options.chunks = true;
  const std::string out = Dump(LastSegment(), options);
  EXPECT_NE(out.find("header @0: format 1, segment "), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(
      out,
      std::regex(R"(record @\d+: seq 13, commit [-0-9T:.]+Z, 1 ops, flags none, \d+ bytes\n)")))
      << out;
  const std::string masked = MaskHashes(out);
  EXPECT_NE(masked.find(R"(  @13 PUT table 1 'users' base hash H {"pk":{"S":"bob"},"sk":{"N":"2"}})"
                        R"( => {"name":{"S":"Bob"},"pk":{"S":"bob"},"sk":{"N":"2"}})"
                        "\n"),
            std::string::npos)
      << out;
  EXPECT_NE(
      masked.find(R"(  @14 DEL table 1 'users' base hash H {"pk":{"S":"alice"},"sk":{"N":"1"}})"
                  "\n"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("  chunk @0 FULL length 44 "), std::string::npos) << out;
  EXPECT_NE(out.find(" SEAL length 0 "), std::string::npos) << out;
  EXPECT_NE(out.find("end: sealed at offset "), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(
      out, std::regex(R"(summary: \d+ records, \d+ ops, \d+ record bytes, seq \d+\.\.14\n)")))
      << out;
}

TEST_F(StrataDumpTest, WalDamageBeforeDurableDataIsCorruption) {
  const std::string out = Dump(LastSegment());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("record @([0-9]+): seq 13,"))) << out;
  const uint64_t offset = std::stoull(m[1]);
  const std::string copy = tmp_.path() + "/copy.wal";
  fs::copy_file(LastSegment(), copy);
  {
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset + 30));
    f.put('\x7f');
  }
  DumpOptions options;
  options.kind = DumpKind::kWal;  // "copy.wal" is not a segment name
  Status s;
  const std::string damaged = Dump(copy, options, &s);
  // Persistent mode: the next record's chunk says the damaged bytes were durable.
  EXPECT_TRUE(s.IsCorruption()) << s.ToString() << "\n" << damaged;
  EXPECT_NE(damaged.find("end: CORRUPTION at offset " + std::to_string(offset) +
                         ": chunk checksum mismatch"),
            std::string::npos)
      << damaged;

  // Cutting the segment inside its last record is a torn tail: not an error.
  const std::string torn = tmp_.path() + "/torn.wal";
  ASSERT_TRUE(std::regex_search(out, m, std::regex("record @([0-9]+): seq 14,"))) << out;
  fs::copy_file(LastSegment(), torn);
  fs::resize_file(torn, std::stoull(m[1]) + 25);
  const std::string cut = Dump(torn, options);
  EXPECT_NE(cut.find("end: torn tail at offset " + std::string(m[1]) + ": truncated chunk"),
            std::string::npos)
      << cut;
  EXPECT_NE(cut.find("..13\n"), std::string::npos) << cut;  // the summary's last seq
  EXPECT_EQ(cut.find("@14 DEL"), std::string::npos) << cut;
}

TEST_F(StrataDumpTest, ManifestAndCurrent) {
  const std::string current = Dump(engine::CurrentFileName(dir_));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(current, m, std::regex("names (MANIFEST-[0-9]+) \\(present\\)")))
      << current;
  const std::string out = Dump(dir_ + "/" + std::string(m[1]));
  EXPECT_NE(out.find("edit @0:\n  comparator strata.InternalKeyComparator\n"), std::string::npos)
      << out;
  const std::string table_number = tables_[0].stem().string();  // "000005"
  EXPECT_NE(out.find("  add L0 #" + std::to_string(std::stoull(table_number)) + " "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("last_sequence 12\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  L0: 1 files, " + std::to_string(fs::file_size(tables_[0])) + " bytes\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("      smallest catalog next-table-id @10 PUT"), std::string::npos) << out;
}

TEST_F(StrataDumpTest, KindFromNameOrFlag) {
  const std::string other = tmp_.path() + "/segment.bin";
  fs::copy_file(LastSegment(), other);
  Status s;
  Dump(other, {}, &s);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  DumpOptions options;
  options.kind = DumpKind::kWal;
  EXPECT_NE(Dump(other, options).find("..14\n"), std::string::npos);
  EXPECT_TRUE(ParseDumpKind("manifest").ok());
  EXPECT_FALSE(ParseDumpKind("log").ok());
}

TEST(KeyRenderTest, KeysDecodeWithTheSchemaOfACatalogRow) {
  tables::TableDef def;
  def.table_id = 7;
  def.account = "000000000000";
  def.region = "us-east-1";
  def.name = "orders";
  def.hash_key = {"pk", item::AttrType::kS};
  def.range_key = tables::KeyAttribute{"sk", item::AttrType::kN};
  tables::IndexDef gsi;
  gsi.index_id = 1;
  gsi.global = true;
  gsi.name = "byEmail";
  gsi.hash_key = {"email", item::AttrType::kS};
  tables::IndexDef lsi;
  lsi.index_id = 2;
  lsi.name = "byDate";
  lsi.hash_key = def.hash_key;
  lsi.range_key = tables::KeyAttribute{"date", item::AttrType::kB};
  def.indexes = {gsi, lsi};
  const item::Item item = {{"date", item::AttributeValue::Bytes(std::string("\x00\x01", 2))},
                           {"email", std::string("a@b")},
                           {"pk", std::string("p\0q", 3)},
                           {"sk", N("-12.5")}};
  const std::string base_key = item::EncodeItemKey(7, item[2].second, &item[3].second);

  // Without the definition the components stay escaped bytes.
  TableSchemas schemas;
  EXPECT_EQ(MaskHashes(RenderUserKey(base_key, schemas)),
            "table 7 base hash H 'p\\x00\\xffq\\x00\\x01\\x01|\\xe6\\x9b'");

  std::string def_value;
  tables::EncodeTableDef(def, &def_value);
  const std::string def_key = tables::Catalog::TableKey(def.account, def.region, def.name);
  schemas.Learn(def_key, def_value);
  ASSERT_NE(schemas.Find(7), nullptr);
  EXPECT_EQ(MaskHashes(RenderUserKey(base_key, schemas)),
            R"(table 7 'orders' base hash H {"pk":{"S":"p\u0000q"},"sk":{"N":"-12.5"}})");
  EXPECT_EQ(MaskHashes(RenderUserKey(tables::IndexEntryKey(def, def.indexes[0], item), schemas)),
            R"(table 7 'orders' index 1 'byEmail' hash H {"email":{"S":"a@b"}} item )"
            R"({"pk":{"S":"p\u0000q"},"sk":{"N":"-12.5"}})");
  EXPECT_EQ(
      MaskHashes(RenderUserKey(tables::IndexEntryKey(def, def.indexes[1], item), schemas)),
      R"(table 7 'orders' index 2 'byDate' hash H {"pk":{"S":"p\u0000q"},"date":{"B":"AAE="}})"
      R"( item {"sk":{"N":"-12.5"}})");
  // A key that does not decode with the schema falls back to its bytes.
  EXPECT_NE(RenderUserKey(base_key.substr(0, base_key.size() - 1), schemas).find("<"),
            std::string::npos);

  // Catalog keys by kind, and their values.
  EXPECT_EQ(RenderUserKey(def_key, schemas), "catalog table 000000000000/us-east-1/'orders'");
  EXPECT_EQ(RenderValue(def_key, def_value),
            "table_def {id 7 name 'orders' hash pk:S range sk:N billing PROVISIONED gsi 1 "
            "'byEmail' hash email:S ALL lsi 2 'byDate' hash pk:S range date:B ALL}");
  EXPECT_EQ(RenderUserKey(tables::Catalog::DroppedKey(9), schemas), "catalog dropped-table 9");
  EXPECT_EQ(
      RenderUserKey(tables::IdempotencyStore::Key("000000000000", "eu-west-1", "tok"), schemas),
      "catalog request-token 000000000000/eu-west-1/'tok'");
  std::string item_value;
  item::EncodeItem(item, &item_value);
  EXPECT_EQ(
      RenderValue(base_key, item_value),
      R"({"date":{"B":"AAE="},"email":{"S":"a@b"},"pk":{"S":"p\u0000q"},"sk":{"N":"-12.5"}})");
  const std::string bad = RenderValue(base_key, "\xff");
  EXPECT_TRUE(bad.starts_with("<1 bytes, ") && bad.ends_with("> ff")) << bad;
}

}  // namespace
}  // namespace strata::tools
