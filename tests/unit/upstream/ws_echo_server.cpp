#include "ws_echo_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <mutex>

namespace g2a::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WsEchoServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread accept_thread;
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::string user_agent, cookie;
  std::atomic<bool> stopping{false};

  void serve(tcp::socket socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    beast::http::request<beast::http::string_body> req;
    beast::http::read(socket, buffer, req, ec);
    if (ec) return;
    {
      std::lock_guard lock(mutex);
      user_agent = std::string(req[beast::http::field::user_agent]);
      cookie = std::string(req[beast::http::field::cookie]);
    }
    if (req.target() == "/refuse") {
      beast::http::response<beast::http::string_body> res{beast::http::status::forbidden, 11};
      res.set(beast::http::field::content_type, "application/json");
      res.body() = R"({"error":{"code":7,"message":"Request rejected by anti-bot rules."}})";
      res.prepare_payload();
      beast::http::write(socket, res, ec);
      return;
    }
    websocket::stream<tcp::socket> ws(std::move(socket));
    std::atomic<bool> pong_seen{false};
    ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) pong_seen = true;
    });
    ws.accept(req, ec);
    if (ec) return;
    for (;;) {
      beast::flat_buffer in;
      ws.read(in, ec);
      if (ec) return;
      std::string msg = beast::buffers_to_string(in.data());
      ws.text(ws.got_text());
      if (msg == "ping-me") {
        // The client answers the ping while it reads "pinged", before it sends "check".
        ws.ping("p", ec);
        ws.write(asio::buffer(std::string("pinged")), ec);
      } else if (msg == "check") {
        ws.write(asio::buffer(std::string(pong_seen ? "pong-seen" : "no-pong")), ec);
      } else if (msg == "fragment") {
        ws.write_some(false, asio::buffer(std::string("one-")), ec);
        ws.write_some(false, asio::buffer(std::string("two-")), ec);
        ws.write_some(true, asio::buffer(std::string("three")), ec);
      } else if (msg.rfind("big:", 0) == 0) {
        ws.write(asio::buffer(std::string(std::stoul(msg.substr(4)), 'b')), ec);
      } else if (msg == "close") {
        ws.close(websocket::close_reason(4001), ec);
        return;
      } else {
        ws.write(asio::buffer(msg), ec);
      }
      if (ec) return;
    }
  }
};

WsEchoServer::WsEchoServer() : impl_(std::make_unique<Impl>()) {
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([this] {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket(impl_->io);
      impl_->acceptor.accept(socket, ec);
      if (ec || impl_->stopping) return;
      impl_->workers.emplace_back(
          [this, s = std::move(socket)]() mutable { impl_->serve(std::move(s)); });
    }
  });
}

WsEchoServer::~WsEchoServer() {
  impl_->stopping = true;
  beast::error_code ec;
  // Wake the blocking accept with a connection of our own.
  tcp::socket poke(impl_->io);
  poke.connect(impl_->acceptor.local_endpoint(), ec);
  impl_->accept_thread.join();
  poke.close(ec);
  for (auto& t : impl_->workers) t.join();  // connections end when their clients close
}

std::string WsEchoServer::last_user_agent() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->user_agent;
}

std::string WsEchoServer::last_cookie() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->cookie;
}

}  // namespace g2a::test
