#include "sim_bridge.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>

extern char** environ;

namespace g2a::test {

SimBridge::SimBridge() {
  std::string node = G2A_ADAPTER_NODE;
  std::filesystem::path script = G2A_ADAPTER_SIM_BRIDGE;
  auto modules = script.parent_path() / ".." / ".." / "simulator" / "node_modules" / "ws";
  if (node.empty()) {
    why_not_ = "node was not found at configure time";
    return;
  }
  if (!std::filesystem::exists(modules)) {
    why_not_ = "the simulator's node modules are not installed (npm ci --prefix tests/simulator)";
    return;
  }
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    why_not_ = "pipe failed";
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  std::string script_path = script.string();
  char* argv[] = {node.data(), script_path.data(), nullptr};
  int rc = ::posix_spawn(&pid_, node.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  to_child_ = in[1];
  from_child_ = out[0];
  if (rc != 0) {
    pid_ = -1;
    why_not_ = "could not start node";
    return;
  }
  hello_ = next(60000);
  ready_ = hello_.contains("op") && hello_.at("op") == "ready";
  if (!ready_) why_not_ = "the bridge did not start: " + boost::json::serialize(hello_);
}

SimBridge::~SimBridge() {
  // Closing stdin makes the bridge stop the simulator and exit.
  if (to_child_ >= 0) ::close(to_child_);
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (from_child_ >= 0) ::close(from_child_);
}

void SimBridge::send(const boost::json::object& message) {
  std::string line = boost::json::serialize(message) + "\n";
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(to_child_, rest.data(), rest.size());
    if (n <= 0) return;
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

boost::json::object SimBridge::next(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (!ec && v.is_object()) return v.get_object();
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0 || from_child_ < 0) return {};
    pollfd p{from_child_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[65536];
    ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n <= 0) return {};
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

boost::json::object SimBridge::next_op(std::string_view op, int64_t id) {
  while (true) {
    auto m = next();
    if (m.empty()) return m;
    const auto* kind = m.at("op").if_string();
    if (!kind) continue;
    if (*kind == "bridge_error") return m;
    if (*kind != op) continue;
    if (id >= 0 && (!m.contains("id") || m.at("id").to_number<int64_t>() != id)) continue;
    return m;
  }
}

SimBridge* SimBridgeSuite::bridge = nullptr;

std::string SimBridge::violations_then_reset() {
  send({{"op", "control"}, {"method", "GET"}, {"path", "/violations"}});
  auto v = next_op("control");
  std::string out =
      boost::json::serialize(v.contains("json") ? v.at("json") : boost::json::value(v));
  send(
      {{"op", "control"}, {"method", "POST"}, {"path", "/reset"}, {"body", boost::json::object()}});
  next_op("control");
  return out;
}

}  // namespace g2a::test
