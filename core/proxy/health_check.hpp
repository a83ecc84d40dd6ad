// Reachability through a proxy: the probe behind POST /api/proxies/test, and the background
// check that re-admits unhealthy proxies (every grok.proxy_health_interval s, a GET to
// grok.proxy_health_url, default grok.upstream_url). Any HTTP answer counts as reachable,
// a 403 included: Cloudflare answering means the proxy works; clearance is another matter.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/config/settings.hpp"
#include "core/upstream/grok/identity.hpp"

namespace g2a::upstream {
class HttpClient;
class Signal;
}  // namespace g2a::upstream
namespace g2a::runtime {
class PeriodicTask;
}

namespace g2a::proxy {

class ProxyPool;

struct ProbeResult {
  bool reachable = false;
  long status_code = 0;      // 0 when no HTTP answer came
  double response_time = 0;  // s
  std::string error;         // why it was not reachable (credentials masked)
  std::string note;          // in words, for the admin console
};

// The URL probes fetch: grok.proxy_health_url, else grok.upstream_url.
std::string health_url(const config::Settings& s);

// GETs url through egress (its proxy and User-Agent). Never throws.
boost::asio::awaitable<ProbeResult> probe(upstream::HttpClient& http, std::string url,
                                          upstream::grok::Egress egress,
                                          std::chrono::milliseconds timeout);

class HealthChecker {
 public:
  using SettingsFn = std::function<std::shared_ptr<const config::Settings>()>;
  HealthChecker(boost::asio::any_io_executor io, ProxyPool& pool, upstream::HttpClient& http,
                SettingsFn settings,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  void start();  // every grok.proxy_health_interval s (0 = paused)
  void stop();   // a round under way finishes
  // One round: probes each unhealthy proxy (8 at a time); returns how many were
  // re-admitted.
  boost::asio::awaitable<size_t> check_once();

 private:
  // Probes one proxy and records the outcome; finished(ok) says whether it was the last
  // of its batch, which then notifies done.
  boost::asio::awaitable<void> probe_one(std::string proxy, std::string url,
                                         std::shared_ptr<upstream::Signal> done,
                                         std::function<bool(bool)> finished);

  ProxyPool& pool_;
  upstream::HttpClient& http_;
  SettingsFn settings_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<runtime::PeriodicTask> task_;
};

}  // namespace g2a::proxy
