#include "core/upstream/websocket.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <cerrno>
#include <cstring>
#include <deque>

#include "core/runtime/run_on.hpp"
#include "core/upstream/curl_options.hpp"
#include "core/upstream/signal.hpp"
#include "core/upstream/ws_frame.hpp"

namespace g2a::upstream {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Descriptor = asio::posix::stream_descriptor;

struct WebSocket::State {
  explicit State(asio::any_io_executor ex, size_t max_message)
      : read_timer(ex), write_timer(ex), decoder(max_message) {}
  ~State() {
    if (ready) ready->close();
  }

  CurlDriver* driver = nullptr;
  CURL* easy = nullptr;
  CurlRequestData data;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  // A dup of curl's socket, for readiness waits: it stays valid if curl closes its own.
  // Reads and writes wait on it at once; a timeout's cancel wakes both (see wait_ready).
  std::unique_ptr<Descriptor> ready;
  asio::steady_timer read_timer, write_timer;
  ws::Decoder decoder;
  std::deque<ws::Message> inbox;
  std::string outbox;
  bool writing = false;
  bool closed = false;  // the server closed, or we did
  bool retired = false;
  uint16_t close_code = 0;
};

namespace {

struct IoResult {
  int code = CURLE_OK;
  size_t bytes = 0;
  std::string data;
};

std::array<uint8_t, 4> random_mask() {
  std::array<uint8_t, 4> m{};
  RAND_bytes(m.data(), 4);
  return m;
}

// Waits until the descriptor is ready or the deadline passes; false on timeout/error.
// The other direction's timeout cancels this wait too (one descriptor serves both, to
// spend three descriptors a socket rather than four), so a cancel before our own
// deadline waits again.
asio::awaitable<bool> wait_ready(Descriptor& d, asio::steady_timer& timer,
                                 Descriptor::wait_type type, Clock::time_point deadline) {
  for (;;) {
    timer.expires_at(deadline);
    timer.async_wait([&d](const boost::system::error_code& ec) {
      if (!ec) d.cancel();
    });
    boost::system::error_code ec;
    co_await d.async_wait(type, asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (!ec) co_return true;
    if (ec != asio::error::operation_aborted || Clock::now() >= deadline || !d.is_open())
      co_return false;
  }
}

// One non-blocking curl_easy_recv on the driver's strand.
auto recv_once(std::shared_ptr<WebSocket::State> s) {
  return runtime::run_on(s->driver->strand(), [s] {
    IoResult r;
    if (s->retired) {
      r.code = CURLE_RECV_ERROR;
      return r;
    }
    char buf[16384];
    r.code = curl_easy_recv(s->easy, buf, sizeof buf, &r.bytes);
    if (r.code == CURLE_OK) r.data.assign(buf, r.bytes);
    return r;
  });
}

auto send_once(std::shared_ptr<WebSocket::State> s, std::string bytes) {
  return runtime::run_on(s->driver->strand(), [s, bytes = std::move(bytes)] {
    IoResult r;
    if (s->retired) {
      r.code = CURLE_SEND_ERROR;
      return r;
    }
    r.code = curl_easy_send(s->easy, bytes.data(), bytes.size(), &r.bytes);
    return r;
  });
}

// Writes the whole outbox (frames queued by anyone while we write).
asio::awaitable<void> flush_outbox(std::shared_ptr<WebSocket::State> s,
                                   Clock::time_point deadline) {
  if (s->writing) co_return;  // the writer in progress sends what was queued
  s->writing = true;
  struct Reset {
    WebSocket::State* s;
    ~Reset() { s->writing = false; }
  } reset{s.get()};
  while (!s->outbox.empty()) {
    auto op = send_once(s, s->outbox);
    IoResult r = co_await std::move(op);
    if (r.code == CURLE_AGAIN) {
      if (!co_await wait_ready(*s->ready, s->write_timer, Descriptor::wait_write, deadline))
        throw TransportError(TransportError::Kind::kTimeout, CURLE_OPERATION_TIMEDOUT,
                             "WebSocket send timed out");
      continue;
    }
    if (r.code != CURLE_OK) throw transport_error(r.code, "WebSocket send");
    s->outbox.erase(0, r.bytes);
  }
}

// Reads more bytes into the decoder; false when the connection ended.
asio::awaitable<bool> read_more(std::shared_ptr<WebSocket::State> s, std::string& sink,
                                Clock::time_point deadline, const char* what) {
  for (;;) {
    auto op = recv_once(s);
    IoResult r = co_await std::move(op);
    if (r.code == CURLE_OK) {
      if (r.bytes == 0) co_return false;
      sink += r.data;
      co_return true;
    }
    if (r.code != CURLE_AGAIN) throw transport_error(r.code, what);
    if (!co_await wait_ready(*s->ready, s->read_timer, Descriptor::wait_read, deadline)) {
      if (Clock::now() >= deadline)
        throw TransportError(TransportError::Kind::kTimeout, CURLE_OPERATION_TIMEDOUT,
                             std::string(what) + " timed out");
      throw TransportError(TransportError::Kind::kReset, CURLE_RECV_ERROR,
                           std::string(what) + ": connection error");
    }
  }
}

struct Target {
  std::string http_url, host, path;
};

Target parse_target(const std::string& url) {
  Target t;
  std::string rest;
  if (url.rfind("wss://", 0) == 0) {
    t.http_url = "https://" + url.substr(6);
    rest = url.substr(6);
  } else if (url.rfind("ws://", 0) == 0) {
    t.http_url = "http://" + url.substr(5);
    rest = url.substr(5);
  } else {
    throw std::invalid_argument("not a ws:// or wss:// URL: " + url);
  }
  auto slash = rest.find('/');
  t.host = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  return t;
}

std::string new_key() {
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  unsigned char out[25];
  EVP_EncodeBlock(out, raw, sizeof raw);
  return std::string(reinterpret_cast<char*>(out), 24);
}

}  // namespace

WebSocket::WebSocket(std::shared_ptr<State> s) : s_(std::move(s)) {}

WebSocket::~WebSocket() {
  if (s_ && !s_->retired) {
    auto s = s_;
    asio::post(s->driver->strand(), [s] { s->retired = true; });
    s->driver->retire(s->easy, s);
  }
}

uint16_t WebSocket::close_code() const {
  return s_->close_code;
}

asio::awaitable<std::unique_ptr<WebSocket>> WebSocket::connect(HttpClient& http, WsOptions o) {
  auto ex = co_await asio::this_coro::executor;
  auto s = std::make_shared<State>(ex, o.max_message);
  auto deadline = Clock::now() + o.handshake_timeout;
  Target target = parse_target(o.url);
  s->driver = &http.driver();
  s->easy = curl_easy_init();
  auto ws = std::make_unique<WebSocket>(s);  // from here on the handle is retired on failure

  HttpRequest r;
  r.url = target.http_url;
  r.proxy = o.proxy;
  r.tls = o.tls;
  r.connect_timeout = o.handshake_timeout;
  configure_easy(s->easy, r, s->data);
  curl_easy_setopt(s->easy, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->error_buffer);
  if (o.proxy.rfind("http", 0) == 0) curl_easy_setopt(s->easy, CURLOPT_HTTPPROXYTUNNEL, 1L);

  auto connected = Signal::create(ex);
  auto result = std::make_shared<std::atomic<int>>(-1);
  http.driver().start(
      s->easy,
      [connected, result](int code) {
        result->store(code);
        connected->notify();
      },
      /*keep_attached=*/true);
  while (result->load() < 0)
    if (!co_await connected->wait(deadline))
      throw TransportError(TransportError::Kind::kTimeout, CURLE_OPERATION_TIMEDOUT,
                           "WebSocket connect to " + target.host + " timed out");
  if (result->load() != CURLE_OK) throw transport_error(result->load(), s->error_buffer);

  curl_socket_t fd = CURL_SOCKET_BAD;
  curl_easy_getinfo(s->easy, CURLINFO_ACTIVESOCKET, &fd);
  if (fd == CURL_SOCKET_BAD) throw TransportError(TransportError::Kind::kOther, 0, "no socket");
  int own = ::dup(fd);
  if (own < 0)
    throw TransportError(
        TransportError::Kind::kOther, 0,
        std::string("WebSocket: no descriptor left (dup: ") + std::strerror(errno) + ")");
  s->ready = std::make_unique<Descriptor>(ex, own);

  std::string key = new_key();
  std::string request =
      "GET " + target.path + " HTTP/1.1\r\nHost: " + target.host +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
      "\r\nSec-WebSocket-Version: 13\r\n";
  for (const auto& [k, v] : o.headers) request += k + ": " + v + "\r\n";
  request += "\r\n";
  s->outbox = std::move(request);
  co_await flush_outbox(s, deadline);

  std::string head;
  size_t end = std::string::npos;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    if (head.size() > 64 * 1024)
      throw TransportError(TransportError::Kind::kOther, 0, "WebSocket handshake answer too long");
    if (!co_await read_more(s, head, deadline, "WebSocket handshake"))
      throw TransportError(TransportError::Kind::kReset, CURLE_GOT_NOTHING,
                           "connection closed during the WebSocket handshake");
  }
  std::string rest = head.substr(end + 4);
  head.resize(end);
  long status = 0;
  if (head.rfind("HTTP/1.", 0) == 0 && head.size() > 12)
    status = std::strtol(head.c_str() + 9, nullptr, 10);
  Headers headers;
  for (size_t pos = head.find("\r\n"); pos != std::string::npos;) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      headers.emplace_back(line.substr(0, colon), value);
    }
    pos = next;
  }
  if (status != 101) {
    // Read the body that explains the refusal (Cloudflare page, JSON error), bounded.
    size_t length = static_cast<size_t>(
        std::strtoul(std::string(find_header(headers, "content-length")).c_str(), nullptr, 10));
    length = std::min<size_t>(length, 1u << 20);
    try {
      while (rest.size() < length && co_await read_more(s, rest, deadline, "WebSocket refusal")) {
      }
    } catch (const TransportError&) {
    }
    throw WsHandshakeError(status, std::move(headers), std::move(rest));
  }
  if (std::string(find_header(headers, "sec-websocket-accept")) != ws::accept_value(key))
    throw TransportError(TransportError::Kind::kOther, 0, "bad Sec-WebSocket-Accept");
  std::vector<ws::Message> messages;
  s->decoder.feed(rest, messages);
  for (auto& m : messages) s->inbox.push_back(std::move(m));
  co_return ws;
}

