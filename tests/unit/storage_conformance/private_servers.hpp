// A private MariaDB or Redis for one test, run by scripts/test-servers.sh under a temp dir:
// started in the constructor, stopped (whatever happened) in the destructor, and stopped,
// killed or restarted on request in between.
#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace g2a::test {

class PrivateServer {
 public:
  // kind: "mysql" or "redis" (Redis with an fsynced append-only file, so a restart keeps
  // every acknowledged write). url() is empty and error() says why when it did not start.
  explicit PrivateServer(std::string kind);
  ~PrivateServer();
  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;

  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }
  // "stop" (SIGTERM, a clean shutdown), "kill" (SIGKILL, a crash) or "restart"; "" on
  // success, else the script's output.
  std::string run(const std::string& command);

 private:
  std::string kind_;
  TempDir dir_;
  std::string url_, error_;
};

}  // namespace g2a::test
