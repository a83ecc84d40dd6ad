// storage-mysql.so against a real server (G2A_TEST_MYSQL_URL, e.g. from
// scripts/test-servers.sh): each test gets a fresh database g2a_t_<random>, dropped after.
// Without the variable every test here is skipped, saying why.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "connection.hpp"
#include "mysql_url.hpp"
#include "support/storage_client.hpp"
#include "support/temp_dir.hpp"

namespace g2a::test {
namespace {

using storage_mysql::Connection;
using storage_mysql::MysqlUrl;

using Pairs = Docs;

// A plugin module's descriptor for host (the module stays loaded: libmariadb keeps
// process-wide state).
const g2a_plugin_v1* load_plugin(const char* path, TestHost& host) {
  void* lib = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(lib, nullptr) << ::dlerror();
  auto entry =
      lib ? reinterpret_cast<g2a_plugin_entry_fn>(::dlsym(lib, G2A_ENTRY_SYMBOL)) : nullptr;
  return entry ? entry(host.host()) : nullptr;
}

// Opens a module on host; nullptr with *status and *error set when create() fails.
std::unique_ptr<StorageClient> open_module(const char* path, TestHost& host,
                                           g2a_status* status = nullptr,
                                           std::string* error = nullptr) {
  const g2a_plugin_v1* plugin = load_plugin(path, host);
  if (!plugin) return nullptr;
  return StorageClient::open(host, plugin, status, error);
}

// A call's status and message through the raw table, for calls expected to fail.
struct Outcome {
  g2a_status status;
  std::string error;
};
Outcome raw_get(StorageClient& db, TestHost& host, const std::string& c, const std::string& k) {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st =
      db.api().doc_get(db.instance(), {c.data(), c.size()}, {k.data(), k.size()}, &out, &err);
  host.adopt(out);
  return {st, host.adopt(err)};
}

std::string pct(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

class MysqlLive : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("G2A_TEST_MYSQL_URL");
    if (!base || !*base) GTEST_SKIP() << "G2A_TEST_MYSQL_URL is not set (no MySQL test server)";
    admin_url = storage_mysql::parse_mysql_url(base);
    std::random_device rd;
    admin_url.database = fmt::format("g2a_t_{:08x}{:08x}", rd(), rd());
    url = fmt::format("mysql://{}:{}@{}/{}", pct(admin_url.user), pct(admin_url.password),
                      admin_url.endpoint(), admin_url.database);
    admin = std::make_unique<Connection>(admin_url);
    admin->open(false);
    host.set_config(fmt::format(R"({{"database_url":"{}","pool_size":3}})", url));
  }
  void TearDown() override {
    if (admin) admin->exec(fmt::format("DROP DATABASE IF EXISTS `{}`", admin_url.database), "drop");
  }

  std::unique_ptr<StorageClient> open_mysql() {
    g2a_status status = G2A_OK;
    std::string error;
    auto store = open_module(G2A_STORAGE_MYSQL_MODULE, host, &status, &error);
    EXPECT_EQ(status, G2A_OK) << error;
    return store;
  }

  // Runs SQL in the test database.
  void sql(const std::string& text) {
    admin->exec(fmt::format("USE `{}`", admin_url.database), "use");
    admin->exec(text, "test sql");
  }

  TempDir tmp;
  TestHost host{(tmp.path() / "data").string()};
  MysqlUrl admin_url;
  std::string url;
  std::unique_ptr<Connection> admin;
};

TEST_F(MysqlLive, DeclaresASharedThreadSafeStoreAndDescribesWithoutCredentials) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  EXPECT_STREQ(db->plugin().id, "storage-mysql");
  EXPECT_EQ(db->plugin().flags,
            uint32_t{G2A_FLAG_BLOCKING | G2A_FLAG_THREAD_SAFE | G2A_FLAG_SHARED_STORE});
  EXPECT_EQ(db->describe(), fmt::format("mysql://{}/{}", admin_url.endpoint(), admin_url.database));
  EXPECT_EQ(db->ping(), G2A_OK);
  EXPECT_TRUE(host.logged("created the g2a_ tables"));
}

