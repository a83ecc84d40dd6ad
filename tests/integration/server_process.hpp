// Runs the real grok2api binary for a test: its own working directory, port 0 on
// 127.0.0.1, output captured; waits on the output, never on the clock.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace g2a::test {

struct ServerConfig {
  explicit ServerConfig(std::string dir, std::string toml = "", std::vector<std::string> extra = {},
                        std::map<std::string, std::string> environment = {}, bool listening = true)
      : work_dir(std::move(dir)),
        setting_toml(std::move(toml)),
        args(std::move(extra)),
        env(std::move(environment)),
        expect_listening(listening) {}

  std::string work_dir;                    // the server's working directory
  std::string setting_toml;                // written to <work_dir>/data/setting.toml if set
  std::vector<std::string> args;           // extra arguments
  std::map<std::string, std::string> env;  // extra environment
  bool expect_listening = true;            // wait for the "listening on" line
  std::string binary;                      // "" = the build's bin/grok2api
  // With another binary: its arguments instead of the gateway's --host/--port.
  std::vector<std::string> argv0_args;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerConfig config);
  ~ServerProcess();

  int port() const { return port_; }
  std::string url(const std::string& path) const;
  pid_t pid() const { return pid_; }

  // True once a line containing text has appeared (waits up to timeout).
  bool wait_for_output(const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::string output() const;

  // Sends a signal and waits for the exit; returns the exit code (128+N when killed by N).
  int stop(int signal);
  // Waits for the process to exit by itself; returns its exit code.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running() const { return exit_code_ < 0; }

  static std::string binary();

 private:
  void reader(int fd);

  ServerConfig config_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool output_closed_ = false;
  std::thread reader_;
};

}  // namespace g2a::test
