#include "core/chat/turn_runner.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/upstream/grok/problem.hpp"

namespace g2a::chat {
namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using upstream::TransportError;
using upstream::grok::Diagnosis;
using upstream::grok::Problem;
using upstream::grok::UpstreamError;

namespace {

// A chat-gateway socket serves one turn and is never silent on our side for longer than
// this: the adapter's heartbeat frame is sent at least this often (spec §2.1 says 25 s;
// idle sockets are what proxies and NATs drop first).
constexpr std::chrono::milliseconds kMaxSocketSilence{10000};

// A further HTTP call the adapter asked for after finish() (submit-then-poll providers).
struct NextCall {
  std::string call, path, body;
  std::chrono::milliseconds delay{0};
};

struct Dispatch {
  std::vector<std::string> send;
  std::vector<json::object> events;
  bool close = false;
  std::optional<NextCall> next;
};

// The waits an adapter may ask for before its next call, and how many calls a turn may
// chain: a poll loop that never ends must not hammer the upstream.
constexpr std::chrono::milliseconds kMaxNextDelay{600000};
constexpr std::chrono::milliseconds kMinNextDelay{200};
constexpr int kMaxNextCalls = 2000;

Dispatch parse_actions(const std::string& text) {
  Dispatch d;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("model adapter returned invalid actions");
  const auto& o = v.as_object();
  if (auto* s = o.if_contains("send"); s && s->is_array())
    for (const auto& f : s->as_array())
      if (f.is_string()) d.send.emplace_back(f.as_string());
  if (auto* e = o.if_contains("events"); e && e->is_array())
    for (const auto& ev : e->as_array())
      if (ev.is_object()) d.events.push_back(ev.as_object());
  if (auto* c = o.if_contains("close"); c && c->is_bool()) d.close = c->as_bool();
  if (auto* n = o.if_contains("next"); n && n->is_object()) {
    const auto& no = n->as_object();
    NextCall next;
    auto* path = no.if_contains("path");
    if (!path || !path->is_string() || path->as_string().empty() ||
        path->as_string().front() != '/')
      throw std::runtime_error("model adapter asked for a next call without a path");
    next.path = path->as_string();
    if (auto* c = no.if_contains("call"); c && c->is_string()) next.call = c->as_string();
    if (auto* b = no.if_contains("body"); b && b->is_string()) next.body = b->as_string();
    if (auto* ms = no.if_contains("delay_ms"); ms && ms->is_int64())
      next.delay = std::clamp(std::chrono::milliseconds(ms->as_int64()),
                              std::chrono::milliseconds(0), kMaxNextDelay);
    d.next = std::move(next);
  }
  return d;
}

upstream::grok::CallKind call_kind(const std::string& call) {
  return call == "rest_media" ? upstream::grok::CallKind::kRestMedia
                              : upstream::grok::CallKind::kRestChat;
}

[[noreturn]] void timed_out(const char* what, std::chrono::milliseconds limit) {
  throw UpstreamError(Diagnosis{Problem::kTransport, 0,
                                std::string(what) + " (" + std::to_string(limit.count()) + " ms)"});
}

// How long to wait for the next piece, and what a timeout then means.
struct Clockwork {
  TurnTimeouts t;
  Clock::time_point started = Clock::now();
  Clock::time_point last = Clock::now();        // the last piece from upstream
  Clock::time_point kept_alive = Clock::now();  // the last keep-alive to the client
  bool any = false;