TEST_F(MysqlLive, DocumentsRoundTripInByteOrderWithLiteralPrefixes) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  for (std::string key : {"b", "a", "a%", "a_b", "ab", "\xff", "A"})
    ASSERT_EQ(db->put("sessions", key, R"({"k": 1})"), G2A_OK);
  EXPECT_EQ(db->get("sessions", "a"), R"({"k":1})");  // stored compact, like storage-file
  EXPECT_EQ(raw_get(*db, host, "sessions", "zz").status, G2A_NOT_FOUND);
  std::vector<std::string> keys;
  for (auto& [k, v] : db->list("sessions")) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"A", "a", "a%", "a_b", "ab", "b", "\xff"}));
  EXPECT_EQ(db->list("sessions", "a%").size(), 1u);
  EXPECT_EQ(db->list("sessions", "a_").size(), 1u);
  EXPECT_EQ(db->list("sessions", "a").size(), 4u);

  ASSERT_EQ(db->put("custom-things", "x", "[1, 2]"), G2A_OK);
  ASSERT_EQ(db->put("tokens", "ssoNormal/tok", R"({"remainingQueries": -1})"), G2A_OK);
  EXPECT_EQ(db->collections(), (std::vector<std::string>{"custom-things", "sessions", "tokens"}));
  EXPECT_EQ(db->del("sessions", "a"), G2A_OK);
  EXPECT_EQ(db->del("sessions", "absent"), G2A_OK);
  EXPECT_EQ(raw_get(*db, host, "sessions", "a").status, G2A_NOT_FOUND);

  // The same checks as storage-file; messages never name a token.
  std::string error;
  EXPECT_EQ(db->put("tokens", "secret-tok", "{}", &error), G2A_BAD_ARGUMENT);
  EXPECT_EQ(error.find("secret-tok"), std::string::npos) << error;
  EXPECT_EQ(db->put("Bad Name", "k", "{}"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(db->put("sessions", "", "{}"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(db->put("sessions", "k", "{oops"), G2A_PARSE_FAILURE);
  EXPECT_EQ(db->put("sessions", std::string(3001, 'k'), "{}"), G2A_BAD_ARGUMENT);
}

TEST_F(MysqlLive, RowsAndExtractedColumnsAreRealTableRows) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->put("tokens", "ssoSuper/t1", "{}"), G2A_OK);
  ASSERT_EQ(db->put("video_tasks", "v1", R"({"status":"running"})"), G2A_OK);
  ASSERT_EQ(db->put("meta", "migrated_from_files", "true"), G2A_OK);
  admin->exec(fmt::format("USE `{}`", admin_url.database), "use");
  EXPECT_EQ(admin->query_value("SELECT pool FROM g2a_tokens WHERE doc_key = 'ssoSuper/t1'", "q"),
            "ssoSuper");
  EXPECT_EQ(admin->query_value("SELECT status FROM g2a_video_tasks", "q"), "running");
  EXPECT_EQ(admin->query_value("SELECT collection FROM g2a_documents", "q"), "meta");
  EXPECT_EQ(admin->query_value("SELECT MAX(version) FROM g2a_schema", "q"), "1");
  // A second instance finds the schema current and migrates nothing.
  auto other = open_mysql();
  EXPECT_TRUE(host.logged("schema version 1"));
  EXPECT_EQ(admin->query_value("SELECT COUNT(*) FROM g2a_schema", "q"), "1");
}

TEST_F(MysqlLive, BatchAppliesAllOrNothing) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->put("proxies", "p1", R"({"url":"http://a:1"})"), G2A_OK);
  EXPECT_EQ(db->batch({{"proxies", "p2", "{}"}, {"tokens", "no-pool", "{}"}}), G2A_BAD_ARGUMENT);
  EXPECT_EQ(db->list("proxies").size(), 1u);
  std::string error;
  ASSERT_EQ(
      db->batch({{"proxies", "p2", "{}"}, {"proxies", "p1", "", true}, {"meta", "m", "1"}}, &error),
      G2A_OK)
      << error;
  Pairs proxies = db->list("proxies");
  ASSERT_EQ(proxies.size(), 1u);
  EXPECT_EQ(proxies[0].first, "p2");
  EXPECT_EQ(db->get("meta", "m"), "1");
}

TEST_F(MysqlLive, ClaimsExcludeOtherOwnersUntilReleasedOrExpired) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->claim("sweep", "a", 60000));
  EXPECT_FALSE(db->claim("sweep", "b", 60000));
  EXPECT_TRUE(db->claim("sweep", "a", 60000));  // renewal
  db->release("sweep", "b");                    // not b's: no-op
  EXPECT_FALSE(db->claim("sweep", "b", 60000));
  db->release("sweep", "a");
  EXPECT_TRUE(db->claim("sweep", "b", 0));  // a zero lease has expired at once
  EXPECT_TRUE(db->claim("sweep", "a", 60000));
  int32_t acquired = -1;
  EXPECT_EQ(db->try_claim("", "a", 1, &acquired), G2A_BAD_ARGUMENT);
  // Two instances share the claims.
  auto other = open_mysql();
  EXPECT_FALSE(other->claim("sweep", "b", 60000));
}

