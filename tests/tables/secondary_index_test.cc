// Secondary-index building blocks without a service: entry keys (layout and order), sparse
// membership, projections, index key checks, ItemCollectionKey, query planning over an index
// target and the write side (IndexWrites: batch content, units and statistics).

#include "tables/secondary_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engine/write_batch.h"
#include "item/api_error.h"
#include "item/item_codec.h"
#include "item/item_size.h"
#include "item/key_codec.h"
#include "tables/catalog.h"
#include "tables/index_writes.h"
#include "tables/key_conditions.h"
#include "tests/tables/tables_test_util.h"
#include "util/coding.h"
#include "util/hash.h"

namespace strata::tables {
namespace {

using item::ApiError;
using item::AttributeValue;
using item::AttrType;
using item::Item;

using test::ExpectError;
using test::MakeItem;
using test::N;
using test::S;

AttributeValue B(const std::string& bytes) { return AttributeValue::Bytes(bytes); }

constexpr uint32_t kTableId = 9;

// Table T (pk S, sk N) with:
//   id 1 "lsi"   LSI pk / lsk(lsk_type)          KEYS_ONLY
//   id 2 "gsi"   GSI gpk S / gsk(gsk_type)       INCLUDE [c, a, zz]
//   id 3 "ghash" GSI gpk S (hash only)            ALL
TableDef MakeDef(AttrType gsk_type = AttrType::kN, AttrType lsk_type = AttrType::kS) {
  TableDef def;
  def.table_id = kTableId;
  def.name = "T";
  def.hash_key = {"pk", AttrType::kS};
  def.range_key = KeyAttribute{"sk", AttrType::kN};
  IndexDef lsi;
  lsi.index_id = 1;
  lsi.global = false;
  lsi.name = "lsi";
  lsi.hash_key = def.hash_key;
  lsi.range_key = KeyAttribute{"lsk", lsk_type};
  lsi.projection = ProjectionType::kKeysOnly;
  IndexDef gsi;
  gsi.index_id = 2;
  gsi.global = true;
  gsi.name = "gsi";
  gsi.hash_key = {"gpk", AttrType::kS};
  gsi.range_key = KeyAttribute{"gsk", gsk_type};
  gsi.projection = ProjectionType::kInclude;
  gsi.non_key_attributes = {"c", "a", "zz"};
  IndexDef ghash;
  ghash.index_id = 3;
  ghash.global = true;
  ghash.name = "ghash";
  ghash.hash_key = {"gpk", AttrType::kS};
  ghash.projection = ProjectionType::kAll;
  def.indexes = {lsi, gsi, ghash};
  return def;
}

std::string Enc(const AttributeValue& v) {
  std::string s;
  item::AppendKeyComponent(v, &s);
  return s;
}

// u32BE table | u8 index | u64BE XXH3(enc(hash)) | enc(hash), built by hand.
std::string HandPrefix(uint32_t table_id, uint8_t index_id, const AttributeValue& hash) {
  std::string k;
  PutBigEndian32(&k, table_id);
  k.push_back(static_cast<char>(index_id));
  PutBigEndian64(&k, Hash64(Enc(hash)));
  k += Enc(hash);
  return k;
}

// ---- entry key layout ------------------------------------------------------------------------

TEST(IndexEntryKeyTest, EscapedComponentsAsDocumented) {
  // The building block the layout tests rely on: 0x00 -> 0x00 0xFF, terminator 0x00 0x01.
  EXPECT_EQ(Enc(S(std::string("a\0b", 3))), std::string("a\x00\xff"
                                                        "b\x00\x01",
                                                        6));
  EXPECT_EQ(Enc(B("\xff")), std::string("\xff\x00\x01", 3));
  EXPECT_EQ(IndexPrefix(kTableId, 2), std::string("\x00\x00\x00\x09\x02", 5));
  EXPECT_EQ(PartitionPrefix(kTableId, 2, S("g")), HandPrefix(kTableId, 2, S("g")));
}

TEST(IndexEntryKeyTest, LocalIndexIsTablePartitionThenIndexSortKeyThenTableSortKey) {
  const TableDef def = MakeDef();
  const Item item = MakeItem({{"pk", S(std::string("p\0", 2))},
                              {"sk", N("-7")},
                              {"lsk", S("l")},
                              {"gpk", S("g")},
                              {"x", S("other")}});
  const std::string expected = std::string("\x00\x00\x00\x09\x01", 5) +
                               HandPrefix(kTableId, 1, S(std::string("p\0", 2))).substr(5) +
                               std::string("l\x00\x01", 3) + Enc(N("-7"));
  EXPECT_EQ(IndexEntryKey(def, def.indexes[0], item), expected);
  // The LSI partition is the table's: same hash as the base item key.
  const std::string base = item::EncodeItemKey(kTableId, S(std::string("p\0", 2)), nullptr);
  EXPECT_EQ(IndexEntryKey(def, def.indexes[0], item).substr(5, 8), base.substr(5, 8));
  EXPECT_EQ(TargetKey(ReadTarget{&def, &def.indexes[0]}, item), expected);
}

TEST(IndexEntryKeyTest, GlobalIndexWithRangeAppendsTheWholeTableKey) {
  const TableDef def = MakeDef(AttrType::kB);
  const Item item = MakeItem(
      {{"pk", S("p")}, {"sk", N("3")}, {"gpk", S("g")}, {"gsk", B(std::string("\x00\xff", 2))}});
  const std::string expected = HandPrefix(kTableId, 2, S("g")) +
                               std::string("\x00\xff\xff\x00\x01", 5) +  // enc(gsk)
                               std::string("p\x00\x01", 3) + Enc(N("3"));
  EXPECT_EQ(IndexEntryKey(def, def.indexes[1], item), expected);
  EXPECT_TRUE(IndexEntryKey(def, def.indexes[1], item).starts_with(IndexPrefix(kTableId, 2)));
}

TEST(IndexEntryKeyTest, HashOnlyGlobalIndexAppendsTheTableKey) {
  const TableDef def = MakeDef();
  const Item item = MakeItem({{"pk", S("p")}, {"sk", N("3")}, {"gpk", S("g")}, {"gsk", N("1")}});
  EXPECT_EQ(IndexEntryKey(def, def.indexes[2], item),
            HandPrefix(kTableId, 3, S("g")) + Enc(S("p")) + Enc(N("3")));
  // On a hash-only table only the partition key is appended.
  TableDef hash_only = def;
  hash_only.range_key.reset();
  hash_only.indexes = {def.indexes[1], def.indexes[2]};
  const Item h = MakeItem({{"pk", S("p")}, {"gpk", S("g")}, {"gsk", N("1")}});
  EXPECT_EQ(IndexEntryKey(hash_only, hash_only.indexes[1], h),
            HandPrefix(kTableId, 3, S("g")) + Enc(S("p")));
  EXPECT_EQ(IndexEntryKey(hash_only, hash_only.indexes[0], h),
            HandPrefix(kTableId, 2, S("g")) + Enc(N("1")) + Enc(S("p")));
}

// Values of each sort-key type in ascending DynamoDB order.
std::vector<AttributeValue> Ascending(AttrType type) {
  std::vector<AttributeValue> out;
  if (type == AttrType::kN) {
    for (const char* n : {"-1e10", "-100", "-2.5", "-1", "-0.001", "0", "0.001", "0.5", "1", "2.5",
                          "10", "100", "1e10"}) {
      out.push_back(N(n));
    }
  } else {
    // Unsigned byte order; 0x00 bytes sort below everything else after the common prefix.
    for (const std::string& s :
         {std::string("\x00", 1), std::string("\x00\x00", 2), std::string("\x00\x01", 2),
          std::string("a"), std::string("a\x00", 2), std::string("a\x00\x00", 3),
          std::string("a\x00"
                      "b",
                      3),
          std::string("a\x01", 2), std::string("ab"), std::string("b"), std::string("\x7f"),
          std::string("\xc3\xa9"), std::string("\xff"), std::string("\xff\x00", 2)}) {
      out.push_back(type == AttrType::kS ? S(s) : B(s));
    }
  }
  return out;
}

TEST(IndexEntryKeyTest, EntryOrderIsIndexKeyOrderThenTableKeyOrder) {
  const std::vector<AttributeValue> pks = {S("p"), S(std::string("p\0", 2)), S("p\x01"), S("q")};
  const std::vector<AttributeValue> sks = {N("-5"), N("-0.5"), N("0"), N("7")};
  for (AttrType type : {AttrType::kN, AttrType::kS, AttrType::kB}) {
    SCOPED_TRACE(std::string(item::AttrTypeName(type)));
    const TableDef def = MakeDef(type, type);
    const std::vector<AttributeValue> values = Ascending(type);
    // (index sort rank, pk rank, sk rank) -> key, for the GSI (one partition) and the LSI
    // (one table partition).
    struct Entry {
      std::tuple<size_t, size_t, size_t> rank;
      std::string gsi_key, lsi_key;
    };
    std::vector<Entry> entries;
    for (size_t v = 0; v < values.size(); ++v) {
      for (size_t p = 0; p < pks.size(); ++p) {
        for (size_t s = 0; s < sks.size(); ++s) {
          const Item item = MakeItem({{"pk", pks[p]},
                                      {"sk", sks[s]},
                                      {"gpk", S("g")},
                                      {"gsk", values[v]},
                                      {"lsk", values[v]}});
          ASSERT_TRUE(InIndex(def.indexes[0], item));
          ASSERT_TRUE(InIndex(def.indexes[1], item));
          entries.push_back({{v, p, s},
                             IndexEntryKey(def, def.indexes[1], item),
                             IndexEntryKey(def, def.indexes[0], item)});
        }
      }
    }
    std::mt19937 rng(42);
    std::shuffle(entries.begin(), entries.end(), rng);
    std::vector<Entry> by_key = entries;
    std::sort(by_key.begin(), by_key.end(),
              [](const Entry& a, const Entry& b) { return a.gsi_key < b.gsi_key; });
    for (size_t i = 1; i < by_key.size(); ++i) {
      ASSERT_LT(by_key[i - 1].rank, by_key[i].rank)
          << "entries " << std::get<0>(by_key[i - 1].rank) << "/" << std::get<1>(by_key[i - 1].rank)
          << "/" << std::get<2>(by_key[i - 1].rank) << " and " << std::get<0>(by_key[i].rank) << "/"
          << std::get<1>(by_key[i].rank) << "/" << std::get<2>(by_key[i].rank);
    }
    // LSI: within one table partition, (lsk, sk) order.
    for (size_t p = 0; p < pks.size(); ++p) {
      std::vector<Entry> part;
      for (const Entry& e : entries) {
        if (std::get<1>(e.rank) == p) part.push_back(e);
      }
      std::sort(part.begin(), part.end(),
                [](const Entry& a, const Entry& b) { return a.lsi_key < b.lsi_key; });
      for (size_t i = 1; i < part.size(); ++i) {
        const auto& [v0, p0, s0] = part[i - 1].rank;
        const auto& [v1, p1, s1] = part[i].rank;
        ASSERT_LT(std::make_pair(v0, s0), std::make_pair(v1, s1));
      }
    }
  }
}

// ---- membership, projection ------------------------------------------------------------------

TEST(InIndexTest, SparseOnMissingOrWrongTypedKeys) {
  const TableDef def = MakeDef();
  const IndexDef& gsi = def.indexes[1];
  const IndexDef& ghash = def.indexes[2];
  const IndexDef& lsi = def.indexes[0];
  const Item full = MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"gpk", S("g")}, {"gsk", N("2")}});
  EXPECT_TRUE(InIndex(gsi, full));
  EXPECT_TRUE(InIndex(ghash, full));
  EXPECT_FALSE(InIndex(lsi, full));  // no lsk
  EXPECT_FALSE(InIndex(gsi, MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"gpk", S("g")}})));
  EXPECT_TRUE(InIndex(ghash, MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"gpk", S("g")}})));
  EXPECT_FALSE(InIndex(gsi, MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"gsk", N("2")}})));
  EXPECT_FALSE(InIndex(gsi, MakeItem({{"gpk", N("1")}, {"gsk", N("2")}})));  // hash type
  EXPECT_FALSE(InIndex(gsi, MakeItem({{"gpk", S("g")}, {"gsk", S("2")}})));  // range type
  EXPECT_FALSE(InIndex(ghash, MakeItem({{"gpk", B("g")}})));                 // B, not S
  EXPECT_FALSE(InIndex(ghash, MakeItem({{"gpk", AttributeValue(item::StringSet{{"g"}})}})));
  EXPECT_TRUE(InIndex(lsi, MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"lsk", S("")}})));
  EXPECT_FALSE(InIndex(lsi, MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"lsk", N("1")}})));
}

