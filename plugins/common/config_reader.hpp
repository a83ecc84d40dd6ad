// Reading a bundled plugin's config table (the JSON that host->config_get gives): typed
// options with their checks, so every plugin names a bad key the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace g2a::plugin_common {

class ConfigReader {
 public:
  // Throws std::invalid_argument when json is not an object.
  explicit ConfigReader(std::string_view json);
  ~ConfigReader();

  // An http:// or https:// URL, or "" when absent or empty. Throws std::invalid_argument
  // naming the key (never the value: it may hold a key or a password) otherwise.
  std::string http_url(const char* key) const;
  // Whole milliseconds from min to max; fallback when absent. Throws naming the key.
  uint32_t milliseconds(const char* key, uint32_t fallback, uint32_t min, uint32_t max) const;

 private:
  std::unique_ptr<boost::json::value> table_;
};

}  // namespace g2a::plugin_common
