#include "core/tokens/quota_refresher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/tokens/token_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::tokens {
namespace asio = boost::asio;
namespace grok = upstream::grok;
using Clock = std::chrono::steady_clock;

namespace {

std::shared_ptr<spdlog::logger> refresher_log() {
  static auto l = ops::logger("TokenPool");
  return l;
}

// quota_info answers for every media kind at once: one gate for all of them.
std::string gate_key(const std::string& sso, const std::string& key) {
  return sso + '\n' + (is_media_kind(key) ? std::string("quota_info") : key);
}

}  // namespace

struct QuotaRefresher::State : std::enable_shared_from_this<State> {
  State(asio::any_io_executor io, TokenPool& p, grok::GrokClient& c, EgressFor e, SettingsFn s,
        RefresherOptions o)
      : strand(asio::make_strand(io)),
        pool(p),
        client(c),
        egress(std::move(e)),
        settings(std::move(s)),
        options(o) {}

  struct Gate {
    Clock::time_point last{};
    bool ever = false;     // read at least once
    bool pending = false;  // a request waits for its turn
  };

  asio::strand<asio::any_io_executor> strand;
  TokenPool& pool;
  grok::GrokClient& client;
  EgressFor egress;
  SettingsFn settings;
  RefresherOptions options;
  std::mutex mutex;
  std::map<std::string, Gate> gates;
  std::set<std::shared_ptr<asio::steady_timer>> timers;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> calls{0};
  std::atomic<int> busy{0};  // reads waiting or under way

  // Counts a read from its request to its end.
  struct Busy {
    explicit Busy(std::atomic<int>& n) : n_(n) { ++n_; }
    ~Busy() { --n_; }
    std::atomic<int>& n_;
  };

  // Waits d on a timer that stop() cancels; false when stopped.
  asio::awaitable<bool> sleep(std::chrono::milliseconds d) {
    auto timer = std::make_shared<asio::steady_timer>(strand, d);
    {
      std::lock_guard lock(mutex);
      timers.insert(timer);
    }
    // stop() may have cancelled the others just before this one was registered.
    if (stopping.load()) timer->cancel();
    auto wait = timer->async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(wait);
    {
      std::lock_guard lock(mutex);
      timers.erase(timer);
    }
    co_return !stopping.load();
  }

  void request(const std::string& sso, const std::string& key) {
    if (stopping.load() || (!is_mode(key) && !is_media_kind(key))) return;
    std::chrono::milliseconds delay{0};
    {
      std::lock_guard lock(mutex);
      auto& g = gates[gate_key(sso, key)];
      if (g.pending) return;
      g.pending = true;
      if (g.ever) {
        auto due = g.last + options.min_interval;
        auto now = Clock::now();
        if (due > now) delay = std::chrono::ceil<std::chrono::milliseconds>(due - now);
      }
    }
    ++busy;  // delayed_read takes it over
    asio::co_spawn(strand, delayed_read(shared_from_this(), sso, key, delay), asio::detached);
  }

  static asio::awaitable<void> delayed_read(std::shared_ptr<State> self, std::string sso,
                                            std::string key, std::chrono::milliseconds delay) {
    struct Release {
      std::atomic<int>& n;
      ~Release() { --n; }
    } release{self->busy};
    bool go = true;
    if (delay.count() > 0) go = co_await self->sleep(delay);
    {
      std::lock_guard lock(self->mutex);
      self->gates[gate_key(sso, key)].pending = false;
    }
    if (!go || self->stopping.load()) co_return;
    co_await self->read(std::move(sso), std::move(key));
  }

  asio::awaitable<ReadResult> read(std::string sso, std::string key) {
    Busy counted(busy);
    {
      std::lock_guard lock(mutex);
      auto& g = gates[gate_key(sso, key)];
      auto now = Clock::now();
      if (g.ever && now - g.last < options.min_interval) co_return ReadResult::kFresh;
      g.last = now;
      g.ever = true;
    }
    ++calls;
    grok::Account account;
    account.sso = sso;
    grok::Egress via = egress(sso);
    std::optional<grok::Diagnosis> refused;
    std::string trouble;
    try {
      if (is_media_kind(key)) {
        auto op = read_media_quota(client, account, via, pool.now_ms());
        auto readings = co_await std::move(op);
        for (const auto& r : readings) pool.apply_quota(sso, r);
      } else {
        auto op = read_mode_quota(client, account, via, key, pool.now_ms());
        auto reading = co_await std::move(op);
        pool.apply_quota(sso, reading);
      }
      co_return ReadResult::kRead;
    } catch (const grok::UpstreamError& e) {
      refused = e.diagnosis();
    } catch (const std::exception& e) {
      trouble = e.what();
    }
    if (refused) {
      Outcome o = Outcome::failure(*refused, key);
      o.quota_read = true;
      pool.report(sso, o);
      refresher_log()->info("quota read ({}) of {} refused: {}", key, ops::mask_token(sso),
                            refused->message.empty() ? grok::to_string(refused->problem)
                                                     : std::string_view(refused->message));
    } else {
      refresher_log()->warn("quota read ({}) of {} failed: {}", key, ops::mask_token(sso), trouble);
    }
    co_return ReadResult::kFailed;
  }

