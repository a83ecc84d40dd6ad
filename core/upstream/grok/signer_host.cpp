#include "core/upstream/grok/signer_host.hpp"
#include "core/plugin/host_buffer.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

#include "core/ops/logging.hpp"
#include "core/plugin/host_context.hpp"
#include "core/plugin/manager.hpp"
#include "core/runtime/clock.hpp"
#include "core/upstream/grok/problem.hpp"
#include "core/upstream/signal.hpp"

namespace g2a::upstream::grok {
namespace asio = boost::asio;

struct SignerHost::Pending {
  std::mutex mutex;
  bool done = false;
  g2a_status status = G2A_OK;
  std::string message;
  std::vector<std::shared_ptr<Signal>> waiters;

  static void on_done(void* user, g2a_status st, g2a_str msg) {
    auto* self = static_cast<Pending*>(user);
    std::vector<std::shared_ptr<Signal>> waiters;
    {
      std::lock_guard lock(self->mutex);
      self->done = true;
      self->status = st;
      self->message.assign(msg.data ? msg.data : "", msg.len);
      waiters.swap(self->waiters);
    }
    for (auto& w : waiters) w->notify();
  }
};

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw UpstreamError(Diagnosis{Problem::kAntiBot, 0, "x-statsig-id signer: " + message});
}

}  // namespace

SignerHost::SignerHost(plugin::LoadedPlugin& plugin, asio::any_io_executor io)
    : plugin_(plugin),
      table_(static_cast<const g2a_signer_v1*>(plugin.table(G2A_KIND_SIGNER))),
      io_(std::move(io)) {
  if (!table_) throw std::invalid_argument("plugin " + plugin.id + " provides no signer");
}

const std::string& SignerHost::plugin_id() const {
  return plugin_.id;
}

std::string SignerHost::status_json() const {
  g2a_buf out{nullptr, 0};
  if (!G2A_HAS_FIELD(table_, g2a_signer_v1, status) ||
      table_->status(plugin_.instance, &out) != G2A_OK)
    return "{}";
  return plugin::take_buffer(out);
}

asio::awaitable<void> SignerHost::refresh(bool force) {
  std::shared_ptr<Pending> pending;
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    if (!pending_ || pending_->done) {
      pending_ = std::make_shared<Pending>();
      start = true;
    }
    pending = pending_;
  }
  auto signal = Signal::create(io_);
  {
    std::lock_guard lock(pending->mutex);
    if (!pending->done) pending->waiters.push_back(signal);
  }
  if (start) {
    // The plugin holds a raw pointer until it calls done; the shared_ptr in pending_
    // and in this frame keeps it alive until then.
    g2a_status st =
        table_->prepare(plugin_.instance, force ? 1 : 0, &Pending::on_done, pending.get());
    if (st != G2A_OK) Pending::on_done(pending.get(), st, g2a_str{"prepare refused", 15});
  }
  for (;;) {
    {
      std::lock_guard lock(pending->mutex);
      if (pending->done) break;
    }
    co_await signal->wait(Signal::Clock::time_point::max());
  }
  if (pending->status != G2A_OK) {
    ops::logger("Signer")->warn("refresh failed: {}", pending->message);
    fail(pending->message.empty() ? "prepare failed" : pending->message);
  }
}

asio::awaitable<std::string> SignerHost::sign(std::string method, std::string path) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    g2a_sign_request req{sizeof(g2a_sign_request),
                         {method.data(), method.size()},
                         {path.data(), path.size()},
                         runtime::now_ms()};
    g2a_buf out{nullptr, 0}, err{nullptr, 0};
    g2a_status st = table_->sign(plugin_.instance, &req, &out, &err);
    if (st == G2A_OK) {
      plugin::take_buffer(err);
      co_return plugin::take_buffer(out);
    }
    std::string message = plugin::take_buffer(err);
    plugin::take_buffer(out);
    if (st != G2A_RETRY) fail(message);
    // RETRY from a ready signer means every value of this second is used (grok.com refuses
    // repeats): wait for the next second. From a signer that is not ready: prepare it.
    if (status_json().find("\"ready\":true") != std::string::npos) {
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(std::chrono::milliseconds(1000 - runtime::now_ms() % 1000 + 1));
      co_await t.async_wait(asio::use_awaitable);
    } else {
      co_await refresh(false);
    }
  }
  fail("no value after preparing");
}

}  // namespace g2a::upstream::grok
