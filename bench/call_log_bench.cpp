// The call-log benchmark (bench/README.md, "Call log at 1,000,000 records"): writes a
// Pro-format data/call_logs.json, starts the real gateway on it twice (the first start
// imports the Pro file, the second reads call_logs.ndjson), and times the admin log API
// through HTTP as a logged-in admin. Prints a Markdown table on stdout.
//
//   g2a-bench-calllog --gateway PATH [--records N] [--runs N] [--work DIR]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "call_log_data.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace fs = std::filesystem;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

extern char** environ;

namespace {

struct Options {
  std::string gateway;
  uint64_t records = 1'000'000;
  int runs = 20;
  std::string work;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "bench: %s\n", message.c_str());
  std::exit(1);
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Memory of the gateway from /proc/<pid>/status: the current and the peak resident size.
int64_t status_kib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stoll(line.substr(std::strlen(field)));
  return 0;
}

struct Answer {
  unsigned status = 0;
  std::string body;
  double ms = 0;
};

// One keep-alive HTTP/1.1 connection to the gateway.
class Client {
 public:
  Client(asio::io_context& io, unsigned short port) : socket_(io), port_(port) {}

  Answer send(http::verb verb, const std::string& target, const std::string& body = "") {
    if (!socket_.is_open())
      socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    Answer a;
    auto start = Clock::now();
    http::write(socket_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket_, buffer_, parser);
    a.ms = ms_since(start);
    a.status = parser.get().result_int();
    a.body = std::move(parser.get().body());
    if (!parser.get().keep_alive()) close();
    return a;
  }

  void login(const std::string& password) {
    json::object body{{"username", "admin"}, {"password", password}};
    Answer a = send(http::verb::post, "/api/login", json::serialize(body));
    if (a.status != 200) die("login failed: " + a.body);
    token_ = json::parse(a.body).at("token").as_string().c_str();
  }

  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
    buffer_.clear();
  }

 private:
  tcp::socket socket_;
  unsigned short port_;
  beast::flat_buffer buffer_;
  std::string token_;
};

// The gateway process: started with a clean environment, its output in a log file.
struct Gateway {
  pid_t pid = 0;
  unsigned short port = 0;
  double startup_ms = 0;
  int64_t rss_kib = 0, peak_kib = 0;
};

Gateway start_gateway(const Options& o, const fs::path& data, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // The gateway writes logs/ under its working directory: the work folder, not ours.
  posix_spawn_file_actions_addchdir_np(&actions, data.parent_path().c_str());
  std::string data_arg = data.string();
  const char* argv[] = {o.gateway.c_str(), "--data-dir", data_arg.c_str(), nullptr};
  const char* envp[] = {"PATH=/usr/bin:/bin", nullptr};
  Gateway g;
  auto start = Clock::now();
  if (posix_spawn(&g.pid, o.gateway.c_str(), &actions, nullptr, const_cast<char**>(argv),
                  const_cast<char**>(envp)) != 0)
    die("cannot start " + o.gateway);
  posix_spawn_file_actions_destroy(&actions);

  // The port from the log line, then /health answering 200. Polls: this is a measurement
  // of how long the process takes, not a test waiting for an event.
  static const std::regex listening(R"(listening on 127\.0\.0\.1:([0-9]+))");
  asio::io_context io;
  for (;;) {
    if (waitpid(g.pid, nullptr, WNOHANG) == g.pid) die("the gateway exited; see " + log.string());
    if (g.port == 0) {
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch m;
      if (std::regex_search(text, m, listening))
        g.port = static_cast<unsigned short>(std::stoi(m[1]));
    }
    if (g.port != 0) {
      try {
        Client c(io, g.port);
        if (c.send(http::verb::get, "/health").status == 200) break;
      } catch (const std::exception&) {
      }
    }
    if (ms_since(start) > 600'000) die("the gateway did not become ready in 600 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  g.startup_ms = ms_since(start);
  g.rss_kib = status_kib(g.pid, "VmRSS:");
  g.peak_kib = status_kib(g.pid, "VmHWM:");
  return g;
}

void stop_gateway(const Gateway& g) {
  kill(g.pid, SIGTERM);
  int status = 0;
  waitpid(g.pid, &status, 0);
}

struct Row {
  std::string name, target;
  double median = 0, p95 = 0;
  size_t bytes = 0;
  std::string note;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::max<size_t>(rank, 1) - 1];
}

// One warm-up call, then `runs` timed calls of the same request.
Row measure(Client& c, const std::string& name, http::verb verb, const std::string& target,
            int runs, const std::function<std::string(const Answer&)>& note = {}) {
  Row row;
  row.name = name;
  row.target = target;
  std::vector<double> times;
  for (int i = 0; i <= runs; ++i) {
    Answer a = c.send(verb, target);
    if (a.status != 200) die(target + " answered " + std::to_string(a.status) + ": " + a.body);
    if (i == 0) {
      row.bytes = a.body.size();
      if (note) row.note = note(a);
      continue;
    }
    times.push_back(a.ms);
  }
  row.median = percentile(times, 0.5);
  row.p95 = percentile(times, 0.95);
  return row;
}

std::string total_of(const Answer& a) {
  return std::to_string(json::parse(a.body).at("total").as_int64()) + " match";
}

std::string lines_of(const Answer& a) {
  return std::to_string(std::count(a.body.begin(), a.body.end(), '\n')) + " records";
}

std::string buckets_of(const Answer& a) {
  return std::to_string(json::parse(a.body).at("data").as_array().size()) + " buckets";
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--gateway")
      o.gateway = next();
    else if (a == "--records")
      o.records = std::stoull(next());
    else if (a == "--runs")
      o.runs = std::stoi(next());
    else if (a == "--work")
      o.work = next();
    else
      die("usage: g2a-bench-calllog --gateway PATH [--records N] [--runs N] [--work DIR]");
  }
  if (o.gateway.empty()) die("--gateway is required");
  if (o.work.empty()) {
    char tmpl[] = "/tmp/g2a-bench-calllog.XXXXXX";
    if (!mkdtemp(tmpl)) die("cannot create a temporary folder");
    o.work = tmpl;
  }
  return o;
}

