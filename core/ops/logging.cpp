#include "core/ops/logging.hpp"

#include <mutex>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace g2a::ops {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

spdlog::level::level_enum parse_level(std::string level) {
  for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (level == "TRACE") return spdlog::level::trace;
  if (level == "DEBUG") return spdlog::level::debug;
  if (level == "WARN" || level == "WARNING") return spdlog::level::warn;
  if (level == "ERROR") return spdlog::level::err;
  if (level == "CRITICAL") return spdlog::level::critical;
  return spdlog::level::info;
}

void ensure_default_sinks() {
  if (g_sinks.empty()) {
    auto out = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    out->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
    g_sinks.push_back(out);
  }
}

}  // namespace

void configure_logging(const LogOptions& options) {
  std::lock_guard lock(g_mutex);
  g_sinks.clear();
  ensure_default_sinks();
  if (!options.file.empty()) {
    auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        options.file, options.file_max_bytes, options.file_count);
    file->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l [%n] %v");
    g_sinks.push_back(file);
  }
  g_level = parse_level(options.level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
    l->sinks() = g_sinks;
    l->set_level(g_level);
  });
}

void set_log_level(const std::string& level) {
  std::lock_guard lock(g_mutex);
  g_level = parse_level(level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(g_level); });
}

std::shared_ptr<spdlog::logger> logger(const std::string& tag) {
  if (auto existing = spdlog::get(tag)) return existing;
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(tag)) return existing;
  ensure_default_sinks();
  auto l = std::make_shared<spdlog::logger>(tag, g_sinks.begin(), g_sinks.end());
  l->set_level(g_level);
  l->flush_on(spdlog::level::warn);
  spdlog::register_logger(l);
  return l;
}

void flush_logs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

}  // namespace g2a::ops
