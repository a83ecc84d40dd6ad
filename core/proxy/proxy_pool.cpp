#include "core/proxy/proxy_pool.hpp"

#include <atomic>
#include <mutex>

#include "core/calllog/state_event.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/proxy/proxy_table.hpp"
#include "core/proxy/proxy_url.hpp"
#include "core/proxy/single_flight.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/periodic_task.hpp"
#include "core/storage/store.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kDirect = "direct";
// After a failed clearance solve, challenged requests on that egress move on for this long.
constexpr int64_t kClearanceRetryGapMs = 30'000;

// An error text that may quote the proxy URL (curl does) without its password.
std::string masked_reason(const std::string& reason, const std::string& url) {
  std::string out = reason;
  if (!url.empty()) {
    std::string masked = ops::mask_url_credentials(url);
    for (size_t at = out.find(url); at != std::string::npos; at = out.find(url, at + masked.size()))
      out.replace(at, url.size(), masked);
  }
  return ops::mask_urls_in_text(out);
}

}  // namespace

std::string static_proxy_of(const config::Settings& s) {
  // The settings normalised them already; again here so that any caller's Settings agree
  // with the pool's keys.
  if (!s.grok.proxy_url.empty()) return proxy_url_of(s.grok.proxy_url).value_or("");
  if (s.grok.proxy_pool_url.starts_with("sock"))
    return proxy_url_of(s.grok.proxy_pool_url).value_or("");
  return {};
}

bool direct_allowed(const config::Settings& s, bool pool_has_proxies) {
  if (s.grok.allow_direct == "true") return true;
  if (s.grok.allow_direct == "false") return false;
  bool configured = !static_proxy_of(s).empty() || !s.grok.proxy_urls.empty() ||
                    !s.grok.proxy_pool_url.empty() || pool_has_proxies;
  return !configured;
}