std::string mib(int64_t kib) {
  return std::to_string((kib + 512) / 1024) + " MiB";
}

std::string fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  fs::path data = fs::path(o.work) / "data";
  fs::create_directories(data);
  const std::string password = "bench-admin-password";
  {
    std::ofstream settings(data / "setting.toml");
    settings << "[global]\nadmin_password = \"" << password << "\"\nlog_max_count = " << o.records
             << "\ntoken_refresh_interval = 0\n\n[grok]\nupstream_url = \"http://127.0.0.1:9\"\n"
                "assets_url = \"http://127.0.0.1:9\"\n\n[server]\nhost = \"127.0.0.1\"\nport = 0\n";
  }
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto gen_start = Clock::now();
  g2a::bench::CallLogData dataset(now_ms, 42);
  uint64_t file_bytes = dataset.write_pro_file(data / "call_logs.json", o.records);
  std::fprintf(stderr, "bench: wrote %llu records (%.0f MiB) in %.1f s\n",
               static_cast<unsigned long long>(o.records),
               static_cast<double>(file_bytes) / 1048576.0, ms_since(gen_start) / 1000);

  Gateway first = start_gateway(o, data, fs::path(o.work) / "gateway-1.log");
  std::fprintf(stderr, "bench: first start (import) %.1f s\n", first.startup_ms / 1000);
  stop_gateway(first);
  uint64_t ndjson_bytes = fs::file_size(data / "call_logs.ndjson");
  Gateway second = start_gateway(o, data, fs::path(o.work) / "gateway-2.log");
  std::fprintf(stderr, "bench: second start (ndjson) %.1f s\n", second.startup_ms / 1000);

  asio::io_context io;
  Client c(io, second.port);
  c.login(password);

  const std::string sso = dataset.sso_substring(7);
  const std::string model = dataset.model(3);
  int64_t week = now_ms - 7 * 86'400'000LL, day = now_ms - 86'400'000LL;
  std::string range = "start_time=" + std::to_string(week) + "&end_time=" + std::to_string(day);
  int runs = o.runs, slow_runs = std::max(3, o.runs / 4);
  auto get = http::verb::get;
  std::vector<Row> rows;
  rows.push_back(
      measure(c, "page 1, no filter", get, "/api/logs?page=1&page_size=50", runs, total_of));
  rows.push_back(measure(c, "sso substring, page 1", get,
                         "/api/logs?sso=" + sso + "&page=1&page_size=50", runs, total_of));
  rows.push_back(measure(c, "sso substring, page 300", get,
                         "/api/logs?sso=" + sso + "&page=300&page_size=50", runs, total_of));
  rows.push_back(measure(c, "model, page 1", get,
                         "/api/logs?model=" + model + "&page=1&page_size=50", runs, total_of));
  rows.push_back(measure(c, "success=false, page 1", get,
                         "/api/logs?success=false&page=1&page_size=50", runs, total_of));
  rows.push_back(measure(c, "success=false, page 900", get,
                         "/api/logs?success=false&page=900&page_size=50", runs, total_of));
  rows.push_back(measure(c, "time range (6 days), page 1", get,
                         "/api/logs?" + range + "&page=1&page_size=50", runs, total_of));
  rows.push_back(measure(c, "time range (6 days), page 3000", get,
                         "/api/logs?" + range + "&page=3000&page_size=50", runs, total_of));
  rows.push_back(measure(c, "sso + model + success=false + time range", get,
                         "/api/logs?sso=" + sso + "&model=" + model + "&success=false&" + range +
                             "&page=1&page_size=50",
                         runs, total_of));
  rows.push_back(measure(c, "stats", get, "/api/logs/stats", runs));
  rows.push_back(measure(c, "models", get, "/api/logs/models", runs));
  rows.push_back(measure(c, "timeseries, hour, last day", get,
                         "/api/logs/timeseries?bucket=hour&start_time=" + std::to_string(day), runs,
                         buckets_of));
  rows.push_back(measure(c, "timeseries, hour, all", get, "/api/logs/timeseries?bucket=hour",
                         slow_runs, buckets_of));
  rows.push_back(measure(c, "export ndjson, success=false", get,
                         "/api/logs/export?format=ndjson&success=false", slow_runs, lines_of));
  int64_t rss_after_queries = status_kib(second.pid, "VmRSS:");

  // Trim: each call drops the 1,000 oldest records (and rewrites the file).
  std::vector<double> trims;
  for (int i = 1; i <= 3; ++i) {
    std::string target = "/api/logs?max_count=" + std::to_string(o.records - 1000 * i);
    Answer a = c.send(http::verb::delete_, target);
    if (a.status != 200) die(target + " answered " + std::to_string(a.status));
    trims.push_back(a.ms);
  }
  int64_t peak = status_kib(second.pid, "VmHWM:");
  stop_gateway(second);

  std::printf(
      "Records: %llu (Pro call_logs.json %.0f MiB, call_logs.ndjson %.0f MiB); %u cores, %s\n\n",
      static_cast<unsigned long long>(o.records), static_cast<double>(file_bytes) / 1048576.0,
      static_cast<double>(ndjson_bytes) / 1048576.0, std::thread::hardware_concurrency(),
      dataset.describe().c_str());
  std::printf(
      "| start-up | time to /health 200 | RSS when ready | peak RSS |\n|---|---|---|---|\n");
  std::printf("| first start (imports call_logs.json) | %s s | %s | %s |\n",
              fixed(first.startup_ms / 1000).c_str(), mib(first.rss_kib).c_str(),
              mib(first.peak_kib).c_str());
  std::printf("| second start (reads call_logs.ndjson) | %s s | %s | %s |\n\n",
              fixed(second.startup_ms / 1000).c_str(), mib(second.rss_kib).c_str(),
              mib(second.peak_kib).c_str());
  std::printf(
      "| request (logged-in admin, %d runs after a warm-up) | median ms | p95 ms | answer "
      "|\n|---|---|---|---|\n",
      runs);
  for (const auto& r : rows)
    std::printf("| %s | %s | %s | %s%s%zu bytes |\n", r.name.c_str(), fixed(r.median).c_str(),
                fixed(r.p95).c_str(), r.note.c_str(), r.note.empty() ? "" : ", ", r.bytes);
  std::printf("| DELETE /api/logs?max_count=N (drops 1,000; 3 runs) | %s | %s | |\n\n",
              fixed(percentile(trims, 0.5)).c_str(), fixed(percentile(trims, 0.95)).c_str());
  std::printf("Gateway RSS after the queries: %s; peak over the second run: %s.\n",
              mib(rss_after_queries).c_str(), mib(peak).c_str());
  return 0;
}
