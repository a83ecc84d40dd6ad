// An upstream that answers at once, for the benchmark (bench/README.md): the grok.com
// calls the gateway makes on the chat-gateway path (the session read, the quota reads and
// the mgw WebSocket of spec §2.1, answered with the least valid event sequence), and the
// same-sized answer as plain server-sent events for nginx to relay. One thread, so it
// takes as little of the machine as it can. Every answer carries its stamp (stamp.hpp).
//
//   g2a-bench-upstream [--port N] [--chunks N] [--chunk-bytes N]
//
// Prints "listening 127.0.0.1:<port>" once it accepts. A turn whose prompt holds
// "bench:hold" (or /sse?hold=1) stops after its first piece until POST /__release.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <list>
#include <string>
#include <vector>

#include "stamp.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using asio::ip::tcp;
using g2a::bench::format_stamp;
using g2a::bench::monotonic_ns;

namespace {

struct Options {
  uint16_t port = 0;
  int chunks = 20;       // answer pieces per turn
  int chunk_bytes = 40;  // characters per piece
};

// Turns that wait for /__release; each waits on its own timer, which release cancels.
class Holds {
 public:
  asio::awaitable<void> wait() {
    auto ex = co_await asio::this_coro::executor;
    auto it = timers_.emplace(timers_.end(), ex, asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await it->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    timers_.erase(it);
  }
  size_t release() {
    size_t n = timers_.size();
    for (auto& t : timers_) t.cancel();
    return n;
  }
  size_t size() const { return timers_.size(); }

 private:
  std::list<asio::steady_timer> timers_;
};

struct Counters {
  uint64_t turns = 0;
  uint64_t sse = 0;
};

struct Upstream {
  Options options;
  Holds holds;
  Counters counters;
  std::string filler;  // one piece of answer text
};

std::string envelope(std::string_view session_id, json::object event) {
  json::object env;
  if (!session_id.empty()) env["session_id"] = session_id;
  env["event"] = std::move(event);
  return json::serialize(env);
}

std::string text_chunk_frame(std::string_view text) {
  json::object piece{{"text", text}, {"channel", "CHANNEL_ASSISTANT_RESPONSE"}};
  json::object chunk{{"text", std::move(piece)}};
  return envelope({}, json::object{{"type", "response.chunk"}, {"chunk", std::move(chunk)}});
}

// The first piece: the stamp, padded to the length of the others.
std::string first_piece(const Upstream& up, int64_t own_ns) {
  std::string text = format_stamp(monotonic_ns(), own_ns);
  if (text.size() < up.filler.size()) text += up.filler.substr(text.size());
  return text;
}

asio::awaitable<void> write_text(websocket::stream<tcp::socket>& ws, const std::string& frame) {
  co_await ws.async_write(asio::buffer(frame), asio::use_awaitable);
}

// One mgw turn: session.create -> session.created + conversation.attached;
// conversation.item.create; response.create -> response.created, the pieces, response.done.
asio::awaitable<void> serve_mgw(Upstream& up, tcp::socket socket,
                                http::request<http::string_body> upgrade, int64_t read_at) {
  websocket::stream<tcp::socket> ws(std::move(socket));
  ws.read_message_max(16u << 20);
  ws.text(true);
  co_await ws.async_accept(upgrade, asio::use_awaitable);
  int64_t own = monotonic_ns() - read_at;
  static uint64_t next_conversation = 0;
  std::string conversation = "bench-conv-" + std::to_string(++next_conversation);
  bool hold = false;
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // closed by the gateway after response.done, or reset
    read_at = monotonic_ns();
    std::string_view message(static_cast<const char*>(buffer.data().data()), n);
    json::error_code jec;
    json::value env = json::parse(message, jec);
    buffer.consume(n);
    if (jec || !env.is_object() || !env.as_object().contains("event")) co_return;
    const auto& event = env.at("event").as_object();
    const auto* type_value = event.if_contains("type");
    std::string type = type_value && type_value->is_string() ? type_value->as_string().c_str() : "";
    if (type == "session.create") {
      json::object session{{"id", conversation}, {"model", event.at("session").at("model")}};
      json::object created{{"type", "session.created"},
                           {"client_event_id", event.at("event_id")},
                           {"session", std::move(session)}};
      std::string frame = envelope(conversation, std::move(created));
      co_await write_text(ws, frame);
      json::object conv{{"id", conversation}};
      json::object attached{{"type", "conversation.attached"}, {"conversation", std::move(conv)}};
      frame = envelope(conversation, std::move(attached));
      co_await write_text(ws, frame);
      own += monotonic_ns() - read_at;
    } else if (type == "conversation.item.create") {
      hold = message.find("bench:hold") != std::string_view::npos;
    } else if (type == "response.create") {
      ++up.counters.turns;
      std::string response_id = conversation + "-r";
      json::object response{{"id", response_id}, {"status", "in_progress"}};
      std::string frame =
          envelope({}, json::object{{"type", "response.created"}, {"response", response}});
      co_await write_text(ws, frame);
      frame = text_chunk_frame(first_piece(up, own + (monotonic_ns() - read_at)));
      co_await write_text(ws, frame);
      if (hold) co_await up.holds.wait();
      std::string piece = text_chunk_frame(up.filler);
      for (int i = 1; i < up.options.chunks; ++i) co_await write_text(ws, piece);
      response["status"] = "completed";
      frame = envelope({}, json::object{{"type", "response.done"}, {"response", response}});
      co_await write_text(ws, frame);
    }
    // ping: nothing to say
  }
}

std::string chunk_of(std::string_view data) {
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out(size, static_cast<size_t>(n));
  out.append(data);
  out += "\r\n";
  return out;
}

std::string query_value(std::string_view target, std::string_view key) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.substr(0, key.size()) == key && pair.size() > key.size() && pair[key.size()] == '=')
      return std::string(pair.substr(key.size() + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// GET /sse?events=E&bytes=B[&hold=1]: E server-sent events of B bytes in all (the last is
// "data: [DONE]"), as chunked HTTP/1.1, one write per event.
asio::awaitable<void> serve_sse(Upstream& up, tcp::socket& socket, std::string_view target,
                                int64_t read_at) {
  ++up.counters.sse;
  size_t events =
      std::max<size_t>(2, std::strtoul(query_value(target, "events").c_str(), nullptr, 10));
  size_t bytes = std::strtoul(query_value(target, "bytes").c_str(), nullptr, 10);
  bool hold = query_value(target, "hold") == "1";
  const std::string done = "data: [DONE]\n\n";
  const size_t framing = 8;  // "data: " and "\n\n"
  size_t payload_total = bytes > done.size() + (events - 1) * framing
                             ? bytes - done.size() - (events - 1) * framing
                             : (events - 1) * 8;
  size_t per_event = payload_total / (events - 1);
  size_t first_extra = payload_total - per_event * (events - 1);

  std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  std::string text = format_stamp(monotonic_ns(), monotonic_ns() - read_at);
  text.resize(std::max(text.size(), per_event + first_extra), 'x');
  head += chunk_of("data: " + text + "\n\n");
  co_await asio::async_write(socket, asio::buffer(head), asio::use_awaitable);
  if (hold) co_await up.holds.wait();
  std::string event = chunk_of("data: " + std::string(per_event, 'x') + "\n\n");
  for (size_t i = 2; i < events; ++i)
    co_await asio::async_write(socket, asio::buffer(event), asio::use_awaitable);
  std::string tail = chunk_of(done) + "0\r\n\r\n";
  co_await asio::async_write(socket, asio::buffer(tail), asio::use_awaitable);
}

http::response<http::string_body> json_answer(http::status status, std::string body,
                                              unsigned version) {
  http::response<http::string_body> res{status, version};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

asio::awaitable<void> serve_connection(Upstream& up, tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] =
        co_await http::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    int64_t read_at = monotonic_ns();
    if (websocket::is_upgrade(req)) {
      co_await serve_mgw(up, std::move(socket), std::move(req), read_at);
      co_return;
    }
    std::string_view target = req.target();
    std::string_view path = target.substr(0, target.find('?'));
    if (path == "/sse") {
      co_await serve_sse(up, socket, target, read_at);
      continue;
    }
    http::response<http::string_body> res;
    if (path == "/api/auth/session") {
      res = json_answer(
          http::status::ok,
          R"({"status":"authenticated","session":{"userId":"bench-user","email":"bench@example.invalid"}})",
          req.version());
    } else if (path == "/rest/rate-limits") {
      // A heavy-tier account (fast total 400) with quota to spare for any run.
      res = json_answer(
          http::status::ok,
          R"({"windowSizeSeconds":7200,"remainingQueries":1000000000,)"
          R"("totalQueries":400,"lowEffortRateLimits":null,"highEffortRateLimits":null})",
          req.version());
    } else if (path == "/rest/media/imagine/quota_info") {
      res = json_answer(
          http::status::ok,
          R"({"image":null,"imageEdit":null,"imagePro":null,"video":null,"video720p":null})",
          req.version());
    } else if (path == "/__release") {
      size_t n = up.holds.release();
      res =
          json_answer(http::status::ok, R"({"released":)" + std::to_string(n) + "}", req.version());
    } else if (path == "/__stats") {
      json::object stats{
          {"turns", up.counters.turns}, {"sse", up.counters.sse}, {"held", up.holds.size()}};
      res = json_answer(http::status::ok, json::serialize(stats), req.version());
    } else {
      res = json_answer(http::status::not_found, R"({"error":"not found"})", req.version());
    }
    res.keep_alive(req.keep_alive());
    co_await http::async_write(socket, res, asio::use_awaitable);
    if (!req.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept_loop(Upstream& up, tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. out of descriptors: the client sees its connect fail
    asio::co_spawn(acceptor.get_executor(), serve_connection(up, std::move(socket)),
                   asio::detached);
  }
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> long {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return std::strtol(argv[++i], nullptr, 10);
    };
    if (a == "--port")
      o.port = static_cast<uint16_t>(value());
    else if (a == "--chunks")
      o.chunks = static_cast<int>(std::max(1L, value()));
    else if (a == "--chunk-bytes")
      o.chunk_bytes = static_cast<int>(std::max(48L, value()));
    else {
      std::fprintf(stderr, "usage: %s [--port N] [--chunks N] [--chunk-bytes N]\n", argv[0]);
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Upstream up;
  up.options = parse_options(argc, argv);
  for (int i = 0; static_cast<int>(up.filler.size()) < up.options.chunk_bytes; ++i)
    up.filler += "bench answer text "[i % 18];

  asio::io_context io(1);
  tcp::acceptor acceptor(io);
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), up.options.port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  std::printf("listening 127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  asio::co_spawn(io, accept_loop(up, acceptor), asio::detached);
  io.run();
  return 0;
}