bool SortedByName(const Item& item) {
  return std::is_sorted(item.begin(), item.end(),
                        [](const auto& a, const auto& b) { return a.first < b.first; });
}

TEST(ProjectForIndexTest, AllKeysOnlyAndInclude) {
  const TableDef def = MakeDef();
  const Item item = MakeItem({{"pk", S("p")},
                              {"sk", N("1")},
                              {"lsk", S("l")},
                              {"gpk", S("g")},
                              {"gsk", N("2")},
                              {"a", S("A")},
                              {"b", S("B")},
                              {"c", N("3")},
                              {"zz", B("z")},
                              {"zzz", S("no")}});
  // KEYS_ONLY LSI: table keys + index keys.
  EXPECT_EQ(ProjectForIndex(def, def.indexes[0], item),
            MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"lsk", S("l")}}));
  // INCLUDE [c, a, zz] GSI: keys + included, sorted by name whatever the request order.
  const Item included = ProjectForIndex(def, def.indexes[1], item);
  EXPECT_EQ(included, MakeItem({{"a", S("A")},
                                {"c", N("3")},
                                {"gpk", S("g")},
                                {"gsk", N("2")},
                                {"pk", S("p")},
                                {"sk", N("1")},
                                {"zz", B("z")}}));
  EXPECT_TRUE(SortedByName(included));
  // ALL: the whole item.
  EXPECT_EQ(ProjectForIndex(def, def.indexes[2], item), item);
  // Included attributes that are absent are just absent; keys are kept.
  EXPECT_EQ(
      ProjectForIndex(
          def, def.indexes[1],
          MakeItem(
              {{"pk", S("p")}, {"sk", N("1")}, {"gpk", S("g")}, {"gsk", N("2")}, {"b", S("B")}})),
      MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"gpk", S("g")}, {"gsk", N("2")}}));
  // A KEYS_ONLY GSI keeps the table keys too.
  TableDef keys_only = def;
  keys_only.indexes[1].projection = ProjectionType::kKeysOnly;
  keys_only.indexes[1].non_key_attributes.clear();
  const Item projected = ProjectForIndex(keys_only, keys_only.indexes[1], item);
  EXPECT_EQ(projected,
            MakeItem({{"gpk", S("g")}, {"gsk", N("2")}, {"pk", S("p")}, {"sk", N("1")}}));
  EXPECT_TRUE(SortedByName(projected));
}