struct ProxyPool::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(PoolOptions options) : o(std::move(options)) {
    if (!o.now_ms) o.now_ms = runtime::now_ms;
  }

  PoolOptions o;
  std::shared_ptr<spdlog::logger> log = ops::logger("ProxyPool");
  mutable std::mutex mutex;
  ProxyTable table;           // under mutex
  std::string synced_static;  // the static proxy last put in the table; under mutex
  struct Identity {
    std::string user_agent;
    std::map<std::string, std::string> cookies;
  };
  // Egresses outside the table (direct, grok.cache_proxy_url); under mutex.
  std::map<std::string, Identity> identities;
  std::map<std::string, std::shared_ptr<SingleFlight>> clearance_flights;  // under mutex
  std::map<std::string, int64_t> clearance_failed_ms;  // egress id -> last failed solve
  // Sourced proxies listed with a ttl: when they expire unless listed again; under mutex.
  std::map<std::string, int64_t> expiry;
  SingleFlight refresh_flight;
  std::atomic<size_t> last_added{0};
  std::atomic<int64_t> barren_refresh_ms{0};  // end of a refresh that left none healthy
  std::unique_ptr<runtime::PeriodicTask> refresh_task;

  std::shared_ptr<const config::Settings> settings() const { return o.settings(); }

  void emit(const HealthTransition& t) {
    if (t.healthy)
      log->info("proxy {} is healthy again: {}", ops::mask_url_credentials(t.url), t.reason);
    else
      log->warn("proxy {} is unhealthy, its SSO bindings are released: {}",
                ops::mask_url_credentials(t.url), t.reason);
    if (!o.emit) return;
    calllog::StateEvent e;
    e.event =
        std::string(t.healthy ? calllog::event::kProxyRecovered : calllog::event::kProxyUnhealthy);
    e.proxy = t.url;
    e.reason = t.reason;
    o.emit(std::move(e));
  }

  // Puts the settings' static proxy in the table (listed with its health and identity, a
  // fallback only); a static proxy the settings dropped leaves it.
  void sync_static_locked(const std::string& st) {
    if (st == synced_static) return;
    if (!synced_static.empty())
      if (const auto* old = table.find(synced_static); old && old->source == kSourceStatic)
        table.remove(synced_static);
    if (!st.empty()) table.add(st, std::string(kSourceStatic));
    synced_static = st;
  }

  Egress egress_locked(const std::string& id, const config::Settings& s) const {
    Egress e;
    e.id = id;
    e.proxy_url = id == kDirect ? std::string() : id;
    e.user_agent = s.grok.user_agent;
    if (const auto* info = id == kDirect ? nullptr : table.find(id)) {
      if (!info->user_agent.empty()) e.user_agent = info->user_agent;
      e.cf_cookies = info->cf_cookies;
    } else if (auto it = identities.find(id); it != identities.end()) {
      if (!it->second.user_agent.empty()) e.user_agent = it->second.user_agent;
      e.cf_cookies = it->second.cookies;
    }
    // grok.cf_clearance belongs to the static egress: the static proxy, else direct.
    std::string st = static_proxy_of(s);
    bool static_egress = st.empty() ? id == kDirect : id == st;
    if (static_egress && e.cf_cookies.empty() && !s.grok.cf_clearance.empty())
      e.cf_cookies["cf_clearance"] = s.grok.cf_clearance;
    return e;
  }

  // Steps 1 and 2 of the selection; nullopt when no proxy of the pool is healthy.
  std::optional<Egress> choose(const std::string* sso, const std::set<std::string>& avoid,
                               const config::Settings& s) {
    std::lock_guard lock(mutex);
    std::string st = static_proxy_of(s);
    sync_static_locked(st);
    auto url = sso ? table.select(*sso, avoid, st, o.now_ms()) : table.next(avoid, st, o.now_ms());
    if (!url) return std::nullopt;
    return egress_locked(*url, s);
  }

  // Step 3: the static proxy, then direct when allowed.
  std::optional<Egress> fallback(const std::set<std::string>& avoid, const config::Settings& s) {
    std::lock_guard lock(mutex);
    std::string st = static_proxy_of(s);
    if (!st.empty() && !avoid.count(st)) {
      table.touch(st, o.now_ms());
      return egress_locked(st, s);
    }
    std::string direct(kDirect);
    if (proxy::direct_allowed(s, table.size() > 0) && !avoid.count(direct))
      return egress_locked(direct, s);
    return std::nullopt;
  }

  // The sources are asked on demand only when no pool proxy is healthy at all, not when
  // this request's own failures (avoid) used up the healthy ones.
  bool none_healthy(const config::Settings& s) {
    std::lock_guard lock(mutex);
    return table.healthy_count(static_proxy_of(s)) == 0;
  }

  bool may_refresh_now() const {
    if (o.sources.empty()) return false;
    int64_t barren = barren_refresh_ms.load();
    return barren == 0 || o.now_ms() - barren >= o.on_demand_gap_ms;
  }

  SingleFlight::Work refresh_work() {
    return [self = shared_from_this()]() -> asio::awaitable<bool> {
      auto op = self->refresh_once();
      self->last_added = co_await std::move(op);
      co_return true;
    };
  }

  asio::awaitable<size_t> refresh_once() {
    size_t added = 0;
    for (const auto& source : o.sources) {
      std::vector<SourcedProxy> got;
      std::string error;
      try {
        auto op = source->refresh();
        got = co_await std::move(op);
      } catch (const std::exception& e) {
        error = e.what();
      }
      if (!error.empty()) {
        log->warn("proxy source {} failed: {}", source->id(), ops::mask_urls_in_text(error));
        continue;
      }
      size_t invalid = 0, new_here = 0;
      {
        std::lock_guard lock(mutex);
        for (const auto& p : got) {
          auto url = proxy_url_of(p.url);
          if (!url) {
            ++invalid;
            continue;
          }
          if (table.add(*url, source->id())) ++new_here;
          const ProxyInfo* info = table.find(*url);
          if (p.ttl_s > 0 && info && info->source == source->id())
            expiry[*url] = o.now_ms() + static_cast<int64_t>(p.ttl_s) * 1000;
          else
            expiry.erase(*url);
        }
      }
      added += new_here;
      if (invalid)
        log->warn("proxy source {}: {} entr{} not a proxy URL", source->id(), invalid,
                  invalid == 1 ? "y is" : "ies are");
      log->info("proxy source {}: {} prox{}, {} new", source->id(), got.size(),
                got.size() == 1 ? "y" : "ies", new_here);
    }
    auto s = settings();
    size_t healthy, expired = 0;
    {
      std::lock_guard lock(mutex);
      int64_t now = o.now_ms();
      for (auto it = expiry.begin(); it != expiry.end();) {
        if (it->second > now) {
          ++it;
          continue;
        }
        if (table.remove(it->first)) ++expired;
        it = expiry.erase(it);
      }
      healthy = table.healthy_count(static_proxy_of(*s));
    }
    if (expired)
      log->info("{} sourced prox{} expired (their ttl passed)", expired,
                expired == 1 ? "y" : "ies");
    barren_refresh_ms = healthy == 0 ? o.now_ms() : 0;
    co_return added;
  }

  void start_refresh() {
    if (may_refresh_now()) refresh_flight.start(o.io, refresh_work());
  }

  asio::awaitable<bool> solve(Egress egress, std::string url) {
    ClearanceRequest req;
    req.url = url;
    req.proxy_url = egress.proxy_url;
    req.user_agent = egress.user_agent;
    Clearance got;
    std::string error;
    try {
      auto op = o.clearance->solve(std::move(req));
      got = co_await std::move(op);
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::string shown = egress.id == kDirect ? egress.id : ops::mask_url_credentials(egress.id);
    if (!error.empty()) {
      log->warn("clearance for {} by {} failed: {}", shown, o.clearance->id(),
                masked_reason(error, egress.proxy_url));
      std::lock_guard lock(mutex);
      clearance_failed_ms[egress.id] = o.now_ms();
      co_return false;
    }
    std::map<std::string, std::string> cookies;
    for (auto& [name, value] : got.cookies)
      if (upstream::grok::is_cloudflare_cookie(name) && !value.empty()) cookies[name] = value;
    if (cookies.empty()) {
      log->warn("clearance for {} by {} gave no Cloudflare cookie", shown, o.clearance->id());
      co_return false;
    }
    {
      std::lock_guard lock(mutex);
      if (egress.id != kDirect && table.find(egress.id)) {
        table.set_identity(egress.id, got.user_agent, cookies);
      } else {
        auto& id = identities[egress.id];
        if (!got.user_agent.empty()) id.user_agent = got.user_agent;
        id.cookies = cookies;
      }
    }
    log->info("clearance for {} by {}: {} cookie(s){}", shown, o.clearance->id(), cookies.size(),
              got.user_agent.empty() ? "" : ", with its User-Agent");
    co_return true;
  }
};

