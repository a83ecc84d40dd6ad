// Runs tests/unit/adapter_grok_chat/sim_bridge.js (which starts the grok.com simulator) as a
// child process and exchanges one JSON object per line with it. Reads wait on poll() with
// a deadline, never on sleeps.
#pragma once

#include <sys/types.h>

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace g2a::test {

class SimBridge {
 public:
  // Starts node; check ready() (false when node or the simulator's modules are missing).
  SimBridge();
  ~SimBridge();
  SimBridge(const SimBridge&) = delete;
  SimBridge& operator=(const SimBridge&) = delete;

  bool ready() const { return ready_; }
  const std::string& why_not() const { return why_not_; }
  const boost::json::object& hello() const { return hello_; }

  void send(const boost::json::object& message);
  // The next message; an empty object when the bridge said nothing for `timeout_ms`.
  boost::json::object next(int timeout_ms = 20000);
  // The next message with "op" == op (and "id" == id when id >= 0); others are skipped.
  boost::json::object next_op(std::string_view op, int64_t id = -1);

 private:
  pid_t pid_ = -1;
  int to_child_ = -1, from_child_ = -1;
  std::string buffer_;
  bool ready_ = false;
  std::string why_not_;
  boost::json::object hello_;
};

}  // namespace g2a::test
