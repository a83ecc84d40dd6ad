// What route handlers share: the live settings and the components of the gateway.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/config/settings.hpp"

namespace g2a::storage {
class Store;
}
namespace g2a::calllog {
class Recorder;
class EventFeed;
}  // namespace g2a::calllog
namespace g2a::admin {
class Sessions;
class ApiKeys;
class LoginThrottle;
}  // namespace g2a::admin
namespace g2a::plugin {
class Manager;
}
namespace g2a::runtime {
class BlockingPool;
}
namespace g2a::proxy {
class EgressService;
}
namespace g2a::upstream {
class HttpClient;
namespace grok {
class SignerHost;
class GrokClient;
}  // namespace grok
}  // namespace g2a::upstream

namespace g2a::app {

struct AppContext {
  std::atomic<std::shared_ptr<const config::Settings>> settings;
  config::Sources sources;       // file and environment, for reloads
  std::set<std::string> pinned;  // keys fixed by the environment
  bool file_found = false;
  std::string data_dir;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  storage::Store* store = nullptr;
  calllog::Recorder* call_log = nullptr;  // set before the routes are added
  calllog::EventFeed* events = nullptr;   // state events for log sinks (token, proxy, video)
  admin::Sessions* sessions = nullptr;
  admin::ApiKeys* api_keys = nullptr;              // the /v1 keys and their rpm counters
  admin::LoginThrottle* login_throttle = nullptr;  // failed logins per client IP and user
  plugin::Manager* plugins = nullptr;              // GET /api/plugins
  runtime::BlockingPool* blocking = nullptr;
  upstream::HttpClient* http = nullptr;
  upstream::grok::SignerHost* signer = nullptr;  // null when the signer plugin did not load
  upstream::grok::GrokClient* grok = nullptr;    // null likewise
  proxy::EgressService* egress = nullptr;        // the proxy pool: the egress of each upstream call

  std::mutex settings_write;  // one settings change at a time
  // Applies the current settings to running components (log level, limits, ...).
  std::function<void(const config::Settings&)> apply;

  std::shared_ptr<const config::Settings> current() const { return settings.load(); }
};

}  // namespace g2a::app
