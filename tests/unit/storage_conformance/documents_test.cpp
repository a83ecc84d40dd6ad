// Documents: get/put/delete, JSON kept as a value, byte-wise key order and prefixes
// (non-ASCII, LIKE wildcards, long keys), atomic batches, collections.
#include <algorithm>

#include "conformance_fixture.hpp"

namespace g2a::test {
namespace {

constexpr const char* kColl = "conf_docs";

std::vector<std::string> keys_of(const Docs& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.first);
  return out;
}

// A 400-character SSO cookie value, like the ones grok.com hands out.
std::string long_token(char fill) {
  std::string t = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.";
  while (t.size() < 400) t.push_back(fill);
  return t;
}

TEST_P(StorageConformance, PutGetOverwriteAndDelete) {
  EXPECT_EQ(store->get(kColl, "k1"), std::nullopt);
  ASSERT_EQ(store->put(kColl, "k1", R"({"v":1})"), G2A_OK);
  ASSERT_TRUE(store->get(kColl, "k1"));
  EXPECT_EQ(json(*store->get(kColl, "k1")), json(R"({"v":1})"));
  ASSERT_EQ(store->put(kColl, "k1", R"({"v":2,"w":[1,2]})"), G2A_OK);
  EXPECT_EQ(json(*store->get(kColl, "k1")), json(R"({"v":2,"w":[1,2]})"));
  // The same key in another collection is another document.
  EXPECT_EQ(store->get("conf_other", "k1"), std::nullopt);
  EXPECT_EQ(store->del(kColl, "k1"), G2A_OK);
  EXPECT_EQ(store->get(kColl, "k1"), std::nullopt);
  EXPECT_EQ(store->del(kColl, "k1"), G2A_OK);  // absent: still OK
  EXPECT_EQ(store->del("conf_never", "x"), G2A_OK);
  EXPECT_TRUE(store->list(kColl).empty());
}

TEST_P(StorageConformance, JsonComesBackAsTheSameValue) {
  const std::vector<std::string> docs = {
      R"({"a":1,"b":[true,false,null],"c":"é漢字😀","nested":{"x":{"y":[{}, []]}}})",
      R"({"big":9007199254740993,"neg":-9223372036854775808,"u":18446744073709551615,"f":1.5,"e":1e300,"z":-0.25})",
      R"({"esc":"quote\" backslash\\ slash\/ tab\t nl\n nul\u0000 bell\u0007","emoji":"\ud83d\ude00"})",
      R"([1,"two",{"three":3}])",
      R"("just a string")",
      R"({"empty_obj":{},"empty_arr":[],"empty_str":""})",
      R"({"dup_order":{"z":1,"a":2,"m":3}})",
  };
  for (std::size_t i = 0; i < docs.size(); ++i)
    ASSERT_EQ(store->put(kColl, "doc" + std::to_string(i), docs[i]), G2A_OK) << docs[i];
  std::string big(200 * 1024, 'x');  // a large document (a 200 KB string)
  ASSERT_EQ(store->put(kColl, "big", R"({"blob":")" + big + R"("})"), G2A_OK);
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < docs.size(); ++i) {
      auto got = store->get(kColl, "doc" + std::to_string(i));
      ASSERT_TRUE(got) << docs[i];
      EXPECT_EQ(json(*got), json(docs[i])) << *got;
    }
    auto got = store->get(kColl, "big");
    ASSERT_TRUE(got);
    EXPECT_EQ(json(*got).at("blob").as_string().size(), big.size());
    reopen();
  }
}

TEST_P(StorageConformance, InvalidJsonIsRefusedAndChangesNothing) {
  ASSERT_EQ(store->put(kColl, "k", R"({"v":1})"), G2A_OK);
  std::string error;
  EXPECT_NE(store->put(kColl, "k", R"({"v":)", &error), G2A_OK);
  EXPECT_NE(store->put(kColl, "k2", "not json", &error), G2A_OK);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(json(*store->get(kColl, "k")), json(R"({"v":1})"));
  EXPECT_EQ(store->get(kColl, "k2"), std::nullopt);
}

TEST_P(StorageConformance, ListIsInByteOrderOfKeys) {
  std::vector<std::string> keys = {"b",
                                   "a",
                                   "B",
                                   "a/b",
                                   "a0",
                                   "é",
                                   "z",
                                   "~",
                                   "日本",
                                   "ab",
                                   "a b",
                                   "A",
                                   "a%b",
                                   "a_b",
                                   "axb",
                                   "a\\b",
                                   "e",
                                   "ea",
                                   "Z9",
                                   "ümlaut",
                                   long_token('q'),
                                   long_token('r') + "x",
                                   "0",
                                   "09",
                                   "1"};
  std::string long_key(500, 'k');
  keys.push_back(long_key);
  for (const auto& k : keys) ASSERT_EQ(store->put(kColl, k, R"({"k":1})"), G2A_OK) << k;
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());  // std::string compares bytes as unsigned char
  EXPECT_EQ(keys_of(store->list(kColl)), sorted);

  auto with_prefix = [&](const std::string& p) {
    std::vector<std::string> out;
    for (const auto& k : sorted)
      if (k.compare(0, p.size(), p) == 0) out.push_back(k);
    return out;
  };
  // LIKE / glob wildcards and escapes in a prefix are plain characters.
  for (std::string p :
       {"a", "a_", "a%", "a\\", "é", "日", "e", "eyJ0", "A", "", "nothing", "*", "a?", "[", "a/"}) {
    EXPECT_EQ(keys_of(store->list(kColl, p)), with_prefix(p)) << "prefix " << p;
  }
  EXPECT_EQ(keys_of(store->list(kColl, long_token('q'))),
            std::vector<std::string>{long_token('q')});
  // Each key reads back by itself.
  for (const auto& k : keys) EXPECT_TRUE(store->get(kColl, k)) << k;
}