// Records that exercise every rule: timestamp ties and disorder, mixed case, wildcard
// characters, sso vs sso_full, success that is not a bool, response times of every kind.
std::vector<std::string> mixed_records(int n) {
  std::mt19937 rng(42);
  const char* ssos[] = {"AbC-token1", "abc-TOKEN2", "xyz%_3", ""};
  const char* models[] = {"grok-3", "Grok-4-Heavy", "grok_imagine", ""};
  const char* successes[] = {"true", "false", "\"true\"", "null"};
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    int64_t ts = 1700000000000 + static_cast<int64_t>(rng() % 40) * 750 + (rng() % 3 == 0 ? 1 : 0);
    std::string sso_field = rng() % 4 == 0 ? "sso" : "sso_full";
    std::string rt;
    switch (rng() % 4) {
      case 0:
        rt = R"(,"response_time":1.25)";
        break;
      case 1:
        rt = fmt::format(R"(,"response_time":{})", (rng() % 1000) / 7.0);
        break;
      case 2:
        rt = R"(,"response_time":"slow")";
        break;
      default:
        break;
    }
    out.push_back(
        fmt::format(R"({{"id":"r{}","timestamp":{},"{}":"{}","model":"{}","success":{}{}}})", i, ts,
                    sso_field, ssos[rng() % 4], models[rng() % 4], successes[rng() % 4], rt));
  }
  return out;
}

TEST_F(MysqlLive, CallLogsAnswerExactlyLikeStorageFile) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  auto file = open_module(G2A_STORAGE_FILE_MODULE, host);
  ASSERT_TRUE(file);
  std::vector<std::string> records = mixed_records(120);
  for (std::size_t i = 0; i < records.size(); i += 17) {
    std::vector<std::string> chunk(records.begin() + i,
                                   records.begin() + std::min(records.size(), i + 17));
    std::string error;
    ASSERT_EQ(db->append(chunk, &error), G2A_OK) << error;
    ASSERT_EQ(file->append(chunk), G2A_OK);
  }
  EXPECT_EQ(db->append({R"({"id":"x"})"}), G2A_BAD_ARGUMENT);

  std::vector<LogQuery> filters = {{},
                                   {"ABC", "", -1, 0, 0},
                                   {"%", "", -1, 0, 0},
                                   {"_", "", -1, 0, 0},
                                   {"", "GROK", 1, 0, 0},
                                   {"", "-4", 0, 0, 0},
                                   {"", "", 2, 0, 0},
                                   {"token", "grok", -1, 1700000005000, 1700000020000},
                                   {"", "", -1, 1700000020000, 0},
                                   {"", "", -1, 0, 1700000000750},
                                   {"", "", -1, 9, 3}};
  std::vector<uint64_t> matches;  // per filter, to show the comparisons compare something
  std::size_t medians = 0;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    SCOPED_TRACE(i);
    const LogQuery& f = filters[i];
    matches.push_back(file->stats(f).total);
    for (auto [offset, limit] : {std::pair<uint64_t, uint64_t>{0, UINT64_MAX}, {3, 5}, {0, 0}}) {
      QueryResult a = db->query(f, offset, limit), b = file->query(f, offset, limit);
      EXPECT_EQ(a.rows, b.rows);
      EXPECT_EQ(a.total, b.total);
    }
    g2a_log_stats a = db->stats(f, 1700000015000), b = file->stats(f, 1700000015000);
    EXPECT_EQ(std::tie(a.total, a.success, a.failed, a.today_total),
              std::tie(b.total, b.success, b.failed, b.today_total));
    for (auto [bucket, offset] :
         {std::pair<int64_t, int64_t>{1, 0}, {7000, 0}, {3600000, -18000000}, {60000, 19800000}}) {
      auto x = db->timeseries(f, bucket, offset), y = file->timeseries(f, bucket, offset);
      ASSERT_EQ(x.size(), y.size());
      for (std::size_t k = 0; k < x.size(); ++k) {
        EXPECT_EQ(x[k].start_ms, y[k].start_ms);
        EXPECT_EQ(x[k].calls, y[k].calls);
        EXPECT_EQ(x[k].failures, y[k].failures);
        EXPECT_DOUBLE_EQ(x[k].median_latency, y[k].median_latency);
        medians += y[k].median_latency > 0;
      }
    }
  }
  EXPECT_EQ(matches, (std::vector<uint64_t>{120, 57, 27, 27, 15, 21, 95, 28, 43, 3, 0}));
  EXPECT_GT(medians, 100u);
  EXPECT_EQ(db->models(), (std::vector<std::string>{"Grok-4-Heavy", "grok-3", "grok_imagine"}));
  EXPECT_EQ(db->models(), file->models());
  EXPECT_EQ(db->trim(200), 0u);
  EXPECT_EQ(db->trim(25), file->trim(25));
  QueryResult a = db->query({}), b = file->query({});
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.total, 25u);
  EXPECT_EQ(db->models(), file->models());
  EXPECT_EQ(db->trim(0), 25u);
  EXPECT_TRUE(db->models().empty());
}

