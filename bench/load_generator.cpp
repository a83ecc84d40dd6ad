// The benchmark's client (bench/README.md): keeps N streamed requests going over keep-alive
// HTTP/1.1 connections, reads every answer to "data: [DONE]", and times the first byte of
// the answer against the upstream's stamp (stamp.hpp). One thread.
//
// Throughput: g2a-bench-load --url URL [--body JSON] [--header 'K: V']... --concurrency N
//               [--warmup S] [--duration S] [--cpu-pid PID]...
//   Requests finished inside the measured window (after the warm-up) count; CPU time of
//   the --cpu-pid processes is read from /proc at the window's edges.
// Open streams: g2a-bench-load --url URL [--body JSON] --hold N --release URL [--rss-pid PID]...
//   Opens N streams whose upstream holds them after the first piece, reads the resident
//   memory of the --rss-pid processes once every stream has its first byte (or failed),
//   then has the upstream release them and waits for their ends.
// Prints one JSON object on stdout.
#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "proc_stat.hpp"
#include "stamp.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using g2a::bench::monotonic_ns;

namespace {

struct Target {
  std::string host, port, path;
};

struct Options {
  Target url;
  std::string body;
  std::vector<std::string> headers;
  int concurrency = 1;
  double warmup = 2;
  double duration = 10;
  std::vector<pid_t> cpu_pids, rss_pids;
  int hold = 0;
  Target release;
  int opening = 256;  // hold mode: streams connecting at once
};

Target parse_url(const std::string& text) {
  auto u = boost::urls::parse_uri(text);
  if (!u || u->scheme() != "http") {
    std::fprintf(stderr, "not an http:// URL: %s\n", text.c_str());
    std::exit(2);
  }
  Target t{u->host(), u->has_port() ? std::string(u->port()) : "80",
           std::string(u->encoded_target())};
  if (t.path.empty()) t.path = "/";
  return t;
}

std::string request_text(const Options& o, const Target& t, const std::string& body, bool post) {
  std::string r = (post ? "POST " : "GET ") + t.path + " HTTP/1.1\r\nHost: " + t.host + ":" +
                  t.port + "\r\nAccept: text/event-stream\r\n";
  for (const auto& h : o.headers) r += h + "\r\n";
  if (post)
    r +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

// One answer as the client saw it.
struct Answer {
  bool ok = false;
  std::string error;
  int64_t started_ns = 0, first_ns = 0, ended_ns = 0;
  g2a::bench::Stamp stamp;
  size_t bytes = 0, events = 0;
  bool keep_alive = true;
};

size_t count_events(std::string_view body) {
  size_t n = 0;
  for (size_t pos = 0; (pos = body.find("data:", pos)) != std::string_view::npos; pos += 5)
    if (pos == 0 || body[pos - 1] == '\n') ++n;
  return n;
}

// A keep-alive connection that sends one request at a time.
class Connection {
 public:
  explicit Connection(asio::any_io_executor ex) : socket_(ex) {}

  // Sends the request and reads its answer; on_first runs when the stamp arrives.
  template <class OnFirst>
  asio::awaitable<Answer> exchange(const Target& t, const std::string& request, OnFirst on_first) {
    Answer a;
    if (!socket_.is_open()) {
      tcp::resolver resolver(socket_.get_executor());
      auto [rec, endpoints] =
          co_await resolver.async_resolve(t.host, t.port, asio::as_tuple(asio::use_awaitable));
      if (rec) co_return fail(a, "resolve: " + rec.message());
      auto [cec, ep] =
          co_await asio::async_connect(socket_, endpoints, asio::as_tuple(asio::use_awaitable));
      if (cec) co_return fail(a, "connect: " + cec.message());
      socket_.set_option(tcp::no_delay(true));
      buffer_.clear();
    }
    a.started_ns = monotonic_ns();
    auto [wec, wn] = co_await asio::async_write(socket_, asio::buffer(request),
                                                asio::as_tuple(asio::use_awaitable));
    if (wec) co_return fail(a, "write: " + wec.message());

    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    auto [hec, hn] = co_await http::async_read_header(socket_, buffer_, parser,
                                                      asio::as_tuple(asio::use_awaitable));
    if (hec) co_return fail(a, "read: " + hec.message());
    std::string body;
    size_t scanned = 0;
    bool first = false;
    char piece[16384];
    while (!parser.is_done()) {
      parser.get().body().data = piece;
      parser.get().body().size = sizeof piece;
      auto [rec, rn] = co_await http::async_read_some(socket_, buffer_, parser,
                                                      asio::as_tuple(asio::use_awaitable));
      if (rec && rec != http::error::need_buffer) co_return fail(a, "read: " + rec.message());
      body.append(piece, sizeof piece - parser.get().body().size);
      if (!first) {
        size_t from =
            scanned > g2a::bench::kMaxStampBytes ? scanned - g2a::bench::kMaxStampBytes : 0;
        if (auto s = g2a::bench::find_stamp(std::string_view(body).substr(from))) {
          first = true;
          a.first_ns = monotonic_ns();
          a.stamp = *s;
          on_first();
        }
        scanned = body.size();
      }
    }
    a.ended_ns = monotonic_ns();
    a.keep_alive = parser.get().keep_alive();
    if (!a.keep_alive) close();
    a.bytes = body.size();
    a.events = count_events(body);
    int status = parser.get().result_int();
    if (status != 200)
      co_return fail(a, "HTTP " + std::to_string(status) + ": " + body.substr(0, 200));
    if (!first) co_return fail(a, "no stamp in the answer: " + body.substr(0, 200));
    if (body.size() < 14 || body.compare(body.size() - 14, 14, "data: [DONE]\n\n") != 0)
      co_return fail(a, "the answer does not end with data: [DONE]: " +
                            body.substr(body.size() > 200 ? body.size() - 200 : 0));
    a.ok = true;
    co_return a;
  }

  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  Answer fail(Answer& a, std::string why) {
    close();
    a.ok = false;
    a.error = std::move(why);
    return a;
  }

  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// Percentile of sorted values, in milliseconds.
double percentile_ms(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i =
      std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[i]) / 1e6;
}

struct Errors {
  size_t count = 0;
  std::map<std::string, size_t> kinds;  // first 120 characters of the message
  void add(const std::string& why) {
    ++count;
    ++kinds[why.substr(0, 120)];
  }
  json::object to_json() const {
    json::object o;
    for (const auto& [k, n] : kinds) o[k] = n;
    return o;
  }
};

// --- Throughput ---

struct Run {
  Run(const Options& options, std::string text) : o(options), request(std::move(text)) {}
  const Options& o;
  std::string request;
  enum class Phase { kWarmup, kMeasure, kStop } phase = Phase::kWarmup;
  int64_t window_start = 0, window_end = 0;
  double cpu_start = 0, cpu_end = 0;
  std::vector<int64_t> ttfb, added, relay, total;
  size_t requests = 0, bytes = 0, events = 0;
  Errors errors;
};

asio::awaitable<void> keep_streaming(Run& run) {
  Connection c(co_await asio::this_coro::executor);
  while (run.phase != Run::Phase::kStop) {
    auto op = c.exchange(run.o.url, run.request, [] {});
    Answer a = co_await std::move(op);
    if (run.phase != Run::Phase::kMeasure) continue;
    if (!a.ok) {
      run.errors.add(a.error);
      continue;
    }
    ++run.requests;
    run.bytes += a.bytes;
    run.events += a.events;
    int64_t ttfb = a.first_ns - a.started_ns;
    run.ttfb.push_back(ttfb);
    run.added.push_back(ttfb - a.stamp.own_ns);
    run.relay.push_back(a.first_ns - a.stamp.sent_ns);
    run.total.push_back(a.ended_ns - a.started_ns);
  }
  c.close();
}

asio::awaitable<void> measure_window(Run& run) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::milliseconds(static_cast<int64_t>(run.o.warmup * 1000)));
  co_await timer.async_wait(asio::use_awaitable);
  run.cpu_start = g2a::bench::cpu_seconds(run.o.cpu_pids);
  run.window_start = monotonic_ns();
  run.phase = Run::Phase::kMeasure;
  timer.expires_after(std::chrono::milliseconds(static_cast<int64_t>(run.o.duration * 1000)));
  co_await timer.async_wait(asio::use_awaitable);
  run.cpu_end = g2a::bench::cpu_seconds(run.o.cpu_pids);
  run.window_end = monotonic_ns();
  run.phase = Run::Phase::kStop;
}

