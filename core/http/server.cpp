#include "core/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <optional>
#include <random>

#include "core/http/beast_request.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/metrics.hpp"

namespace g2a::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "req_";
  for (int i = 0; i < 24; ++i) id.push_back(kHex[rng() & 15]);
  return id;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

bool origin_allowed(const std::vector<std::string>& origins, std::string_view origin) {
  if (origin.empty()) return false;
  for (const auto& o : origins)
    if (o == "*" || o == origin) return true;
  return false;
}

}  // namespace

struct Server::State : std::enable_shared_from_this<State> {
  State(asio::io_context& io, ServerOptions o, std::shared_ptr<const Router> r)
      : io(io),
        options(std::make_shared<const ServerOptions>(std::move(o))),
        router(std::move(r)),
        strand(asio::make_strand(io)),
        acceptor(strand) {}

  struct Conn {
    beast::tcp_stream* stream;
    bool idle;
  };

  asio::io_context& io;
  std::atomic<std::shared_ptr<const ServerOptions>> options;
  std::shared_ptr<const Router> router;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  uint64_t accept_failures = 0;  // consecutive; touched only by accept_loop
  std::atomic<bool> draining{false};
  std::atomic<size_t> active{0};
  std::mutex mutex;
  std::map<uint64_t, Conn> conns;
  uint64_t next_conn = 1;
  std::shared_ptr<asio::steady_timer> drain_timer;  // woken when the last request ends
  std::shared_ptr<spdlog::logger> access = ops::logger("Access");
  std::shared_ptr<spdlog::logger> log = ops::logger("Server");

  uint64_t add_conn(beast::tcp_stream* s) {
    std::lock_guard lock(mutex);
    conns[next_conn] = Conn{s, true};
    return next_conn++;
  }
  void remove_conn(uint64_t id) {
    std::lock_guard lock(mutex);
    conns.erase(id);
  }
  // A connection between requests is idle (drain closes it); a request counts as active.
  void set_idle(uint64_t id, bool idle) {
    std::lock_guard lock(mutex);
    conns[id].idle = idle;
    if (!idle) active.fetch_add(1);
  }
  void request_done() {
    if (active.fetch_sub(1) == 1 && draining.load()) wake_drain();
  }
  void wake_drain() {
    std::shared_ptr<asio::steady_timer> t;
    {
      std::lock_guard lock(mutex);
      t = drain_timer;
    }
    if (t) asio::post(t->get_executor(), [t] { t->cancel(); });
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
};

namespace {

class SessionExchange final : public Exchange {
 public:
  SessionExchange(Request req, beast::tcp_stream& stream, unsigned version, bool keep_alive,
                  std::vector<Header> common, std::chrono::milliseconds write_timeout, bool head)
      : Exchange(std::move(req)),
        stream_(stream),
        version_(version),
        keep_alive_(keep_alive),
        common_(std::move(common)),
        write_timeout_(write_timeout),
        head_(head) {}

  bool keep_alive() const { return keep_alive_ && !broken_ && (!streaming_ || ended_); }
  bool streaming() const { return streaming_; }
  bool ended() const { return ended_; }

  asio::awaitable<void> send(Response r) override {
    if (responded()) throw std::logic_error("response already sent");
    status_ = r.status;
    responded_at_ = std::chrono::steady_clock::now();
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version_};
    res.set(bhttp::field::content_type, r.content_type);
    for (const auto& h : common_) res.set(h.name, h.value);
    for (const auto& h : r.headers) res.insert(h.name, h.value);
    res.keep_alive(keep_alive_);
    res.body() = std::move(r.body);
    res.prepare_payload();
    if (head_) {
      // HEAD: the headers GET would have sent, without the body.
      bhttp::response<bhttp::empty_body> hres{res.result(), version_};
      for (const auto& f : res) hres.insert(f.name_string(), f.value());
      bhttp::response_serializer<bhttp::empty_body> sr{hres};
      sr.split(true);
      co_await write_header(sr);
      co_return;
    }
    bytes_sent_ = res.body().size();
    beast::error_code ec;
    stream_.expires_after(write_timeout_);
    co_await bhttp::async_write(stream_, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) broken_ = client_gone_ = true;
  }

