// storage-redis against a real server (G2A_TEST_REDIS_URL; skipped with the reason when it
// is unset): the call log compared operation for operation with storage-file on the same
// random records, documents, claims, the Pro import and reconnecting after the server
// dropped every connection. Each test starts from FLUSHDB of the URL's database.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "file_storage.hpp"
#include "redis_connection.hpp"
#include "redis_keys.hpp"
#include "redis_storage.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::storage_redis {
namespace {

using g2a::test::TempDir;
using g2a::test::TestHost;

class LiveRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("G2A_TEST_REDIS_URL");
    if (!url || !*url) GTEST_SKIP() << "G2A_TEST_REDIS_URL is not set (scripts/test-servers.sh)";
    target_ = parse_redis_url(url);
    take_database();
    if (HasFatalFailure()) return;
    admin_ = std::make_unique<RedisConnection>(target_, Timeouts{});
    admin_->call({"FLUSHDB"}, "FLUSHDB");
    // The password goes in as given: these are throwaway test servers.
    std::string auth = target_.password.empty()
                           ? std::string()
                           : fmt::format("{}:{}@", target_.user, target_.password);
    host_.set_config(fmt::format(R"({{"database_url":"redis://{}{}/{}","pool_size":3}})", auth,
                                 target_.endpoint(), target_.db));
  }

  void TearDown() override {
    if (admin_) admin_->call({"FLUSHDB"}, "FLUSHDB");
    if (lock_) lock_->call({"DEL", lock_key_}, "DEL");
  }

  // What a restart does to the plugin: the server closes its connections (only those on
  // this test's database, other tests share the server).
  void drop_plugin_connections() {
    Reply me = admin_->call({"CLIENT", "ID"}, "CLIENT ID");
    std::string my_id = std::to_string(reply_integer(*admin_, me.get(), "CLIENT ID"));
    Reply list = admin_->call({"CLIENT", "LIST"}, "CLIENT LIST");
    std::string text = reply_string(*admin_, list.get(), "CLIENT LIST").value_or("");
    std::string db = fmt::format(" db={} ", target_.db);
    int killed = 0;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find('\n', at);
      std::string line = text.substr(at, end - at);
      at = end == std::string::npos ? text.size() : end + 1;
      std::string id = line.substr(3, line.find(' ') - 3);  // "id=N ..."
      if (line.find(db) == std::string::npos || id == my_id) continue;
      admin_->call({"CLIENT", "KILL", "ID", id}, "CLIENT KILL");
      ++killed;
    }
    EXPECT_GT(killed, 0);
  }

  // A database of its own, handed out through lock keys in database 0 the way the
  // conformance suite does it, so tests running at the same time never share one.
  void take_database() {
    RedisTarget zero = target_;
    zero.db = 0;
    lock_ = std::make_unique<RedisConnection>(zero, Timeouts{});
    Reply conf = lock_->call({"CONFIG", "GET", "databases"}, "CONFIG GET");
    auto items = reply_array(*lock_, conf.get(), "CONFIG GET");
    int count =
        items.size() == 2 ? std::atoi(reply_string(*lock_, items[1], "CONFIG GET")->c_str()) : 16;
    for (int db = count - 1; db >= 1; --db) {
      std::string key = fmt::format("g2a-conformance:db:{}", db);
      Reply r = lock_->call({"SET", key, "storage_redis_test", "NX", "EX", "3600"}, "SET NX");
      if (reply_string(*lock_, r.get(), "SET NX")) {
        target_.db = db;
        lock_key_ = key;
        return;
      }
    }
    lock_.reset();
    FAIL() << "every Redis database is in use by other tests";
  }

  std::unique_ptr<RedisStorage> open() {
    return std::make_unique<RedisStorage>(g2a::Host(host_.host(), host_.ctx()));
  }
  std::optional<std::string> get(std::string_view key) {
    Reply r = admin_->call({"GET", key}, "GET");
    return reply_string(*admin_, r.get(), "GET");
  }

  RedisTarget target_;
  std::unique_ptr<RedisConnection> lock_;  // on database 0, holding lock_key_
  std::string lock_key_;
  std::unique_ptr<RedisConnection> admin_;
  TempDir tmp_;
  TestHost host_{(tmp_.path() / "data").string()};
};

