// Logging: one spdlog logger per component tag ("[Storage]", "[Plugin]", ...), all
// writing to stdout and to a size-rotated file (logs/app.log, as the Pro service did).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace g2a::ops {

struct LogOptions {
  std::string level = "INFO";  // TRACE DEBUG INFO WARN WARNING ERROR CRITICAL
  std::string file;            // "" = stdout only
  size_t file_max_bytes = 10u << 20;
  size_t file_count = 5;
};

// Installs the sinks; loggers created before keep working and pick up the new sinks.
void configure_logging(const LogOptions& options);
// Changes the level of every logger (SIGHUP reload).
void set_log_level(const std::string& level);
// The logger for a component tag; created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& tag);
// Flushes every logger.
void flush_logs();

}  // namespace g2a::ops