json::object throughput(const Options& o) {
  Run run(o, request_text(o, o.url, o.body, !o.body.empty()));
  asio::io_context io(1);
  asio::co_spawn(io, measure_window(run), asio::detached);
  for (int i = 0; i < o.concurrency; ++i) asio::co_spawn(io, keep_streaming(run), asio::detached);
  io.run();

  for (auto* v : {&run.ttfb, &run.added, &run.relay, &run.total}) std::sort(v->begin(), v->end());
  double seconds = static_cast<double>(run.window_end - run.window_start) / 1e9;
  double cpu = run.cpu_end - run.cpu_start;
  size_t n = std::max<size_t>(run.requests, 1);
  return json::object{
      {"concurrency", o.concurrency},
      {"seconds", seconds},
      {"requests", run.requests},
      {"errors", run.errors.count},
      {"error_kinds", run.errors.to_json()},
      {"rps", static_cast<double>(run.requests) / seconds},
      {"ttfb_p50_ms", percentile_ms(run.ttfb, 0.5)},
      {"ttfb_p99_ms", percentile_ms(run.ttfb, 0.99)},
      {"added_ttfb_p50_ms", percentile_ms(run.added, 0.5)},
      {"added_ttfb_p99_ms", percentile_ms(run.added, 0.99)},
      {"relay_p50_ms", percentile_ms(run.relay, 0.5)},
      {"relay_p99_ms", percentile_ms(run.relay, 0.99)},
      {"total_p50_ms", percentile_ms(run.total, 0.5)},
      {"total_p99_ms", percentile_ms(run.total, 0.99)},
      {"answer_bytes", run.bytes / n},
      {"answer_events", run.events / n},
      {"cpu_seconds", cpu},
      {"cpu_seconds_per_1k", run.requests ? cpu * 1000 / static_cast<double>(run.requests) : 0},
  };
}