asio::awaitable<void> WebSocket::send_text(std::string text) {
  if (s_->closed)
    throw TransportError(TransportError::Kind::kReset, CURLE_SEND_ERROR, "WebSocket closed");
  s_->outbox += ws::encode_frame(ws::Opcode::kText, text, random_mask());
  co_await flush_outbox(s_, Clock::now() + std::chrono::seconds(30));
}

asio::awaitable<std::optional<std::string>> WebSocket::receive(std::chrono::milliseconds idle) {
  auto deadline = Clock::now() + idle;
  for (;;) {
    while (!s_->inbox.empty()) {
      ws::Message m = std::move(s_->inbox.front());
      s_->inbox.pop_front();
      switch (m.opcode) {
        case ws::Opcode::kPing:
          s_->outbox += ws::encode_frame(ws::Opcode::kPong, m.payload, random_mask());
          co_await flush_outbox(s_, Clock::now() + std::chrono::seconds(10));
          break;
        case ws::Opcode::kPong:
          break;
        case ws::Opcode::kClose:
          if (m.payload.size() >= 2)
            s_->close_code = static_cast<uint16_t>((static_cast<uint8_t>(m.payload[0]) << 8) |
                                                   static_cast<uint8_t>(m.payload[1]));
          if (!s_->closed) {
            s_->closed = true;
            s_->outbox +=
                ws::encode_frame(ws::Opcode::kClose, m.payload.substr(0, 2), random_mask());
            try {
              co_await flush_outbox(s_, Clock::now() + std::chrono::seconds(2));
            } catch (const TransportError&) {
            }
          }
          co_return std::nullopt;
        default:
          co_return std::move(m.payload);
      }
    }
    if (s_->closed) co_return std::nullopt;
    std::string bytes;
    if (!co_await read_more(s_, bytes, deadline, "WebSocket receive")) {
      s_->closed = true;  // the peer went away without a close frame
      throw TransportError(TransportError::Kind::kReset, CURLE_RECV_ERROR,
                           "WebSocket connection closed without a close frame");
    }
    std::vector<ws::Message> messages;
    try {
      s_->decoder.feed(bytes, messages);
    } catch (const ws::ProtocolError& e) {
      throw TransportError(TransportError::Kind::kOther, 0, std::string("WebSocket: ") + e.what());
    }
    for (auto& m : messages) s_->inbox.push_back(std::move(m));
  }
}

asio::awaitable<void> WebSocket::close(uint16_t code) {
  if (!s_->closed) {
    s_->closed = true;
    s_->outbox += ws::encode_frame(ws::Opcode::kClose, ws::close_payload(code, ""), random_mask());
    try {
      co_await flush_outbox(s_, Clock::now() + std::chrono::seconds(2));
    } catch (const TransportError&) {
    }
  }
}

}  // namespace g2a::upstream
