#include "core/tokens/quota_reader.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/upstream/grok/grok_client.hpp"

namespace g2a::tokens {
namespace grok = upstream::grok;

EgressFor direct_egress(std::function<std::string()> user_agent) {
  return [user_agent = std::move(user_agent)](const std::string&) {
    grok::Egress e;
    e.user_agent = user_agent();
    return e;
  };
}

boost::asio::awaitable<QuotaReading> read_mode_quota(grok::GrokClient& client,
                                                     grok::Account account, grok::Egress egress,
                                                     std::string mode, int64_t now_ms) {
  boost::json::object body;
  body["modelName"] = mode;
  auto call = client.rest_json(std::move(account), std::move(egress), "/rest/rate-limits",
                               boost::json::serialize(body), grok::CallKind::kRateLimits);
  std::string answer = co_await std::move(call);
  co_return parse_rate_limits(mode, answer, now_ms);
}

boost::asio::awaitable<std::vector<QuotaReading>> read_media_quota(grok::GrokClient& client,
                                                                   grok::Account account,
                                                                   grok::Egress egress,
                                                                   int64_t now_ms) {
  auto call = client.rest_json(std::move(account), std::move(egress),
                               "/rest/media/imagine/quota_info", "{}", grok::CallKind::kQuotaInfo);
  std::string answer = co_await std::move(call);
  co_return parse_quota_info(answer, now_ms);
}

}  // namespace g2a::tokens
