#include "host_http.hpp"

#include <fmt/format.h>

namespace g2a::statsig {

struct HostHttp::Call {
  std::shared_ptr<HostHttp> owner;
  HttpCallback done;
  uint64_t id = 0;
  bool finished = false;  // owner->mu_
};

std::string HttpResult::describe() const {
  if (status != G2A_OK)
    return error.empty() ? fmt::format("transport status {}", int(status)) : error;
  return fmt::format("HTTP {}", http_status);
}

void HostHttp::send(const HttpSpec& spec, HttpCallback done) {
  auto call = std::make_shared<Call>();
  call->owner = shared_from_this();
  call->done = std::move(done);

  std::vector<g2a_http_header> headers;
  headers.reserve(spec.headers.size());
  for (const auto& [k, v] : spec.headers) headers.push_back({g2a::str(k), g2a::str(v)});
  g2a_http_request req{};
  req.struct_size = sizeof(req);
  req.method = g2a::str(spec.method);
  req.url = g2a::str(spec.url);
  req.headers = headers.data();
  req.header_count = headers.size();
  req.body = g2a::str(spec.body);
  req.timeout_ms = spec.timeout_ms;
  req.proxy_url = g2a::str(spec.proxy_url);

  // The host owns one reference until it calls on_done.
  auto* holder = new std::shared_ptr<Call>(call);
  uint64_t id = 0;
  g2a_status st = host_.raw()->http_request(host_.ctx(), &req, &HostHttp::on_done, holder, &id);
  if (st != G2A_OK) {
    delete holder;
    HttpResult r;
    r.status = st;
    r.error = fmt::format("the host refused the request (status {})", int(st));
    LifelineGuard guard(life_);
    if (guard) call->done(std::move(r));
    return;
  }
  std::lock_guard lock(mu_);
  // The completion may have run already, on this thread or another.
  if (!call->finished) {
    call->id = id;
    in_flight_.insert(id);
  }
}

void HostHttp::on_done(void* user, g2a_status st, const g2a_http_response* resp) {
  std::unique_ptr<std::shared_ptr<Call>> holder(static_cast<std::shared_ptr<Call>*>(user));
  std::shared_ptr<Call> call = *holder;
  std::shared_ptr<HostHttp> keep = call->owner;  // outlives the guard below
  HostHttp& self = *keep;
  {
    std::lock_guard lock(self.mu_);
    call->finished = true;
    if (call->id) self.in_flight_.erase(call->id);
  }
  LifelineGuard guard(self.life_);
  if (!guard) return;  // the instance is gone: touch nothing of the host
  HttpResult r;
  r.status = st;
  if (resp) {
    r.http_status = resp->status;
    r.body = std::string(g2a::view(resp->body));
    if (G2A_HAS_FIELD(resp, g2a_http_response, error))
      r.error = std::string(g2a::view(resp->error));
  }
  if (st != G2A_OK && r.error.empty()) r.error = fmt::format("transport status {}", int(st));
  HttpCallback done = std::move(call->done);
  call.reset();
  done(std::move(r));
}

void HostHttp::close() {
  life_.close();
  std::set<uint64_t> ids;
  {
    std::lock_guard lock(mu_);
    ids.swap(in_flight_);
  }
  for (uint64_t id : ids) host_.raw()->http_cancel(host_.ctx(), id);
}

}  // namespace g2a::statsig