  static std::chrono::milliseconds until(Clock::time_point when) {
    // Rounded up: a wait that ends early would find no limit passed yet.
    return std::chrono::ceil<std::chrono::milliseconds>(when - Clock::now());
  }
  Clock::time_point next_keep_alive() const { return std::max(last, kept_alive) + t.keep_alive; }
  std::chrono::milliseconds wait() const {
    auto limit = any ? t.idle : t.first_response;
    auto w = std::min({until(next_keep_alive()), until(last + limit), until(started + t.total)});
    return std::max(w, std::chrono::milliseconds(1));
  }
  void check() const {
    auto now = Clock::now();
    if (now >= started + t.total) timed_out("the upstream answer took too long", t.total);
    if (!any && now >= last + t.first_response)
      timed_out("no first response from upstream", t.first_response);
    if (any && now >= last + t.idle) timed_out("the upstream went silent", t.idle);
  }
  // The client is owed a keep-alive (the upstream has been silent for keep_alive).
  bool keep_alive_due() {
    if (Clock::now() < next_keep_alive()) return false;
    kept_alive = Clock::now();
    return true;
  }
  void got() {
    any = true;
    last = Clock::now();
  }
};

}  // namespace

asio::awaitable<void> run_turn(upstream::grok::GrokClient& grok, AdapterHost& adapter,
                               upstream::grok::Account account, upstream::grok::Egress egress,
                               std::string request_json, TurnTimeouts timeouts, TurnSink& sink) {
  std::string plan_text;
  auto turn = adapter.begin(request_json, plan_text);
  json::error_code ec;
  auto plan_value = json::parse(plan_text, ec);
  if (ec || !plan_value.is_object()) throw std::runtime_error("model adapter returned no plan");
  const auto& plan = plan_value.as_object();
  std::string transport =
      plan.contains("transport") ? std::string(plan.at("transport").as_string()) : "";
  Clockwork clock{timeouts};
  std::unique_ptr<upstream::WebSocket> ws;
  std::unique_ptr<upstream::HttpStream> stream;

  std::string heartbeat_frame;
  std::chrono::milliseconds heartbeat_every{0};
  auto last_heartbeat = Clock::now();
  if (auto* hb = plan.if_contains("heartbeat"); hb && hb->is_object()) {
    const auto& h = hb->as_object();
    if (auto* f = h.if_contains("frame"); f && f->is_string()) heartbeat_frame = f->as_string();
    if (auto* i = h.if_contains("interval_ms"); i && i->is_int64())
      heartbeat_every = std::min(std::chrono::milliseconds(i->as_int64()), kMaxSocketSilence);
  }
  if (transport == "ws") {
    // The handshake is part of the first response.
    ws = co_await grok.open_chat_gateway(account, egress, clock.wait());
    clock.check();
    if (auto* send = plan.if_contains("send"); send && send->is_array())
      for (const auto& f : send->as_array()) co_await ws->send_text(std::string(f.as_string()));
  } else if (transport == "http") {
    std::string call = plan.contains("call") ? std::string(plan.at("call").as_string()) : "";
    stream = co_await grok.rest(account, egress, std::string(plan.at("path").as_string()),
                                std::string(plan.at("body").as_string()), call_kind(call),
                                timeouts.first_response);
  } else {
    throw std::runtime_error("model adapter planned an unknown transport '" + transport + "'");
  }

  bool open = true;
  bool client_left = false;
  int next_calls = 0;
  while (open) {
    std::optional<std::string> piece;
    bool tick = false;
    try {
      if (ws) {
        auto wait = clock.wait();
        if (heartbeat_every.count() > 0 && !heartbeat_frame.empty())
          wait = std::clamp(Clockwork::until(last_heartbeat + heartbeat_every),
                            std::chrono::milliseconds(1), wait);
        piece = co_await ws->receive(wait);
      } else
        piece = co_await stream->next(clock.wait());
    } catch (const TransportError& e) {
      if (e.kind() != TransportError::Kind::kTimeout) throw;
      clock.check();  // throws when a real limit passed; otherwise it was a keep-alive tick
      tick = true;
    }
    if (ws && heartbeat_every.count() > 0 && !heartbeat_frame.empty() &&
        Clock::now() - last_heartbeat >= heartbeat_every) {
      last_heartbeat = Clock::now();
      co_await ws->send_text(heartbeat_frame);
    }
    if (tick) {
      if (clock.keep_alive_due() && !co_await sink.idle()) break;
      continue;
    }
    Dispatch d;
    if (!piece) {
      d = parse_actions(turn->finish());
      open = false;
      if (d.next && !stream)
        throw std::runtime_error("model adapter asked for a next call on a socket");
    } else {
      clock.got();
      d = parse_actions(turn->feed(*piece));
      if (d.next) throw std::runtime_error("model adapter asked for a next call before finish");
    }
    for (auto& frame : d.send)
      if (ws) co_await ws->send_text(std::move(frame));
    for (const auto& e : d.events)
      if (!co_await sink.event(e)) {
        open = false;
        client_left = true;
        break;
      }
    if (d.close) open = false;
    if (d.next && !client_left) {
      // Submit-then-poll: the adapter's next call, with the same account and egress,
      // after its delay (in keep-alive slices, so a client or task that is gone ends it).
      if (++next_calls > kMaxNextCalls)
        throw std::runtime_error("model adapter asked for more than " +
                                 std::to_string(kMaxNextCalls) + " next calls");
      stream.reset();
      auto until = Clock::now() + std::max(d.next->delay, kMinNextDelay);
      auto ex = co_await asio::this_coro::executor;
      asio::steady_timer wait(ex);
      bool go_on = true;
      while (go_on && Clock::now() < until) {
        if (Clock::now() + std::chrono::milliseconds(1) >= clock.started + timeouts.total)
          timed_out("the upstream answer took too long", timeouts.total);
        wait.expires_at(
            std::min({until, Clock::now() + timeouts.keep_alive, clock.started + timeouts.total}));
        co_await wait.async_wait(asio::use_awaitable);
        if (Clock::now() < until) go_on = co_await sink.idle();
      }
      if (!go_on) break;
      stream = co_await grok.rest(account, egress, d.next->path, d.next->body,
                                  call_kind(d.next->call), timeouts.first_response);
      // A new answer: the first-response limit applies to it, not the idle one.
      clock.any = false;
      clock.last = Clock::now();
      open = true;
    }
  }
  if (ws) co_await ws->close();
}

}  // namespace g2a::chat
