#include "webhook_sink.hpp"

#include <memory>
#include <mutex>
#include <string>

#include "webhook_payload.hpp"
#include "webhook_signature.hpp"

namespace g2a::webhook {
namespace {

constexpr std::string_view kUserAgent = "grok2api-log-webhook/1.0.0";

// One host batch in flight: done is called once, when the last delivery has answered.
struct Batch {
  g2a::Host host;
  g2a_done_fn done;
  void* user;
  std::mutex mu;
  size_t pending = 0;
  bool any_retry = false, any_drop = false;
  std::string first_error;

  Batch(g2a::Host h, g2a_done_fn d, void* u) : host(h), done(d), user(u) {}

  void finish_one(g2a_status outcome, const std::string& what) {
    bool last = false;
    {
      std::lock_guard lock(mu);
      if (outcome == G2A_RETRY) any_retry = true;
      if (outcome == G2A_DROP) any_drop = true;
      if (outcome != G2A_OK && first_error.empty()) first_error = what;
      last = --pending == 0;
    }
    if (!last) return;
    g2a_status st = any_retry ? G2A_RETRY : any_drop ? G2A_DROP : G2A_OK;
    done(user, st, g2a::str(first_error));
  }
};

struct Delivery {
  std::shared_ptr<Batch> batch;
  size_t receiver;
  std::string label;  // "receivers[i] <redacted url>"
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

std::string describe(g2a_status transport, const g2a_http_response* resp) {
  if (transport == G2A_OK && resp) return "HTTP " + std::to_string(resp->status);
  std::string what = transport == G2A_TIMEOUT ? "timed out" : "connection failed";
  if (resp && resp->error.len) what += ": " + std::string(g2a::view(resp->error));
  return what;
}

void on_response(void* user, g2a_status st, const g2a_http_response* resp) {
  std::unique_ptr<Delivery> d(static_cast<Delivery*>(user));
  int http_status = st == G2A_OK && resp ? resp->status : 0;
  g2a_status outcome = classify(st, http_status);
  std::string what;
  auto& host = d->batch->host;
  if (outcome == G2A_OK) {
    host.metric_add("deliveries_ok", 1);
  } else {
    what = d->label + ": " + describe(st, resp);
    host.metric_add(outcome == G2A_RETRY ? "deliveries_retry" : "deliveries_dropped", 1);
    host.warn(what + (outcome == G2A_RETRY ? " (will retry)" : " (dropped)"));
  }
  d->batch->finish_one(outcome, what);
}

}  // namespace

g2a_status classify(g2a_status transport, int http_status) {
  if (transport != G2A_OK || http_status == 0) return G2A_RETRY;
  if (http_status >= 200 && http_status < 300) return G2A_OK;
  if (http_status == 408 || http_status == 429 || http_status >= 500) return G2A_RETRY;
  return G2A_DROP;
}

WebhookSink::WebhookSink(g2a::Host host)
    : host_(host), receivers_(parse_config(host_.config_json())) {
  if (receivers_.empty())
    host_.info("no [[plugins.log-webhook.receivers]] configured: records are not sent anywhere");
  for (size_t i = 0; i < receivers_.size(); ++i) {
    const auto& r = receivers_[i];
    host_.info("receivers[" + std::to_string(i) + "] " + redact_url(r.url) + " (" +
               (r.format == Format::ndjson ? "ndjson" : "json") + ", " +
               (r.records == Selection::failures ? "failures only" : "all records") +
               ", batch_size " + std::to_string(r.batch_size) + ", " +
               (r.secret.empty() ? std::string("unsigned")
                                 : "signed with secret " + mask_secret(r.secret)) +
               ")");
  }
}

void WebhookSink::submit(const std::vector<std::string_view>& records, g2a_done_fn done,
                         void* user) {
  std::vector<std::unique_ptr<Delivery>> deliveries;
  auto batch = std::make_shared<Batch>(host_, done, user);
  for (size_t i = 0; i < receivers_.size(); ++i)
    for (auto& body : build_bodies(records, receivers_[i]))
      deliveries.push_back(std::make_unique<Delivery>(
          Delivery{batch,
                   i,
                   "receivers[" + std::to_string(i) + "] " + redact_url(receivers_[i].url),
                   std::move(body),
                   {}}));
  if (deliveries.empty()) {
    done(user, G2A_OK, g2a::str(""));
    return;
  }
  // Everything that can throw happens before the first request leaves, so a failed
  // submit never also calls done.
  for (auto& d : deliveries) {
    const auto& r = receivers_[d->receiver];
    d->headers = {{"Content-Type", std::string(content_type(r.format))},
                  {"User-Agent", std::string(kUserAgent)}};
    for (const auto& h : r.headers) d->headers.push_back(h);
    if (!r.secret.empty()) {
      int64_t ts = host_.now_ms() / 1000;
      d->headers.emplace_back(std::string(kTimestampHeader), std::to_string(ts));
      d->headers.emplace_back(std::string(kSignatureHeader), signature(r.secret, ts, d->body));
    }
  }
  batch->pending = deliveries.size();
  for (auto& d : deliveries) {
    const auto& r = receivers_[d->receiver];
    // The request borrows these; done may run (and free the delivery) inside the call.
    auto headers = std::move(d->headers);
    auto body = std::move(d->body);
    std::vector<g2a_http_header> raw;
    for (const auto& [n, v] : headers) raw.push_back(g2a_http_header{g2a::str(n), g2a::str(v)});
    g2a_http_request req{};
    req.struct_size = sizeof(req);
    req.method = g2a::str("POST");
    req.url = g2a::str(r.url);
    req.headers = raw.data();
    req.header_count = raw.size();
    req.body = g2a::str(body);
    req.timeout_ms = r.timeout_ms;
    uint64_t call_id = 0;
    Delivery* owned = d.release();
    g2a_status st = host_.raw()->http_request(host_.ctx(), &req, &on_response, owned, &call_id);
    if (st != G2A_OK) {
      // The host refused the request: done will not be called for it, so answer here.
      std::unique_ptr<Delivery> back(owned);
      std::string what = back->label + ": the host refused the request (status " +
                         std::to_string(static_cast<int>(st)) + ")";
      host_.warn(what);
      host_.metric_add("deliveries_retry", 1);
      back->batch->finish_one(G2A_RETRY, what);
    }
  }
}

}  // namespace g2a::webhook