// ---- call log: the same operations on storage-file and storage-redis -------------------

struct Page {
  uint64_t total = 0;
  std::vector<std::pair<std::string, std::string>> rows;
  bool operator==(const Page&) const = default;
};

Page query(g2a::Storage& s, const LogFilter& f, uint64_t offset, uint64_t limit) {
  Page p;
  p.total = s.log_query(
      f, offset, limit,
      [](void* user, std::string_view id, std::string_view json) {
        static_cast<Page*>(user)->rows.emplace_back(id, json);
        return true;
      },
      &p);
  return p;
}

std::string random_record(std::mt19937& rng, int n) {
  static const char* ssos[] = {"AbcToken1", "abctoken2", "XYZ-token", "", "mixed;Case:1"};
  static const char* models[] = {"grok-3", "Grok-4-Heavy", "grok-imagine", "", "GROK-3"};
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  int64_t ts = 1'700'000'000'000 + pick(40) * 250'000;  // many equal timestamps
  std::string rt;
  switch (pick(4)) {
    case 0:
      break;
    case 1:
      rt = fmt::format(R"(,"response_time":{})", pick(5));
      break;
    default:
      rt = fmt::format(R"(,"response_time":{})", pick(10000) / 997.0);
  }
  std::string success =
      pick(5) == 0 ? "" : fmt::format(R"(,"success":{})", pick(3) ? "true" : "false");
  std::string sso = pick(4) ? fmt::format(R"("sso_full":"{}")", ssos[pick(5)])
                            : fmt::format(R"("sso_full":"","sso":"{}")", ssos[pick(5)]);
  return fmt::format(R"({{"id":"r{}","timestamp":{},{},"model":"{}"{}{}}})", n, ts, sso,
                     models[pick(5)], success, rt);
}

void expect_same_log(g2a::Storage& file, g2a::Storage& redis, std::mt19937& rng) {
  EXPECT_EQ(file.log_models(), redis.log_models());
  std::vector<LogFilter> filters;
  for (const char* sso : {"", "abc", "TOKEN", "zzz", ";case:"})
    for (const char* model : {"", "grok-3", "HEAVY", "imag"})
      for (int success : {-1, 0, 1}) {
        LogFilter f;
        f.sso = sso;
        f.model = model;
        f.success = success;
        filters.push_back(f);
      }
  for (int i = 0; i < 20; ++i) {
    LogFilter f;
    f.success = static_cast<int>(rng() % 3) - 1;
    f.start_ms = rng() % 2 ? 0 : 1'700'000'000'000 + (rng() % 40) * 250'000;
    f.end_ms = rng() % 2 ? 0 : 1'700'000'000'000 + (rng() % 40) * 250'000;
    f.model = rng() % 2 ? "" : "grok";
    filters.push_back(f);
  }
  for (const LogFilter& f : filters) {
    SCOPED_TRACE(fmt::format("sso={} model={} success={} start={} end={}", f.sso, f.model,
                             f.success, f.start_ms, f.end_ms));
    for (auto [offset, limit] :
         {std::pair<uint64_t, uint64_t>{0, 1000}, {0, 7}, {5, 3}, {1000, 10}, {3, UINT64_MAX}})
      EXPECT_EQ(query(file, f, offset, limit), query(redis, f, offset, limit));
    int64_t today = 1'700'000'000'000 + 20 * 250'000;
    LogStats a = file.log_stats(f, today), b = redis.log_stats(f, today);
    EXPECT_EQ(std::tie(a.total, a.success, a.failed, a.today_total),
              std::tie(b.total, b.success, b.failed, b.today_total));
    for (auto [bucket, offset] : {std::pair<int64_t, int64_t>{3'600'000, 0},
                                  {1'000'000, 19'800'000},
                                  {86'400'000, -18'000'000},
                                  {1, 0}}) {
      std::vector<LogBucket> x, y;
      file.log_timeseries(f, bucket, offset, x);
      redis.log_timeseries(f, bucket, offset, y);
      ASSERT_EQ(x.size(), y.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(x[i].start_ms, y[i].start_ms);
        EXPECT_EQ(x[i].calls, y[i].calls);
        EXPECT_EQ(x[i].failures, y[i].failures);
        EXPECT_EQ(x[i].median_latency, y[i].median_latency);  // bit for bit
      }
    }
  }
}