ProxyPool::ProxyPool(PoolOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

ProxyPool::~ProxyPool() {
  stop();
  impl_->refresh_task.reset();
}

size_t ProxyPool::load() {
  auto s = impl_->settings();
  storage::Documents proxies, assignments;
  if (impl_->o.store) {
    proxies = impl_->o.store->list(std::string(kProxiesCollection));
    assignments = impl_->o.store->list(std::string(kAssignmentsCollection));
  }
  std::lock_guard lock(impl_->mutex);
  auto& table = impl_->table;
  impl_->sync_static_locked(static_proxy_of(*s));
  for (const auto& u : s->grok.proxy_urls)
    if (auto url = proxy_url_of(u)) table.add(*url, std::string(kSourceSettings));
  for (auto& [key, doc] : proxies) {
    auto info = proxy_info_from_json(doc);
    auto url = proxy_url_of(key);
    if (!info || !url) {
      impl_->log->warn("ignoring saved proxy {}: {}", ops::mask_url_credentials(key),
                       info ? "not a proxy URL" : "not a JSON object");
      continue;
    }
    info->url = *url;
    table.restore(std::move(*info), *url != key);
    if (*url != key) table.forget_stored_proxy(key);
  }
  size_t bound = 0;
  for (auto& [sso, doc] : assignments) {
    auto stored = assignment_from_json(doc);
    auto url = stored ? proxy_url_of(*stored) : std::nullopt;
    const ProxyInfo* info = url ? table.find(*url) : nullptr;
    if (info && info->healthy && table.bind(sso, *url)) {
      ++bound;
      continue;
    }
    table.forget_stored_assignment(sso);
  }
  impl_->log->info("{} prox{} ({} healthy), {} SSO binding(s)", table.size(),
                   table.size() == 1 ? "y" : "ies", table.healthy_count(""), bound);
  return table.size();
}

void ProxyPool::start() {
  if (impl_->o.sources.empty() || impl_->refresh_task) return;
  // Weak: the task lives in the pool, which must not be kept alive by it.
  std::weak_ptr<Impl> weak = impl_;
  impl_->refresh_task = std::make_unique<runtime::PeriodicTask>(
      impl_->o.io,
      [weak] {
        auto self = weak.lock();
        return self ? static_cast<double>(self->settings()->grok.proxy_pool_interval) : 0.0;
      },
      [weak]() -> asio::awaitable<void> {
        auto self = weak.lock();
        if (!self) co_return;
        auto op = self->refresh_flight.run(self->o.io, self->refresh_work());
        co_await std::move(op);
      },
      "ProxyPool");
  impl_->refresh_task->start();
  impl_->refresh_flight.start(impl_->o.io, impl_->refresh_work());
}

void ProxyPool::stop() {
  if (impl_->refresh_task) impl_->refresh_task->stop();
}

void ProxyPool::apply_settings(const config::Settings& s) {
  std::lock_guard lock(impl_->mutex);
  impl_->sync_static_locked(static_proxy_of(s));
  for (const auto& u : s.grok.proxy_urls)
    if (auto url = proxy_url_of(u)) impl_->table.add(*url, std::string(kSourceSettings));
}

asio::awaitable<std::optional<Egress>> ProxyPool::for_sso(std::string sso,
                                                          std::set<std::string> avoid) {
  auto self = impl_;
  auto s = self->settings();
  if (auto e = self->choose(&sso, avoid, *s)) co_return e;
  if (self->none_healthy(*s) && self->may_refresh_now()) {
    auto op = self->refresh_flight.run(self->o.io, self->refresh_work());
    co_await std::move(op);
    s = self->settings();
    if (auto e = self->choose(&sso, avoid, *s)) co_return e;
  }
  co_return self->fallback(avoid, *s);
}

std::optional<Egress> ProxyPool::pick(const std::string& sso, const std::set<std::string>& avoid) {
  auto s = impl_->settings();
  if (auto e = impl_->choose(&sso, avoid, *s)) return e;
  if (impl_->none_healthy(*s)) impl_->start_refresh();
  return impl_->fallback(avoid, *s);
}

std::optional<Egress> ProxyPool::for_assets(const std::string& sso) {
  auto s = impl_->settings();
  if (!s->grok.cache_proxy_url.empty()) {
    std::lock_guard lock(impl_->mutex);
    return impl_->egress_locked(s->grok.cache_proxy_url, *s);
  }
  return pick(sso, {});
}

void ProxyPool::succeeded(const std::string& egress_id) {
  if (egress_id == kDirect) return;
  std::optional<HealthTransition> t;
  {
    std::lock_guard lock(impl_->mutex);
    t = impl_->table.succeed(egress_id);
  }
  if (t) impl_->emit(*t);
}

void ProxyPool::failed(const std::string& egress_id, const std::string& reason) {
  if (egress_id == kDirect) return;
  auto s = impl_->settings();
  std::string why = masked_reason(reason, egress_id);
  std::optional<HealthTransition> t;
  {
    std::lock_guard lock(impl_->mutex);
    t = impl_->table.fail(egress_id, why, s->grok.proxy_max_failures);
  }
  if (t) impl_->emit(*t);
}

asio::awaitable<std::optional<Egress>> ProxyPool::refresh_clearance(Egress egress,
                                                                    std::string url) {
  auto self = impl_;
  if (!self->o.clearance) co_return std::nullopt;
  std::shared_ptr<SingleFlight> flight;
  {
    std::lock_guard lock(self->mutex);
    // A solve that just failed is not tried again for every challenged request: each
    // would wait for the provider's whole timeout.
    auto failed = self->clearance_failed_ms.find(egress.id);
    if (failed != self->clearance_failed_ms.end() &&
        self->o.now_ms() - failed->second < kClearanceRetryGapMs)
      co_return std::nullopt;
    auto& f = self->clearance_flights[egress.id];
    if (!f) f = std::make_shared<SingleFlight>();
    flight = f;
  }
  SingleFlight::Work work = [self, egress, url]() -> asio::awaitable<bool> {
    auto op = self->solve(egress, url);
    co_return co_await std::move(op);
  };
  auto op = flight->run(self->o.io, std::move(work));
  bool ok = co_await std::move(op);
  if (!ok) co_return std::nullopt;
  auto s = self->settings();
  std::lock_guard lock(self->mutex);
  co_return self->egress_locked(egress.id, *s);
}

asio::awaitable<size_t> ProxyPool::refresh_sources() {
  auto self = impl_;
  auto op = self->refresh_flight.run(self->o.io, self->refresh_work());
  co_await std::move(op);
  co_return self->last_added.load();
}

size_t ProxyPool::source_count() const {
  return impl_->o.sources.size();
}

std::vector<ProxyInfo> ProxyPool::list() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.list();
}