TEST(ProjectsAttributeTest, KeysAlwaysIncludedPerProjection) {
  const TableDef def = MakeDef();
  for (const char* key : {"pk", "sk", "lsk"})
    EXPECT_TRUE(ProjectsAttribute(def, def.indexes[0], key));
  EXPECT_FALSE(ProjectsAttribute(def, def.indexes[0], "gpk"));  // another index's key
  EXPECT_FALSE(ProjectsAttribute(def, def.indexes[0], "a"));
  for (const char* a : {"pk", "sk", "gpk", "gsk", "a", "c", "zz"}) {
    EXPECT_TRUE(ProjectsAttribute(def, def.indexes[1], a)) << a;
  }
  for (const char* a : {"lsk", "b", "z", "zzz", "A"}) {
    EXPECT_FALSE(ProjectsAttribute(def, def.indexes[1], a)) << a;
  }
  for (const char* a : {"pk", "anything", "lsk"}) {
    EXPECT_TRUE(ProjectsAttribute(def, def.indexes[2], a)) << a;
  }
}

// ---- index key checks ------------------------------------------------------------------------

// Indexes "zeta" (declared first) and "alpha" share key attribute x; "zeta" alone uses y.
TableDef CheckDef() {
  TableDef def;
  def.table_id = 4;
  def.name = "C";
  def.hash_key = {"pk", AttrType::kS};
  IndexDef zeta;
  zeta.index_id = 1;
  zeta.global = true;
  zeta.name = "zeta";
  zeta.hash_key = {"y", AttrType::kN};
  zeta.range_key = KeyAttribute{"x", AttrType::kS};
  IndexDef alpha;
  alpha.index_id = 2;
  alpha.global = true;
  alpha.name = "alpha";
  alpha.hash_key = {"x", AttrType::kS};
  IndexDef bin;
  bin.index_id = 3;
  bin.global = true;
  bin.name = "mid";
  bin.hash_key = {"bb", AttrType::kB};
  def.indexes = {zeta, alpha, bin};
  return def;
}

