// Backup, restore and the move from data/ into a database, through the real binary and
// plugins: grok2api --export/--import between file, MySQL and Redis stores (a round trip
// file -> MySQL -> Redis -> file that must keep every document and every call-log record
// in order), the refusals and exit codes, and the one-time import of a Pro data/ folder at
// the first start on a database.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/runtime/blocking_pool.hpp"
#include "core/storage/directory_store.hpp"
#include "core/storage/store.hpp"
#include "core/storage/store_copy.hpp"
#include "scratch_database.hpp"
#include "server_process.hpp"
#include "support/test_paths.hpp"

namespace g2a::test {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int kRecords = 2500;  // call-log records added to the Pro ones: several pages

using Env = std::map<std::string, std::string>;

struct CliResult {
  int code = -1;
  std::string output;
};

// grok2api run as a command (no server) in work_dir.
CliResult grok2api(const std::string& work_dir, std::vector<std::string> args, Env env = {}) {
  ServerProcess p(ServerConfig(work_dir, "", std::move(args), std::move(env), false));
  CliResult r;
  r.code = p.wait_exit(std::chrono::seconds(120));
  r.output = p.output();
  return r;
}

// A scratch database for backend, with its plugin built; nullptr with the reason.
std::unique_ptr<ScratchDatabase> database_for(const std::string& backend, std::string* why) {
  fs::path plugin = fs::path(build_dir()) / "lib" / "grok2api" / ("storage-" + backend + ".so");
  if (!fs::exists(plugin)) {
    *why = plugin.string() + " is not built";
    return nullptr;
  }
  return ScratchDatabase::create(backend, why);
}

Env backend_env(const ScratchDatabase& db) {
  return {{"STORAGE_MODE", db.backend()}, {"DATABASE_URL", db.url()}};
}

// Runs f with a Store on directory `dir` (storage-file through DirectoryStore, as the
// gateway opens one).
template <class F>
void with_directory_store(const std::string& dir, F f) {
  boost::asio::io_context io;
  runtime::BlockingPool pool(1);
  storage::DirectoryStoreOptions options;
  options.plugin_directory = build_dir() + "/lib/grok2api";
  options.logs_dir = dir + "/logs";
  options.io = io.get_executor();
  options.blocking = &pool;
  storage::DirectoryStore files(options, dir);
  f(files.store());
  files.close();
}

// Everything a store holds, as values: documents per collection and key, call-log
// records newest first.
struct Snapshot {
  std::map<std::string, std::map<std::string, json::value>> documents;
  std::vector<json::value> records;
};

Snapshot snapshot(const std::string& dir) {
  Snapshot s;
  with_directory_store(dir, [&](storage::Store& store) {
    for (const auto& name : storage::collection_names(store))
      for (const auto& [key, doc] : store.list(name)) s.documents[name][key] = json::parse(doc);
    g2a_log_filter all{sizeof(g2a_log_filter), {nullptr, 0}, {nullptr, 0}, -1, 0, 0};
    for (uint64_t offset = 0;; offset += 700) {
      auto page = store.log_query(all, offset, 700);
      for (const auto& r : page.records) s.records.push_back(json::parse(r));
      if (offset + 700 >= page.total) break;
    }
  });
  return s;
}

void expect_same(const Snapshot& want, const Snapshot& got, const std::string& what) {
  std::vector<std::string> names_want, names_got;
  for (const auto& [n, d] : want.documents) names_want.push_back(n);
  for (const auto& [n, d] : got.documents) names_got.push_back(n);
  EXPECT_EQ(names_want, names_got) << what << ": collections";
  for (const auto& [name, docs] : want.documents) {
    auto it = got.documents.find(name);
    if (it == got.documents.end()) continue;
    EXPECT_EQ(docs.size(), it->second.size()) << what << ": documents in " << name;
    for (const auto& [key, doc] : docs) {
      auto d = it->second.find(key);
      if (d == it->second.end()) {
        ADD_FAILURE() << what << ": " << name << " lost a document";
        continue;
      }
      EXPECT_EQ(doc, d->second) << what << ": " << name << "/" << key;
    }
  }
  ASSERT_EQ(want.records.size(), got.records.size()) << what << ": call-log records";
  for (size_t i = 0; i < want.records.size(); ++i)
    if (want.records[i] != got.records[i]) {
      ADD_FAILURE() << what << ": call-log record " << i << " (newest first) differs:\n  want "
                    << want.records[i] << "\n  got  " << got.records[i];
      break;
    }
}

void copy_pro_fixture(const fs::path& to) {
  fs::create_directories(to);
  fs::path pro = fs::path(source_dir()) / "tests" / "fixtures" / "pro-data";
  for (const char* f : {"token.json", "proxy_state.json", "video_tasks.json", "call_logs.json"})
    fs::copy_file(pro / f, to / f);
}

// A data directory with everything a gateway stores: the Pro fixture's files (tokens
// with a legacy pool, proxies, assignments, video tasks, call logs), saved settings,
// admin sessions, a collection the host does not know by name, and enough call-log
// records for several pages, with equal timestamps whose order must survive.
void make_rich_data_dir(const fs::path& dir) {
  copy_pro_fixture(dir);
  with_directory_store(dir.string(), [](storage::Store& store) {
    store.put("settings", "global", R"({"log_max_count":777,"log_level":"DEBUG"})");
    store.put("settings", "grok", R"({"show_thinking":false,"note":"备注 ✓"})");
    store.put("sessions", "sess-1", R"({"created":1738480000000,"expires":1738566400000})");
    store.put("custom_things", "a/b c", R"({"n":1.5,"list":[1,"二",null,true],"deep":{"x":{}}})");
    store.put("custom_things", "é", R"({"big":9007199254740993,"neg":-12})");
    std::vector<std::string> batch;
    for (int i = 0; i < kRecords; ++i) {
      json::object r;
      r["id"] = "rec-" + std::to_string(i);
      r["timestamp"] = 1738490000000 + (i / 3) * 1000;  // three records per millisecond
      r["sso"] = "eyJh****";
      r["sso_full"] = "sso-" + std::to_string(i % 7);
      r["model"] = i % 2 ? "grok-4-fast" : "grok-imagine-1.0";
      r["success"] = i % 5 != 0;
      r["status_code"] = i % 5 ? 200 : 429;
      r["response_time"] = 0.25 * (i % 11);
      r["error_message"] = i % 5 ? "" : "限流 \"quoted\"";
      r["media_urls"] = json::array{};
      batch.push_back(json::serialize(r));
      if (batch.size() == 400) {
        store.log_append(batch);
        batch.clear();
      }
    }
    store.log_append(batch);
  });
}

class BackupRestore : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = dir_.path() / "source";
    make_rich_data_dir(source_);
    want_ = snapshot(source_.string());
    // What the fixture and the additions amount to, so a loader that dropped something
    // would not pass unnoticed.
    ASSERT_EQ(want_.documents["tokens"].size(), 4u);
    ASSERT_EQ(want_.documents["proxies"].size(), 2u);
    ASSERT_EQ(want_.documents["video_tasks"].size(), 2u);
    ASSERT_EQ(want_.documents["custom_things"].size(), 2u);
    ASSERT_EQ(want_.records.size(), kRecords + 5u);
  }

  std::string work(const std::string& name) {
    fs::path p = dir_.path() / name;
    fs::create_directories(p / "data");
    return p.string();
  }

  TempDir dir_;
  fs::path source_;
  Snapshot want_;
};

