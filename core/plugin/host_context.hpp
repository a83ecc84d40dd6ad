// What the host keeps per plugin instance; handed to the plugin as g2a_host_ctx*.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include <grok2api/plugin.h>

namespace spdlog {
class logger;
}
namespace g2a::runtime {
class BlockingPool;
}
namespace g2a::upstream {
class HttpClient;
}

namespace g2a::plugin {

struct Paths {
  std::string data_dir;
  std::string cache_dir;
  std::string logs_dir;
};

struct TimerSlot;

}  // namespace g2a::plugin

// Defined here, opaque to plugins.
struct g2a_host_ctx {
  std::string plugin_id;
  std::shared_ptr<spdlog::logger> log;
  std::string config_json = "{}";
  // Live defaults for keys config_json does not set (a JSON object), or empty.
  std::function<std::string()> config_defaults;
  g2a::plugin::Paths paths;
  boost::asio::any_io_executor io;  // timers and completions run here
  g2a::runtime::BlockingPool* blocking = nullptr;
  g2a::upstream::HttpClient* http = nullptr;  // host->http_request
  std::string default_user_agent;             // when a plugin's request sets none
  std::mutex timers_mutex;
  std::map<uint64_t, std::shared_ptr<g2a::plugin::TimerSlot>> timers;
  std::atomic<uint64_t> next_id{1};
};

namespace g2a::plugin {

// The host service table every plugin receives.
const g2a_host_v1* host_table();

// A plugin's config table (JSON) with the keys of defaults (a JSON object) it does not set;
// the table unchanged when either is not a JSON object.
std::string merge_config_defaults(const std::string& table, const std::string& defaults);

// Stops every timer of a context; none fires once this returns.
void stop_all_timers(g2a_host_ctx* ctx);

}  // namespace g2a::plugin