TEST(CheckIndexKeysTest, TypeMismatchNamesTheAlphabeticallyFirstIndex) {
  const TableDef def = CheckDef();
  EXPECT_TRUE(CheckIndexKeys(def, MakeItem({{"pk", S("p")}}), ImageOrigin::kItem).ok());
  EXPECT_TRUE(
      CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"x", S("v")}, {"y", N("1")}, {"bb", B("b")}}),
                     ImageOrigin::kItem)
          .ok());
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"x", N("1")}}), ImageOrigin::kItem),
              ApiError::kValidation,
              "One or more parameter values were invalid: Type mismatch for Index Key x Expected: "
              "S Actual: N IndexName: alpha");
  // Only zeta has y: zeta is named, although declared first and alphabetically last.
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"y", S("1")}}),
                             ImageOrigin::kUpdateExpression),
              ApiError::kValidation,
              "One or more parameter values were invalid: Type mismatch for Index Key y Expected: "
              "N Actual: S IndexName: zeta");
  // "mid" < "zeta": its B key is reported before zeta's y.
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"y", S("1")}, {"bb", S("b")}}),
                             ImageOrigin::kItem),
              ApiError::kValidation,
              "One or more parameter values were invalid: Type mismatch for Index Key bb "
              "Expected: B Actual: S IndexName: mid");
  ExpectError(
      CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"x", AttributeValue(Item{{"m", S("v")}})}}),
                     ImageOrigin::kItem),
      ApiError::kValidation,
      "One or more parameter values were invalid: Type mismatch for Index Key x Expected: "
      "S Actual: M IndexName: alpha");
  // A table without indexes checks nothing.
  TableDef none = def;
  none.indexes.clear();
  EXPECT_TRUE(CheckIndexKeys(none, MakeItem({{"x", N("1")}}), ImageOrigin::kItem).ok());
}

TEST(CheckIndexKeysTest, EmptyStringAndBinaryWithBothOrigins) {
  const TableDef def = CheckDef();
  const std::string item_lead =
      "One or more parameter values are not valid. A value specified for a secondary index key "
      "is not supported. The AttributeValue for a key attribute cannot contain an empty ";
  const std::string update_lead =
      "One or more parameter values are not valid. The update expression attempted to update a "
      "secondary index key to a value that is not supported. The AttributeValue for a key "
      "attribute cannot contain an empty ";
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"x", S("")}}), ImageOrigin::kItem),
              ApiError::kValidation, item_lead + "string value. IndexName: alpha, IndexKey: x");
  ExpectError(
      CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"x", S("")}}), ImageOrigin::kUpdateExpression),
      ApiError::kValidation, update_lead + "string value. IndexName: alpha, IndexKey: x");
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"bb", B("")}}), ImageOrigin::kItem),
              ApiError::kValidation, item_lead + "binary value. IndexName: mid, IndexKey: bb");
  ExpectError(CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"bb", B("")}}),
                             ImageOrigin::kUpdateExpression),
              ApiError::kValidation, update_lead + "binary value. IndexName: mid, IndexKey: bb");
  // An empty value of a non-key attribute, or of a mistyped key, is not this error.
  EXPECT_TRUE(
      CheckIndexKeys(def, MakeItem({{"pk", S("p")}, {"other", S("")}}), ImageOrigin::kItem).ok());
}

TEST(ItemCollectionKeyTest, OnlyWithSizeAndAnLsi) {
  const TableDef def = MakeDef();
  const Item item = MakeItem({{"pk", S("p")}, {"sk", N("1")}, {"a", S("x")}});
  EXPECT_EQ(ItemCollectionKey(def, std::string("SIZE"), item), MakeItem({{"pk", S("p")}}));
  EXPECT_FALSE(ItemCollectionKey(def, std::string("NONE"), item).has_value());
  EXPECT_FALSE(ItemCollectionKey(def, std::nullopt, item).has_value());
  TableDef gsi_only = def;
  gsi_only.indexes.erase(gsi_only.indexes.begin());
  EXPECT_FALSE(ItemCollectionKey(gsi_only, std::string("SIZE"), item).has_value());
  TableDef none = def;
  none.indexes.clear();
  EXPECT_FALSE(ItemCollectionKey(none, std::string("SIZE"), item).has_value());
}

// ---- query planning on an index target --------------------------------------------------------

using Op = KeyConditionTerm::Op;

KeyConditionTerm Term(const std::string& attr, Op op, std::vector<const AttributeValue*> values) {
  KeyConditionTerm t;
  t.attribute = attr;
  t.op = op;
  t.values = std::move(values);
  return t;
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kEq:
      return "=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kBetween:
      return "BETWEEN";
    case Op::kBeginsWith:
      return "begins_with";
    case Op::kOther:
      break;
  }
  return "?";
}

std::string RawBytes(const AttributeValue& v) {
  return v.is<item::Binary>() ? v.as<item::Binary>().bytes : v.as<std::string>();
}