TEST_F(LiveRedis, CallLogMatchesStorageFile) {
  TempDir file_dir;
  TestHost file_host((file_dir.path() / "data").string());
  storage_file::FileStorage file(g2a::Host(file_host.host(), file_host.ctx()));
  auto redis = open();
  std::mt19937 rng(20261129);
  int n = 0;
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<std::string> texts;
    for (int i = 0, size = 1 + static_cast<int>(rng() % 20); i < size; ++i)
      texts.push_back(random_record(rng, n++));
    std::vector<std::string_view> views(texts.begin(), texts.end());
    file.log_append(views);
    redis->log_append(views);
  }
  expect_same_log(file, *redis, rng);
  for (uint64_t keep : {300u, 120u, 1u}) {
    EXPECT_EQ(file.log_trim(keep), redis->log_trim(keep));
    expect_same_log(file, *redis, rng);
  }
  EXPECT_EQ(redis->log_trim(0), 1u);
  EXPECT_TRUE(redis->log_models().empty());
  EXPECT_EQ(query(*redis, {}, 0, 10).total, 0u);
}

TEST_F(LiveRedis, AppendRefusesTheWholeBatchOnOneBadRecord) {
  auto s = open();
  std::vector<std::string_view> batch{R"({"id":"a","timestamp":1,"model":"m"})", "{not json"};
  try {
    s->log_append(batch);
    FAIL() << "accepted a bad record";
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_PARSE_FAILURE);
  }
  EXPECT_EQ(query(*s, {}, 0, 10).total, 0u);
}

// ---- documents ----------------------------------------------------------------------------

std::vector<std::string> keys_of(g2a::Storage& s, std::string_view collection,
                                 std::string_view prefix) {
  std::vector<std::string> keys;
  s.doc_list(
      collection, prefix,
      [](void* u, std::string_view k, std::string_view) {
        static_cast<std::vector<std::string>*>(u)->emplace_back(k);
        return true;
      },
      &keys);
  return keys;
}

TEST_F(LiveRedis, DocumentsInByteOrderWithPrefixes) {
  auto s = open();
  s->doc_put("things", "b", R"({"v": 2})");
  s->doc_put("things", "a/\xc3\xa9", "[1, 2]");
  s->doc_put("things", "a/z", "\"x\"");
  s->doc_put("things", "A", "null");
  EXPECT_EQ(s->doc_get("things", "b"), R"({"v":2})");  // stored compact like storage-file
  EXPECT_EQ(s->doc_get("things", "none"), std::nullopt);
  EXPECT_EQ(keys_of(*s, "things", ""), (std::vector<std::string>{"A", "a/z", "a/\xc3\xa9", "b"}));
  EXPECT_EQ(keys_of(*s, "things", "a/"), (std::vector<std::string>{"a/z", "a/\xc3\xa9"}));
  EXPECT_EQ(s->doc_collections(), std::vector<std::string>{"things"});
  for (const char* k : {"A", "a/z", "a/\xc3\xa9", "b"}) s->doc_delete("things", k);
  s->doc_delete("things", "absent");
  EXPECT_TRUE(s->doc_collections().empty());
}

TEST_F(LiveRedis, BatchIsAllOrNothingAndChecksLikeStorageFile) {
  auto s = open();
  s->doc_put("settings", "grok", "{}");
  std::vector<DocWrite> bad{{"tokens", "ssoNormal/t1", "{}"}, {"tokens", "nopool", "{}"}};
  try {
    s->doc_write_batch(bad);
    FAIL();
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_BAD_ARGUMENT);
  }
  EXPECT_EQ(s->doc_get("tokens", "ssoNormal/t1"), std::nullopt);
  std::vector<DocWrite> good{{"tokens", "ssoNormal/t1", R"({"a":1})"},
                             {"settings", "grok", "", true},
                             {"proxy_assignments", "t1", "\"http://p:1\""}};
  s->doc_write_batch(good);
  EXPECT_EQ(s->doc_collections(), (std::vector<std::string>{"proxy_assignments", "tokens"}));
  EXPECT_THROW(s->doc_put("Bad Name", "k", "{}"), g2a::Error);
  EXPECT_THROW(s->doc_put("c", "", "{}"), g2a::Error);
  try {
    s->doc_put("c", "k", "{oops");
    FAIL();
  } catch (const g2a::Error& e) {
    EXPECT_EQ(e.status(), G2A_PARSE_FAILURE);
  }
}

