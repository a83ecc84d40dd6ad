// Keeps the pool's quota knowledge fresh, off the request path: reads asked for by the
// pool (after a use, a cooldown, or picking a token of unknown tier), coalesced to at most
// one read per token and mode (quota_info: per token) per minute because every signed call
// counts; and the Pro periodic refresh (spec grok-upstream-and-pro §3.5) driven by
// global.token_refresh_interval, token_refresh_scope and token_zero_expire_threshold.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/config/settings.hpp"
#include "core/tokens/quota_reader.hpp"

namespace g2a::upstream::grok {
class GrokClient;
}

namespace g2a::tokens {

class TokenPool;

struct RefresherOptions {
  std::chrono::milliseconds min_interval{60000};      // per token and mode
  std::chrono::milliseconds pace_pause{100};          // after every 10 tokens of a pass (Pro)
  std::chrono::milliseconds disabled_recheck{60000};  // interval <= 0: look again this often
};

using SettingsFn = std::function<std::shared_ptr<const config::Settings>()>;

class QuotaRefresher {
 public:
  // The pool, client and egress provider must outlive every read; stop() and then stop
  // the io threads before destroying them.
  QuotaRefresher(boost::asio::any_io_executor io, TokenPool& pool,
                 upstream::grok::GrokClient& client, EgressFor egress, SettingsFn settings,
                 RefresherOptions options = {});
  ~QuotaRefresher();
  QuotaRefresher(const QuotaRefresher&) = delete;
  QuotaRefresher& operator=(const QuotaRefresher&) = delete;

  // Listens to the pool and starts the periodic loop (a first pass at once, as Pro did).
  // With periodic: false only the pool's requests are served.
  void start(bool periodic = true);
  // Stops listening and cancels waiting reads and the loop; reads under way finish.
  void stop();

  // Schedules a read of one quota (a mode or a media kind) of a token.
  void request(const std::string& sso, const std::string& key);

  enum class ReadResult { kRead, kFresh, kFailed };
  // Reads now unless a read of that quota happened within min_interval (kFresh).
  boost::asio::awaitable<ReadResult> read(std::string sso, std::string key);
  // One periodic pass: the tokens in scope (expired ones, or all; and any of unknown
  // tier), their fast and heavy quotas, then the Pro verdict.
  boost::asio::awaitable<void> refresh_pass();

  // Calls made to grok.com so far (tests).
  size_t calls() const;
  // No read waiting or under way (after stop(): safe to tear down the pool and client).
  bool idle() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace g2a::tokens
