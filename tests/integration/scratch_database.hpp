// A throwaway database on the test servers named by G2A_TEST_MYSQL_URL and
// G2A_TEST_REDIS_URL (scripts/test-servers.sh starts them): a new MySQL database, or an
// unused Redis db number, emptied again when the test ends. Uses the mariadb and redis-cli
// clients that come with the servers.
#pragma once

#include <memory>
#include <string>

namespace g2a::test {

class ScratchDatabase {
 public:
  // backend: "mysql" or "redis". nullptr with the reason in *why when the server's
  // variable is unset or the database cannot be prepared.
  static std::unique_ptr<ScratchDatabase> create(const std::string& backend, std::string* why);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& backend() const { return backend_; }
  // The DATABASE_URL of this database, credentials included.
  const std::string& url() const { return url_; }

 private:
  ScratchDatabase(std::string backend, std::string url, std::string drop_command)
      : backend_(std::move(backend)), url_(std::move(url)), drop_(std::move(drop_command)) {}

  std::string backend_, url_, drop_;
};

}  // namespace g2a::test
