#include "core/admin/log_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <optional>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/calllog/recorder.hpp"
#include "core/runtime/blocking_pool.hpp"
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
  return "";
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
    g2a_log_filter f{sizeof(g2a_log_filter),
                     {q.sso.data(), q.sso.size()},
                     {q.model.data(), q.model.size()},
                     q.success,
                     q.start_ms,
                     q.end_ms};
    return ctx.store->log_query(f, static_cast<uint64_t>((q.page - 1) * q.page_size),
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
  router.add("DELETE", "/api/logs",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> asio::awaitable<void> {
               co_await delete_logs(ctx, ex);
             }));
}

}  // namespace g2a::admin
