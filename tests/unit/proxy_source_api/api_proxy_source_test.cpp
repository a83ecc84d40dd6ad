// The proxy-source-api module loaded through its C ABI, fetching from a real Node HTTP
// server through a test host whose HTTP service is libcurl. Every wait is on done.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "node_server.hpp"
#include "support/loaded_module.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

// The Node pool API as a child process on port 0.
class PoolApi {
 public:
  PoolApi() : server_(G2A_NODE, G2A_POOL_API) {}
  // A URL whose answer is status and body.
  std::string answer(int status, std::string_view body) const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : body) {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return server_.url("/answer/" + std::to_string(status) + "?body=" + hex);
  }
  std::string url(const std::string& path) const { return server_.url(path); }
  json::array seen() { return server_.get_json("/seen").as_array(); }

 private:
  NodeServer server_;
};

struct Refresh {
  g2a_status status = G2A_INTERNAL;
  std::string message;
  std::vector<std::string> urls;
};

// One instance of the module, created with a config table.
class Source : public LoadedModule<g2a_proxy_source_v1> {
 public:
  explicit Source(const std::string& config)
      : LoadedModule(G2A_PROXY_SOURCE_API_MODULE, G2A_KIND_PROXY_SOURCE, config) {}

  Refresh refresh() {
    struct Pending {
      std::mutex mu;
      Refresh result;
      std::promise<void> done;
    } pending;
    g2a_proxy_emit_fn emit = [](void* user, const g2a_proxy* p) {
      auto* self = static_cast<Pending*>(user);
      std::lock_guard lock(self->mu);
      self->result.urls.emplace_back(p->url.data, p->url.len);
    };
    g2a_done_fn done = [](void* user, g2a_status st, g2a_str msg) {
      auto* self = static_cast<Pending*>(user);
      {
        std::lock_guard lock(self->mu);
        self->result.status = st;
        self->result.message.assign(msg.data ? msg.data : "", msg.len);
      }
      self->done.set_value();
    };
    auto future = pending.done.get_future();
    EXPECT_EQ(table()->refresh(instance(), emit, done, &pending), G2A_OK);
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    std::lock_guard lock(pending.mu);
    return pending.result;
  }
};

std::string config_for(const std::string& url, const std::string& extra = "") {
  return R"({"url":")" + url + "\"" + extra + "}";
}

TEST(ProxySourceApi, DeclaresItselfAProxySourceOfAbi12) {
  Source source("{}");
  ASSERT_EQ(source.create_status(), G2A_OK) << source.create_error();
  EXPECT_STREQ(source.descriptor().id, "proxy-source-api");
  EXPECT_EQ(source.descriptor().kinds, static_cast<uint32_t>(G2A_KIND_PROXY_SOURCE));
  EXPECT_EQ(source.descriptor().abi_version, G2A_ABI_VERSION);
  EXPECT_TRUE(source.descriptor().flags & G2A_FLAG_THREAD_SAFE);
}

TEST(ProxySourceApi, WithoutAUrlItIsInert) {
  Source source(R"({"timeout_ms":10000})");
  ASSERT_EQ(source.create_status(), G2A_OK) << source.create_error();
  auto r = source.refresh();
  EXPECT_EQ(r.status, G2A_OK) << r.message;
  EXPECT_TRUE(r.urls.empty());
  EXPECT_TRUE(source.host().sent().empty());
  EXPECT_TRUE(source.host().base().logged("no url configured"));
}

