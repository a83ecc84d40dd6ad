#include "proxy_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <fstream>
#include <vector>

namespace g2a::test {
namespace {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string which(const std::string& program) {
  for (const char* dir : {"/usr/bin/", "/usr/sbin/", "/usr/local/bin/"}) {
    std::string p = std::string(dir) + program;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

}  // namespace

std::unique_ptr<ProxyProcess> ProxyProcess::start(Kind kind, std::string* why_not) {
  std::string program = which(kind == Kind::kTinyproxy ? "tinyproxy" : "microsocks");
  if (program.empty()) {
    if (why_not)
      *why_not = std::string(kind == Kind::kTinyproxy ? "tinyproxy" : "microsocks") +
                 " is not installed (scripts/install-deps.sh --test installs it)";
    return nullptr;
  }
  std::unique_ptr<ProxyProcess> p(new ProxyProcess());
  p->dir_ = std::make_unique<TempDir>();
  int port = free_port();
  std::vector<std::string> args;
  if (kind == Kind::kTinyproxy) {
    std::string conf = p->dir_->str() + "/tinyproxy.conf";
    // No ConnectPort lines: CONNECT is allowed to any port (the simulator's are random).
    std::ofstream(conf) << "Port " << port << "\nListen 127.0.0.1\nAllow 127.0.0.1\n"
                        << "Timeout 600\nMaxClients 100\nLogLevel Error\n";
    args = {program, "-d", "-c", conf};
    p->url_ = "http://127.0.0.1:" + std::to_string(port);
  } else {
    args = {program, "-i", "127.0.0.1", "-p", std::to_string(port)};
    p->url_ = "socks5h://127.0.0.1:" + std::to_string(port);
  }
  p->pid_ = fork();
  if (p->pid_ == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // Ready once it accepts connections; give up if it exits.
  for (;;) {
    if (accepts(port)) return p;
    int status = 0;
    if (waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->pid_ = -1;
      if (why_not) *why_not = program + " exited at start-up";
      return nullptr;
    }
    sched_yield();
  }
}

ProxyProcess::~ProxyProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

}  // namespace g2a::test
