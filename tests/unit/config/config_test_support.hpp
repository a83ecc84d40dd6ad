// Helpers shared by the settings tests: temporary setting.toml files and source paths.
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "core/config/settings.hpp"
#include "support/test_paths.hpp"

namespace g2a::config::testing {

inline std::filesystem::path source_dir() {
  return g2a::test::source_dir();
}

// A file in the temp folder, removed when the object goes.
class TempToml {
 public:
  explicit TempToml(const std::string& text) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() / ("g2a-config-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(counter++) + ".toml");
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempToml() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempToml(const TempToml&) = delete;
  TempToml& operator=(const TempToml&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Loaded load_text(const std::string& toml, std::map<std::string, std::string> env = {},
                        std::string saved = "") {
  TempToml file(toml);
  return load(Sources{file.path(), std::move(env), std::move(saved)});
}

inline Loaded load_env(std::map<std::string, std::string> env) {
  return load(Sources{{}, std::move(env), ""});
}

inline bool has_warning(const Loaded& loaded, std::string_view part) {
  for (const auto& w : loaded.warnings) {
    if (w.find(part) != std::string::npos) return true;
  }
  return false;
}

// The message of the ConfigError that f throws, or "" when it throws none.
template <typename F>
std::string config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace g2a::config::testing
