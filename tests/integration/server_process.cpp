#include "server_process.hpp"

#include "support/test_paths.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace g2a::test {
namespace fs = std::filesystem;

std::string ServerProcess::binary() {
  return build_dir() + "/bin/grok2api";
}

ServerProcess::ServerProcess(ServerConfig config) : config_(std::move(config)) {
  fs::create_directories(fs::path(config_.work_dir) / "data");
  if (!config_.setting_toml.empty()) {
    std::ofstream(fs::path(config_.work_dir) / "data" / "setting.toml") << config_.setting_toml;
  }
  std::vector<std::string> args;
  if (config_.binary.empty() || config_.argv0_args.empty()) {
    args = {config_.binary.empty() ? binary() : config_.binary, "--host", "127.0.0.1", "--port",
            "0"};
  } else {
    args = {config_.binary};
    args.insert(args.end(), config_.argv0_args.begin(), config_.argv0_args.end());
  }
  args.insert(args.end(), config_.args.begin(), config_.args.end());

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("GROK2API_", 0) == 0) continue;
    auto eq = kv.find('=');
    if (config_.env.count(kv.substr(0, eq))) continue;
    env.push_back(kv);
  }
  for (const auto& [k, v] : config_.env) env.push_back(k + "=" + v);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    if (chdir(config_.work_dir.c_str()) != 0) _exit(127);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { reader(fd); });
  if (config_.expect_listening) {
    if (!wait_for_output("listening on "))
      throw std::runtime_error("server did not start; output:\n" + output());
    std::lock_guard lock(mutex_);
    std::smatch m;
    static const std::regex re("listening on [^ ]*:([0-9]+)");
    if (std::regex_search(output_, m, re)) port_ = std::stoi(m[1]);
  }
}

ServerProcess::~ServerProcess() {
  if (running()) stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
}

void ServerProcess::reader(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    output_.append(buf, static_cast<size_t>(n));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  output_closed_ = true;
  changed_.notify_all();
}

std::string ServerProcess::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool ServerProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return output_.find(text) != std::string::npos || output_closed_;
  }) && output_.find(text) != std::string::npos;
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

int ServerProcess::stop(int signal) {
  if (!running()) return exit_code_;
  kill(pid_, signal);
  return wait_exit();
}

int ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (!running()) return exit_code_;
  // The output pipe closes when the process exits; wait for that, then reap.
  {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return output_closed_; })) {
      lock.unlock();
      kill(pid_, SIGKILL);
    }
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (reader_.joinable()) reader_.join();
  return exit_code_;
}

}  // namespace g2a::test
