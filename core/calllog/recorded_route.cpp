#include "core/calllog/recorded_route.hpp"

#include <chrono>
#include <exception>

#include <boost/json.hpp>

#include "core/calllog/call_record.hpp"
#include "core/calllog/recorder.hpp"
#include "core/runtime/clock.hpp"
#include "core/upstream/grok/headers.hpp"

namespace g2a::calllog {
namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The model and stream flag of a JSON body, so that a request refused before its
// route parsed it (a bad key, a bad field) still names them.
void note_body(const http::Request& req, CallRecord& rec) {
  if (req.body.empty() || req.body.front() != '{') return;
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return;
  const auto& o = v.as_object();
  if (auto* m = o.if_contains("model"); m && m->is_string()) rec.model = m->as_string().c_str();
  if (auto* s = o.if_contains("stream"); s && s->is_bool()) rec.stream = s->as_bool();
}

}  // namespace

http::Handler recorded(Recorder* recorder, http::Handler inner) {
  if (!recorder) return inner;
  return [recorder, inner = std::move(inner)](http::Exchange& ex) -> asio::awaitable<void> {
    auto& req = ex.request();
    auto rec = std::make_shared<CallRecord>();
    rec->id = upstream::grok::uuid4();
    rec->timestamp = runtime::now_ms();
    rec->request_id = req.request_id;
    rec->client_ip = req.remote_ip;
    rec->path = req.path;
    note_body(req, *rec);
    req.call = rec;
    Clock::time_point start = Clock::now();
    std::exception_ptr error;
    try {
      auto call = inner(ex);
      co_await std::move(call);
    } catch (...) {
      error = std::current_exception();
    }
    Clock::time_point end = Clock::now();
    rec->api_key_name = req.api_key_name;
    // 499 (nginx's "client closed request"): the client went away before the answer
    // ended, whatever status line it may have seen.
    rec->status_code = ex.client_gone() ? 499 : ex.responded() ? ex.status() : 500;
    rec->response_time = seconds_between(start, end);
    if (ex.responded()) rec->first_byte_time = seconds_between(start, ex.responded_at());
    rec->success = !error && rec->status_code < 400 && !rec->failure_noted && !ex.client_gone();
    if (ex.client_gone()) {
      // Whatever else went wrong, the answer ended because nobody was reading it.
      rec->error_type = "client_disconnected";
      if (rec->error_message.empty())
        rec->error_message = "the client closed the connection before the answer ended";
    } else if (!rec->success && rec->error_type.empty()) {
      rec->error_type =
          error ? "internal_error" : std::string(http::error_type_for(rec->status_code));
    }
    // A client without a valid API key leaves no record: it could flood out real ones.
    bool unauthenticated = rec->status_code == 401 && req.api_key_name.empty();
    if (!unauthenticated && !rec->handed_off) recorder->submit(*rec);
    if (error) std::rethrow_exception(error);
  };
}

}  // namespace g2a::calllog