// ---- claims -------------------------------------------------------------------------------

TEST_F(LiveRedis, ClaimsAreLeasesOnTheServerClock) {
  auto s = open();
  EXPECT_TRUE(s->claim("video/1", "a", 60000));
  EXPECT_FALSE(s->claim("video/1", "b", 60000));
  EXPECT_TRUE(s->claim("video/1", "a", 90000));  // renewed
  Reply ttl = admin_->call({"PTTL", "g2a:claim:video/1"}, "PTTL");
  int64_t left = reply_integer(*admin_, ttl.get(), "PTTL");
  EXPECT_GT(left, 60000);
  EXPECT_LE(left, 90000);
  s->release("video/1", "b");  // not b's: no-op
  EXPECT_FALSE(s->claim("video/1", "b", 1000));
  s->release("video/1", "a");
  EXPECT_TRUE(s->claim("video/1", "b", 1000));
  // An expired lease (the server dropped the key) is free for anyone.
  admin_->call({"PEXPIRE", "g2a:claim:video/1", "1"}, "PEXPIRE");
  while (get("g2a:claim:video/1")) {
  }
  EXPECT_TRUE(s->claim("video/1", "c", 1000));
  EXPECT_THROW(s->claim("", "c", 1), g2a::Error);
}

// ---- schema, Pro import, describe, reconnect -------------------------------------------

TEST_F(LiveRedis, ImportsTheProKeysOnceAndRecordsTheSchema) {
  admin_->call({"SET", "grok:tokens",
                R"({"ssoNormal":{"tokA":{"status":"active"}},"ssoSuper":{"tokB":{}}})"},
               "SET");
  admin_->call({"SET", "grok:settings", R"({"grok":{"proxy_url":"x"},"global":{}})"}, "SET");
  {
    auto s = open();
    EXPECT_EQ(s->doc_get("tokens", "ssoNormal/tokA"), R"({"status":"active"})");
    EXPECT_EQ(s->doc_get("tokens", "ssoSuper/tokB"), "{}");
    EXPECT_EQ(s->doc_get("settings", "grok"), R"({"proxy_url":"x"})");
    s->doc_delete("tokens", "ssoSuper/tokB");
  }
  EXPECT_TRUE(host_.logged("imported the Pro service's keys once: 2 of 2 token(s)"));
  EXPECT_TRUE(get("g2a:meta:pro_import").has_value());
  EXPECT_EQ(get("g2a:schema"), "1");
  auto again = open();  // the marker keeps the deleted token deleted
  EXPECT_EQ(again->doc_get("tokens", "ssoSuper/tokB"), std::nullopt);
  EXPECT_TRUE(get("grok:tokens").has_value());  // never written
}

TEST_F(LiveRedis, RefusesANewerSchema) {
  admin_->call({"SET", "g2a:schema", "99"}, "SET");
  try {
    open();
    FAIL();
  } catch (const g2a::Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos);
  }
}

TEST_F(LiveRedis, DescribeHasNoCredentials) {
  auto s = open();
  std::string d = s->describe();
  EXPECT_EQ(d.rfind("redis://", 0), 0u);
  EXPECT_EQ(d.find('@'), std::string::npos);
}

TEST_F(LiveRedis, ReconnectsAfterTheServerDroppedEveryConnection) {
  auto s = open();
  s->doc_put("c", "k", "1");
  s->ping();
  drop_plugin_connections();
  EXPECT_EQ(s->doc_get("c", "k"), "1");
  std::vector<std::string_view> one{R"({"id":"x","timestamp":1,"model":"m","success":true})"};
  drop_plugin_connections();
  s->log_append(one);
  EXPECT_EQ(query(*s, {}, 0, 10).total, 1u);
  drop_plugin_connections();
  s->ping();
}

