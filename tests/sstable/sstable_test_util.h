#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "sstable/file.h"
#include "sstable/table_builder.h"
#include "sstable/table_reader.h"

namespace strata::sstable::test {

using Model = std::map<std::string, std::string>;

// A random key of 1..max_len bytes over a small alphabet (so keys share prefixes).
inline std::string RandomKey(std::mt19937_64& rng, size_t max_len = 24) {
  size_t len = 1 + rng() % max_len;
  std::string key(len, '\0');
  for (char& c : key) c = static_cast<char>('a' + rng() % 4);
  return key;
}

inline std::string RandomBytes(std::mt19937_64& rng, size_t len) {
  std::string s(len, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Builds a table of `model` into a string.
inline std::string BuildTable(const TableOptions& options, const Model& model,
                              TableProperties* props = nullptr) {
  std::string contents;
  StringWritableFile file(&contents, "test.sst");
  TableBuilder builder(options, &file);
  for (const auto& [k, v] : model) {
    Status s = builder.Add(k, v);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status s = builder.Finish();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(builder.FileSize(), contents.size());
  if (props != nullptr) *props = builder.properties();
  return contents;
}

inline Result<std::unique_ptr<TableReader>> OpenTable(const TableOptions& options,
                                                      std::string contents,
                                                      uint64_t file_number = 1) {
  uint64_t size = contents.size();
  return TableReader::Open(
      options, std::make_unique<StringRandomAccessFile>(std::move(contents), "test.sst"), size,
      file_number);
}

}  // namespace strata::sstable::test