TEST(ProxySourceApi, EachFormatServedOverHttpIsEmitted) {
  PoolApi api;
  struct Case {
    const char* body;
    std::vector<std::string> urls;
  } cases[] = {
      {"http://u:p@10.0.0.1:3128\n", {"http://u:p@10.0.0.1:3128"}},
      {"# list\r\n10.0.0.1:8080\r\n\r\nsocks5://10.0.0.2:1080\r\n",
       {"http://10.0.0.1:8080", "socks5://10.0.0.2:1080"}},
      {R"(["10.0.0.1:1","https://10.0.0.2:2"])", {"http://10.0.0.1:1", "https://10.0.0.2:2"}},
      {R"([{"host":"10.0.0.3","port":3,"protocol":"socks5h","username":"a","password":"b"}])",
       {"socks5h://a:b@10.0.0.3:3"}},
      {R"({"code":0,"data":{"proxies":["10.0.0.4:4"]}})", {"http://10.0.0.4:4"}},
  };
  for (const auto& c : cases) {
    Source source(config_for(api.answer(200, c.body)));
    ASSERT_EQ(source.create_status(), G2A_OK) << source.create_error();
    auto r = source.refresh();
    EXPECT_EQ(r.status, G2A_OK) << r.message;
    EXPECT_EQ(r.urls, c.urls) << c.body;
    auto sent = source.host().sent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method, "GET");
    EXPECT_EQ(sent[0].proxy_url, "");       // the pool API is reached directly
    EXPECT_EQ(sent[0].timeout_ms, 10000u);  // the default
  }
  auto seen = api.seen();
  ASSERT_EQ(seen.size(), std::size(cases));
  EXPECT_NE(std::string(seen[0].at("headers").at("accept").as_string()).find("application/json"),
            std::string::npos);
}

TEST(ProxySourceApi, ANon2xxAnswerIsAnErrorThatNamesTheStatusButNotTheQuery) {
  PoolApi api;
  Source source(config_for(api.answer(503, "pool is busy")));
  ASSERT_EQ(source.create_status(), G2A_OK) << source.create_error();
  auto r = source.refresh();
  EXPECT_EQ(r.status, G2A_IO_ERROR);
  EXPECT_TRUE(r.urls.empty());
  EXPECT_NE(r.message.find("answered HTTP 503: pool is busy"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("/answer/503?..."), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find("body="), std::string::npos) << r.message;  // an API key rides there
}

TEST(ProxySourceApi, AnAnswerWithoutAValidProxyIsAnError) {
  PoolApi api;
  Source source(config_for(api.answer(200, R"({"data":[],"msg":"no stock"})")));
  auto r = source.refresh();
  EXPECT_EQ(r.status, G2A_PARSE_FAILURE);
  EXPECT_NE(r.message.find("the answer (json) names no proxy"), std::string::npos) << r.message;

  Source html(config_for(api.answer(200, "<html>maintenance</html>")));
  r = html.refresh();
  EXPECT_EQ(r.status, G2A_PARSE_FAILURE);
  EXPECT_NE(r.message.find("is a usable proxy"), std::string::npos) << r.message;
}

TEST(ProxySourceApi, SomeUnusableEntriesAreSkippedWithAWarning) {
  PoolApi api;
  Source source(config_for(api.answer(200, "10.0.0.1:1\nftp://10.0.0.2:2\n10.0.0.3:3\n")));
  auto r = source.refresh();
  EXPECT_EQ(r.status, G2A_OK) << r.message;
  EXPECT_EQ(r.urls, (std::vector<std::string>{"http://10.0.0.1:1", "http://10.0.0.3:3"}));
  EXPECT_TRUE(source.host().base().logged("skipped 1 unusable entry (entry 2:", G2A_LOG_WARN));
}

TEST(ProxySourceApi, TransportFailuresAndTimeoutsAreErrors) {
  PoolApi api;
  Source slow(config_for(api.url("/hang"), R"(,"timeout_ms":300)"));
  auto r = slow.refresh();
  EXPECT_EQ(r.status, G2A_TIMEOUT) << r.message;
  EXPECT_EQ(slow.host().sent().at(0).timeout_ms, 300u);

  Source closed(config_for("http://127.0.0.1:1/pool"));
  r = closed.refresh();
  EXPECT_EQ(r.status, G2A_IO_ERROR) << r.message;
  EXPECT_NE(r.message.find("proxy pool API http://127.0.0.1:1/pool: "), std::string::npos)
      << r.message;
}

TEST(ProxySourceApi, ABrokenConfigIsRefusedAtCreate) {
  Source socks(R"({"url":"socks5://user:pw@10.0.0.1:1080"})");
  EXPECT_NE(socks.create_status(), G2A_OK);
  EXPECT_NE(socks.create_error().find("url must start with http:// or https://"), std::string::npos)
      << socks.create_error();
  EXPECT_EQ(socks.create_error().find("pw"), std::string::npos) << socks.create_error();

  Source timeout(R"({"url":"http://h/","timeout_ms":"soon"})");
  EXPECT_NE(timeout.create_error().find("timeout_ms must be an integer"), std::string::npos);
}

}  // namespace
}  // namespace g2a::test
