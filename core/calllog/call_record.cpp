#include "core/calllog/call_record.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "core/ops/mask.hpp"

namespace g2a::calllog {
namespace json = boost::json;

namespace {
double millis_rounded(double seconds) {
  return std::round(seconds * 1000.0) / 1000.0;  // Pro rounds response_time to 3 decimals
}
}  // namespace

std::string to_json(const CallRecord& r, Audience audience) {
  json::array media;
  for (const auto& u : r.media_urls) media.emplace_back(u);
  json::object o{
      {"type", "call"},  // beside state events ("type":"event") at log sinks
      {"id", r.id},
      {"timestamp", r.timestamp},
      {"sso", r.sso_full.empty() ? std::string() : ops::mask_token(r.sso_full)},
      {"sso_full", r.sso_full},
      {"model", r.model},
      {"success", r.success},
      {"status_code", r.status_code},
      {"upstream_status", r.upstream_status},
      {"token_consumed", r.sso_full.empty() ? 0 : 1},
      {"response_time", millis_rounded(r.response_time)},
      {"first_byte_time", millis_rounded(r.first_byte_time)},
      {"error_type", r.error_type},
      {"error_message", r.error_message},
      {"proxy_used", ops::mask_url_credentials(r.proxy_used)},
      {"media_urls", std::move(media)},
      {"stream", r.stream},
      {"request_id", r.request_id},
      {"token_type", r.token_type},
      {"client_ip", r.client_ip},
      {"api_key_name", r.api_key_name},
      {"path", r.path},
  };
  if (audience == Audience::kSink) o.erase("sso_full");
  return json::serialize(o);
}

}  // namespace g2a::calllog
