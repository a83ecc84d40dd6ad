// A data/ folder written by the Python Pro service loads unchanged and re-saves in its format.
#include <boost/json.hpp>

#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

const std::string kNormal1 = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibm9ybWFsLTEifQ.Nn1sig";
const std::string kNormal2 = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibm9ybWFsLTIifQ.Nn2sig";
const std::string kSuper1 = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoic3VwZXItMSJ9.Ss1sig";
const std::string kLegacy1 = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoibGVnYWN5LTEifQ.Ll1sig";
const std::string kProxy1 = "socks5h://127.0.0.1:1080";

boost::json::value parse_file(const std::filesystem::path& p) {
  return boost::json::parse(read_text(p));
}

class StorageFileProFormat : public StorageFileTest {
 protected:
  void SetUp() override {
    for (const char* f : {"token.json", "proxy_state.json", "call_logs.json", "video_tasks.json"})
      copy_fixture(f, data);
  }
  std::vector<std::string> token_order(const std::string& pool) {
    std::vector<std::string> out;
    boost::json::value root = parse_file(data / "token.json");
    for (const auto& m : root.at(pool).as_object()) out.emplace_back(m.key());
    return out;
  }
};

TEST_F(StorageFileProFormat, LoadsTokensWithTheLegacyPoolMergedIntoNormal) {
  auto store = open();
  ASSERT_TRUE(store);
  Docs normal = store->list("tokens", "ssoNormal/");
  Docs super = store->list("tokens", "ssoSuper/");
  ASSERT_EQ(normal.size(), 3u);
  ASSERT_EQ(super.size(), 1u);
  EXPECT_EQ(super[0].first, "ssoSuper/" + kSuper1);
  auto legacy = store->get("tokens", "ssoNormal/" + kLegacy1);
  ASSERT_TRUE(legacy);
  EXPECT_EQ(boost::json::parse(*legacy).at("note"), "legacy pool");
  // Fields the gateway does not know about are kept.
  auto n2 = boost::json::parse(*store->get("tokens", "ssoNormal/" + kNormal2));
  EXPECT_EQ(n2.at("customField").at("weight").as_double(), 1.5);
  EXPECT_EQ(n2.at("lastFailureReason"), "401: Token失效");
  EXPECT_TRUE(n2.at("lastFailureTime").is_int64());

  EXPECT_TRUE(host.logged("4 tokens (3 normal, 1 super)", G2A_LOG_INFO));
  EXPECT_TRUE(host.logged("legacy \"sso\" pool", G2A_LOG_WARN));
  // Logs never carry a whole token.
  for (const auto& m : host.messages())
    for (const auto* t : {&kNormal1, &kNormal2, &kSuper1, &kLegacy1})
      EXPECT_EQ(m.text.find(*t), std::string::npos) << m.text;
}

TEST_F(StorageFileProFormat, ResavesTokenJsonExactlyAsTheProServiceWould) {
  auto store = open();
  ASSERT_TRUE(store);
  // Nothing changed yet: the user's file is not rewritten.
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(read_text(data / "token.json"), read_text(fixture_path("token.json")));
  // Re-putting a token as it is marks the file dirty without changing content.
  ASSERT_EQ(
      store->put("tokens", "ssoSuper/" + kSuper1, *store->get("tokens", "ssoSuper/" + kSuper1)),
      G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(read_text(data / "token.json"), read_text(fixture_path("token.resaved.json")));
}

TEST_F(StorageFileProFormat, TokenFileKeepsInsertionOrderAcrossChanges) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->put("tokens", "ssoNormal/zzz-new", R"({"status":"active"})"), G2A_OK);
    ASSERT_EQ(store->put("tokens", "ssoNormal/aaa-new", R"({"status":"active"})"), G2A_OK);
    // Overwriting keeps a token's place; deleting removes it.
    ASSERT_EQ(store->put("tokens", "ssoNormal/" + kNormal1, R"({"status":"expired"})"), G2A_OK);
    ASSERT_EQ(store->del("tokens", "ssoNormal/" + kNormal2), G2A_OK);
    ASSERT_EQ(store->flush(), G2A_OK);
  }
  EXPECT_EQ(token_order("ssoNormal"),
            (std::vector<std::string>{kNormal1, kLegacy1, "zzz-new", "aaa-new"}));
  auto root = parse_file(data / "token.json");
  EXPECT_FALSE(root.as_object().contains("sso"));
  EXPECT_EQ(root.at("ssoNormal").at(kNormal1).at("status"), "expired");
  EXPECT_EQ(root.at("ssoSuper").as_object().size(), 1u);

  // And the order survives another load and save.
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("tokens", "ssoSuper/s2", "{}"), G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(token_order("ssoNormal"),
            (std::vector<std::string>{kNormal1, kLegacy1, "zzz-new", "aaa-new"}));
}

