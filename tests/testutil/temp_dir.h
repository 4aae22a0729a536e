#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace strata::test {

// A fresh directory under /tmp, removed with its contents on destruction.
// Thread-safety: none needed (owned by one test). Lifecycle: RAII.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/strata_test_XXXXXX";
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace strata::test