TEST_F(BackupRestore, FileToFileRoundTripKeepsEverything) {
  std::string w = work("file");
  auto in = grok2api(w, {"--import", source_.string()});
  ASSERT_EQ(in.code, 0) << in.output;
  EXPECT_NE(in.output.find("imported " + source_.string() + " into file:"), std::string::npos)
      << in.output;
  EXPECT_NE(in.output.find("4 tokens"), std::string::npos) << in.output;
  EXPECT_NE(in.output.find(std::to_string(kRecords + 5) + " call-log records (counts verified)"),
            std::string::npos)
      << in.output;
  // One copy on its own (two copies could undo each other's mistake).
  expect_same(want_, snapshot(w + "/data"), "file -> file");
  std::string out_dir = (dir_.path() / "exported").string();
  auto out = grok2api(w, {"--export", out_dir});
  ASSERT_EQ(out.code, 0) << out.output;
  expect_same(want_, snapshot(out_dir), "file -> file -> export");
}

TEST_F(BackupRestore, RefusesANonEmptyTargetUnlessForcedAndSaysWhy) {
  std::string w = work("file");
  ASSERT_EQ(grok2api(w, {"--import", source_.string()}).code, 0);

  auto again = grok2api(w, {"--import", source_.string()});
  EXPECT_EQ(again.code, 3) << again.output;
  EXPECT_NE(again.output.find("already holds 4 tokens"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;

  // A smaller source replaces everything with --force: nothing of the old state stays.
  fs::path small = dir_.path() / "small";
  fs::create_directories(small);
  fs::copy_file(fs::path(source_dir()) / "tests/fixtures/pro-data/proxy_state.json",
                small / "proxy_state.json");
  auto forced = grok2api(w, {"--import", small.string(), "--force"});
  ASSERT_EQ(forced.code, 0) << forced.output;
  std::string out_dir = (dir_.path() / "after-force").string();
  ASSERT_EQ(grok2api(w, {"--export", out_dir}).code, 0);
  Snapshot got = snapshot(out_dir);
  EXPECT_EQ(got.documents.count("tokens"), 0u);
  EXPECT_EQ(got.documents["proxies"].size(), 2u);
  EXPECT_TRUE(got.records.empty());

  // An export over an earlier export is refused the same way.
  auto over = grok2api(w, {"--export", out_dir});
  EXPECT_EQ(over.code, 3) << over.output;

  auto missing = grok2api(w, {"--import", (dir_.path() / "nope").string()});
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("no such directory"), std::string::npos) << missing.output;
  fs::create_directories(dir_.path() / "empty");
  auto empty = grok2api(w, {"--import", (dir_.path() / "empty").string()});
  EXPECT_EQ(empty.code, 2) << empty.output;
  EXPECT_NE(empty.output.find("holds no data"), std::string::npos) << empty.output;
  auto self = grok2api(w, {"--export", w + "/data"});
  EXPECT_EQ(self.code, 2) << self.output;
  EXPECT_NE(self.output.find("is the configured data directory"), std::string::npos) << self.output;
}

TEST_F(BackupRestore, FileToMysqlToRedisToFileKeepsEverything) {
  std::string why;
  auto mysql = database_for("mysql", &why);
  if (!mysql) GTEST_SKIP() << why;

  std::string wm = work("mysql"), wr = work("redis");
  auto to_mysql = grok2api(wm, {"--import", source_.string()}, backend_env(*mysql));
  ASSERT_EQ(to_mysql.code, 0) << to_mysql.output;
  EXPECT_NE(to_mysql.output.find("into mysql://"), std::string::npos) << to_mysql.output;
  EXPECT_EQ(to_mysql.output.find(mysql->url()), std::string::npos) << "the password was printed";
  std::string from_mysql = (dir_.path() / "from-mysql").string();
  auto exported = grok2api(wm, {"--export", from_mysql}, backend_env(*mysql));
  ASSERT_EQ(exported.code, 0) << exported.output;
  // What went into MySQL came back out unchanged (the import's marker aside).
  Snapshot mid = snapshot(from_mysql);
  mid.documents.erase("meta");
  expect_same(want_, mid, "file -> mysql -> file");
  auto redis = database_for("redis", &why);
  if (!redis) GTEST_SKIP() << "the MySQL leg passed; " << why;

  auto to_redis = grok2api(wr, {"--import", from_mysql}, backend_env(*redis));
  ASSERT_EQ(to_redis.code, 0) << to_redis.output;
  EXPECT_NE(to_redis.output.find("into redis://"), std::string::npos) << to_redis.output;
  std::string from_redis = (dir_.path() / "from-redis").string();
  auto back = grok2api(wr, {"--export", from_redis}, backend_env(*redis));
  ASSERT_EQ(back.code, 0) << back.output;
  Snapshot end = snapshot(from_redis);
  ASSERT_EQ(end.documents.count("meta"), 1u) << "the import into redis writes its marker";
  EXPECT_EQ(end.documents["meta"].count("migrated_from_files"), 1u);
  end.documents.erase("meta");
  expect_same(want_, end, "file -> mysql -> redis -> file");

  // A database that holds data is not overwritten without --force.
  auto again = grok2api(wr, {"--import", source_.string()}, backend_env(*redis));
  EXPECT_EQ(again.code, 3) << again.output;
  EXPECT_NE(again.output.find("redis://"), std::string::npos) << again.output;
}

// The first start on an empty database with a Pro data/ folder imports it, once.
class StartupImport : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir_;
};

