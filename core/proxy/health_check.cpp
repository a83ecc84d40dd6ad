#include "core/proxy/health_check.hpp"

#include <fmt/format.h>

#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/proxy_pool.hpp"
#include "core/runtime/periodic_task.hpp"
#include "core/upstream/http_client.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

namespace {

std::string note_for(long status) {
  if (status == 403)
    return "reachable; the upstream answered 403 (Cloudflare): the egress needs a clearance "
           "(连接正常，但被 Cloudflare 拦截)";
  if (status >= 200 && status < 400) return "reachable (连接正常)";
  return fmt::format("reachable; the upstream answered HTTP {} (代理可用，上游返回 {})", status,
                     status);
}

}  // namespace

std::string health_url(const config::Settings& s) {
  return s.grok.proxy_health_url.empty() ? s.grok.upstream_url : s.grok.proxy_health_url;
}

asio::awaitable<ProbeResult> probe(upstream::HttpClient& http, std::string url,
                                   upstream::grok::Egress egress,
                                   std::chrono::milliseconds timeout) {
  upstream::HttpRequest req;
  req.url = std::move(url);
  req.proxy = egress.proxy_url;
  req.headers.emplace_back("User-Agent", egress.user_agent);
  req.headers.emplace_back("Accept", "text/html,application/json;q=0.9,*/*;q=0.8");
  req.connect_timeout = timeout;
  req.total_timeout = timeout;
  ProbeResult r;
  auto started = std::chrono::steady_clock::now();
  try {
    auto op = http.fetch(std::move(req), timeout, 1u << 20);
    auto answer = co_await std::move(op);
    r.reachable = true;
    r.status_code = answer.head.status;
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  r.response_time =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!r.reachable) {
    std::string masked = ops::mask_url_credentials(egress.proxy_url);
    if (!egress.proxy_url.empty())
      for (size_t at = r.error.find(egress.proxy_url); at != std::string::npos;
           at = r.error.find(egress.proxy_url, at + masked.size()))
        r.error.replace(at, egress.proxy_url.size(), masked);
    r.error = ops::mask_urls_in_text(r.error);
    r.note = "not reachable through this proxy (代理不可用): " + r.error;
  } else {
    r.note = note_for(r.status_code);
  }
  co_return r;
}

HealthChecker::HealthChecker(asio::any_io_executor io, ProxyPool& pool, upstream::HttpClient& http,
                             SettingsFn settings, std::chrono::milliseconds timeout)
    : pool_(pool), http_(http), settings_(std::move(settings)), timeout_(timeout) {
  task_ = std::make_unique<runtime::PeriodicTask>(
      std::move(io),
      [this] { return static_cast<double>(settings_()->grok.proxy_health_interval); },
      [this]() -> asio::awaitable<void> {
        auto op = check_once();
        co_await std::move(op);
      },
      "ProxyHealth");
}

HealthChecker::~HealthChecker() {
  stop();
}

void HealthChecker::start() {
  task_->start();
}

void HealthChecker::stop() {
  task_->stop();
}

asio::awaitable<size_t> HealthChecker::check_once() {
  auto s = settings_();
  std::string url = health_url(*s);
  size_t readmitted = 0;
  for (const auto& proxy : pool_.unhealthy()) {
    auto egress = pool_.egress_of(proxy);
    auto op = probe(http_, url, std::move(egress), timeout_);
    auto r = co_await std::move(op);
    if (r.reachable) {
      pool_.probe_ok(proxy);
      ++readmitted;
    } else {
      pool_.probe_failed(proxy, r.error);
      ops::logger("ProxyHealth")
          ->debug("{} still unreachable: {}", ops::mask_url_credentials(proxy), r.error);
    }
  }
  co_return readmitted;
}

}  // namespace g2a::proxy
