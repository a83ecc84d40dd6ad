#include "backend.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <hiredis.h>
#include <mysql.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

namespace g2a::test {
namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string random_hex(std::size_t n) {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard lock(mu);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("0123456789abcdef"[rng() % 16]);
  return out;
}

// The module's descriptor for host; modules stay loaded for the whole process.
const g2a_plugin_v1* load_plugin(const std::string& path, const g2a_host_v1* host,
                                 std::string& error) {
  static std::mutex mu;
  static std::map<std::string, void*> handles;
  std::lock_guard lock(mu);
  void*& handle = handles[path];
  if (!handle) handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    error = fmt::format("dlopen {}: {}", path, ::dlerror());
    return nullptr;
  }
  auto entry = reinterpret_cast<g2a_plugin_entry_fn>(::dlsym(handle, G2A_ENTRY_SYMBOL));
  if (!entry) {
    error = fmt::format("{} has no {}", path, G2A_ENTRY_SYMBOL);
    return nullptr;
  }
  return entry(host);
}

// Runs statements on a MySQL server as the URL's user; "" or the error.
std::string mysql_run(const ServerUrl& u, const std::vector<std::string>& statements) {
  MYSQL* c = mysql_init(nullptr);
  unsigned timeout = 10;
  mysql_options(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  std::string error;
  if (!mysql_real_connect(c, u.host.c_str(), u.user.c_str(), u.password.c_str(), nullptr,
                          static_cast<unsigned>(u.port), nullptr, 0)) {
    error = fmt::format("connecting to MySQL at {}:{}: {}", u.host, u.port, mysql_error(c));
  } else {
    for (const auto& sql : statements)
      if (mysql_query(c, sql.c_str()) != 0) {
        error = fmt::format("{}: {}", sql, mysql_error(c));
        break;
      }
  }
  mysql_close(c);
  return error;
}

struct RedisDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using RedisConn = std::unique_ptr<redisContext, RedisDeleter>;

// One command's reply as text (integers and status too); nullopt and error on failure.
std::optional<std::string> redis_cmd(redisContext* c, std::string& error,
                                     const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data()));
  if (!reply) {
    error = fmt::format("redis {}: {}", argv[0], c->errstr);
    return std::nullopt;
  }
  std::optional<std::string> out;
  switch (reply->type) {
    case REDIS_REPLY_ERROR:
      error = fmt::format("redis {}: {}", argv[0], std::string(reply->str, reply->len));
      break;
    case REDIS_REPLY_INTEGER:
      out = std::to_string(reply->integer);
      break;
    case REDIS_REPLY_NIL:
      out = "";
      break;
    case REDIS_REPLY_ARRAY:
      // CONFIG GET answers [name, value].
      out = reply->elements == 2 && reply->element[1]->type == REDIS_REPLY_STRING
                ? std::string(reply->element[1]->str, reply->element[1]->len)
                : "";
      break;
    default:
      out = std::string(reply->str ? reply->str : "", reply->str ? reply->len : 0);
  }
  freeReplyObject(reply);
  return out;
}

RedisConn redis_connect(const ServerUrl& u, std::string& error) {
  timeval timeout{10, 0};
  RedisConn c(redisConnectWithTimeout(u.host.c_str(), u.port, timeout));
  if (!c || c->err) {
    error = fmt::format("connecting to Redis at {}:{}: {}", u.host, u.port,
                        c ? c->errstr : "out of memory");
    return nullptr;
  }
  if (!u.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!u.user.empty()) auth.push_back(u.user);
    auth.push_back(u.password);
    if (!redis_cmd(c.get(), error, auth)) return nullptr;
  }
  return c;
}

}  // namespace

std::string plugin_path(const std::string& backend) {
  return fmt::format("{}/storage-{}.so", G2A_PLUGIN_DIR, backend);
}

ServerUrl parse_server_url(const std::string& url) {
  ServerUrl u;
  std::string_view rest = url;
  auto scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return u;
  u.scheme = rest.substr(0, scheme_end);
  rest.remove_prefix(scheme_end + 3);
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    u.query = rest.substr(q);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (rest.find('/') != std::string_view::npos) u.db = rest.substr(rest.find('/') + 1);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view info = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    auto colon = info.find(':');
    u.user = percent_decode(info.substr(0, colon));
    if (colon != std::string_view::npos) u.password = percent_decode(info.substr(colon + 1));
  }
  auto colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  u.port = colon == std::string_view::npos
               ? (u.scheme == "mysql" ? 3306 : 6379)
               : std::atoi(std::string(authority.substr(colon + 1)).c_str());
  return u;
}

