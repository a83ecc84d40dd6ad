// Document collections: CRUD, listing, batches, validation, and which file each lands in.
#include <atomic>
#include <thread>

#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileDocuments = StorageFileTest;

TEST_F(StorageFileDocuments, PutGetDeleteRoundTrip) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_FALSE(store->get("sessions", "s1"));
  EXPECT_EQ(store->put("sessions", "s1", R"({"user": "a", "n": 1})"), G2A_OK);
  EXPECT_EQ(store->get("sessions", "s1"), R"({"user":"a","n":1})");  // stored normalised
  EXPECT_EQ(store->put("sessions", "s1", R"({"user":"b"})"), G2A_OK);
  EXPECT_EQ(store->get("sessions", "s1"), R"({"user":"b"})");
  EXPECT_EQ(store->del("sessions", "s1"), G2A_OK);
  EXPECT_FALSE(store->get("sessions", "s1"));
  EXPECT_EQ(store->del("sessions", "s1"), G2A_OK);  // deleting an absent document is fine
  EXPECT_EQ(store->del("never-written", "x"), G2A_OK);
}

TEST_F(StorageFileDocuments, ListIsInKeyOrderAndFilteredByPrefix) {
  auto store = open();
  ASSERT_TRUE(store);
  for (const char* key : {"b", "a", "c", "ab"}) ASSERT_EQ(store->put("sessions", key, "1"), G2A_OK);
  Docs all = store->list("sessions");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].first, "a");
  EXPECT_EQ(all[1].first, "ab");
  EXPECT_EQ(all[2].first, "b");
  EXPECT_EQ(all[3].first, "c");
  Docs a = store->list("sessions", "a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].first, "ab");
  EXPECT_TRUE(store->list("sessions", "z").empty());
  EXPECT_TRUE(store->list("unknown").empty());

  // A visitor returning non-zero stops the listing.
  int visited = 0;
  auto stop_after_one = [](void* user, g2a_str, g2a_str) {
    ++*static_cast<int*>(user);
    return 1;
  };
  g2a_str coll{"sessions", 8}, prefix{"", 0};
  EXPECT_EQ(
      store->api().doc_list(store->instance(), coll, prefix, stop_after_one, &visited, nullptr),
      G2A_OK);
  EXPECT_EQ(visited, 1);
}

TEST_F(StorageFileDocuments, VisitorMayCallBackIntoStorage) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("sessions", "a", "1"), G2A_OK);
  struct Ctx {
    StorageClient* store;
    std::optional<std::string> seen;
  } ctx{store.get(), std::nullopt};
  auto visitor = [](void* user, g2a_str key, g2a_str) {
    auto* c = static_cast<Ctx*>(user);
    c->seen = c->store->get("sessions", std::string(key.data, key.len));
    return 0;
  };
  g2a_str coll{"sessions", 8}, prefix{"", 0};
  EXPECT_EQ(store->api().doc_list(store->instance(), coll, prefix, visitor, &ctx, nullptr), G2A_OK);
  EXPECT_EQ(ctx.seen, "1");
}

TEST_F(StorageFileDocuments, RejectsBadCollectionNames) {
  auto store = open();
  ASSERT_TRUE(store);
  for (std::string bad : std::vector<std::string>{"", "Tokens", "a/b", "..", "a b", "sessions.json",
                                                  std::string(65, 'a')}) {
    std::string error;
    EXPECT_EQ(store->put(bad, "k", "1", &error), G2A_BAD_ARGUMENT) << bad;
    EXPECT_NE(error.find("collection"), std::string::npos) << error;
    EXPECT_EQ(store->del(bad, "k"), G2A_BAD_ARGUMENT) << bad;
    EXPECT_EQ(store->list_status(bad), G2A_BAD_ARGUMENT) << bad;
    g2a_buf out{nullptr, 0};
    g2a_str c{bad.data(), bad.size()}, k{"k", 1};
    EXPECT_EQ(store->api().doc_get(store->instance(), c, k, &out, nullptr), G2A_BAD_ARGUMENT);
  }
  EXPECT_EQ(store->put(std::string(64, 'a'), "k", "1"), G2A_OK);
  EXPECT_EQ(store->put("a-b_9", "k", "1"), G2A_OK);
}