TEST(RedisUnreachable, CreateNamesHostAndStep) {
  TempDir tmp;
  TestHost host((tmp.path() / "data").string());
  host.set_config(
      R"({"database_url":"redis://:topsecret@127.0.0.1:1/0","connect_timeout_ms":500})");
  try {
    RedisStorage s(g2a::Host(host.host(), host.ctx()));
    FAIL();
  } catch (const g2a::Error& e) {
    std::string m = e.what();
    EXPECT_EQ(e.status(), G2A_IO_ERROR);
    EXPECT_NE(m.find("127.0.0.1:1"), std::string::npos) << m;
    EXPECT_NE(m.find("connect failed"), std::string::npos) << m;
    EXPECT_EQ(m.find("topsecret"), std::string::npos) << m;
  }
}

// ---- measurement (not a check): G2A_REDIS_BENCH_RECORDS=N prints timings ------------------

TEST_F(LiveRedis, MeasureALargeLog) {
  const char* n_text = std::getenv("G2A_REDIS_BENCH_RECORDS");
  if (!n_text) GTEST_SKIP() << "set G2A_REDIS_BENCH_RECORDS=N to measure a log of N records";
  const uint64_t n = std::strtoull(n_text, nullptr, 10);
  auto s = open();
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  };
  std::mt19937 rng(7);
  std::vector<std::string> tokens;
  for (int i = 0; i < 50; ++i)
    tokens.push_back(fmt::format("eyJhbGciOiJIUzI1NiJ9.{:0>120}.sig{}", rng(), i));
  const char* models[] = {"grok-3", "grok-4", "grok-4-heavy", "grok-imagine-0.9", "grok-3-mini"};
  auto t = Clock::now();
  for (uint64_t done = 0; done < n;) {
    std::vector<std::string> texts;
    for (int i = 0; i < 1000 && done < n; ++i, ++done)
      texts.push_back(fmt::format(
          R"({{"id":"{:016x}","timestamp":{},"sso_full":"{}","sso":"{}...","model":"{}","success":{},"status_code":200,"response_time":{},"ip":"10.0.0.1","error":""}})",
          done, 1'700'000'000'000 + done * 1000, tokens[rng() % 50], tokens[0].substr(0, 10),
          models[rng() % 5], rng() % 10 ? "true" : "false", (rng() % 5000) / 100.0));
    std::vector<std::string_view> views(texts.begin(), texts.end());
    s->log_append(views);
  }
  std::printf("append %llu records in batches of 1000: %.0f ms\n",
              static_cast<unsigned long long>(n), ms(t));
  auto time_query = [&](const char* what, LogFilter f) {
    auto t0 = Clock::now();
    uint64_t total = query(*s, f, 0, 50).total;
    std::printf("log_query %-28s total %8llu, first page of 50: %7.1f ms\n", what,
                static_cast<unsigned long long>(total), ms(t0));
  };
  time_query("(no filter)", {});
  time_query("success=0", LogFilter{{}, {}, 0});
  time_query("success=1", LogFilter{{}, {}, 1});
  time_query("model~\"heavy\"", LogFilter{{}, "heavy"});
  time_query("sso~token #7", LogFilter{tokens[7].substr(20, 30), {}});
  auto t1 = Clock::now();
  LogStats st = s->log_stats({}, 1'700'000'000'000 + n * 500);
  std::printf("log_stats (no filter): %.1f ms (total %llu)\n", ms(t1),
              static_cast<unsigned long long>(st.total));
  t1 = Clock::now();
  st = s->log_stats(LogFilter{{}, "grok-4"}, 0);
  std::printf("log_stats model~grok-4: %.1f ms (total %llu)\n", ms(t1),
              static_cast<unsigned long long>(st.total));
  std::vector<LogBucket> buckets;
  t1 = Clock::now();
  s->log_timeseries({}, 3'600'000, 0, buckets);
  std::printf("log_timeseries hourly (no filter): %.1f ms, %zu buckets\n", ms(t1), buckets.size());
  Reply info = admin_->call({"INFO", "memory"}, "INFO");
  std::string text = reply_string(*admin_, info.get(), "INFO").value_or("");
  auto at = text.find("used_memory_human:");
  std::printf("server %s\n", text.substr(at, text.find('\r', at) - at).c_str());
  t1 = Clock::now();
  uint64_t trimmed = s->log_trim(n / 2);
  std::printf("log_trim to %llu: %.0f ms (%llu removed)\n", static_cast<unsigned long long>(n / 2),
              ms(t1), static_cast<unsigned long long>(trimmed));
}

}  // namespace
}  // namespace g2a::storage_redis
