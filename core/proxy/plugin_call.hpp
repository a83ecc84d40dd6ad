// The bridge from a plugin call that answers through a C done callback to an Asio awaitable,
// shared by the proxy-source and clearance wrappers. It calls the plugin on its terms (the
// blocking pool for G2A_FLAG_BLOCKING, serialised unless G2A_FLAG_THREAD_SAFE) and waits for
// done at most a timeout, so a plugin that never answers cannot hang a request. The plugin
// holds its own reference to the call's state until done runs, so a late done is harmless.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <grok2api/plugin.h>

namespace g2a::plugin {
struct LoadedPlugin;
}
namespace g2a::upstream {
class Signal;
}

namespace g2a::proxy {

// What one call learns; a wrapper derives from it to collect its results.
struct PluginCallState {
  virtual ~PluginCallState() = default;

  std::mutex mutex;  // guards everything below and the derived results
  bool finished = false;
  g2a_status status = G2A_OK;
  std::string message;
  std::shared_ptr<upstream::Signal> signal;

  // Records the outcome (the first one counts) and wakes the waiter.
  void finish(g2a_status st, std::string text);

  // The plugin's `user` pointer: a reference to the state that done releases.
  static void* hold(std::shared_ptr<PluginCallState> state);
  // In a callback: the state behind user (still held).
  template <class S>
  static S& of(void* user) {
    return static_cast<S&>(**static_cast<std::shared_ptr<PluginCallState>*>(user));
  }
  // In done: finishes the state and releases the plugin's reference.
  static void finish_held(void* user, g2a_status st, std::string text);
};

enum class CallOutcome { kAnswered, kRefused, kTimedOut };

// Starts the call with start(user) and waits for done. kRefused: start returned an error (the
// status and "refused" message are in state, done will not come); a blocking plugin's call is
// started on the blocking pool without waiting for it, so its refusal finishes the state and
// reads as kAnswered with that status. kTimedOut: done did not come within timeout (it may
// still come later and is then ignored).
boost::asio::awaitable<CallOutcome> run_plugin_call(plugin::LoadedPlugin& plugin,
                                                    std::mutex& serial,
                                                    std::shared_ptr<PluginCallState> state,
                                                    std::function<g2a_status(void*)> start,
                                                    std::chrono::milliseconds timeout);

// After run_plugin_call: returns when the plugin answered G2A_OK; otherwise throws
// std::runtime_error "<who>: <its message>" (URLs in it masked) or "<who> did not answer
// within <timeout> ms".
void throw_unless_ok(PluginCallState& state, CallOutcome outcome, const std::string& who,
                     std::chrono::milliseconds timeout);

}  // namespace g2a::proxy
