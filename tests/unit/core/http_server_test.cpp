// The HTTP server in-process: chunked streams, handler failures and graceful drain.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <thread>

#include "core/http/server.hpp"
#include "integration/http_client.hpp"

namespace g2a::http {
namespace {
namespace asio = boost::asio;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_shared<Router>();
    router_->add("GET", "/stream", [](Exchange& ex) -> asio::awaitable<void> {
      co_await ex.begin_stream(200, "text/event-stream");
      for (int i = 0; i < 3; ++i) co_await ex.write("data: " + std::to_string(i) + "\n\n");
      co_await ex.end_stream();
    });
    // A body of known length sent in pieces (a cached file); ?short=1 promises more
    // than it sends.
    router_->add("GET", "/sized", [](Exchange& ex) -> asio::awaitable<void> {
      bool cut = ex.request().query_param("short").has_value();
      std::vector<Header> headers{{"Content-Range", "bytes 0-9/20"}};
      co_await ex.begin_sized(206, "video/mp4", 10, std::move(headers));
      bool more = co_await ex.write("01234");
      if (more && !cut) co_await ex.write("56789");
      co_await ex.end_stream();
    });
    router_->add("GET", "/throws", [](Exchange&) -> asio::awaitable<void> {
      throw std::runtime_error("boom");
      co_return;
    });
    router_->add("GET", "/silent", [](Exchange&) -> asio::awaitable<void> { co_return; });
    router_->add("GET", "/items/{id}", [](Exchange& ex) -> asio::awaitable<void> {
      co_await ex.send(json_response(200, "\"" + ex.request().params["id"] + "\""));
    });
    // Holds the request until the test releases it.
    router_->add("GET", "/held", [this](Exchange& ex) -> asio::awaitable<void> {
      held_started_.set_value();
      co_await release_.async_wait(asio::as_tuple(asio::use_awaitable));
      co_await ex.send(json_response(200, "\"released\""));
    });
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    server_ = std::make_unique<Server>(io_, o, router_);
    port_ = server_->listen();
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    io_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  asio::io_context io_;
  asio::steady_timer release_{io_, asio::steady_timer::time_point::max()};
  std::promise<void> held_started_;
  std::shared_ptr<Router> router_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(HttpServerTest, StreamsChunks) {
  test::HttpClient http;
  auto r = http.get(url("/stream"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(r.body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  // The connection stays usable after a chunked response.
  auto again = http.get(url("/stream"));
  EXPECT_EQ(again.new_connections, 0);
}

TEST_F(HttpServerTest, SizedBodiesCarryContentLengthNotChunks) {
  test::HttpClient http;
  auto r = http.get(url("/sized"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.headers["content-length"], "10");
  EXPECT_EQ(r.headers.count("transfer-encoding"), 0u);
  EXPECT_EQ(r.headers["content-range"], "bytes 0-9/20");
  EXPECT_EQ(r.body, "0123456789");
  // HEAD: the same header, no body, and the connection stays usable.
  auto head = http.request("HEAD", url("/sized"));
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.headers["content-length"], "10");
  EXPECT_EQ(head.body, "");
  auto again = http.get(url("/sized"));
  EXPECT_EQ(again.body, "0123456789");
  EXPECT_EQ(again.new_connections, 0);
}

TEST_F(HttpServerTest, ASizedBodyThatFallsShortClosesTheConnection) {
  test::HttpClient http;
  auto r = http.get(url("/sized?short=1"));
  EXPECT_EQ(r.status, 0) << r.body;  // curl: the transfer closed with bytes outstanding
  EXPECT_NE(r.error, "");
  auto next = http.get(url("/sized"));
  EXPECT_EQ(next.body, "0123456789");
  EXPECT_EQ(next.new_connections, 1);
}

TEST_F(HttpServerTest, HandlerExceptionsBecome500Envelopes) {
  test::HttpClient http;
  auto r = http.get(url("/throws"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("\"type\":\"server_error\""), std::string::npos);
  auto s = http.get(url("/silent"));
  EXPECT_EQ(s.status, 500);
}

TEST_F(HttpServerTest, PathParametersArePercentDecoded) {
  test::HttpClient http;
  auto r = http.get(url("/items/a%2Fb%20c"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "\"a/b c\"");
}

TEST_F(HttpServerTest, DrainWaitsForInFlightRequestsAndRefusesNewOnes) {
  auto held = std::async(std::launch::async, [this] {
    test::HttpClient http;
    return http.get(url("/held"));
  });
  held_started_.get_future().wait();
  EXPECT_EQ(server_->active_requests(), 1u);
  auto drained = asio::co_spawn(io_, server_->drain(std::chrono::seconds(30)), asio::use_future);
  // New connections are refused once the acceptor is closed; wait for that state.
  test::HttpClient late;
  test::HttpResult refused;
  do {
    refused = late.get(url("/stream"));
  } while (refused.status != 0);
  EXPECT_FALSE(refused.error.empty());
  asio::post(io_, [this] { release_.cancel(); });
  auto r = held.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "\"released\"");
  EXPECT_EQ(drained.get(), 0u);
}

TEST_F(HttpServerTest, DrainGivesUpAtTheDeadline) {
  auto held = std::async(std::launch::async, [this] {
    test::HttpClient http;
    return http.get(url("/held"));
  });
  held_started_.get_future().wait();
  auto drained =
      asio::co_spawn(io_, server_->drain(std::chrono::milliseconds(50)), asio::use_future);
  EXPECT_EQ(drained.get(), 1u);
  asio::post(io_, [this] { release_.cancel(); });
  held.get();
}

}  // namespace
}  // namespace g2a::http
