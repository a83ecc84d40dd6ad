#include "core/admin/log_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/calllog/log_scan.hpp"
#include "core/calllog/recorder.hpp"
#include "core/calllog/time_zone.hpp"
#include "core/calllog/timeseries.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/runtime/clock.hpp"
#include "core/storage/store.hpp"

namespace g2a::admin {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// A non-negative integer query parameter: nullopt when absent, error names it when bad.
std::optional<int64_t> int_param(const http::Request& req, const char* name, std::string& error) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 0) {
    error = std::string(name);
    return std::nullopt;
  }
  return n;
}

struct LogListing {
  std::string sso, model;
  int32_t success = -1;
  int64_t start_ms = 0, end_ms = 0;
  int64_t page = 1, page_size = 50;
};

// The Pro query (sso, model, success, start_time, end_time, page, page_size); "" or the
// name of the bad parameter.
std::string parse_listing(const http::Request& req, LogListing& out) {
  std::string bad;
  out.sso = req.query_param("sso").value_or("");
  out.model = req.query_param("model").value_or("");
  if (auto s = req.query_param("success"); s && !s->empty()) {
    if (*s == "true" || *s == "1")
      out.success = 1;
    else if (*s == "false" || *s == "0")
      out.success = 0;
    else
      return "success";
  }
  if (auto v = int_param(req, "start_time", bad)) out.start_ms = *v;
  if (auto v = int_param(req, "end_time", bad)) out.end_ms = *v;
  if (auto v = int_param(req, "page", bad)) out.page = *v;
  if (auto v = int_param(req, "page_size", bad)) out.page_size = *v;
  if (!bad.empty()) return bad;
  if (out.page < 1) return "page";
  if (out.page_size < 1 || out.page_size > 1000) return "page_size";
  if (out.page > INT64_MAX / out.page_size) return "page";  // the offset would overflow
  return "";
}

g2a_log_filter to_filter(const LogListing& q) {
  return {sizeof(g2a_log_filter),
          {q.sso.data(), q.sso.size()},
          {q.model.data(), q.model.size()},
          q.success,
          q.start_ms,
          q.end_ms};
}

// Records still queued are written first, so an admin sees every finished call.
void flush_queue(app::AppContext& ctx) {
  if (ctx.call_log) ctx.call_log->flush_blocking();
}

asio::awaitable<void> list_logs(app::AppContext& ctx, http::Exchange& ex) {
  LogListing q;
  if (auto bad = parse_listing(ex.request(), q); !bad.empty()) {
    co_await ex.send(pro_error(400, "invalid query parameter " + bad, bad, "invalid_parameter"));
    co_return;
  }
  auto query = ctx.blocking->run([&ctx, &q] {
    flush_queue(ctx);
    return ctx.store->log_query(to_filter(q), static_cast<uint64_t>((q.page - 1) * q.page_size),
                                static_cast<uint64_t>(q.page_size));
  });
  auto page = co_await std::move(query);
  json::array data;
  for (const auto& r : page.records) data.push_back(json::parse(r));
  json::object ok;
  ok["data"] = std::move(data);
  ok["total"] = page.total;
  ok["page"] = q.page;
  ok["page_size"] = q.page_size;
  co_await ex.send(pro_ok(std::move(ok)));
}

asio::awaitable<void> list_models(app::AppContext& ctx, http::Exchange& ex) {
  auto read = ctx.blocking->run([&ctx] {
    flush_queue(ctx);
    return ctx.store->log_models();
  });
  auto models = co_await std::move(read);
  json::array data;
  for (const auto& m : models) data.emplace_back(m);
  json::object ok;
  ok["data"] = std::move(data);
  co_await ex.send(pro_ok(std::move(ok)));
}

