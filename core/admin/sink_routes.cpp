#include "core/admin/sink_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/calllog/recorder.hpp"
#include "core/calllog/sink_feed.hpp"

namespace g2a::admin {
namespace json = boost::json;

namespace {

json::object sink_json(const calllog::SinkFeed& sink) {
  auto c = sink.counters();
  auto err = sink.last_error();
  json::value last_error = nullptr;
  if (!err.message.empty()) last_error = json::object{{"message", err.message}, {"at", err.at_ms}};
  return json::object{
      {"id", sink.id()},
      {"delivered", c.delivered},
      {"retried", c.retried},
      {"dropped", c.dropped},
      {"pending", sink.pending()},
      {"in_flight", sink.in_flight()},
      {"queue_max", sink.max_pending()},
      {"last_error", std::move(last_error)},
  };
}

}  // namespace

void add_sink_routes(http::Router& router, app::AppContext& ctx) {
  router.add("GET", "/api/sinks",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
               json::array sinks;
               if (ctx.call_log)
                 for (const auto& sink : ctx.call_log->sinks()) sinks.push_back(sink_json(*sink));
               json::object ok;
               ok["data"] = std::move(sinks);
               co_await ex.send(pro_ok(std::move(ok)));
             }));
}

}  // namespace g2a::admin