TEST(IndexQueryPlanTest, RangesHoldExactlyTheMatchingEntriesOfEveryTableKey) {
  // Several items per index sort-key value: the planned range must hold all of them (an upper
  // bound of exactly p + enc(v) would cut the ones with table keys appended) and no entry of a
  // neighbouring value.
  const std::vector<AttributeValue> pks = {S(std::string("\x00", 1)), S("p"), S("\xff\xff")};
  const std::vector<AttributeValue> sks = {N("-1e5"), N("0"), N("99")};
  for (AttrType type : {AttrType::kN, AttrType::kS, AttrType::kB}) {
    const TableDef def = MakeDef(type, type);
    const std::vector<AttributeValue> values = Ascending(type);
    for (const IndexDef* index : {&def.indexes[1], &def.indexes[0]}) {
      SCOPED_TRACE(std::string(item::AttrTypeName(type)) + " " + index->name);
      const ReadTarget target{&def, index};
      const std::string hash_name = index->hash_key.name;
      const std::string range_name = index->range_key->name;
      // Entries: the queried partition and a neighbour partition.
      const AttributeValue part = index->global ? S("g") : pks[1];
      const AttributeValue other = index->global ? S("h") : S("q");
      struct Entry {
        size_t rank;
        std::string key;
        bool in_partition;
      };
      std::vector<Entry> entries;
      for (size_t v = 0; v < values.size(); ++v) {
        for (size_t p = 0; p < pks.size(); ++p) {
          for (const AttributeValue& sk : sks) {
            for (const AttributeValue* hash : {&part, &other}) {
              Item item = MakeItem({{"pk", index->global ? pks[p] : *hash},
                                    {"sk", sk},
                                    {"gpk", index->global ? *hash : S("g")},
                                    {range_name, values[v]}});
              entries.push_back({v, IndexEntryKey(def, *index, item), hash == &part});
              if (!index->global) break;  // LSI: pk is the partition; one pk per value
            }
          }
        }
      }
      // LSI: add the neighbour partition's entries too.
      if (!index->global) {
        for (size_t v = 0; v < values.size(); ++v) {
          for (const AttributeValue& sk : sks) {
            Item item = MakeItem({{"pk", other}, {"sk", sk}, {range_name, values[v]}});
            entries.push_back({v, IndexEntryKey(def, *index, item), false});
          }
        }
      }
      struct Case {
        Op op;
        std::vector<size_t> operands;  // ranks into `values`
      };
      std::vector<Case> cases;
      for (size_t v : {size_t{0}, size_t{3}, size_t{4}, values.size() - 1}) {
        for (Op op : {Op::kEq, Op::kLt, Op::kLe, Op::kGt, Op::kGe}) cases.push_back({op, {v}});
      }
      cases.push_back({Op::kBetween, {2, 5}});
      cases.push_back({Op::kBetween, {4, 4}});
      cases.push_back({Op::kBetween, {0, values.size() - 1}});
      for (const Case& c : cases) {
        std::vector<const AttributeValue*> operands;
        for (size_t r : c.operands) operands.push_back(&values[r]);
        std::vector<KeyConditionTerm> terms{Term(hash_name, Op::kEq, {&part}),
                                            Term(range_name, c.op, operands)};
        QueryPlan plan;
        ASSERT_TRUE(PlanQuery(target, terms, &plan).ok());
        for (const Entry& e : entries) {
          const size_t a = c.operands[0];
          bool match = false;
          switch (c.op) {
            case Op::kEq:
              match = e.rank == a;
              break;
            case Op::kLt:
              match = e.rank < a;
              break;
            case Op::kLe:
              match = e.rank <= a;
              break;
            case Op::kGt:
              match = e.rank > a;
              break;
            case Op::kGe:
              match = e.rank >= a;
              break;
            case Op::kBetween:
              match = e.rank >= a && e.rank <= c.operands[1];
              break;
            default:
              break;
          }
          match = match && e.in_partition;
          EXPECT_EQ(plan.range.Contains(e.key), match)
              << OpName(c.op) << " operand rank " << a << ", entry rank " << e.rank
              << (e.in_partition ? "" : " (other partition)");
        }
      }
      // begins_with (S and B only).
      if (type == AttrType::kN) {
        const AttributeValue one = N("1");
        QueryPlan plan;
        ExpectError(PlanQuery(target,
                              {Term(hash_name, Op::kEq, {&part}),
                               Term(range_name, Op::kBeginsWith, {&one})},
                              &plan),
                    ApiError::kValidation,
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or "
                    "function; operator or function: begins_with, operand type: N");
        continue;
      }
      for (const std::string& prefix : {std::string("a"), std::string("a\x00", 2),
                                        std::string("\x00", 1), std::string("\xff")}) {
        const AttributeValue pv = type == AttrType::kS ? S(prefix) : B(prefix);
        std::vector<KeyConditionTerm> terms{Term(hash_name, Op::kEq, {&part}),
                                            Term(range_name, Op::kBeginsWith, {&pv})};
        QueryPlan plan;
        ASSERT_TRUE(PlanQuery(target, terms, &plan).ok());
        size_t matched = 0;
        for (const Entry& e : entries) {
          const bool match = e.in_partition && RawBytes(values[e.rank]).starts_with(prefix);
          matched += match;
          EXPECT_EQ(plan.range.Contains(e.key), match)
              << "begins_with " << prefix.size() << "-byte prefix, entry rank " << e.rank;
        }
        EXPECT_GT(matched, 0u);
      }
    }
  }
}

TEST(IndexQueryPlanTest, HashOnlyIndexAndSchemaErrors) {
  const TableDef def = MakeDef();
  const ReadTarget ghash{&def, &def.indexes[2]};
  const AttributeValue g = S("g"), one = N("1");
  QueryPlan plan;
  ASSERT_TRUE(PlanQuery(ghash, {Term("gpk", Op::kEq, {&g})}, &plan).ok());
  EXPECT_EQ(plan.range.start, PartitionPrefix(kTableId, 3, g));
  EXPECT_EQ(plan.range.end, PrefixSuccessor(PartitionPrefix(kTableId, 3, g)));
  for (const char* pk : {"a", "p", "zzz"}) {
    EXPECT_TRUE(plan.range.Contains(
        IndexEntryKey(def, def.indexes[2], MakeItem({{"pk", S(pk)}, {"sk", N("5")}, {"gpk", g}}))));
    EXPECT_FALSE(plan.range.Contains(IndexEntryKey(
        def, def.indexes[2], MakeItem({{"pk", S(pk)}, {"sk", N("5")}, {"gpk", S("gg")}}))));
    // The same key values in index 2 are outside.
    EXPECT_FALSE(plan.range.Contains(
        IndexEntryKey(def, def.indexes[1],
                      MakeItem({{"pk", S(pk)}, {"sk", N("5")}, {"gpk", g}, {"gsk", N("1")}}))));
  }
  // The index's schema counts, not the table's.
  const ReadTarget gsi{&def, &def.indexes[1]};
  const AttributeValue p = S("p");
  ExpectError(PlanQuery(gsi, {Term("pk", Op::kEq, {&p})}, &plan), ApiError::kValidation,
              "Query condition missed key schema element: gpk");
  ExpectError(PlanQuery(gsi, {Term("gpk", Op::kEq, {&g}), Term("sk", Op::kEq, {&one})}, &plan),
              ApiError::kValidation, "Query condition missed key schema element: gsk");
  ExpectError(PlanQuery(gsi, {Term("gpk", Op::kEq, {&g}), Term("gsk", Op::kEq, {&g})}, &plan),
              ApiError::kValidation,
              "One or more parameter values were invalid: Condition parameter type does not "
              "match schema type");
  ExpectError(PlanQuery(ghash, {Term("gpk", Op::kEq, {&g}), Term("gsk", Op::kEq, {&one})}, &plan),
              ApiError::kValidation, "Query key condition not supported");
}

