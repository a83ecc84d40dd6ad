#include "core/proxy/health_check.hpp"

#include <algorithm>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/proxy_pool.hpp"
#include "core/runtime/periodic_task.hpp"
#include "core/upstream/http_client.hpp"
#include "core/upstream/signal.hpp"

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
  auto unhealthy = pool_.unhealthy();
  // Up to kParallel probes at a time: a dead proxy costs a whole timeout.
  constexpr size_t kParallel = 8;
  struct Round {
    std::mutex mutex;
    size_t running = 0;
    size_t readmitted = 0;
    std::shared_ptr<upstream::Signal> done;
  };
  auto ex = co_await asio::this_coro::executor;
  auto round = std::make_shared<Round>();
  for (size_t begin = 0; begin < unhealthy.size(); begin += kParallel) {
    size_t end = std::min(unhealthy.size(), begin + kParallel);
    round->done = upstream::Signal::create(ex);
    round->running = end - begin;
    for (size_t i = begin; i < end; ++i) {
      std::function<bool(bool)> finished = [round](bool ok) {
        std::lock_guard lock(round->mutex);
        if (ok) ++round->readmitted;
        return --round->running == 0;
      };
      auto one = probe_one(unhealthy[i], url, round->done, std::move(finished));
      asio::co_spawn(ex, std::move(one), asio::detached);
    }
    for (;;) {
      {
        std::lock_guard lock(round->mutex);
        if (round->running == 0) break;
      }
      co_await round->done->wait(upstream::Signal::Clock::time_point::max());
    }
  }
  co_return round->readmitted;
}

asio::awaitable<void> HealthChecker::probe_one(std::string proxy, std::string url,
                                               std::shared_ptr<upstream::Signal> done,
                                               std::function<bool(bool)> finished) {
  bool ok = false;
  try {
    auto op = probe(http_, url, pool_.egress_of(proxy), timeout_);
    auto r = co_await std::move(op);
    ok = r.reachable;
    if (ok) {
      pool_.probe_ok(proxy);
    } else {
      pool_.probe_failed(proxy, r.error);
      ops::logger("ProxyHealth")
          ->debug("{} still unreachable: {}", ops::mask_url_credentials(proxy), r.error);
    }
  } catch (const std::exception& e) {
    ops::logger("ProxyHealth")
        ->warn("probe of {} failed: {}", ops::mask_url_credentials(proxy), e.what());
  }
  if (finished(ok)) done->notify();
}

}  // namespace g2a::proxy
