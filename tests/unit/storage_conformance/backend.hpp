// One storage backend ("file", "mysql" or "redis") prepared for one test: a fresh data
// directory, MySQL database (g2a_t_<random>, dropped afterwards) or Redis database number
// (claimed, flushed before and after), and its plugin module loaded through the C ABI.
#pragma once

#include <memory>
#include <string>

#include "support/storage_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::test {

// Where the plugin module of a backend is built: <plugin dir>/storage-<backend>.so.
std::string plugin_path(const std::string& backend);

// A database server's URL split up (mysql:// and redis://), percent-decoded.
struct ServerUrl {
  std::string scheme, user, password, host, db, query;
  int port = 0;
};
ServerUrl parse_server_url(const std::string& url);

class BackendStore {
 public:
  // server_url: the MySQL / Redis server to use; empty means G2A_TEST_MYSQL_URL /
  // G2A_TEST_REDIS_URL. Never fails: a problem is in skip_reason() or error().
  explicit BackendStore(std::string backend, std::string server_url = "");
  ~BackendStore();
  BackendStore(const BackendStore&) = delete;
  BackendStore& operator=(const BackendStore&) = delete;

  const std::string& backend() const { return backend_; }
  // Why this backend cannot run here (its env var is unset, its plugin is not built).
  const std::string& skip_reason() const { return skip_; }
  // Why preparing the database failed although it should have worked.
  const std::string& error() const { return error_; }
  // The database_url handed to the plugin (holds the password: never print it).
  const std::string& url() const { return url_; }
  const std::string& password() const { return password_; }

  // A new plugin instance on this test's database; nullptr with status/error on failure.
  std::unique_ptr<StorageClient> open(g2a_status* status = nullptr, std::string* error = nullptr);
  TestHost& host() { return host_; }

 private:
  void prepare_mysql(const std::string& server_url);
  void prepare_redis(const std::string& server_url);
  void release();

  std::string backend_;
  TempDir tmp_;
  TestHost host_;
  std::string skip_, error_, url_, password_;
  std::string server_url_;
  std::string mysql_db_;  // created for this test, dropped by release()
  int redis_db_ = -1;     // claimed for this test, flushed and released by release()
  std::string redis_lock_;
};

}  // namespace g2a::test