TEST(IndexQueryPlanTest, SegmentRangeWithAnIndexId) {
  const TableDef def = MakeDef();
  const KeyRange whole = SegmentRange(kTableId, 0, 1, 2);
  EXPECT_EQ(whole.start, IndexPrefix(kTableId, 2) + std::string(8, '\0'));
  EXPECT_EQ(whole.end, std::string("\x00\x00\x00\x09\x03", 5));
  // Every entry of index 2 is in exactly one of 3 segments; entries of indexes 1, 3 and base
  // items are in none.
  std::vector<KeyRange> segments;
  for (uint64_t i = 0; i < 3; ++i) segments.push_back(SegmentRange(kTableId, i, 3, 2));
  EXPECT_EQ(segments[0].start, whole.start);
  EXPECT_EQ(segments[1].start, segments[0].end);
  EXPECT_EQ(segments[2].start, segments[1].end);
  EXPECT_EQ(segments[2].end, whole.end);
  std::vector<size_t> per_segment(3, 0);
  for (int i = 0; i < 300; ++i) {
    const Item item = MakeItem({{"pk", S("p" + std::to_string(i))},
                                {"sk", N("1")},
                                {"lsk", S("l")},
                                {"gpk", S("g" + std::to_string(i))},
                                {"gsk", N(std::to_string(i))}});
    int hits = 0;
    for (size_t s = 0; s < 3; ++s) {
      if (segments[s].Contains(IndexEntryKey(def, def.indexes[1], item))) {
        ++hits;
        ++per_segment[s];
      }
      EXPECT_FALSE(segments[s].Contains(IndexEntryKey(def, def.indexes[0], item)));
      EXPECT_FALSE(segments[s].Contains(IndexEntryKey(def, def.indexes[2], item)));
      EXPECT_FALSE(segments[s].Contains(TargetKey(ReadTarget{&def, nullptr}, item)));
    }
    EXPECT_EQ(hits, 1);
  }
  for (size_t n : per_segment) EXPECT_GT(n, 50u);  // the hash spreads partitions
}

// ---- IndexWrites -----------------------------------------------------------------------------

// Counts a batch's operations and remembers their keys and values.
class BatchRecorder : public engine::WriteBatch::Handler {
 public:
  void Put(std::string_view key, std::string_view value) override {
    puts.emplace_back(std::string(key), std::string(value));
  }
  void Delete(std::string_view key) override { deletes.emplace_back(key); }
  std::vector<std::pair<std::string, std::string>> puts;
  std::vector<std::string> deletes;
};

BatchRecorder Record(const engine::WriteBatch& batch) {
  BatchRecorder r;
  EXPECT_TRUE(batch.Iterate(&r).ok());
  EXPECT_EQ(batch.Count(), r.puts.size() + r.deletes.size());
  return r;
}

// An item of exactly `size` item::ItemSize bytes with the given attributes plus "pad".
Item Sized(std::initializer_list<std::pair<std::string, AttributeValue>> attrs, size_t size) {
  Item item = MakeItem(attrs);
  const size_t base = item::ItemSize(item) + 3;  // "pad"
  EXPECT_GE(size, base);
  item::SetAttribute(&item, "pad", S(std::string(size - base, 'x')));
  EXPECT_EQ(item::ItemSize(item), size);
  return item;
}

// One ALL GSI "all" on gpk (id 1) and one KEYS_ONLY GSI "keys" on gpk (id 2).
TableDef WritesDef() {
  TableDef def;
  def.table_id = 5;
  def.name = "W";
  def.hash_key = {"pk", AttrType::kS};
  IndexDef all;
  all.index_id = 1;
  all.global = true;
  all.name = "all";
  all.hash_key = {"gpk", AttrType::kS};
  all.projection = ProjectionType::kAll;
  IndexDef keys = all;
  keys.index_id = 2;
  keys.name = "keys";
  keys.projection = ProjectionType::kKeysOnly;
  def.indexes = {all, keys};
  return def;
}

int64_t UnitsOf(const ConsumedCapacity& c, const std::string& name) {
  for (const auto& u : c.indexes) {
    if (u.name == name) return u.half_units;
  }
  return 0;
}