std::map<std::string, std::string> ProxyPool::assignments() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.assignments();
}

std::string ProxyPool::static_proxy() const {
  return static_proxy_of(*impl_->settings());
}

bool ProxyPool::direct_allowed() const {
  auto s = impl_->settings();
  std::lock_guard lock(impl_->mutex);
  return proxy::direct_allowed(*s, impl_->table.size() > 0);
}

std::optional<std::string> ProxyPool::resolve(const std::string& url_or_masked) const {
  std::lock_guard lock(impl_->mutex);
  const auto& table = impl_->table;
  if (table.find(url_or_masked)) return url_or_masked;
  for (const auto& info : table.list())
    if (ops::mask_url_credentials(info.url) == url_or_masked) return info.url;
  if (auto url = proxy_url_of(url_or_masked); url && table.find(*url)) return url;
  return std::nullopt;
}

bool ProxyPool::add(const std::string& url, const std::string& source) {
  auto normal = proxy_url_of(url);
  if (!normal) return false;
  std::lock_guard lock(impl_->mutex);
  return impl_->table.add(*normal, source);
}

bool ProxyPool::remove(const std::string& url) {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.remove(url);
}

ProxyPool::AssignResult ProxyPool::assign(const std::string& url, const std::string& sso) {
  std::lock_guard lock(impl_->mutex);
  const auto* info = impl_->table.find(url);
  if (!info) return AssignResult::kUnknownProxy;
  if (!info->healthy) return AssignResult::kUnhealthy;
  impl_->table.bind(sso, url);
  return AssignResult::kOk;
}

