#include "private_servers.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_paths.hpp"

namespace g2a::test {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

PrivateServer::PrivateServer(std::string kind) : kind_(std::move(kind)) {
  std::string out = run("start");
  if (!out.empty()) {
    error_ = out;
    return;
  }
  std::string printed = read_all(dir_.path() / "script.out");
  std::string var = kind_ == "mysql" ? "G2A_TEST_MYSQL_URL=" : "G2A_TEST_REDIS_URL=";
  auto at = printed.find(var);
  if (at == std::string::npos) {
    error_ = "test-servers.sh printed no " + var;
    return;
  }
  at += var.size();
  url_ = printed.substr(at, printed.find('\n', at) - at);
}

PrivateServer::~PrivateServer() {
  run("stop");
}

std::string PrivateServer::run(const std::string& command) {
  std::filesystem::path out = dir_.path() / "script.out";
  std::string cmd = fmt::format(
      "G2A_TEST_REDIS_PERSIST=1 bash '{}/scripts/test-servers.sh' {} '{}/servers' {} >'{}' 2>&1",
      source_dir(), command, dir_.str(), kind_, out.string());
  int rc = std::system(cmd.c_str());
  if (rc == 0) return "";
  return fmt::format("test-servers.sh {} {} failed ({}): {}", command, kind_, rc, read_all(out));
}

}  // namespace g2a::test