TEST(IndexWritesTest, EntryAddedAndRemoved) {
  const TableDef def = WritesDef();
  const Item item = Sized({{"pk", S("k")}, {"gpk", S("g")}}, 1536);  // 1.5 KB
  const Item keys_image = MakeItem({{"gpk", S("g")}, {"pk", S("k")}});
  {
    IndexWrites w;
    engine::WriteBatch batch;
    w.Add(def, nullptr, &item, &batch);
    BatchRecorder r = Record(batch);
    ASSERT_EQ(r.puts.size(), 2u);
    EXPECT_TRUE(r.deletes.empty());
    EXPECT_EQ(r.puts[0].first, IndexEntryKey(def, def.indexes[0], item));
    EXPECT_EQ(r.puts[1].first, IndexEntryKey(def, def.indexes[1], item));
    Item decoded;
    ASSERT_TRUE(item::DecodeItem(r.puts[0].second, &decoded).ok());
    EXPECT_EQ(decoded, item);
    ASSERT_TRUE(item::DecodeItem(r.puts[1].second, &decoded).ok());
    EXPECT_EQ(decoded, keys_image);
    ConsumedCapacity c;
    w.AddUnits(&c);
    EXPECT_EQ(UnitsOf(c, "all"), 4);   // 1.5 KB -> 2 units
    EXPECT_EQ(UnitsOf(c, "keys"), 2);  // 7 bytes -> 1 unit
    ASSERT_EQ(c.indexes.size(), 2u);
    EXPECT_TRUE(c.indexes[0].global);
    EXPECT_EQ(c.half_units, 0);  // the table's own units are the caller's
    TableRuntime rt;
    rt.index_stats[1].item_count = 10;
    rt.index_stats[1].size_bytes = 1000;
    w.Commit(&rt);
    EXPECT_EQ(rt.index_stats[1].item_count.load(), 11);
    EXPECT_EQ(rt.index_stats[1].size_bytes.load(), 1000 + 1536);
    EXPECT_EQ(rt.index_stats[2].item_count.load(), 1);
    EXPECT_EQ(rt.index_stats[2].size_bytes.load(),
              static_cast<int64_t>(item::ItemSize(keys_image)));
    EXPECT_EQ(rt.item_count.load(), 0);  // table statistics untouched
    EXPECT_EQ(rt.index_stats[0].item_count.load(), 0);
  }
  {
    IndexWrites w;
    engine::WriteBatch batch;
    w.Add(def, &item, nullptr, &batch);
    BatchRecorder r = Record(batch);
    EXPECT_TRUE(r.puts.empty());
    ASSERT_EQ(r.deletes.size(), 2u);
    EXPECT_EQ(r.deletes[0], IndexEntryKey(def, def.indexes[0], item));
    EXPECT_EQ(r.deletes[1], IndexEntryKey(def, def.indexes[1], item));
    ConsumedCapacity c;
    w.AddUnits(&c);
    EXPECT_EQ(UnitsOf(c, "all"), 4);
    EXPECT_EQ(UnitsOf(c, "keys"), 2);
    TableRuntime rt;
    rt.index_stats[1].item_count = 1;
    rt.index_stats[1].size_bytes = 1536;
    w.Commit(&rt);
    EXPECT_EQ(rt.index_stats[1].item_count.load(), 0);
    EXPECT_EQ(rt.index_stats[1].size_bytes.load(), 0);
    EXPECT_EQ(rt.index_stats[2].item_count.load(), -1);
  }
}

TEST(IndexWritesTest, KeyChangeIsDeletePlusPut) {
  const TableDef def = WritesDef();
  const Item old_item = Sized({{"pk", S("k")}, {"gpk", S("g")}}, 1536);
  const Item new_item = Sized({{"pk", S("k")}, {"gpk", S("h")}}, 600);
  IndexWrites w;
  engine::WriteBatch batch;
  w.Add(def, &old_item, &new_item, &batch);
  BatchRecorder r = Record(batch);
  ASSERT_EQ(r.deletes.size(), 2u);
  ASSERT_EQ(r.puts.size(), 2u);
  EXPECT_EQ(r.deletes[0], IndexEntryKey(def, def.indexes[0], old_item));
  EXPECT_EQ(r.puts[0].first, IndexEntryKey(def, def.indexes[0], new_item));
  EXPECT_NE(r.deletes[0], r.puts[0].first);
  ConsumedCapacity c;
  w.AddUnits(&c);
  EXPECT_EQ(UnitsOf(c, "all"), 4 + 2);   // old 2 units + new 1 unit
  EXPECT_EQ(UnitsOf(c, "keys"), 2 + 2);  // 1 + 1
  TableRuntime rt;
  w.Commit(&rt);
  EXPECT_EQ(rt.index_stats[1].item_count.load(), 0);
  EXPECT_EQ(rt.index_stats[1].size_bytes.load(), 600 - 1536);
  EXPECT_EQ(rt.index_stats[2].item_count.load(), 0);
  EXPECT_EQ(rt.index_stats[2].size_bytes.load(), 0);  // same key sizes: "g" vs "h"
}

TEST(IndexWritesTest, ProjectedChangeRewritesNonProjectedChangeWritesNothing) {
  const TableDef def = WritesDef();
  const Item old_item = Sized({{"pk", S("k")}, {"gpk", S("g")}}, 1536);
  const Item new_item = Sized({{"pk", S("k")}, {"gpk", S("g")}}, 2500);
  IndexWrites w;
  engine::WriteBatch batch;
  w.Add(def, &old_item, &new_item, &batch);
  BatchRecorder r = Record(batch);
  // Only the ALL index sees the change of "pad": one overwrite, no delete.
  EXPECT_TRUE(r.deletes.empty());
  ASSERT_EQ(r.puts.size(), 1u);
  EXPECT_EQ(r.puts[0].first, IndexEntryKey(def, def.indexes[0], new_item));
  Item decoded;
  ASSERT_TRUE(item::DecodeItem(r.puts[0].second, &decoded).ok());
  EXPECT_EQ(decoded, new_item);
  ConsumedCapacity c;
  w.AddUnits(&c);
  EXPECT_EQ(UnitsOf(c, "all"), 6);  // max(1.5 KB, 2.44 KB) -> 3 units
  ASSERT_EQ(c.indexes.size(), 1u);  // nothing for "keys"
  EXPECT_EQ(c.indexes[0].name, "all");
  TableRuntime rt;
  w.Commit(&rt);
  EXPECT_EQ(rt.index_stats[1].item_count.load(), 0);
  EXPECT_EQ(rt.index_stats[1].size_bytes.load(), 2500 - 1536);
  EXPECT_EQ(rt.index_stats[2].item_count.load(), 0);
  EXPECT_EQ(rt.index_stats[2].size_bytes.load(), 0);

  // The same write on a table with only the KEYS_ONLY index: no batch entry, no units.
  TableDef keys_only = def;
  keys_only.indexes.erase(keys_only.indexes.begin());
  IndexWrites w2;
  engine::WriteBatch batch2;
  w2.Add(keys_only, &old_item, &new_item, &batch2);
  EXPECT_EQ(batch2.Count(), 0u);
  ConsumedCapacity c2;
  w2.AddUnits(&c2);
  EXPECT_TRUE(c2.indexes.empty());
  EXPECT_EQ(c2.TotalHalfUnits(), 0);
  TableRuntime rt2;
  rt2.index_stats[2].item_count = 3;
  rt2.index_stats[2].size_bytes = 30;
  w2.Commit(&rt2);
  EXPECT_EQ(rt2.index_stats[2].item_count.load(), 3);
  EXPECT_EQ(rt2.index_stats[2].size_bytes.load(), 30);
}