bool ProxyPool::unassign(const std::string& sso) {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.unbind(sso);
}

bool ProxyPool::reset_health(const std::string& url) {
  std::optional<HealthTransition> t;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->table.find(url)) return false;
    t = impl_->table.succeed(url);
  }
  if (t) {
    t->reason = "health reset by an admin";
    impl_->emit(*t);
  }
  return true;
}

Egress ProxyPool::egress_of(const std::string& url) const {
  auto s = impl_->settings();
  std::lock_guard lock(impl_->mutex);
  return impl_->egress_locked(url, *s);
}

std::vector<std::string> ProxyPool::unhealthy() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.unhealthy();
}

void ProxyPool::probe_ok(const std::string& url) {
  std::optional<HealthTransition> t;
  {
    std::lock_guard lock(impl_->mutex);
    t = impl_->table.probe_ok(url, impl_->o.now_ms());
  }
  if (t) impl_->emit(*t);
}

void ProxyPool::probe_failed(const std::string& url, const std::string& reason) {
  std::lock_guard lock(impl_->mutex);
  impl_->table.probe_failed(url, masked_reason(reason, url), impl_->o.now_ms());
}

void ProxyPool::save_blocking() {
  TableChanges changes;
  std::vector<storage::DocWrite> writes;
  {
    std::lock_guard lock(impl_->mutex);
    changes = impl_->table.take_changes();
    if (!impl_->o.store) return;
    std::string proxies(kProxiesCollection), assigned(kAssignmentsCollection);
    for (const auto& url : changes.proxies)
      if (const auto* info = impl_->table.find(url))
        writes.push_back({proxies, url, to_json(*info), false});
    for (const auto& url : changes.removed_proxies) writes.push_back({proxies, url, "", true});
    const auto& bindings = impl_->table.assignments();
    for (const auto& sso : changes.assignments)
      if (auto it = bindings.find(sso); it != bindings.end())
        writes.push_back({assigned, sso, assignment_json(it->second), false});
    for (const auto& sso : changes.removed_assignments) writes.push_back({assigned, sso, "", true});
  }
  if (writes.empty()) return;
  auto& store = *impl_->o.store;
  try {
    store.write_batch(writes);
    return;
  } catch (const storage::StorageError& e) {
    impl_->log->warn("saving {} proxy change(s) failed ({}); writing them one by one",
                     writes.size(), e.what());
  }
  TableChanges failed;
  for (const auto& w : writes) {
    try {
      if (w.is_delete)
        store.remove(w.collection, w.key);
      else
        store.put(w.collection, w.key, w.json);
    } catch (const storage::StorageError& e) {
      bool proxy_doc = w.collection == kProxiesCollection;
      impl_->log->error("saving {} {} failed: {}", proxy_doc ? "proxy" : "binding of",
                        proxy_doc ? ops::mask_url_credentials(w.key) : ops::mask_token(w.key),
                        e.what());
      auto& set = proxy_doc ? (w.is_delete ? failed.removed_proxies : failed.proxies)
                            : (w.is_delete ? failed.removed_assignments : failed.assignments);
      set.insert(w.key);
    }
  }
  std::lock_guard lock(impl_->mutex);
  impl_->table.requeue(failed);
}

bool ProxyPool::dirty() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->table.dirty();
}

}  // namespace g2a::proxy
