#include "fake_host.hpp"

#include <strings.h>

#include <algorithm>

namespace g2a::test {

std::optional<std::string> FakeRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return std::nullopt;
}

FakeHost::FakeHost() : table_(*TestHost::host()) {
  table_.http_request = &FakeHost::http_request;
  table_.http_cancel = &FakeHost::http_cancel;
  table_.timer_start = &FakeHost::timer_start;
  table_.timer_stop = &FakeHost::timer_stop;
}

// The context is the TestHost base, which a FakeHost starts with.
FakeHost* FakeHost::self(g2a_host_ctx* ctx) {
  return static_cast<FakeHost*>(reinterpret_cast<TestHost*>(ctx));
}

void FakeHost::serve(const std::string& url, FakeResponse r) {
  std::lock_guard lock(mu_);
  routes_[url] = std::move(r);
}

void FakeHost::unserve(const std::string& url) {
  std::lock_guard lock(mu_);
  routes_.erase(url);
}

g2a_status FakeHost::http_request(g2a_host_ctx* ctx, const g2a_http_request* req,
                                  g2a_http_done_fn done, void* user, uint64_t* out_id) {
  FakeHost* h = self(ctx);
  std::lock_guard lock(h->mu_);
  if (h->refuse_) return *h->refuse_;
  FakeRequest r;
  r.id = h->next_id_++;
  r.method = std::string(req->method.data, req->method.len);
  r.url = std::string(req->url.data, req->url.len);
  r.body = std::string(req->body.data ? req->body.data : "", req->body.len);
  r.proxy_url = std::string(req->proxy_url.data ? req->proxy_url.data : "", req->proxy_url.len);
  r.timeout_ms = req->timeout_ms;
  for (size_t i = 0; i < req->header_count; ++i)
    r.headers.emplace_back(std::string(req->headers[i].name.data, req->headers[i].name.len),
                           std::string(req->headers[i].value.data, req->headers[i].value.len));
  r.done = done;
  r.user = user;
  if (out_id) *out_id = r.id;
  h->log_.push_back(r);
  h->queue_.push_back(std::move(r));
  return G2A_OK;
}

g2a_status FakeHost::http_cancel(g2a_host_ctx* ctx, uint64_t id) {
  FakeHost* h = self(ctx);
  FakeRequest cancelled;
  {
    std::lock_guard lock(h->mu_);
    if (h->ignore_cancel_) return G2A_OK;
    auto it = std::find_if(h->queue_.begin(), h->queue_.end(),
                           [&](const FakeRequest& r) { return r.id == id; });
    if (it == h->queue_.end()) return G2A_NOT_FOUND;
    cancelled = std::move(*it);
    h->queue_.erase(it);
  }
  // As the real host does: done runs with G2A_TIMEOUT.
  g2a_http_response resp{sizeof(g2a_http_response), 0, nullptr, 0, {"", 0}, {"cancelled", 9}};
  cancelled.done(cancelled.user, G2A_TIMEOUT, &resp);
  return G2A_OK;
}

void FakeHost::complete(FakeRequest req, std::optional<FakeResponse> r) {
  if (!r) {
    std::string error = "connection refused (fake)";
    g2a_http_response resp{sizeof(g2a_http_response),   0, nullptr, 0, {"", 0},
                           {error.data(), error.size()}};
    req.done(req.user, G2A_IO_ERROR, &resp);
    return;
  }
  g2a_http_response resp{sizeof(g2a_http_response),        r->status, nullptr, 0,
                         {r->body.data(), r->body.size()}, {"", 0}};
  req.done(req.user, G2A_OK, &resp);
}

size_t FakeHost::run() {
  size_t n = 0;
  for (;;) {
    FakeRequest req;
    std::optional<FakeResponse> r;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) return n;
      req = std::move(queue_.front());
      queue_.pop_front();
      auto it = routes_.find(req.url);
      if (it != routes_.end()) r = it->second;
    }
    complete(std::move(req), std::move(r));
    ++n;
  }
}

void FakeHost::answer_next(std::optional<FakeResponse> r) {
  FakeRequest req;
  {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return;
    req = std::move(queue_.front());
    queue_.pop_front();
  }
  complete(std::move(req), std::move(r));
}

size_t FakeHost::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::vector<FakeRequest> FakeHost::log() const {
  std::lock_guard lock(mu_);
  return log_;
}

size_t FakeHost::requests_to(const std::string& url) const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& r : log_)
    if (r.url == url) ++n;
  return n;
}

g2a_status FakeHost::timer_start(g2a_host_ctx* ctx, uint32_t period, g2a_timer_fn fn, void* user,
                                 uint64_t* out_id) {
  FakeHost* h = self(ctx);
  std::lock_guard lock(h->mu_);
  uint64_t id = h->next_id_++;
  h->timers_[id] = Timer{period, fn, user};
  if (out_id) *out_id = id;
  return G2A_OK;
}

g2a_status FakeHost::timer_stop(g2a_host_ctx* ctx, uint64_t id) {
  FakeHost* h = self(ctx);
  std::lock_guard lock(h->mu_);
  return h->timers_.erase(id) ? G2A_OK : G2A_NOT_FOUND;
}

size_t FakeHost::timers() const {
  std::lock_guard lock(mu_);
  return timers_.size();
}

void FakeHost::fire_timers() {
  std::vector<Timer> timers;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, t] : timers_) timers.push_back(t);
  }
  for (const auto& t : timers) t.fn(t.user);
}

std::optional<uint32_t> FakeHost::timer_period() const {
  std::lock_guard lock(mu_);
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->second.period;
}

}  // namespace g2a::test
