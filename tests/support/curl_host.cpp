#include "support/curl_host.hpp"

#include <curl/curl.h>

#include <string>

namespace g2a::test {
namespace {

CurlHost* g_current = nullptr;  // the host table's functions take no CurlHost

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct Call {
  std::string method, url, body;
  std::vector<std::string> headers;
  long timeout_ms;
};

void perform(Call call, g2a_http_done_fn done, void* user) {
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : call.headers) list = curl_slist_append(list, h.c_str());
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call.timeout_ms ? call.timeout_ms : 30000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  std::string error = rc == CURLE_OK ? "" : curl_easy_strerror(rc);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);

  g2a_http_response resp{};
  resp.struct_size = sizeof(resp);
  resp.status = rc == CURLE_OK ? static_cast<int32_t>(status) : 0;
  resp.body = g2a_str{body.data(), body.size()};
  resp.error = g2a_str{error.data(), error.size()};
  g2a_status st = rc == CURLE_OK                   ? G2A_OK
                  : rc == CURLE_OPERATION_TIMEDOUT ? G2A_TIMEOUT
                                                   : G2A_IO_ERROR;
  done(user, st, &resp);
}

}  // namespace

CurlHost::CurlHost() : table_(*base_.host()) {
  table_.http_request = &CurlHost::http_request;
  g_current = this;
}

std::vector<CurlHost::Sent> CurlHost::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

CurlHost::~CurlHost() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  g_current = nullptr;
}

g2a_status CurlHost::http_request(g2a_host_ctx*, const g2a_http_request* req, g2a_http_done_fn done,
                                  void* user, uint64_t* out_id) {
  Call call{std::string(req->method.data, req->method.len),
            std::string(req->url.data, req->url.len),
            std::string(req->body.data, req->body.len),
            {},
            static_cast<long>(req->timeout_ms)};
  for (size_t i = 0; i < req->header_count; ++i)
    call.headers.push_back(std::string(req->headers[i].name.data, req->headers[i].name.len) + ": " +
                           std::string(req->headers[i].value.data, req->headers[i].value.len));
  std::lock_guard lock(g_current->mu_);
  std::string proxy = G2A_HAS_FIELD(req, g2a_http_request, proxy_url)
                          ? std::string(req->proxy_url.data, req->proxy_url.len)
                          : std::string();
  g_current->sent_.push_back({call.method, call.url, proxy, req->timeout_ms});
  if (out_id) *out_id = g_current->threads_.size() + 1;
  g_current->threads_.emplace_back(&perform, std::move(call), done, user);
  return G2A_OK;
}

}  // namespace g2a::test
