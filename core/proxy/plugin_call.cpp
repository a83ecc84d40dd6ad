#include "core/proxy/plugin_call.hpp"

#include <boost/asio/this_coro.hpp>

#include <stdexcept>

#include "core/ops/mask.hpp"
#include "core/plugin/host_context.hpp"
#include "core/plugin/manager.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/upstream/signal.hpp"

namespace g2a::proxy {
namespace asio = boost::asio;

void PluginCallState::finish(g2a_status st, std::string text) {
  std::shared_ptr<upstream::Signal> wake;
  {
    std::lock_guard lock(mutex);
    if (finished) return;
    finished = true;
    status = st;
    message = std::move(text);
    wake = signal;
  }
  if (wake) wake->notify();
}

void* PluginCallState::hold(std::shared_ptr<PluginCallState> state) {
  return new std::shared_ptr<PluginCallState>(std::move(state));
}

void PluginCallState::finish_held(void* user, g2a_status st, std::string text) {
  std::unique_ptr<std::shared_ptr<PluginCallState>> held(
      static_cast<std::shared_ptr<PluginCallState>*>(user));
  (*held)->finish(st, std::move(text));
}

namespace {

// Calls start on this thread, serialised when the plugin is not thread-safe. On refusal the
// plugin's reference is released here (done will not come).
g2a_status start_call(plugin::LoadedPlugin& plugin, std::mutex& serial,
                      const std::shared_ptr<PluginCallState>& state,
                      const std::function<g2a_status(void*)>& start) {
  void* user = PluginCallState::hold(state);
  g2a_status st;
  if (plugin.thread_safe()) {
    st = start(user);
  } else {
    std::lock_guard lock(serial);
    st = start(user);
  }
  if (st != G2A_OK) {
    std::shared_ptr<upstream::Signal> wake;
    {
      std::lock_guard lock(state->mutex);
      // A plugin that called done and then returned an error anyway has released it already.
      if (!state->finished) {
        delete static_cast<std::shared_ptr<PluginCallState>*>(user);
        state->finished = true;
        state->status = st;
        state->message =
            "the plugin refused the call (status " + std::to_string(static_cast<int>(st)) + ")";
        wake = state->signal;
      }
    }
    if (wake) wake->notify();
  }
  return st;
}

}  // namespace

asio::awaitable<CallOutcome> run_plugin_call(plugin::LoadedPlugin& plugin, std::mutex& serial,
                                             std::shared_ptr<PluginCallState> state,
                                             std::function<g2a_status(void*)> start,
                                             std::chrono::milliseconds timeout) {
  auto signal = upstream::Signal::create(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(state->mutex);
    state->signal = signal;
  }
  auto deadline = upstream::Signal::Clock::now() + timeout;
  g2a_status st = G2A_OK;
  runtime::BlockingPool* pool = plugin.ctx ? plugin.ctx->blocking : nullptr;
  if (plugin.blocking() && pool) {
    // Not awaited: a blocking plugin may hang inside its call, and the deadline below must
    // still end the wait. A refusal finishes the state like a done callback would.
    pool->post([&plugin, &serial, state, start] { start_call(plugin, serial, state, start); });
  } else {
    st = start_call(plugin, serial, state, start);
    if (st != G2A_OK) co_return CallOutcome::kRefused;
  }
  for (;;) {
    {
      std::lock_guard lock(state->mutex);
      if (state->finished) co_return CallOutcome::kAnswered;
    }
    bool woken = co_await signal->wait(deadline);
    if (!woken) {
      std::lock_guard lock(state->mutex);
      co_return state->finished ? CallOutcome::kAnswered : CallOutcome::kTimedOut;
    }
  }
}

void throw_unless_ok(PluginCallState& state, CallOutcome outcome, const std::string& who,
                     std::chrono::milliseconds timeout) {
  if (outcome == CallOutcome::kTimedOut)
    throw std::runtime_error(who + " did not answer within " + std::to_string(timeout.count()) +
                             " ms");
  std::lock_guard lock(state.mutex);
  if (state.status == G2A_OK) return;
  throw std::runtime_error(who + ": " +
                           (state.message.empty()
                                ? "failed (status " + std::to_string(state.status) + ")"
                                : ops::mask_urls_in_text(state.message)));
}

}  // namespace g2a::proxy