TEST_F(MysqlLive, ReconnectsAfterTheServerDroppedEveryConnection) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->put("sessions", "k", "1"), G2A_OK);
  std::vector<std::thread> callers;  // usually more than one pooled connection in use
  for (int i = 0; i < 3; ++i) callers.emplace_back([&] { raw_get(*db, host, "sessions", "k"); });
  for (auto& t : callers) t.join();
  // What a server restart does to the clients: every connection is gone.
  auto kill_plugin_connections = [&] {
    auto ids = admin->query(fmt::format("SELECT id FROM information_schema.processlist WHERE db "
                                        "= '{}' AND id <> CONNECTION_ID()",
                                        admin_url.database),
                            "list connections");
    for (auto& row : ids) admin->exec(fmt::format("KILL CONNECTION {}", *row[0]), "kill");
    return ids.size();
  };
  ASSERT_GE(kill_plugin_connections(), 1u);  // as many as the callers happened to open
  Outcome got = raw_get(*db, host, "sessions", "k");
  EXPECT_EQ(got.status, G2A_OK) << got.error;
  std::string error;
  EXPECT_EQ(db->append({R"({"id":"a","timestamp":1,"success":true})"}, &error), G2A_OK) << error;
  kill_plugin_connections();
  EXPECT_EQ(db->ping(&error), G2A_OK) << error;
  EXPECT_EQ(db->query({}).total, 1u);  // appended once, not replayed twice
}

// Stops and restarts the server, so only against a private one: set
// G2A_TEST_MYSQL_PRIVATE_DIR to the directory of `scripts/test-servers.sh start DIR mysql`
// whose URL G2A_TEST_MYSQL_URL is.
TEST_F(MysqlLive, FailsWhileTheServerIsDownAndReconnectsAfterARestart) {
  const char* dir = std::getenv("G2A_TEST_MYSQL_PRIVATE_DIR");
  if (!dir || !*dir) GTEST_SKIP() << "G2A_TEST_MYSQL_PRIVATE_DIR is not set (a private server)";
  std::string script = std::string(G2A_DEFAULT_SOURCE_DIR) + "/scripts/test-servers.sh";
  auto db = open_mysql();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->put("sessions", "before", "1"), G2A_OK);
  admin.reset();
  ASSERT_EQ(std::system(fmt::format("{} stop {} mysql", script, dir).c_str()), 0);
  Outcome down = raw_get(*db, host, "sessions", "before");
  EXPECT_EQ(down.status, G2A_IO_ERROR);
  EXPECT_NE(down.error.find(admin_url.endpoint()), std::string::npos) << down.error;
  std::string error;
  EXPECT_EQ(db->ping(&error), G2A_IO_ERROR);
  EXPECT_EQ(db->append({R"({"id":"lost","timestamp":1})"}), G2A_IO_ERROR);
  ASSERT_EQ(std::system(fmt::format("{} restart {} mysql >/dev/null", script, dir).c_str()), 0);
  EXPECT_EQ(db->ping(&error), G2A_OK) << error;
  EXPECT_EQ(db->get("sessions", "before"), "1");
  EXPECT_EQ(db->put("sessions", "after", "2"), G2A_OK);
  EXPECT_EQ(db->append({R"({"id":"kept","timestamp":2})"}), G2A_OK);
  EXPECT_EQ(db->query({}).total, 1u);
  admin = std::make_unique<Connection>(admin_url);
  admin->open(false);
}

