// A private redis-server stopped and started again under a storage-redis instance: calls
// fail with G2A_IO_ERROR naming host:port while it is down, ping says so, and once it is
// back the same instance works again by itself, losing nothing the server kept.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "redis_storage.hpp"
#include "server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::storage_redis {
namespace {

using g2a::test::ServerConfig;
using g2a::test::ServerProcess;
using g2a::test::TempDir;
using g2a::test::TestHost;

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

class PrivateRedis {
 public:
  explicit PrivateRedis(const std::string& binary) : port_(free_port()), config_(dir_.str()) {
    config_.binary = binary;
    config_.expect_listening = false;
    // Every acknowledged write is on disk, so a restart keeps it.
    config_.argv0_args = {
        "--port", std::to_string(port_), "--bind", "127.0.0.1",     "--dir", dir_.str(), "--save",
        "",       "--appendonly",        "yes",    "--appendfsync", "always"};
  }
  void start() {
    process_ = std::make_unique<ServerProcess>(config_);
    ASSERT_TRUE(process_->wait_for_output("Ready to accept connections")) << process_->output();
  }
  void stop() { process_->stop(SIGTERM); }
  int port() const { return port_; }

 private:
  TempDir dir_;
  int port_;
  ServerConfig config_;
  std::unique_ptr<ServerProcess> process_;
};

uint64_t count_logs(RedisStorage& s) {
  return s.log_query(
      {}, 0, 0, [](void*, std::string_view, std::string_view) { return true; }, nullptr);
}

g2a_status status_of(const std::function<void()>& call, std::string& message) {
  try {
    call();
  } catch (const g2a::Error& e) {
    message = e.what();
    return e.status();
  }
  return G2A_OK;
}

TEST(RedisRestart, FailsWhileDownAndReconnectsByItself) {
  const char* env = std::getenv("REDIS_SERVER");
  std::string binary = env && *env ? env : "/usr/bin/redis-server";
  if (!std::filesystem::exists(binary)) GTEST_SKIP() << binary << " is not installed";
  PrivateRedis server(binary);
  server.start();
  if (HasFatalFailure()) return;

  TempDir tmp;
  TestHost host((tmp.path() / "data").string());
  host.set_config(fmt::format(
      R"({{"database_url":"redis://127.0.0.1:{}/2","pool_size":2,"connect_timeout_ms":500,"command_timeout_ms":3000}})",
      server.port()));
  RedisStorage s(g2a::Host(host.host(), host.ctx()));
  s.doc_put("things", "before", "1");
  std::vector<std::string_view> record{R"({"id":"a","timestamp":1,"model":"m","success":true})"};
  s.log_append(record);

  server.stop();
  std::string endpoint = fmt::format("127.0.0.1:{}", server.port()), message;
  EXPECT_EQ(status_of([&] { s.doc_get("things", "before"); }, message), G2A_IO_ERROR);
  EXPECT_NE(message.find(endpoint), std::string::npos) << message;
  EXPECT_NE(message.find("HGET"), std::string::npos) << message;
  EXPECT_EQ(status_of([&] { s.log_append(record); }, message), G2A_IO_ERROR);
  EXPECT_EQ(status_of([&] { s.ping(); }, message), G2A_IO_ERROR);
  EXPECT_NE(message.find(endpoint), std::string::npos) << message;

  server.start();
  if (HasFatalFailure()) return;
  s.ping();
  EXPECT_EQ(s.doc_get("things", "before"), "1");
  EXPECT_EQ(count_logs(s), 1u);

  // A restart nobody noticed: the pool's idle connections are all closed by the server.
  server.stop();
  server.start();
  if (HasFatalFailure()) return;
  s.log_append(record);  // not a read: it must not be sent into a dead connection
  s.doc_put("things", "after", "2");
  EXPECT_EQ(count_logs(s), 2u);
  EXPECT_EQ(s.doc_get("things", "after"), "2");
}

}  // namespace
}  // namespace g2a::storage_redis