TEST_P(StorageConformance, ListVisitorCanStopEarly) {
  for (const char* k : {"a", "b", "c"}) ASSERT_EQ(store->put(kColl, k, "{}"), G2A_OK);
  std::vector<std::string> seen;
  g2a_buf err{nullptr, 0};
  auto stop_after_first = [](void* user, g2a_str key, g2a_str) {
    static_cast<std::vector<std::string>*>(user)->emplace_back(key.data, key.len);
    return 1;
  };
  g2a_str coll{kColl, std::char_traits<char>::length(kColl)}, prefix{"", 0};
  EXPECT_EQ(store->api().doc_list(store->instance(), coll, prefix, stop_after_first, &seen, &err),
            G2A_OK);
  backend_->host().adopt(err);
  EXPECT_EQ(seen, std::vector<std::string>{"a"});
}

TEST_P(StorageConformance, KnownCollectionsKeepTheirDocuments) {
  // The collections the gateway uses, with documents of the shapes it writes.
  std::string token_key = "ssoNormal/" + long_token('t');
  const std::vector<StorageClient::Write> writes = {
      {"tokens", token_key, R"({"createdTime":1,"status":"active","note":"ü"})"},
      {"tokens", "ssoSuper/" + long_token('s'), R"({"createdTime":2})"},
      {"proxies", "http://user:pw@10.0.0.1:3128", R"({"failures":0})"},
      {"proxy_assignments", token_key, R"("http://user:pw@10.0.0.1:3128")"},
      {"settings", "grok", R"({"temporary":true,"retry":{"max":3}})"},
      {"sessions", "s1", R"({"user":"admin","expires":99})"},
      {"video_tasks", "video_abc", R"({"status":"queued","progress":0})"},
  };
  for (const auto& w : writes) ASSERT_EQ(store->put(w.collection, w.key, w.json), G2A_OK) << w.key;
  reopen();
  for (const auto& w : writes) {
    auto got = store->get(w.collection, w.key);
    ASSERT_TRUE(got) << w.collection;
    EXPECT_EQ(json(*got), json(w.json)) << w.collection;
  }
  EXPECT_EQ(keys_of(store->list("tokens", "ssoNormal/")), std::vector<std::string>{token_key});
  EXPECT_EQ(store->list("tokens").size(), 2u);
}

TEST_P(StorageConformance, WriteBatchAppliesEverythingTogether) {
  ASSERT_EQ(store->put(kColl, "a", R"({"v":"a"})"), G2A_OK);
  ASSERT_EQ(store->put(kColl, "b", R"({"v":"b"})"), G2A_OK);
  ASSERT_EQ(store->batch({{kColl, "c", R"({"v":"c"})"},
                          {kColl, "a", "", true},
                          {kColl, "b", R"({"v":"b2"})"},
                          {"conf_other", "x", R"([1])"},
                          {kColl, "never", "", true},
                          {kColl, "d", R"({"v":"d1"})"},
                          {kColl, "d", R"({"v":"d2"})"}}),  // the last write of a key wins
            G2A_OK);
  EXPECT_EQ(keys_of(store->list(kColl)), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(json(*store->get(kColl, "b")), json(R"({"v":"b2"})"));
  EXPECT_EQ(json(*store->get(kColl, "d")), json(R"({"v":"d2"})"));
  EXPECT_EQ(json(*store->get("conf_other", "x")), json("[1]"));
  EXPECT_EQ(store->batch({}), G2A_OK);

  // One bad document: nothing of the batch is applied.
  std::string error;
  EXPECT_NE(
      store->batch(
          {{kColl, "e", R"({"v":"e"})"}, {kColl, "b", "", true}, {kColl, "f", R"({"broken")"}},
          &error),
      G2A_OK);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(store->get(kColl, "e"), std::nullopt);
  EXPECT_TRUE(store->get(kColl, "b"));
  reopen();
  EXPECT_EQ(keys_of(store->list(kColl)), (std::vector<std::string>{"b", "c", "d"}));
}

TEST_P(StorageConformance, CollectionsListsTheNonEmptyOnesSorted) {
  EXPECT_TRUE(store->collections().empty());
  ASSERT_EQ(store->put("conf_b", "k", "{}"), G2A_OK);
  ASSERT_EQ(store->put("conf_a", "k", "{}"), G2A_OK);
  ASSERT_EQ(store->put("tokens", "ssoNormal/abc", "{}"), G2A_OK);
  ASSERT_EQ(store->put("conf_a-2", "k", "{}"), G2A_OK);
  EXPECT_EQ(store->collections(),
            (std::vector<std::string>{"conf_a", "conf_a-2", "conf_b", "tokens"}));
  ASSERT_EQ(store->del("conf_b", "k"), G2A_OK);
  ASSERT_EQ(store->batch({{"tokens", "ssoNormal/abc", "", true}}), G2A_OK);
  EXPECT_EQ(store->collections(), (std::vector<std::string>{"conf_a", "conf_a-2"}));
  reopen();
  EXPECT_EQ(store->collections(), (std::vector<std::string>{"conf_a", "conf_a-2"}));
}

}  // namespace
}  // namespace g2a::test