asio::awaitable<void> delete_logs(app::AppContext& ctx, http::Exchange& ex) {
  std::string bad;
  auto max_count = int_param(ex.request(), "max_count", bad);
  if (!bad.empty()) {
    co_await ex.send(
        pro_error(400, "max_count must be a non-negative integer", bad, "invalid_parameter"));
    co_return;
  }
  int64_t keep = max_count.value_or(ctx.current()->global.log_max_count);
  auto trim = ctx.blocking->run([&ctx, keep] {
    flush_queue(ctx);
    return ctx.store->log_trim(static_cast<uint64_t>(keep));
  });
  uint64_t deleted = co_await std::move(trim);
  json::object ok;
  ok["message"] = keep == 0 ? "已清空所有日志" : "已清理日志";
  ok["deleted_count"] = deleted;
  co_await ex.send(pro_ok(std::move(ok)));
}

// Records per storage read of an export: a few MB at most.
constexpr uint64_t kExportPage = 2000;

// global.time_zone's offset now (TZDIR overrides the zoneinfo directory, as for settings).
int32_t zone_offset_now(app::AppContext& ctx) {
  auto dir = ctx.sources.env.find("TZDIR");
  std::string zoneinfo = dir != ctx.sources.env.end() && !dir->second.empty()
                             ? dir->second
                             : std::string("/usr/share/zoneinfo");
  return calllog::zone_offset_at(zoneinfo, ctx.current()->global.time_zone,
                                 runtime::now_ms() / 1000);
}

asio::awaitable<void> log_stats(app::AppContext& ctx, http::Exchange& ex) {
  // On the blocking pool: the zone's offset is read from its tzdata file.
  auto read = ctx.blocking->run([&ctx] {
    int64_t today = calllog::local_day_start_ms(runtime::now_ms(), zone_offset_now(ctx));
    flush_queue(ctx);
    LogListing all;
    return ctx.store->log_stats(to_filter(all), today);
  });
  g2a_log_stats st = co_await std::move(read);
  double rate =
      st.total
          ? std::round(10000.0 * static_cast<double>(st.success) / static_cast<double>(st.total)) /
                100.0
          : 0.0;
  json::object data{{"total", st.total},
                    {"success", st.success},
                    {"failed", st.failed},
                    {"success_rate", rate},
                    {"today_total", st.today_total}};
  json::object ok;
  ok["data"] = std::move(data);
  co_await ex.send(pro_ok(std::move(ok)));
}

calllog::LogScanFilter scan_filter(const LogListing& q) {
  return {q.sso, q.model, q.success, q.start_ms, q.end_ms};
}

asio::awaitable<void> log_timeseries(app::AppContext& ctx, http::Exchange& ex) {
  LogListing q;
  std::string bad = parse_listing(ex.request(), q);
  std::string bucket = ex.request().query_param("bucket").value_or("hour");
  int64_t size_ms = bucket == "minute" ? 60'000 : bucket == "hour" ? 3'600'000 : 86'400'000;
  if (bad.empty() && bucket != "minute" && bucket != "hour" && bucket != "day") bad = "bucket";
  if (!bad.empty()) {
    co_await ex.send(pro_error(400, "invalid query parameter " + bad, bad, "invalid_parameter"));
    co_return;
  }
  auto read = ctx.blocking->run([&ctx, &q, size_ms] {
    int64_t offset_ms = int64_t{zone_offset_now(ctx)} * 1000;  // reads a tzdata file
    flush_queue(ctx);
    return calllog::log_timeseries(*ctx.store, scan_filter(q), size_ms, offset_ms);
  });
  auto buckets = co_await std::move(read);
  json::array data;
  data.reserve(buckets.size());
  for (const auto& b : buckets)
    data.push_back(json::object{{"time", b.start_ms},
                                {"calls", b.calls},
                                {"failures", b.failures},
                                {"median_latency", b.median_latency}});
  json::object ok;
  ok["bucket"] = bucket;
  ok["data"] = std::move(data);
  co_await ex.send(pro_ok(std::move(ok)));
}