  asio::awaitable<void> begin_stream(int status, std::string content_type,
                                     std::vector<Header> headers) override {
    co_await begin(status, content_type, headers, std::nullopt);
  }

  asio::awaitable<void> begin_sized(int status, std::string content_type, uint64_t length,
                                    std::vector<Header> headers) override {
    co_await begin(status, content_type, headers, length);
    if (head_) remaining_ = 0;  // the body a GET would have had is not sent
  }

  asio::awaitable<bool> write(std::string_view chunk) override {
    if (!streaming_ || ended_) throw std::logic_error("write outside a stream");
    if (broken_) co_return false;
    if (sized_ && head_) co_return false;
    if (chunk.empty()) co_return true;  // an empty chunk would end the stream
    if (sized_ && chunk.size() > remaining_) throw std::logic_error("write past Content-Length");
    beast::error_code ec;
    stream_.expires_after(write_timeout_);
    if (sized_)
      co_await asio::async_write(stream_, asio::buffer(chunk.data(), chunk.size()),
                                 asio::redirect_error(asio::use_awaitable, ec));
    else
      co_await asio::async_write(stream_,
                                 bhttp::make_chunk(asio::buffer(chunk.data(), chunk.size())),
                                 asio::redirect_error(asio::use_awaitable, ec));
    if (sized_) remaining_ -= chunk.size();
    if (ec) {
      broken_ = true;
      client_gone_ = true;
      co_return false;
    }
    bytes_sent_ += chunk.size();
    co_return true;
  }

  asio::awaitable<void> end_stream() override {
    if (!streaming_ || ended_) co_return;
    ended_ = true;
    // A sized body that fell short cannot be finished: the connection must close.
    if (sized_ && remaining_ > 0) broken_ = true;
    if (broken_ || sized_) co_return;
    beast::error_code ec;
    stream_.expires_after(write_timeout_);
    co_await asio::async_write(stream_, bhttp::make_chunk_last(),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) broken_ = client_gone_ = true;
  }

 private:
  // The header of a streamed answer: chunked, or with the Content-Length of a sized one.
  asio::awaitable<void> begin(int status, const std::string& content_type,
                              const std::vector<Header>& headers, std::optional<uint64_t> length) {
    if (responded()) throw std::logic_error("response already sent");
    status_ = status;
    responded_at_ = std::chrono::steady_clock::now();
    streaming_ = true;
    sized_ = length.has_value();
    remaining_ = length.value_or(0);
    bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(status), version_};
    res.set(bhttp::field::content_type, content_type);
    for (const auto& h : common_) res.set(h.name, h.value);
    for (const auto& h : headers) res.insert(h.name, h.value);
    res.keep_alive(keep_alive_);
    if (length)
      res.content_length(*length);
    else
      res.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    sr.split(true);
    co_await write_header(sr);
  }

  template <class Serializer>
  asio::awaitable<void> write_header(Serializer& sr) {
    beast::error_code ec;
    stream_.expires_after(write_timeout_);
    co_await bhttp::async_write_header(stream_, sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) broken_ = client_gone_ = true;
  }

  beast::tcp_stream& stream_;
  unsigned version_;
  bool keep_alive_;
  std::vector<Header> common_;
  std::chrono::milliseconds write_timeout_;
  bool head_;
  bool streaming_ = false;
  bool sized_ = false;  // begin_sized: raw body bytes, remaining_ of them still due
  uint64_t remaining_ = 0;
  bool ended_ = false;
  bool broken_ = false;
};

asio::awaitable<void> send_simple(beast::tcp_stream& stream, unsigned version, Response r,
                                  const std::string& request_id) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::content_type, r.content_type);
  res.set("x-request-id", request_id);
  res.keep_alive(false);
  res.body() = std::move(r.body);
  res.prepare_payload();
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(10));
  co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

