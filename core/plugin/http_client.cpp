// Interim transport: each call runs libcurl's easy interface on the bounded blocking
// pool. The upstream transport (curl multi driven by Asio) replaces it.
#include "core/plugin/http_client.hpp"

#include <curl/curl.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/plugin/host_context.hpp"
#include "core/runtime/blocking_pool.hpp"

namespace g2a::plugin {
namespace {

struct Call {
  std::string method, url, body, proxy;
  std::vector<std::pair<std::string, std::string>> headers;
  uint32_t timeout_ms = 30000;
  std::atomic<bool> cancelled{false};
  std::string response_body;
  std::vector<std::pair<std::string, std::string>> response_headers;
};

std::mutex g_calls_mutex;
std::map<uint64_t, std::shared_ptr<Call>> g_calls;
std::atomic<uint64_t> g_next_call{1};

std::string s(g2a_str v) {
  return v.data ? std::string(v.data, v.len) : std::string();
}

size_t on_body(char* p, size_t size, size_t n, void* user) {
  static_cast<Call*>(user)->response_body.append(p, size * n);
  return size * n;
}

size_t on_header(char* p, size_t size, size_t n, void* user) {
  std::string_view line(p, size * n);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    auto trim = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
        v.remove_suffix(1);
      return std::string(v);
    };
    static_cast<Call*>(user)->response_headers.emplace_back(trim(line.substr(0, colon)),
                                                            trim(line.substr(colon + 1)));
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Call*>(user)->cancelled.load() ? 1 : 0;
}

void perform(const std::shared_ptr<Call>& call, g2a_http_done_fn done, void* user) {
  CURL* h = curl_easy_init();
  curl_slist* hdrs = nullptr;
  for (const auto& [k, v] : call->headers) hdrs = curl_slist_append(hdrs, (k + ": " + v).c_str());
  curl_easy_setopt(h, CURLOPT_URL, call->url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call->method.c_str());
  if (!call->body.empty() || call->method == "POST" || call->method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, call->body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call->body.size()));
  }
  if (call->method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(call->timeout_ms));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, call.get());
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, call.get());
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, call.get());
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  if (!call->proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, call->proxy.c_str());
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  std::vector<g2a_http_header> headers;
  for (const auto& [k, v] : call->response_headers)
    headers.push_back({{k.data(), k.size()}, {v.data(), v.size()}});
  std::string error = rc == CURLE_OK ? "" : curl_easy_strerror(rc);
  g2a_http_response resp{sizeof(g2a_http_response),
                         rc == CURLE_OK ? static_cast<int32_t>(status) : 0,
                         headers.data(),
                         headers.size(),
                         {call->response_body.data(), call->response_body.size()},
                         {error.data(), error.size()}};
  g2a_status st = rc == CURLE_OK                                             ? G2A_OK
                  : rc == CURLE_OPERATION_TIMEDOUT || call->cancelled.load() ? G2A_TIMEOUT
                                                                             : G2A_IO_ERROR;
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(h);
  done(user, st, &resp);
}

}  // namespace

g2a_status http_request(g2a_host_ctx* ctx, const g2a_http_request* req, g2a_http_done_fn done,
                        void* user, uint64_t* out_call_id) {
  if (!ctx || !req || !done || !ctx->blocking) return G2A_BAD_ARGUMENT;
  auto call = std::make_shared<Call>();
  call->method = req->method.len ? s(req->method) : "GET";
  call->url = s(req->url);
  if (call->url.rfind("http://", 0) != 0 && call->url.rfind("https://", 0) != 0)
    return G2A_BAD_ARGUMENT;
  call->body = s(req->body);
  if (G2A_HAS_FIELD(req, g2a_http_request, proxy_url)) call->proxy = s(req->proxy_url);
  if (req->timeout_ms) call->timeout_ms = req->timeout_ms;
  for (size_t i = 0; i < req->header_count; ++i)
    call->headers.emplace_back(s(req->headers[i].name), s(req->headers[i].value));
  uint64_t id = g_next_call.fetch_add(1);
  {
    std::lock_guard lock(g_calls_mutex);
    g_calls[id] = call;
  }
  if (out_call_id) *out_call_id = id;
  ctx->blocking->post([call, done, user, id] {
    perform(call, done, user);
    std::lock_guard lock(g_calls_mutex);
    g_calls.erase(id);
  });
  return G2A_OK;
}

g2a_status http_cancel(g2a_host_ctx*, uint64_t call_id) {
  std::lock_guard lock(g_calls_mutex);
  auto it = g_calls.find(call_id);
  if (it == g_calls.end()) return G2A_NOT_FOUND;
  it->second->cancelled.store(true);
  return G2A_OK;
}

}  // namespace g2a::plugin