TEST_F(StorageFileProFormat, ProxyStateLoadsAndResavesInProFormat) {
  auto store = open();
  ASSERT_TRUE(store);
  Docs proxies = store->list("proxies");
  ASSERT_EQ(proxies.size(), 2u);
  EXPECT_EQ(store->get("proxy_assignments", kNormal1), "\"" + kProxy1 + "\"");
  auto info = boost::json::parse(*store->get("proxies", kProxy1));
  EXPECT_EQ(info.at("total_requests"), 12);

  // Unchanged content re-saves byte for byte.
  ASSERT_EQ(store->put("proxies", kProxy1, *store->get("proxies", kProxy1)), G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(read_text(data / "proxy_state.json"), read_text(fixture_path("proxy_state.json")));

  ASSERT_EQ(store->put("proxy_assignments", kSuper1, "\"" + kProxy1 + "\""), G2A_OK);
  ASSERT_EQ(store->del("proxies", "http://user:secret@10.0.0.2:8080"), G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  auto root = parse_file(data / "proxy_state.json");
  EXPECT_EQ(root.at("proxies").as_object().size(), 1u);
  EXPECT_EQ(root.at("assignments").at(kSuper1).as_string(), kProxy1);
  EXPECT_EQ(root.at("assignments").at(kNormal1).as_string(), kProxy1);
}

TEST_F(StorageFileProFormat, VideoTasksLoadAndResaveWithFreshMeta) {
  TestHost::freeze_clock(1738500000123, 1);
  auto store = open();
  ASSERT_TRUE(store);
  Docs tasks = store->list("video_tasks");
  ASSERT_EQ(tasks.size(), 2u);
  auto done = boost::json::parse(*store->get("video_tasks", "video_3f9a1c2b7d4e"));
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_TRUE(done.at("remixed_from_video_id").is_null());

  ASSERT_EQ(store->put("video_tasks", "video_aaaaaaaaaaaa",
                       R"({"id":"video_aaaaaaaaaaaa","status":"queued","progress":0})"),
            G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  auto root = parse_file(data / "video_tasks.json");
  ASSERT_TRUE(root.at("tasks").is_object());
  EXPECT_EQ(root.at("tasks").as_object().size(), 3u);
  EXPECT_EQ(root.at("tasks").at("video_0123456789ab").at("error_code"), "no_video_generated");
  EXPECT_EQ(root.at("meta").at("total_count"), 3);
  EXPECT_DOUBLE_EQ(root.at("meta").at("last_save").as_double(), 1738500000.123);
}

TEST_F(StorageFileProFormat, VideoTaskListsStayLists) {
  write_text(
      data / "video_tasks.json",
      R"({"tasks": [{"id": "video_1", "status": "queued"}, {"id": "video_2"}], "meta": {}})");
  {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(store->list("video_tasks").size(), 2u);
    ASSERT_EQ(store->put("video_tasks", "video_3", R"({"status":"failed"})"), G2A_OK);
    ASSERT_EQ(store->flush(), G2A_OK);
  }
  auto root = parse_file(data / "video_tasks.json");
  ASSERT_TRUE(root.at("tasks").is_array());
  ASSERT_EQ(root.at("tasks").as_array().size(), 3u);
  EXPECT_EQ(root.at("tasks").as_array()[2].at("id"), "video_3");
  EXPECT_EQ(root.at("meta").at("total_count"), 3);

  write_text(data / "video_tasks.json", R"([{"id": "video_9"}])");
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("video_tasks", "video_8", "{}"), G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  auto bare = parse_file(data / "video_tasks.json");
  ASSERT_TRUE(bare.is_array());
  EXPECT_EQ(bare.as_array().size(), 2u);
}

TEST_F(StorageFileProFormat, VideoTaskListEntryWithoutIdFailsCreate) {
  write_text(data / "video_tasks.json", R"({"tasks": [{"status": "queued"}]})");
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("video_tasks.json"), std::string::npos) << error;
}

TEST_F(StorageFileProFormat, CallLogsAreImportedOnceAndTheProFileIsLeftAlone) {
  std::string pro = read_text(data / "call_logs.json");
  {
    auto store = open();
    ASSERT_TRUE(store);
    QueryResult all = store->query({});
    EXPECT_EQ(all.total, 5u);
    ASSERT_EQ(all.rows.size(), 5u);
    EXPECT_EQ(all.rows[0].first, "6f1c8a52-0d1e-4a57-9a65-1b2f3c4d5e05");  // newest first
    auto heavy = boost::json::parse(all.rows[2].second);
    EXPECT_EQ(heavy.at("media_urls").as_array().size(), 1u);
    EXPECT_EQ(heavy.at("response_time").as_double(), 12.0);
    EXPECT_TRUE(host.logged("imported 5 call-log records", G2A_LOG_INFO));
    ASSERT_EQ(store->append(
                  {R"({"id":"new","timestamp":1738480300000,"model":"grok-3","success":true})"}),
              G2A_OK);
  }
  EXPECT_EQ(read_text(data / "call_logs.json"), pro);
  std::string ndjson = read_text(data / "call_logs.ndjson");
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 6);

  host.clear_messages();
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->query({}).total, 6u);
  EXPECT_FALSE(host.logged("imported"));
  EXPECT_EQ(read_text(data / "call_logs.json"), pro);
}

TEST_F(StorageFileProFormat, CorruptProCallLogFailsCreate) {
  write_text(data / "call_logs.json", "{\"logs\": [ {\"id\": 1,,}]}");
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("call_logs.json"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(data / "call_logs.ndjson"));
}

TEST_F(StorageFileProFormat, UnknownTopLevelMembersSurviveASave) {
  write_text(data / "token.json", R"({"ssoNormal": {}, "ssoSuper": {}, "version": 2})");
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("tokens", "ssoNormal/t", "{}"), G2A_OK);
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(parse_file(data / "token.json").at("version"), 2);
}

}  // namespace
}  // namespace g2a::test