BackendStore::BackendStore(std::string backend, std::string server_url)
    : backend_(std::move(backend)), host_((tmp_.path() / "data").string()) {
  host_.set_logs_dir((tmp_.path() / "logs").string());
  if (backend_ == "file") {
    host_.set_config(R"({"database_url": "", "pool_size": 4})");
    return;
  }
  const char* var = backend_ == "mysql" ? "G2A_TEST_MYSQL_URL" : "G2A_TEST_REDIS_URL";
  if (server_url.empty()) {
    const char* env = std::getenv(var);
    if (!env || !*env) {
      skip_ = fmt::format("{} is not set (scripts/run-tests.sh starts a server and sets it)", var);
      return;
    }
    server_url = env;
  }
  if (!std::filesystem::exists(plugin_path(backend_))) {
    skip_ = fmt::format("{} is not built", plugin_path(backend_));
    return;
  }
  server_url_ = server_url;
  if (backend_ == "mysql")
    prepare_mysql(server_url);
  else
    prepare_redis(server_url);
  host_.set_config(fmt::format(R"({{"database_url": "{}", "pool_size": 4}})", url_));
}

void BackendStore::prepare_mysql(const std::string& server_url) {
  ServerUrl u = parse_server_url(server_url);
  password_ = u.password;
  mysql_db_ = "g2a_t_" + random_hex(16);
  error_ = mysql_run(u, {fmt::format("CREATE DATABASE `{}`", mysql_db_)});
  if (!error_.empty()) mysql_db_.clear();
  std::string base = server_url.substr(0, server_url.find('?'));
  base = base.substr(0, base.find('/', base.find("://") + 3));
  url_ = fmt::format("{}/{}{}", base, mysql_db_, u.query);
}

void BackendStore::prepare_redis(const std::string& server_url) {
  ServerUrl u = parse_server_url(server_url);
  password_ = u.password;
  RedisConn c = redis_connect(u, error_);
  if (!c) return;
  // Database numbers 1.. are handed out through lock keys in database 0, so tests running
  // at the same time (ctest -j) never share one.
  std::optional<std::string> databases = redis_cmd(c.get(), error_, {"CONFIG", "GET", "databases"});
  int count = databases && !databases->empty() ? std::atoi(databases->c_str()) : 16;
  error_.clear();
  std::string token = random_hex(16);
  for (int db = 1; db < count && redis_db_ < 0; ++db) {
    std::string lock = fmt::format("g2a-conformance:db:{}", db);
    auto got = redis_cmd(c.get(), error_, {"SET", lock, token, "NX", "EX", "3600"});
    if (!got) return;
    if (*got == "OK") {
      redis_db_ = db;
      redis_lock_ = lock;
    }
  }
  if (redis_db_ < 0) {
    error_ = fmt::format("every Redis database 1..{} is in use by other tests", count - 1);
    return;
  }
  if (!redis_cmd(c.get(), error_, {"SELECT", std::to_string(redis_db_)}) ||
      !redis_cmd(c.get(), error_, {"FLUSHDB"}))
    return;
  std::string base = server_url.substr(0, server_url.find('?'));
  base = base.substr(0, base.find('/', base.find("://") + 3));
  url_ = fmt::format("{}/{}{}", base, redis_db_, u.query);
}

void BackendStore::release() {
  std::string ignored;
  if (!mysql_db_.empty())
    mysql_run(parse_server_url(server_url_), {fmt::format("DROP DATABASE `{}`", mysql_db_)});
  if (redis_db_ >= 0) {
    if (RedisConn c = redis_connect(parse_server_url(server_url_), ignored)) {
      redis_cmd(c.get(), ignored, {"SELECT", std::to_string(redis_db_)});
      redis_cmd(c.get(), ignored, {"FLUSHDB"});
      redis_cmd(c.get(), ignored, {"SELECT", "0"});
      redis_cmd(c.get(), ignored, {"DEL", redis_lock_});
    }
  }
}

BackendStore::~BackendStore() {
  release();
}

std::unique_ptr<StorageClient> BackendStore::open(g2a_status* status, std::string* error) {
  std::string load_error;
  const g2a_plugin_v1* plugin = load_plugin(plugin_path(backend_), host_.host(), load_error);
  if (!plugin) {
    if (status) *status = G2A_INTERNAL;
    if (error) *error = load_error;
    return nullptr;
  }
  return StorageClient::open(host_, plugin, status, error);
}

}  // namespace g2a::test
