// host->http_request over the gateway's own transport (curl multi on Asio): no thread
// waits on a plugin's HTTP call.
#include "core/plugin/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <strings.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/plugin/host_context.hpp"
#include "core/upstream/http_client.hpp"

namespace g2a::plugin {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Call {
  std::mutex mutex;
  upstream::HttpStream* stream = nullptr;  // while reading
  bool cancelled = false;
};

std::mutex g_calls_mutex;
std::map<uint64_t, std::shared_ptr<Call>> g_calls;
std::atomic<uint64_t> g_next_call{1};
std::atomic<bool> g_stopped{false};  // after http_cancel_all: no new calls

std::string s(g2a_str v) {
  return v.data ? std::string(v.data, v.len) : std::string();
}

void finish(g2a_http_done_fn done, void* user, g2a_status st, long status,
            const upstream::Headers& headers, const std::string& body, const std::string& error) {
  std::vector<g2a_http_header> hs;
  for (const auto& [k, v] : headers) hs.push_back({{k.data(), k.size()}, {v.data(), v.size()}});
  g2a_http_response resp{
      sizeof(g2a_http_response),  static_cast<int32_t>(status), hs.data(), hs.size(),
      {body.data(), body.size()}, {error.data(), error.size()}};
  done(user, st, &resp);
}

asio::awaitable<void> perform(upstream::HttpClient& http, upstream::HttpRequest req,
                              std::chrono::milliseconds timeout, std::shared_ptr<Call> call,
                              uint64_t id, g2a_http_done_fn done, void* user) {
  long status = 0;
  upstream::Headers headers;
  std::string body, error;
  g2a_status st = G2A_OK;
  auto stream = http.open(std::move(req));
  {
    std::lock_guard lock(call->mutex);
    if (call->cancelled) stream->cancel();
    call->stream = stream.get();
  }
  try {
    auto head = co_await stream->head(timeout);
    status = head.status;
    headers = std::move(head.headers);
    while (auto chunk = co_await stream->next(timeout)) body += *chunk;
  } catch (const upstream::TransportError& e) {
    st = e.kind() == upstream::TransportError::Kind::kTimeout ? G2A_TIMEOUT : G2A_IO_ERROR;
    status = 0;
    error = e.what();
  }
  {
    std::lock_guard lock(call->mutex);
    call->stream = nullptr;
    if (call->cancelled && st == G2A_OK && status == 0) st = G2A_TIMEOUT;
  }
  finish(done, user, st, status, headers, body, error);
  stream.reset();  // hands the curl handle back before the call counts as over
  std::lock_guard lock(g_calls_mutex);
  g_calls.erase(id);
}

}  // namespace

g2a_status http_request(g2a_host_ctx* ctx, const g2a_http_request* req, g2a_http_done_fn done,
                        void* user, uint64_t* out_call_id) {
  if (!ctx || !req || !done || !ctx->http) return G2A_BAD_ARGUMENT;
  if (g_stopped.load()) return G2A_IO_ERROR;  // shutting down
  upstream::HttpRequest r;
  r.method = req->method.len ? s(req->method) : "GET";
  r.url = s(req->url);
  if (r.url.rfind("http://", 0) != 0 && r.url.rfind("https://", 0) != 0) return G2A_BAD_ARGUMENT;
  r.body = s(req->body);
  if (G2A_HAS_FIELD(req, g2a_http_request, proxy_url)) r.proxy = s(req->proxy_url);
  bool has_ua = false;
  for (size_t i = 0; i < req->header_count; ++i) {
    std::string name = s(req->headers[i].name);
    has_ua |= strcasecmp(name.c_str(), "user-agent") == 0;
    r.headers.emplace_back(std::move(name), s(req->headers[i].value));
  }
  if (!has_ua && !ctx->default_user_agent.empty())
    r.headers.emplace_back("User-Agent", ctx->default_user_agent);
  auto timeout = std::chrono::milliseconds(req->timeout_ms ? req->timeout_ms : 30000);
  uint64_t id = g_next_call.fetch_add(1);
  auto call = std::make_shared<Call>();
  {
    std::lock_guard lock(g_calls_mutex);
    g_calls[id] = call;
  }
  if (out_call_id) *out_call_id = id;
  asio::co_spawn(ctx->io, perform(*ctx->http, std::move(r), timeout, call, id, done, user),
                 asio::detached);
  return G2A_OK;
}

g2a_status http_cancel(g2a_host_ctx*, uint64_t call_id) {
  std::shared_ptr<Call> call;
  {
    std::lock_guard lock(g_calls_mutex);
    auto it = g_calls.find(call_id);
    if (it == g_calls.end()) return G2A_NOT_FOUND;
    call = it->second;
  }
  std::lock_guard lock(call->mutex);
  call->cancelled = true;
  if (call->stream) call->stream->cancel();
  return G2A_OK;
}

size_t http_in_flight() {
  std::lock_guard lock(g_calls_mutex);
  return g_calls.size();
}

void http_cancel_all() {
  g_stopped.store(true);
  std::map<uint64_t, std::shared_ptr<Call>> calls;
  {
    std::lock_guard lock(g_calls_mutex);
    calls = g_calls;
  }
  for (auto& [id, call] : calls) {
    std::lock_guard lock(call->mutex);
    call->cancelled = true;
    if (call->stream) call->stream->cancel();
  }
}

}  // namespace g2a::plugin
