// setting.toml as an operator (or a migration) hands it over, and the same bytes as saved
// settings JSON (what the admin API stores): parsing and validation must reject anything
// bad with a ConfigError, never crash.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int fd = memfd_create("setting.toml", 0);
  if (fd < 0) return 0;
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
  g2a::config::Sources sources;
  sources.file = "/proc/self/fd/" + std::to_string(fd);
  try {
    auto loaded = g2a::config::load(sources);
    (void)g2a::config::to_json(loaded.settings, false);
  } catch (const g2a::config::ConfigError&) {
  }
  g2a::config::Sources saved;
  saved.saved_json.assign(reinterpret_cast<const char*>(data), size);
  try {
    auto loaded = g2a::config::load(saved);
    (void)g2a::config::to_json(loaded.settings, false);
  } catch (const g2a::config::ConfigError&) {
  }
  return 0;
}