// --- Open streams ---

struct Hold {
  Hold(const Options& options, std::string text) : o(options), request(std::move(text)) {}
  const Options& o;
  std::string request;
  int launched = 0, opening = 0, held = 0, failed = 0, completed = 0;
  Errors errors;
  std::optional<asio::steady_timer> wake;  // the launcher waits on it for a free slot
  bool all_in = false;
};

void on_settled(Hold& h) {
  --h.opening;
  if (h.wake) h.wake->cancel();
}

asio::awaitable<void> one_held_stream(Hold& h) {
  Connection c(co_await asio::this_coro::executor);
  bool got_first = false;
  auto op = c.exchange(h.o.url, h.request, [&] {
    got_first = true;
    ++h.held;
    on_settled(h);
  });
  Answer a = co_await std::move(op);
  if (!got_first) {
    ++h.failed;
    on_settled(h);
  }
  if (a.ok)
    ++h.completed;
  else
    h.errors.add(a.error);
  c.close();
  if (h.wake) h.wake->cancel();
}

asio::awaitable<Answer> post_release(const Options& o) {
  Connection c(co_await asio::this_coro::executor);
  std::string request = request_text(o, o.release, "{}", true);
  auto op = c.exchange(o.release, request, [] {});
  co_return co_await std::move(op);
}

asio::awaitable<void> hold_streams(Hold& h, json::object& out) {
  auto ex = co_await asio::this_coro::executor;
  h.wake.emplace(ex);
  out["rss_idle_kib"] = g2a::bench::rss_kib(h.o.rss_pids);
  out["fds_idle"] = g2a::bench::open_fds(h.o.rss_pids);
  int64_t started = monotonic_ns();
  boost::system::error_code ec;
  while (h.held + h.failed < h.o.hold) {
    while (h.launched < h.o.hold && h.opening < h.o.opening) {
      ++h.launched;
      ++h.opening;
      asio::co_spawn(ex, one_held_stream(h), asio::detached);
    }
    h.wake->expires_at(asio::steady_timer::time_point::max());
    co_await h.wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  out["open_seconds"] = static_cast<double>(monotonic_ns() - started) / 1e9;
  out["held"] = h.held;
  out["rss_held_kib"] = g2a::bench::rss_kib(h.o.rss_pids);
  out["fds_held"] = g2a::bench::open_fds(h.o.rss_pids);
  // The release answer is plain JSON, not a stream: only its arrival matters.
  Answer released = co_await post_release(h.o);
  (void)released;
  while (h.completed + static_cast<int>(h.errors.count) < h.o.hold) {
    h.wake->expires_at(asio::steady_timer::time_point::max());
    co_await h.wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  h.wake.reset();
}

json::object hold(const Options& o) {
  Hold h(o, request_text(o, o.url, o.body, !o.body.empty()));
  json::object out{{"target", o.hold}};
  asio::io_context io(1);
  asio::co_spawn(io, hold_streams(h, out), asio::detached);
  io.run();
  out["failed"] = h.failed;
  out["completed"] = h.completed;
  out["errors"] = h.errors.count;
  out["error_kinds"] = h.errors.to_json();
  return out;
}

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --url URL [--body JSON] [--header 'K: V']... (--concurrency N "
               "[--warmup S] [--duration S] [--cpu-pid PID]... | --hold N --release URL "
               "[--rss-pid PID]... [--opening N])\n",
               argv0);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage(argv[0]);
    std::string v = argv[++i];
    if (a == "--url") {
      o.url = parse_url(v);
      have_url = true;
    } else if (a == "--body") {
      o.body = v;
    } else if (a == "--header") {
      o.headers.push_back(v);
    } else if (a == "--concurrency") {
      o.concurrency = std::max(1, std::stoi(v));
    } else if (a == "--warmup") {
      o.warmup = std::stod(v);
    } else if (a == "--duration") {
      o.duration = std::stod(v);
    } else if (a == "--cpu-pid") {
      o.cpu_pids.push_back(std::stoi(v));
    } else if (a == "--rss-pid") {
      o.rss_pids.push_back(std::stoi(v));
    } else if (a == "--hold") {
      o.hold = std::stoi(v);
    } else if (a == "--release") {
      o.release = parse_url(v);
    } else if (a == "--opening") {
      o.opening = std::max(1, std::stoi(v));
    } else {
      usage(argv[0]);
    }
  }
  if (!have_url || (o.hold > 0 && o.release.host.empty())) usage(argv[0]);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  // Open streams need a descriptor each: take the hard limit.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  json::object result = o.hold > 0 ? hold(o) : throughput(o);
  std::printf("%s\n", json::serialize(result).c_str());
  return 0;
}