asio::awaitable<void> Server::State::accept_loop() {
  auto self = shared_from_this();
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(
        asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor.is_open() || draining.load()) co_return;
      // Out of descriptors or memory, the pending connection stays queued and accept fails
      // again at once: back off instead of spinning and flooding the log.
      bool exhausted = ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                       ec == asio::error::no_memory || ec.value() == ENFILE;
      if (++accept_failures == 1 || accept_failures % 100 == 0)
        log->warn("accept failed ({} in a row): {}", accept_failures, ec.message());
      if (exhausted) {
        asio::steady_timer pause(strand, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      continue;
    }
    if (accept_failures > 0) log->info("accepting again after {} failures", accept_failures);
    accept_failures = 0;
    // Streamed answers leave in small writes; with Nagle each waited for the client's
    // delayed ACK (about 40 ms a piece on Linux).
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::State::session(tcp::socket socket) {
  auto self = shared_from_this();
  beast::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  std::string remote = ec ? std::string("unknown") : ep.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  uint64_t conn_id = add_conn(&stream);
  struct Unregister {
    State* s;
    uint64_t id;
    ~Unregister() { s->remove_conn(id); }
  } unregister{this, conn_id};
  beast::flat_buffer buffer;
  bool first = true;

  while (!draining.load()) {
    auto opts = options.load();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(opts->max_body_bytes);
    parser.header_limit(64 * 1024);
    stream.expires_after(first ? opts->read_timeout : opts->idle_timeout);
    first = false;
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      set_idle(conn_id, false);
      stream.expires_after(opts->read_timeout);
      co_await bhttp::async_read(stream, buffer, parser,
                                 asio::redirect_error(asio::use_awaitable, ec));
    } else if (ec == bhttp::error::body_limit) {
      set_idle(conn_id, false);
    }
    auto started = Clock::now();
    std::string request_id;
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        request_id = new_request_id();
        co_await send_simple(
            stream, parser.get().version(),
            error_response(
                413,
                fmt::format("Request body too large: the limit is {} bytes.", opts->max_body_bytes),
                "invalid_request_error", {}, "request_too_large"),
            request_id);
        access->info("{} \"{} {}\" 413 rid={}", remote, std::string(parser.get().method_string()),
                     std::string(parser.get().target()), request_id);
        ops::Metrics::global()
            .counter("g2a_http_requests_total", "HTTP requests answered",
                     "route=\"oversize\",code=\"413\"")
            .add();
        request_done();
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::eof) {
        if (parser.is_header_done()) request_done();
        request_id = new_request_id();
        co_await send_simple(
            stream, 11, error_response(400, "Malformed HTTP request: " + ec.message()), request_id);
      } else if (parser.is_header_done()) {
        request_done();
      }
      break;
    }
    stream.expires_never();

    auto& raw = parser.get();
    Request req = from_beast(raw, remote);
    auto incoming_id = req.header("x-request-id");
    request_id = valid_request_id(incoming_id) ? std::string(incoming_id) : new_request_id();
    req.request_id = request_id;

    std::vector<Header> common{{"x-request-id", request_id}};
    auto origin = req.header("origin");
    bool cors = origin_allowed(opts->cors_origins, origin);
    if (cors) {
      common.push_back({"access-control-allow-origin", std::string(origin)});
      common.push_back({"vary", "Origin"});
      common.push_back({"access-control-expose-headers", "x-request-id, openai-poll-after-ms"});
    }
    bool head = req.method == "HEAD";
    SessionExchange ex(std::move(req), stream, raw.version(), raw.keep_alive() && !draining.load(),
                       std::move(common), opts->idle_timeout, head);
    std::string route_label = "unmatched";
    auto& r = ex.request();
    bool failed = false;
    try {
      if (cors && r.method == "OPTIONS" && !r.header("access-control-request-method").empty()) {
        Response pre;
        pre.status = 204;
        pre.content_type = "text/plain";
        pre.headers = {{"access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"},
                       {"access-control-allow-headers",
                        std::string(r.header("access-control-request-headers").empty()
                                        ? "authorization, content-type"
                                        : r.header("access-control-request-headers"))},
                       {"access-control-max-age", "600"}};
        route_label = "preflight";
        co_await ex.send(std::move(pre));
      } else {
        auto raw_path = std::string_view(r.target).substr(0, r.target.find('?'));
        auto match = router->match(r.method, raw_path);
        if (match.route) {
          route_label = match.route->pattern;
          for (auto& [k, v] : match.params) r.params[k] = percent_decode(v);
          co_await match.route->handler(ex);
          if (!ex.responded())
            co_await ex.send(error_response(500, "The handler produced no response."));
        } else if (!match.allowed_methods.empty()) {
          std::string allow;
          for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
          auto resp =
              error_response(405, fmt::format("Method {} is not allowed for {}.", r.method, r.path),
                             "invalid_request_error", {}, "method_not_allowed");
          resp.headers.push_back({"allow", allow});
          co_await ex.send(std::move(resp));
        } else {
          co_await ex.send(
              error_response(404, fmt::format("Unknown request URL: {} {}.", r.method, r.path),
                             "invalid_request_error", {}, "unknown_url"));
        }
      }
    } catch (const std::exception& e) {
      log->error("request {} {} {} failed: {}", request_id, r.method, r.path, e.what());
      failed = true;
    }
    // co_await is not allowed inside a catch block.
    if (failed && !ex.responded())
      co_await ex.send(error_response(500, "Internal server error.", "server_error"));
    if (ex.streaming() && !ex.ended()) co_await ex.end_stream();

    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    access->info("{} \"{} {}\" {} {}B {:.1f}ms rid={}", remote, r.method, r.target, ex.status(),
                 ex.bytes_sent(), seconds * 1000, request_id);
    auto& m = ops::Metrics::global();
    m.counter("g2a_http_requests_total", "HTTP requests answered",
              fmt::format("route=\"{}\",code=\"{}\"", route_label, ex.status()))
        .add();
    m.histogram("g2a_http_request_duration_seconds", "Time to answer a request",
                fmt::format("route=\"{}\"", route_label))
        .observe(seconds);
    bool keep = ex.keep_alive() && !draining.load();
    set_idle(conn_id, true);
    request_done();
    if (!keep) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

Server::Server(asio::io_context& io, ServerOptions options, std::shared_ptr<const Router> router)
    : state_(std::make_shared<State>(io, std::move(options), std::move(router))) {
  auto s = state_;
  ops::Metrics::global().gauge("g2a_http_active_requests", "Requests being answered", "",
                               [s] { return static_cast<double>(s->active.load()); });
  ops::Metrics::global().gauge("g2a_http_open_connections", "Open client connections", "", [s] {
    std::lock_guard lock(s->mutex);
    return static_cast<double>(s->conns.size());
  });
}

Server::~Server() {
  ops::Metrics::global().remove_gauge("g2a_http_active_requests", "");
  ops::Metrics::global().remove_gauge("g2a_http_open_connections", "");
}

uint16_t Server::listen() {
  auto opts = state_->options.load();
  tcp::endpoint ep(asio::ip::make_address(opts->host), opts->port);
  auto& a = state_->acceptor;
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::start() {
  asio::co_spawn(state_->strand, state_->accept_loop(), asio::detached);
}

asio::awaitable<size_t> Server::drain(std::chrono::milliseconds deadline) {
  auto s = state_;
  s->draining.store(true);
  asio::post(s->strand, [s] {
    beast::error_code ec;
    s->acceptor.close(ec);
  });
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  std::vector<std::pair<beast::tcp_stream*, uint64_t>> idle;
  {
    std::lock_guard lock(s->mutex);
    s->drain_timer = timer;
    for (auto& [id, c] : s->conns)
      if (c.idle) idle.emplace_back(c.stream, id);
  }
  // Idle keep-alive connections are closed on their own strand; a request that began
  // in the meantime is left to finish.
  for (auto& [stream, id] : idle) {
    asio::post(stream->get_executor(), [s, id] {
      std::lock_guard lock(s->mutex);
      auto it = s->conns.find(id);
      if (it != s->conns.end() && it->second.idle) it->second.stream->cancel();
    });
  }
  auto until = Clock::now() + deadline;
  while (s->active.load() > 0 && Clock::now() < until) {
    timer->expires_at(until);
    beast::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  {
    std::lock_guard lock(s->mutex);
    s->drain_timer.reset();
  }
  co_return s->active.load();
}

void Server::update_limits(size_t max_body_bytes, std::vector<std::string> cors_origins) {
  auto next = std::make_shared<ServerOptions>(*state_->options.load());
  next->max_body_bytes = max_body_bytes;
  next->cors_origins = std::move(cors_origins);
  state_->options.store(std::move(next));
}

size_t Server::active_requests() const {
  return state_->active.load();
}

size_t Server::open_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->conns.size();
}

}  // namespace g2a::http
