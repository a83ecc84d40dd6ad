#include "core/upstream/grok/problem.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>

namespace g2a::upstream::grok {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string clip(std::string_view s) {
  std::string out(s.substr(0, 300));
  for (auto& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

// Cloudflare's interstitial: HTML, an empty body, or its markers (spec §1.2).
bool is_cloudflare_page(std::string_view body, const Headers& headers) {
  if (find_header(headers, "cf-mitigated") == "challenge") return true;
  std::string b = lower(body.substr(0, 4096));
  if (b.empty()) return true;
  return contains(b, "just a moment") || contains(b, "challenge-platform") ||
         contains(b, "__cf_chl") || contains(b, "cf-chl-") || b.rfind("<!doctype html", 0) == 0 ||
         b.rfind("<html", 0) == 0;
}

}  // namespace

std::string_view to_string(Problem p) {
  switch (p) {
    case Problem::kNone:
      return "ok";
    case Problem::kCloudflare:
      return "cloudflare_challenge";
    case Problem::kAntiBot:
      return "anti_bot";
    case Problem::kPageOutOfDate:
      return "page_out_of_date";
    case Problem::kBlocked:
      return "account_blocked";
    case Problem::kUnauthenticated:
      return "sso_invalid";
    case Problem::kRateLimited:
      return "rate_limited";
    case Problem::kUsageLimit:
      return "usage_limit";
    case Problem::kServerError:
      return "upstream_server_error";
    case Problem::kRejected:
      return "upstream_rejected";
    case Problem::kModerated:
      return "moderated";
    case Problem::kTransport:
      return "transport";
    case Problem::kNoEgress:
      return "no_egress";
  }
  return "unknown";
}

Diagnosis diagnose_stream_error(std::string_view code, std::string_view message) {
  Diagnosis d;
  d.message = clip(code.empty() ? message : std::string(code) + ": " + std::string(message));
  std::string m = lower(message), c = lower(code);
  if (contains(m, "usage limit") || c == "rate_limit" || contains(m, "reached your limit"))
    d.problem = Problem::kUsageLimit;
  else if (c == "8" || contains(m, "too many requests") || contains(m, "rate limit"))
    d.problem = Problem::kRateLimited;
  else if (contains(m, "out of date"))
    d.problem = Problem::kPageOutOfDate;
  else if (c == "anti_bot" || contains(m, "anti-bot"))
    d.problem = Problem::kAntiBot;
  else if (contains(m, "blocked-user") || contains(m, "user is blocked") ||
           contains(m, "email-domain-rejected"))
    d.problem = Problem::kBlocked;
  else if (contains(m, "moderat"))
    d.problem = Problem::kModerated;
  else
    d.problem = Problem::kServerError;
  return d;
}

Diagnosis diagnose_http(long status, std::string_view body, const Headers& headers) {
  Diagnosis d;
  d.status = status;
  if (status >= 200 && status < 300) return d;
  d.message = clip(body);
  // A JSON body: {"error":{"code":7,"message":...}} or {"code":...,"message"/"error":...}.
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  std::string code, message;
  if (!ec && v.is_object()) {
    const auto* o = &v.as_object();
    if (auto* e = o->if_contains("error"); e && e->is_object()) o = &e->as_object();
    if (auto* c = o->if_contains("code"))
      code = c->is_string() ? std::string(c->as_string()) : boost::json::serialize(*c);
    if (auto* m = o->if_contains("message"); m && m->is_string()) message = m->as_string();
    if (auto* m = o->if_contains("error"); m && m->is_string() && message.empty())
      message = m->as_string();
  }
  std::string m = lower(message);
  if (status == 401) {
    d.problem = Problem::kUnauthenticated;
  } else if (contains(m, "blocked") || contains(lower(code), "blocked-user") ||
             contains(m, "email-domain-rejected")) {
    d.problem = Problem::kBlocked;
  } else if (status == 403 && ec) {
    d.problem = is_cloudflare_page(body, headers) ? Problem::kCloudflare : Problem::kRejected;
  } else if (contains(m, "mode-not-allowed")) {
    d.problem = Problem::kRejected;  // the account's tier cannot use the mode: not a signature
  } else if (code == "7" && contains(m, "out of date")) {
    d.problem = Problem::kPageOutOfDate;
  } else if (code == "7" || contains(m, "anti-bot")) {
    d.problem = Problem::kAntiBot;
  } else if (status == 429 && contains(m, "birth-date-change-limit")) {
    d.problem = Problem::kNone;  // the birth date was set before: done
  } else if (status == 429 || code == "8") {
    d.problem = contains(m, "usage limit") ? Problem::kUsageLimit : Problem::kRateLimited;
  } else if (status >= 500) {
    d.problem = Problem::kServerError;
  } else {
    d.problem = Problem::kRejected;
  }
  if (!message.empty()) d.message = clip(code.empty() ? message : code + ": " + message);
  return d;
}

Diagnosis diagnose_transport(const TransportError& e) {
  Diagnosis d{Problem::kTransport, 0, clip(e.what())};
  using K = TransportError::Kind;
  d.egress_fault = e.kind() == K::kConnect || e.kind() == K::kProxy || e.kind() == K::kTls;
  return d;
}

bool chat_gateway_refused(const Diagnosis& d) {
  switch (d.problem) {
    case Problem::kAntiBot:
    case Problem::kPageOutOfDate:
    case Problem::kRejected:
      return true;
    case Problem::kServerError:
      return d.status >= 500;  // an HTTP answer (the handshake), not an in-stream error
    default:
      return false;
  }
}

Remedy remedy_for(Problem p) {
  Remedy r;
  switch (p) {
    case Problem::kNone:
      r.client_status = 200;
      break;
    case Problem::kCloudflare:
      r.refresh_clearance = r.proxy_failure = r.try_another_token = true;
      r.client_code = "upstream_blocked";
      break;
    case Problem::kAntiBot:
      r.resign_and_retry = r.proxy_failure = r.try_another_token = true;
      r.client_code = "upstream_blocked";
      break;
    case Problem::kPageOutOfDate:
      r.resign_and_retry = true;
      r.client_code = "upstream_blocked";
      break;
    case Problem::kBlocked:
    case Problem::kUnauthenticated:
      r.disable_token = r.try_another_token = true;
      r.client_status = 503;
      r.client_type = "server_error";
      r.client_code = "no_available_token";
      break;
    case Problem::kRateLimited:
    case Problem::kUsageLimit:
      r.cool_down_token = r.try_another_token = true;
      r.client_status = 429;
      r.client_type = "rate_limit_error";
      r.client_code = "rate_limit_exceeded";
      break;
    case Problem::kServerError:
      r.try_another_token = true;
      break;
    case Problem::kRejected:
      break;
    case Problem::kModerated:
      r.client_status = 400;
      r.client_type = "invalid_request_error";
      r.client_code = "content_policy_violation";
      break;
    case Problem::kTransport:
      r.proxy_failure = r.try_another_token = true;
      r.client_status = 504;
      r.client_code = "upstream_unreachable";
      break;
    case Problem::kNoEgress:
      r.client_status = 503;
      r.client_type = "server_error";
      r.client_code = "no_healthy_proxy";
      break;
  }
  return r;
}

}  // namespace g2a::upstream::grok