constexpr const char* kCsvColumns[] = {"id",
                                       "timestamp",
                                       "sso",
                                       "sso_full",
                                       "model",
                                       "success",
                                       "status_code",
                                       "upstream_status",
                                       "response_time",
                                       "first_byte_time",
                                       "error_type",
                                       "error_message",
                                       "proxy_used",
                                       "media_urls",
                                       "stream",
                                       "request_id",
                                       "token_type",
                                       "client_ip",
                                       "api_key_name",
                                       "path"};

// One CSV field (RFC 4180 quoting); text a spreadsheet would run as a formula is
// prefixed with a quote.
std::string csv_field(const json::value* v) {
  std::string text;
  if (!v || v->is_null()) return text;
  if (v->is_string()) {
    text = v->as_string().c_str();
    if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos)
      text.insert(text.begin(), '\'');
  } else if (v->is_array()) {
    for (const auto& e : v->as_array())
      if (e.is_string()) text += (text.empty() ? "" : " ") + std::string(e.as_string().c_str());
  } else {
    text = json::serialize(*v);
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_row(const std::string& record) {
  boost::system::error_code ec;
  json::value v = json::parse(record, ec);
  const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
  std::string row;
  for (const char* col : kCsvColumns) {
    if (col != kCsvColumns[0]) row += ',';
    row += csv_field(o ? o->if_contains(col) : nullptr);
  }
  return row + "\r\n";
}

asio::awaitable<void> log_export(app::AppContext& ctx, http::Exchange& ex) {
  LogListing q;
  std::string bad = parse_listing(ex.request(), q);
  std::string format = ex.request().query_param("format").value_or("csv");
  if (bad.empty() && format != "csv" && format != "ndjson") bad = "format";
  if (!bad.empty()) {
    co_await ex.send(pro_error(400, "invalid query parameter " + bad, bad, "invalid_parameter"));
    co_return;
  }
  // Pages of records from a scan whose end is fixed now: calls that finish during the
  // export neither shift nor repeat its records, and memory holds one page at a time.
  // The first page is read before the answer starts, so a storage error is still a 500.
  calllog::LogScan scan(*ctx.store, scan_filter(q), runtime::now_ms(), kExportPage);
  auto first = ctx.blocking->run([&ctx, &scan] {
    flush_queue(ctx);
    return scan.next();
  });
  auto page = co_await std::move(first);
  bool csv = format == "csv";
  std::vector<http::Header> headers{
      {"Content-Disposition", std::string("attachment; filename=\"call_logs.") + format + "\""}};
  co_await ex.begin_stream(200, csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                           std::move(headers));
  std::string chunk;
  if (csv) {
    for (const char* col : kCsvColumns) chunk += std::string(chunk.empty() ? "" : ",") + col;
    chunk += "\r\n";
  }
  while (!page.empty()) {
    for (const auto& record : page) {
      if (csv) {
        chunk += csv_row(record);
      } else {
        chunk += record;
        chunk += '\n';
      }
      if (chunk.size() < 64 * 1024) continue;
      bool open = co_await ex.write(chunk);
      if (!open) co_return;  // the client went away
      chunk.clear();
    }
    auto read = ctx.blocking->run([&scan] { return scan.next(); });
    page = co_await std::move(read);
  }
  if (!chunk.empty()) co_await ex.write(chunk);
  co_await ex.end_stream();
}

}  // namespace

void add_log_routes(http::Router& router, app::AppContext& ctx) {
  router.add("GET", "/api/logs",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await list_logs(ctx, ex);
             }));
  router.add("GET", "/api/logs/models",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await list_models(ctx, ex);
             }));
  router.add("GET", "/api/logs/stats",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await log_stats(ctx, ex);
             }));
  router.add("GET", "/api/logs/timeseries",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await log_timeseries(ctx, ex);
             }));
  router.add("GET", "/api/logs/export",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await log_export(ctx, ex);
             }));
  router.add("DELETE", "/api/logs",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await delete_logs(ctx, ex);
             }));
}

}  // namespace g2a::admin
