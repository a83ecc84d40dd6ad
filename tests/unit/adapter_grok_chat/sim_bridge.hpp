// Runs tests/unit/adapter_grok_chat/sim_bridge.js (which starts the grok.com simulator) as a
// child process and exchanges one JSON object per line with it. Reads wait on poll() with
// a deadline, never on sleeps.
#pragma once

#include <gtest/gtest.h>
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
  // The protocol violations the simulator recorded (JSON text, "[]" when none), then a
  // reset of its state for the next test.
  std::string violations_then_reset();

 private:
  pid_t pid_ = -1;
  int to_child_ = -1, from_child_ = -1;
  std::string buffer_;
  bool ready_ = false;
  std::string why_not_;
  boost::json::object hello_;
};

// A suite whose tests share one bridge: skipped when it is not ready, and each test must
// leave no protocol violation behind.
class SimBridgeSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { bridge = new SimBridge(); }
  static void TearDownTestSuite() {
    delete bridge;
    bridge = nullptr;
  }
  void SetUp() override {
    if (!bridge->ready()) GTEST_SKIP() << bridge->why_not();
  }
  void TearDown() override {
    if (!bridge->ready()) return;
    EXPECT_EQ(bridge->violations_then_reset(), "[]");
  }

  static SimBridge* bridge;
};

}  // namespace g2a::test