TEST_P(StartupImport, ProDataFolderIsImportedAtTheFirstStartOnly) {
  std::string why;
  auto db = database_for(GetParam(), &why);
  if (!db) GTEST_SKIP() << why;
  std::string w = dir_.str();
  copy_pro_fixture(dir_.path() / "data");

  {
    ServerProcess first(ServerConfig(w, "", {}, backend_env(*db)));
    EXPECT_TRUE(first.wait_for_output("(once)")) << first.output();
    EXPECT_NE(first.output().find("[Storage] imported 4 tokens, 2 proxies, 1 proxy_assignments, "
                                  "2 video_tasks, 5 call-log records from " +
                                  (dir_.path() / "data").string() + " (once)"),
              std::string::npos)
        << first.output();
    EXPECT_NE(first.output().find("4 token(s) loaded"), std::string::npos) << first.output();
    EXPECT_EQ(first.stop(SIGTERM), 0);
  }
  {
    ServerProcess second(ServerConfig(w, "", {}, backend_env(*db)));
    EXPECT_EQ(second.output().find("(once)"), std::string::npos) << second.output();
    EXPECT_NE(second.output().find("4 token(s) loaded"), std::string::npos) << second.output();
    EXPECT_EQ(second.stop(SIGTERM), 0);
  }

  // The database holds the Pro state once (not twice), with the marker.
  std::string out_dir = (dir_.path() / "exported").string();
  auto out = grok2api(w, {"--export", out_dir}, backend_env(*db));
  ASSERT_EQ(out.code, 0) << out.output;
  Snapshot got = snapshot(out_dir);
  EXPECT_EQ(got.documents["tokens"].size(), 4u);
  EXPECT_EQ(got.documents["proxies"].size(), 2u);
  // The Pro binding is there (a running gateway may bind more tokens to proxies).
  EXPECT_EQ(got.documents["proxy_assignments"].count(
                "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibm9ybWFsLTEifQ.Nn1sig"),
            1u);
  EXPECT_EQ(got.documents["video_tasks"].size(), 2u);
  EXPECT_EQ(got.records.size(), 5u);
  ASSERT_EQ(got.documents["meta"].count("migrated_from_files"), 1u);
  const auto& marker = got.documents["meta"]["migrated_from_files"];
  EXPECT_EQ(marker.at("imported").at("tokens"), 4);
  EXPECT_EQ(marker.at("imported").at("call_logs"), 5);
  // The Pro call log's first record, as the Pro service wrote it.
  EXPECT_EQ(got.records.back().at("id"), "6f1c8a52-0d1e-4a57-9a65-1b2f3c4d5e01");
}

INSTANTIATE_TEST_SUITE_P(Databases, StartupImport, ::testing::Values("mysql", "redis"),
                         [](const auto& info) { return info.param; });

// A file store is one instance's own: nothing is imported into it at start-up.
TEST(StartupImportFile, FileModeStartsOnDataAsIs) {
  TempDir dir;
  copy_pro_fixture(dir.path() / "data");
  ServerProcess s(ServerConfig(dir.str()));
  EXPECT_EQ(s.output().find("(once)"), std::string::npos) << s.output();
  EXPECT_NE(s.output().find("4 token(s) loaded"), std::string::npos) << s.output();
  EXPECT_EQ(s.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace g2a::test
