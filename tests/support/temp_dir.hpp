// A fresh directory under $TMPDIR (or /tmp) for one test, removed with its contents.
#pragma once

#include <filesystem>
#include <string>

namespace g2a::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Keep the directory after the test (for a post-mortem).
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace g2a::test