TEST_F(StorageFileDocuments, ValidatesDocumentsAgainstTheirFileLayout) {
  auto store = open();
  ASSERT_TRUE(store);
  std::string error;
  EXPECT_EQ(store->put("tokens", "abc", "{}", &error), G2A_BAD_ARGUMENT);
  EXPECT_NE(error.find("ssoNormal/<token>"), std::string::npos) << error;
  EXPECT_EQ(store->put("tokens", "ssoNormal/", "{}"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("tokens", "sso/abc", "{}"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("tokens", "ssoSuper/abc", "[1]"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("tokens", "ssoSuper/abc", "{}"), G2A_OK);
  EXPECT_EQ(store->put("proxy_assignments", "sso1", R"({"url":"x"})"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("proxy_assignments", "sso1", R"("http://p:1")"), G2A_OK);
  EXPECT_EQ(store->put("proxies", "http://p:1", "\"x\""), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("settings", "grok", "3"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("video_tasks", "video_1", "null"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("sessions", "", "1"), G2A_BAD_ARGUMENT);
  EXPECT_EQ(store->put("sessions", "k", "null"), G2A_OK);  // other collections take any JSON
}

TEST_F(StorageFileDocuments, InvalidJsonIsAParseFailureThatDoesNotNameTheKey) {
  auto store = open();
  ASSERT_TRUE(store);
  std::string error;
  EXPECT_EQ(store->put("tokens", "ssoNormal/secret-token-value", "{\"a\":", &error),
            G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("tokens"), std::string::npos) << error;
  EXPECT_EQ(error.find("secret-token-value"), std::string::npos) << error;
  EXPECT_EQ(store->put("sessions", "k", "{} trailing"), G2A_PARSE_FAILURE);
}

TEST_F(StorageFileDocuments, BatchAppliesPutsAndDeletesTogether) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("sessions", "gone", "1"), G2A_OK);
  ASSERT_EQ(store->batch({{"sessions", "a", "1"},
                          {"tokens", "ssoNormal/t1", R"({"status":"active"})"},
                          {"sessions", "gone", "", true},
                          {"sessions", "a", "2"}}),
            G2A_OK);
  EXPECT_EQ(store->get("sessions", "a"), "2");  // later writes in a batch win
  EXPECT_FALSE(store->get("sessions", "gone"));
  EXPECT_EQ(store->get("tokens", "ssoNormal/t1"), R"({"status":"active"})");
}

TEST_F(StorageFileDocuments, BatchWithAnInvalidWriteAppliesNothing) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("sessions", "keep", "1"), G2A_OK);
  std::string error;
  EXPECT_EQ(
      store->batch(
          {{"sessions", "a", "1"}, {"sessions", "keep", "", true}, {"tokens", "no-pool", "{}"}},
          &error),
      G2A_BAD_ARGUMENT);
  EXPECT_FALSE(store->get("sessions", "a"));
  EXPECT_EQ(store->get("sessions", "keep"), "1");
  EXPECT_EQ(store->batch({{"sessions", "a", "1"}, {"sessions", "b", "{"}}), G2A_PARSE_FAILURE);
  EXPECT_FALSE(store->get("sessions", "a"));
}

TEST_F(StorageFileDocuments, FilesAreWrittenOnFlushOnly) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_EQ(store->put("tokens", "ssoNormal/t1", "{}"), G2A_OK);
  ASSERT_EQ(store->put("sessions", "s", R"({"a":[1,2]})"), G2A_OK);
  ASSERT_EQ(store->put("settings", "grok", R"({"temporary":true})"), G2A_OK);
  EXPECT_FALSE(std::filesystem::exists(data / "token.json"));
  ASSERT_EQ(store->flush(), G2A_OK);
  EXPECT_EQ(read_text(data / "token.json"),
            "{\n  \"ssoNormal\": {\n    \"t1\": {}\n  },\n  \"ssoSuper\": {}\n}");
  EXPECT_EQ(read_text(data / "store" / "sessions.json"),
            "{\n  \"s\": {\n    \"a\": [\n      1,\n      2\n    ]\n  }\n}");
  EXPECT_EQ(read_text(data / "setting.overrides.json"),
            "{\n  \"grok\": {\n    \"temporary\": true\n  }\n}");
  // Files nobody wrote to are not created.
  EXPECT_FALSE(std::filesystem::exists(data / "proxy_state.json"));
  EXPECT_FALSE(std::filesystem::exists(data / "video_tasks.json"));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(StorageFileDocuments, DestroyFlushesAndReopenRestores) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->put("sessions", "s", R"({"x":"é\n"})"), G2A_OK);
    ASSERT_EQ(store->put("proxy_assignments", "sso1", R"("http://p:1")"), G2A_OK);
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->get("sessions", "s"), R"({"x":"é\n"})");
  EXPECT_EQ(store->get("proxy_assignments", "sso1"), R"("http://p:1")");
}

TEST_F(StorageFileDocuments, DescribeNamesTheDataDirectory) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->describe(), "file:" + data.string());
}

TEST_F(StorageFileDocuments, CorruptDataFileFailsCreateAndIsLeftAlone) {
  std::string corrupt = "{\n  \"ssoNormal\": {,\n}";
  write_text(data / "token.json", corrupt);
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("token.json"), std::string::npos) << error;
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_EQ(read_text(data / "token.json"), corrupt);
}

TEST_F(StorageFileDocuments, UnexpectedLayoutFailsCreate) {
  write_text(data / "proxy_state.json", R"({"proxies": [], "assignments": {}})");
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("proxy_state.json"), std::string::npos) << error;
  EXPECT_NE(error.find("\"proxies\""), std::string::npos) << error;
}

TEST_F(StorageFileDocuments, CorruptCollectionFileFailsCreate) {
  write_text(data / "store" / "sessions.json", "{\"a\": tru}");
  std::string error = open_fails(G2A_PARSE_FAILURE);
  EXPECT_NE(error.find("sessions.json"), std::string::npos) << error;
}

TEST_F(StorageFileDocuments, EmptyFileIsTreatedAsAbsent) {
  write_text(data / "token.json", "\n");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->list("tokens").empty());
  EXPECT_TRUE(host.logged("token.json is empty", G2A_LOG_WARN));
}

TEST_F(StorageFileDocuments, ConcurrentWritersAndFlushes) {
  auto store = open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 4, kWrites = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (store->put("sessions", key, std::to_string(i)) != G2A_OK) ++failures;
        if (store->put("tokens", "ssoSuper/" + key, "{}") != G2A_OK) ++failures;
        if (i % 50 == 0 && store->flush() != G2A_OK) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  store.reset();
  store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->list("sessions").size(), size_t{kThreads * kWrites});
  EXPECT_EQ(store->list("tokens").size(), size_t{kThreads * kWrites});
}

TEST_F(StorageFileDocuments, NoHostBuffersLeak) {
  int64_t before = TestHost::live_allocations();
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->put("sessions", "a", "1"), G2A_OK);
    store->get("sessions", "a");
    store->get("sessions", "missing");
    EXPECT_EQ(store->put("Bad", "a", "1"), G2A_BAD_ARGUMENT);
    store->describe();
  }
  EXPECT_EQ(TestHost::live_allocations(), before);
}

}  // namespace
}  // namespace g2a::test