TEST_F(MysqlLive, UnreachableServerAndBadUrlFailClearly) {
  g2a_status status = G2A_OK;
  std::string error;
  host.set_config(R"({"database_url":"mysql://u:hunter2@127.0.0.1:1/db","pool_size":2})");
  EXPECT_EQ(open_module(G2A_STORAGE_MYSQL_MODULE, host, &status, &error), nullptr);
  EXPECT_EQ(status, G2A_IO_ERROR);
  EXPECT_NE(error.find("127.0.0.1:1"), std::string::npos) << error;
  EXPECT_NE(error.find("connect"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
  host.set_config(R"({"database_url":"mysql://u:hunter2@h:x/db"})");
  EXPECT_EQ(open_module(G2A_STORAGE_MYSQL_MODULE, host, &status, &error), nullptr);
  EXPECT_EQ(status, G2A_BAD_ARGUMENT);
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
  host.set_config("{}");
  EXPECT_EQ(open_module(G2A_STORAGE_MYSQL_MODULE, host, &status, &error), nullptr);
  EXPECT_NE(error.find("database_url"), std::string::npos);
}

TEST_F(MysqlLive, ImportsTheProTablesOnce) {
  admin->exec(fmt::format("CREATE DATABASE `{}`", admin_url.database), "create");
  sql("CREATE TABLE grok_tokens (id INT AUTO_INCREMENT PRIMARY KEY, data JSON, updated_at "
      "TIMESTAMP NULL, created_at TIMESTAMP NULL)");
  sql("CREATE TABLE grok_settings (id INT AUTO_INCREMENT PRIMARY KEY, data JSON, updated_at "
      "TIMESTAMP NULL, created_at TIMESTAMP NULL)");
  sql(R"(INSERT INTO grok_tokens (data) VALUES ('{"ssoNormal":{"old":{}},"ssoSuper":{}}'))");
  sql(R"(INSERT INTO grok_tokens (data) VALUES ('{"ssoNormal":{"n1":{"remainingQueries":-1}},"ssoSuper":{"s1":{"status":"active"}}}'))");
  sql(R"(INSERT INTO grok_settings (data) VALUES ('{"grok":{"proxy_url":"http://p:1"},"global":{"admin_password":"x"}}'))");
  {
    auto db = open_mysql();
    ASSERT_TRUE(db);
    std::vector<std::string> keys;
    for (auto& [k, v] : db->list("tokens")) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"ssoNormal/n1", "ssoSuper/s1"}));
    EXPECT_EQ(db->get("settings", "grok"), R"({"proxy_url":"http://p:1"})");
    EXPECT_TRUE(host.logged("2 new token(s) from grok_tokens"));
    ASSERT_EQ(db->del("tokens", "ssoNormal/n1"), G2A_OK);
  }
  // Once per database: a second start imports nothing again, and grok_* stay as they were.
  auto again = open_mysql();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->list("tokens").size(), 1u);
  admin->exec(fmt::format("USE `{}`", admin_url.database), "use");
  EXPECT_EQ(admin->query_value("SELECT COUNT(*) FROM grok_tokens", "count"), "2");
}

TEST_F(MysqlLive, ConcurrentCallsShareThePool) {
  auto db = open_mysql();
  ASSERT_TRUE(db);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        db->put("sessions", fmt::format("t{}-{}", t, i), "{}");
        db->append({fmt::format(R"({{"id":"{}-{}","timestamp":{},"success":true}})", t, i, i)});
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(db->list("sessions").size(), 160u);
  EXPECT_EQ(db->query({}, 0, 1).total, 160u);
}

}  // namespace
}  // namespace g2a::test