  asio::awaitable<void> pass() {
    auto s = settings();
    const auto& g = s->global;
    bool all = g.token_refresh_scope == "all";
    int64_t threshold = std::max<int64_t>(1, g.token_zero_expire_threshold);
    size_t done = 0, succeeded = 0;
    auto views = pool.snapshot();
    for (const auto& v : views) {
      if (stopping.load()) break;
      if (!all && !v.record.expired() && v.record.detected_tier) continue;
      if (done > 0 && done % 10 == 0) {
        bool go_on = co_await sleep(options.pace_pause);
        if (!go_on) break;
      }
      ++done;
      auto fast = co_await read(v.sso, "fast");
      if (fast == ReadResult::kFailed) continue;
      ++succeeded;
      auto now = pool.find(v.sso);
      if (!now) continue;
      // Pro read heavy for Super tokens; a detected super cannot use it.
      const auto& tier = now->record.detected_tier;
      if (tier ? *tier == Tier::kHeavy : now->pool != Pool::kNormal) co_await read(v.sso, "heavy");
      pool.apply_refresh_verdict(v.sso, threshold);
    }
    if (done)
      refresher_log()->info("token refresh: {} of {} token(s) read ({} scope)", succeeded, done,
                            all ? "all" : "expired");
  }

  static asio::awaitable<void> loop(std::shared_ptr<State> self) {
    while (!self->stopping.load()) {
      int64_t interval = self->settings()->global.token_refresh_interval;
      if (interval > 0) {
        try {
          co_await self->pass();
        } catch (const std::exception& e) {
          refresher_log()->error("token refresh failed: {}", e.what());
        }
      }
      auto wait = interval > 0 ? std::chrono::milliseconds(interval * 1000)
                               : self->options.disabled_recheck;
      if (!co_await self->sleep(wait)) break;
    }
  }
};

QuotaRefresher::QuotaRefresher(asio::any_io_executor io, TokenPool& pool, grok::GrokClient& client,
                               EgressFor egress, SettingsFn settings, RefresherOptions options)
    : state_(std::make_shared<State>(std::move(io), pool, client, std::move(egress),
                                     std::move(settings), options)) {}

QuotaRefresher::~QuotaRefresher() {
  stop();
}

void QuotaRefresher::start(bool periodic) {
  std::weak_ptr<State> weak = state_;
  state_->pool.set_quota_listener([weak](const std::string& sso, const std::string& key) {
    if (auto s = weak.lock()) s->request(sso, key);
  });
  if (periodic) asio::co_spawn(state_->strand, State::loop(state_), asio::detached);
}

void QuotaRefresher::stop() {
  if (state_->stopping.exchange(true)) return;
  state_->pool.set_quota_listener(nullptr);
  asio::post(state_->strand, [s = state_] {
    std::lock_guard lock(s->mutex);
    for (const auto& t : s->timers) t->cancel();
  });
}

void QuotaRefresher::request(const std::string& sso, const std::string& key) {
  state_->request(sso, key);
}

asio::awaitable<QuotaRefresher::ReadResult> QuotaRefresher::read(std::string sso, std::string key) {
  // Runs on the refresher's strand, like its own reads.
  auto op = asio::co_spawn(state_->strand, state_->read(std::move(sso), std::move(key)),
                           asio::use_awaitable);
  co_return co_await std::move(op);
}

asio::awaitable<void> QuotaRefresher::refresh_pass() {
  auto op = asio::co_spawn(state_->strand, state_->pass(), asio::use_awaitable);
  co_await std::move(op);
}

size_t QuotaRefresher::calls() const {
  return state_->calls.load();
}

bool QuotaRefresher::idle() const {
  return state_->busy.load() == 0;
}

}  // namespace g2a::tokens
