// The upstream transport against local servers, directly and through real proxies
// (tinyproxy for HTTP CONNECT, microsocks for SOCKS5): incremental streams, timeouts,
// errors, and WebSockets over the same curl path.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <thread>

#include "core/http/server.hpp"
#include "core/upstream/http_client.hpp"
#include "core/upstream/websocket.hpp"
#include "local_server.hpp"
#include "proxy_process.hpp"
#include "ws_echo_server.hpp"

namespace g2a::upstream {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::ProxyProcess;

enum class Egress { kDirect, kTinyproxy, kMicrosocks };

std::string egress_name(const ::testing::TestParamInfo<Egress>& info) {
  switch (info.param) {
    case Egress::kDirect:
      return "direct";
    case Egress::kTinyproxy:
      return "tinyproxy";
    default:
      return "microsocks";
  }
}

class Transport : public ::testing::TestWithParam<Egress> {
 protected:
  void SetUp() override {
    if (GetParam() != Egress::kDirect) {
      std::string why;
      proxy_ =
          ProxyProcess::start(GetParam() == Egress::kTinyproxy ? ProxyProcess::Kind::kTinyproxy
                                                               : ProxyProcess::Kind::kMicrosocks,
                              &why);
      if (!proxy_) GTEST_SKIP() << why;
    }
    auto router = std::make_shared<http::Router>();
    router->add("GET", "/plain", [](http::Exchange& ex) -> asio::awaitable<void> {
      http::Response r = http::json_response(200, "\"hello\"");
      r.headers.push_back({"X-Test", "1"});
      co_await ex.send(std::move(r));
    });
    router->add("POST", "/echo", [](http::Exchange& ex) -> asio::awaitable<void> {
      const auto& q = ex.request();
      std::string body = std::string(q.header("user-agent")) + "|" +
                         std::string(q.header("expect")) + "|" + q.body;
      co_await ex.send(http::json_response(200, body));
    });
    router->add("GET", "/stream", [this](http::Exchange& ex) -> asio::awaitable<void> {
      co_await ex.begin_stream(200, "application/x-ndjson");
      co_await ex.write("{\"n\":1}\n");
      // The rest only after the test has seen the first line: proves nothing buffers.
      co_await wait_release();
      co_await ex.write("{\"n\":2}\n");
      co_await ex.write("{\"n\":3}\n");
      co_await ex.end_stream();
    });
    router->add("GET", "/silent", [this](http::Exchange& ex) -> asio::awaitable<void> {
      co_await ex.begin_stream(200, "text/plain");
      co_await ex.write("x");
      co_await wait_release();
      co_await ex.end_stream();
    });
    router->add("GET", "/big", [](http::Exchange& ex) -> asio::awaitable<void> {
      co_await ex.begin_stream(200, "application/octet-stream");
      std::string block(64 * 1024, 'z');
      for (int i = 0; i < 320; ++i) co_await ex.write(block);  // 20 MiB
      co_await ex.end_stream();
    });
    server_ = std::make_unique<test::LocalServer>(server_io_, router);
    client_ = std::make_unique<HttpClient>(io_);
    work_.emplace(io_.get_executor());
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  void TearDown() override {
    if (client_) {
      // Let the driver finish what coroutines handed it (closing connections).
      asio::post(client_->driver().strand(), asio::use_future).get();
    }
    client_.reset();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    server_.reset();
  }

  std::string url(const std::string& path) { return server_->url(path); }
  HttpRequest request(const std::string& path) {
    HttpRequest r;
    r.url = url(path);
    r.proxy = proxy_ ? proxy_->url() : "";
    return r;
  }
  // release() may come before the handler waits: the flag keeps it (both run on the
  // single server thread).
  void release() {
    asio::post(server_io_, [this] {
      released_ = true;
      release_.cancel();
    });
  }
  asio::awaitable<void> wait_release() {
    if (!released_) co_await release_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  template <class F>
  auto run(F f) {
    return asio::co_spawn(io_, f(), asio::use_future).get();
  }

  asio::io_context server_io_;
  asio::steady_timer release_{server_io_, asio::steady_timer::time_point::max()};
  bool released_ = false;
  std::unique_ptr<test::LocalServer> server_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<ProxyProcess> proxy_;
};

TEST_P(Transport, FetchesAWholeAnswer) {
  auto r = run([&]() -> asio::awaitable<HttpResponse> {
    co_return co_await client_->fetch(request("/plain"), 10s);
  });
  EXPECT_EQ(r.head.status, 200);
  EXPECT_EQ(r.head.header("x-test"), "1");
  EXPECT_EQ(r.body, "\"hello\"");
}

TEST_P(Transport, PostsBodyAndHeadersAsGiven) {
  auto r = run([&]() -> asio::awaitable<HttpResponse> {
    auto req = request("/echo");
    req.method = "POST";
    req.body = std::string(2 << 20, 'p');  // large enough that curl would add Expect
    req.headers = {{"User-Agent", "UA-under-test"}, {"Content-Type", "application/json"}};
    co_return co_await client_->fetch(req, 10s);
  });
  ASSERT_EQ(r.head.status, 200);
  EXPECT_EQ(r.body.substr(0, 15), "UA-under-test||");
  EXPECT_EQ(r.body.size(), 15u + (2u << 20));
}

TEST_P(Transport, StreamsIncrementally) {
  auto lines = run([&]() -> asio::awaitable<std::vector<std::string>> {
    auto stream = client_->open(request("/stream"));
    auto head = co_await stream->head(10s);
    EXPECT_EQ(head.status, 200);
    std::vector<std::string> got;
    auto first = co_await stream->next(10s);
    got.push_back(first.value_or(""));
    release();  // the server sends the rest only now
    std::string rest;
    while (auto chunk = co_await stream->next(10s)) rest += *chunk;
    got.push_back(rest);
    co_return got;
  });
  EXPECT_EQ(lines[0], "{\"n\":1}\n");
  EXPECT_EQ(lines[1], "{\"n\":2}\n{\"n\":3}\n");
}

TEST_P(Transport, IdleStreamTimesOut) {
  auto kind = run([&]() -> asio::awaitable<TransportError::Kind> {
    auto stream = client_->open(request("/silent"));
    co_await stream->head(10s);
    co_await stream->next(10s);  // "x"
    try {
      co_await stream->next(200ms);
    } catch (const TransportError& e) {
      co_return e.kind();
    }
    co_return TransportError::Kind::kOther;
  });
  EXPECT_EQ(kind, TransportError::Kind::kTimeout);
  release();
}

TEST_P(Transport, LargeBodiesFlowWithBackpressure) {
  auto size = run([&]() -> asio::awaitable<size_t> {
    auto stream = client_->open(request("/big"));
    co_await stream->head(10s);
    size_t total = 0;
    while (auto chunk = co_await stream->next(10s)) total += chunk->size();
    co_return total;
  });
  EXPECT_EQ(size, 320u * 64 * 1024);
}

TEST_P(Transport, RefusedConnectionIsATransportErrorOrAProxyError) {
  auto outcome = run([&]() -> asio::awaitable<std::string> {
    auto req = request("/plain");
    req.url = "http://127.0.0.1:1/nothing";
    try {
      auto r = co_await client_->fetch(req, 10s);
      co_return "status " + std::to_string(r.head.status);
    } catch (const TransportError& e) {
      co_return "transport " + std::string(e.what());
    }
  });
  // An HTTP proxy answers plain-http requests itself (502); others fail below HTTP.
  if (GetParam() == Egress::kTinyproxy)
    EXPECT_EQ(outcome.substr(0, 8), "status 5") << outcome;
  else
    EXPECT_EQ(outcome.substr(0, 10), "transport ") << outcome;
}

class WebSockets : public Transport {
 protected:
  WsOptions options(const std::string& path) {
    WsOptions o;
    o.url = ws_.url(path);
    o.proxy = proxy_ ? proxy_->url() : "";
    o.headers = {
        {"User-Agent", "UA-ws"}, {"Cookie", "sso=a; sso-rw=a"}, {"Origin", "https://grok.com"}};
    return o;
  }
  test::WsEchoServer ws_;
};

TEST_P(WebSockets, EchoPingFragmentsBigAndClose) {
  auto results = run([&]() -> asio::awaitable<std::vector<std::string>> {
    auto ws = co_await WebSocket::connect(*client_, options("/echo"));
    std::vector<std::string> out;
    co_await ws->send_text("hello");
    out.push_back((co_await ws->receive(10s)).value_or("<closed>"));
    co_await ws->send_text("ping-me");
    out.push_back((co_await ws->receive(10s)).value_or("<closed>"));
    co_await ws->send_text("check");
    out.push_back((co_await ws->receive(10s)).value_or("<closed>"));
    co_await ws->send_text("fragment");
    out.push_back((co_await ws->receive(10s)).value_or("<closed>"));
    co_await ws->send_text("big:1048576");
    out.push_back(std::to_string((co_await ws->receive(10s)).value_or("").size()));
    co_await ws->send_text("close");
    auto end = co_await ws->receive(10s);
    out.push_back(end ? *end : "closed:" + std::to_string(ws->close_code()));
    co_return out;
  });
  EXPECT_EQ(results[0], "hello");
  EXPECT_EQ(results[1], "pinged");
  EXPECT_EQ(results[2], "pong-seen");
  EXPECT_EQ(results[3], "one-two-three");
  EXPECT_EQ(results[4], "1048576");
  EXPECT_EQ(results[5], "closed:4001");
  EXPECT_EQ(ws_.last_user_agent(), "UA-ws");
  EXPECT_EQ(ws_.last_cookie(), "sso=a; sso-rw=a");
}

TEST_P(WebSockets, RefusedHandshakeCarriesStatusAndBody) {
  auto error = run([&]() -> asio::awaitable<std::string> {
    try {
      co_await WebSocket::connect(*client_, options("/refuse"));
    } catch (const WsHandshakeError& e) {
      co_return std::to_string(e.status) + " " + e.body;
    }
    co_return std::string("connected");
  });
  EXPECT_EQ(error.substr(0, 4), "403 ");
  EXPECT_NE(error.find("anti-bot"), std::string::npos);
}

TEST_P(WebSockets, IdleReceiveTimesOut) {
  auto kind = run([&]() -> asio::awaitable<TransportError::Kind> {
    auto ws = co_await WebSocket::connect(*client_, options("/echo"));
    auto kind = TransportError::Kind::kOther;
    try {
      co_await ws->receive(150ms);
    } catch (const TransportError& e) {
      kind = e.kind();
    }
    co_await ws->close();
    co_return kind;
  });
  EXPECT_EQ(kind, TransportError::Kind::kTimeout);
}

INSTANTIATE_TEST_SUITE_P(Egress, Transport,
                         ::testing::Values(Egress::kDirect, Egress::kTinyproxy,
                                           Egress::kMicrosocks),
                         egress_name);
INSTANTIATE_TEST_SUITE_P(Egress, WebSockets,
                         ::testing::Values(Egress::kDirect, Egress::kTinyproxy,
                                           Egress::kMicrosocks),
                         egress_name);

}  // namespace
}  // namespace g2a::upstream