TEST(IndexWritesTest, IncludeProjectionAndSparseTransitions) {
  TableDef def = WritesDef();
  def.indexes[1].projection = ProjectionType::kInclude;
  def.indexes[1].non_key_attributes = {"inc"};
  def.indexes.erase(def.indexes.begin());  // only "keys" (now INCLUDE [inc])
  const Item base = MakeItem({{"pk", S("k")}, {"gpk", S("g")}, {"inc", S("1")}, {"x", S("1")}});
  struct Case {
    const char* what;
    std::optional<Item> old_item, new_item;
    uint32_t puts, deletes;
    int64_t half_units, count, bytes;
  };
  Item inc_changed = base;
  item::SetAttribute(&inc_changed, "inc", S("22"));
  Item x_changed = base;
  item::SetAttribute(&x_changed, "x", S("22"));
  Item no_gpk = base;
  no_gpk.erase(
      std::find_if(no_gpk.begin(), no_gpk.end(), [](const auto& a) { return a.first == "gpk"; }));
  Item wrong_gpk = base;
  item::SetAttribute(&wrong_gpk, "gpk", N("1"));
  const int64_t image = 3 + 1 + 2 + 1 + 3 + 1;  // gpk:g pk:k inc:1
  const std::vector<Case> cases = {
      {"included attribute changed", base, inc_changed, 1, 0, 2, 0, 1},
      {"other attribute changed", base, x_changed, 0, 0, 0, 0, 0},
      {"key attribute removed", base, no_gpk, 0, 1, 2, -1, -image},
      {"key attribute added", no_gpk, base, 1, 0, 2, 1, image},
      {"key attribute mistyped", base, wrong_gpk, 0, 1, 2, -1, -image},
      {"never indexed", no_gpk, wrong_gpk, 0, 0, 0, 0, 0},
      {"created outside", std::nullopt, no_gpk, 0, 0, 0, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    IndexWrites w;
    engine::WriteBatch batch;
    w.Add(def, c.old_item ? &*c.old_item : nullptr, c.new_item ? &*c.new_item : nullptr, &batch);
    BatchRecorder r = Record(batch);
    EXPECT_EQ(r.puts.size(), c.puts);
    EXPECT_EQ(r.deletes.size(), c.deletes);
    ConsumedCapacity units;
    w.AddUnits(&units);
    EXPECT_EQ(UnitsOf(units, "keys"), c.half_units);
    TableRuntime rt;
    w.Commit(&rt);
    EXPECT_EQ(rt.index_stats[2].item_count.load(), c.count);
    EXPECT_EQ(rt.index_stats[2].size_bytes.load(), c.bytes);
  }
}

TEST(IndexWritesTest, LocalIndexSortKeyChangeAndAccumulationOverSeveralItems) {
  const TableDef def = MakeDef();  // lsi KEYS_ONLY, gsi INCLUDE, ghash ALL
  const Item a_old =
      MakeItem({{"pk", S("a")}, {"sk", N("1")}, {"lsk", S("x")}, {"gpk", S("g")}, {"b", S("1")}});
  Item a_new = a_old;
  item::SetAttribute(&a_new, "lsk", S("y"));  // LSI key moves; GSIs: lsk not projected by gsi
  const Item b_new = MakeItem({{"pk", S("b")}, {"sk", N("1")}, {"gpk", S("g")}, {"gsk", N("5")}});
  IndexWrites w;
  engine::WriteBatch batch;
  w.Add(def, &a_old, &a_new, &batch);   // lsi: delete+put; gsi: absent; ghash: overwrite (ALL)
  w.Add(def, nullptr, &b_new, &batch);  // gsi: put; ghash: put
  BatchRecorder r = Record(batch);
  EXPECT_EQ(r.deletes.size(), 1u);
  EXPECT_EQ(r.puts.size(), 4u);
  ASSERT_EQ(r.deletes.size(), 1u);
  EXPECT_EQ(r.deletes[0], IndexEntryKey(def, def.indexes[0], a_old));
  ConsumedCapacity c;
  w.AddUnits(&c);
  EXPECT_EQ(UnitsOf(c, "lsi"), 4);
  EXPECT_EQ(UnitsOf(c, "gsi"), 2);
  EXPECT_EQ(UnitsOf(c, "ghash"), 4);
  for (const auto& u : c.indexes) EXPECT_EQ(u.global, u.name != "lsi") << u.name;
  // AddUnits merges into entries already present.
  w.AddUnits(&c);
  EXPECT_EQ(UnitsOf(c, "ghash"), 8);
  EXPECT_EQ(c.indexes.size(), 3u);
  TableRuntime rt;
  w.Commit(&rt);
  EXPECT_EQ(rt.index_stats[1].item_count.load(), 0);
  EXPECT_EQ(rt.index_stats[2].item_count.load(), 1);
  EXPECT_EQ(rt.index_stats[3].item_count.load(), 1);
  EXPECT_EQ(rt.index_stats[2].size_bytes.load(),
            static_cast<int64_t>(item::ItemSize(ProjectForIndex(def, def.indexes[1], b_new))));
  EXPECT_EQ(rt.index_stats[3].size_bytes.load(), static_cast<int64_t>(item::ItemSize(b_new)));
}

}  // namespace
}  // namespace strata::tables
