// Drives adapter-grok-chat through its C ABI, as the host does: entry point, create,
// get_interface(G2A_KIND_MODEL_ADAPTER), then begin/feed/finish/end per turn.
#pragma once

#include <grok2api/plugin.h>

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_host.hpp"

namespace g2a::test {

// One turn; end() is called when it goes out of scope. feed/finish expect G2A_OK.
class AdapterTurn {
 public:
  AdapterTurn(TestHost& host, const g2a_model_adapter_v1* api, void* turn, std::string plan);
  ~AdapterTurn();
  AdapterTurn(const AdapterTurn&) = delete;
  AdapterTurn& operator=(const AdapterTurn&) = delete;

  const std::string& plan_text() const { return plan_; }
  boost::json::object plan() const;

  // The actions answered to one feed / to finish, parsed.
  boost::json::object feed(std::string_view data);
  boost::json::object finish();

 private:
  boost::json::object take(g2a_status st, g2a_buf& out, g2a_buf& err);

  TestHost& host_;
  const g2a_model_adapter_v1* api_;
  void* turn_;
  std::string plan_;
};

struct BeginFailure {
  g2a_status status = G2A_OK;
  std::string message;
};

class AdapterClient {
 public:
  explicit AdapterClient(TestHost& host);
  ~AdapterClient();
  AdapterClient(const AdapterClient&) = delete;
  AdapterClient& operator=(const AdapterClient&) = delete;

  const g2a_plugin_v1* plugin() const { return plugin_; }
  const g2a_model_adapter_v1* api() const { return api_; }

  std::string models();
  // A started turn, or nullptr with *failure filled in.
  std::unique_ptr<AdapterTurn> begin(std::string_view request, BeginFailure* failure = nullptr);

 private:
  TestHost& host_;
  const g2a_plugin_v1* plugin_ = nullptr;
  const g2a_model_adapter_v1* api_ = nullptr;
  void* inst_ = nullptr;
};

// The events of a batch of actions, and the frames it asks to send.
std::vector<boost::json::object> events_of(const boost::json::object& actions);
std::vector<std::string> sends_of(const boost::json::object& actions);
bool closes(const boost::json::object& actions);

// Events collected over a whole turn.
class EventLog {
 public:
  void add(const boost::json::object& actions);
  const std::vector<boost::json::object>& all() const { return events_; }
  // Events of one type, in order.
  std::vector<boost::json::object> of(std::string_view type) const;
  // The concatenated "text" of every event of `type` (text or reasoning).
  std::string joined(std::string_view type) const;
  // One line per event ("text:Hello", "done:stop", ...), to compare whole turns.
  std::vector<std::string> summary() const;

 private:
  std::vector<boost::json::object> events_;
};

}  // namespace g2a::test
