#include "scratch_database.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace g2a::test {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its output (stdout and stderr) and whether it exited 0.
bool run(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return false;
  char buf[512];
  std::string out;
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  if (output) *output = out;
  return status == 0;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 100000);
}

}  // namespace

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(const std::string& backend,
                                                         std::string* why) {
  const char* var = backend == "mysql" ? "G2A_TEST_MYSQL_URL" : "G2A_TEST_REDIS_URL";
  const char* base = std::getenv(var);
  if (!base || !*base) {
    *why = std::string(var) + " is not set (scripts/test-servers.sh starts the test servers)";
    return nullptr;
  }
  auto parsed = boost::urls::parse_uri(base);
  if (!parsed) {
    *why = std::string(var) + " is not a URL";
    return nullptr;
  }
  boost::urls::url url = *parsed;
  std::string host = url.host(), user = url.user(), password = url.password();
  std::string port = url.port();
  std::string out;

  if (backend == "mysql") {
    std::string client = "MYSQL_PWD=" + quoted(password) + " mariadb --protocol=TCP -h " +
                         quoted(host) + " -P " + quoted(port.empty() ? "3306" : port) + " -u " +
                         quoted(user);
    std::string name = "g2a_mig_" + unique_suffix();
    if (!run(client + " -e " + quoted("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"),
             &out)) {
      *why = "cannot create a MySQL database on " + host + ":" + port + ": " + out;
      return nullptr;
    }
    url.set_path("/" + name);
    return std::unique_ptr<ScratchDatabase>(
        new ScratchDatabase(backend, std::string(url.buffer()),
                            client + " -e " + quoted("DROP DATABASE IF EXISTS " + name)));
  }

  std::string client = "redis-cli -h " + quoted(host) + " -p " +
                       quoted(port.empty() ? "6379" : port) + " --no-auth-warning";
  if (!password.empty()) client = "REDISCLI_AUTH=" + quoted(password) + " " + client;
  if (!user.empty() && user != "default" && !password.empty()) client += " --user " + quoted(user);
  int databases = 16;
  if (run(client + " CONFIG GET databases", &out)) {
    auto nl = out.find('\n');
    if (nl != std::string::npos) databases = std::max(1, std::atoi(out.c_str() + nl + 1));
  }
  // An empty db, taken atomically (a key marks it ours), starting at a place of its own.
  static const std::string kTake =
      "if redis.call('DBSIZE') == 0 then redis.call('SET', KEYS[1], ARGV[1]) return 1 end "
      "return 0";
  int start = static_cast<int>(std::random_device{}() % static_cast<unsigned>(databases));
  for (int i = 0; i < databases; ++i) {
    int db = (start + i) % databases;
    if (db == 0) continue;  // db 0 is what a bare URL means: leave it to people
    std::string in_db = client + " -n " + std::to_string(db);
    if (!run(in_db + " EVAL " + quoted(kTake) + " 1 scratch:owner " + unique_suffix(), &out))
      continue;
    if (out.find('1') == std::string::npos) continue;
    url.set_path("/" + std::to_string(db));
    return std::unique_ptr<ScratchDatabase>(
        new ScratchDatabase(backend, std::string(url.buffer()), in_db + " FLUSHDB"));
  }
  *why = "no empty Redis db on " + host + ":" + port + " (" + out + ")";
  return nullptr;
}

ScratchDatabase::~ScratchDatabase() {
  run(drop_, nullptr);
}

}  // namespace g2a::test
