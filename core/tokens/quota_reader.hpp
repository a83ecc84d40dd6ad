// Reading quotas from grok.com (spec grok-upstream-current §2.10): /rest/rate-limits per
// chat mode and /rest/media/imagine/quota_info for the media kinds. Every call is signed
// and counts, so callers coalesce them (QuotaRefresher).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/tokens/quota.hpp"
#include "core/upstream/grok/identity.hpp"

namespace g2a::upstream::grok {
class GrokClient;
}

namespace g2a::tokens {

// The egress a token's calls leave through (the proxy pool's choice, or direct).
using EgressFor = std::function<upstream::grok::Egress(const std::string& sso)>;

// Direct egress with the User-Agent user_agent() gives at call time (grok.user_agent).
EgressFor direct_egress(std::function<std::string()> user_agent);

// Throws upstream::grok::UpstreamError, upstream::TransportError or QuotaParseError.
boost::asio::awaitable<QuotaReading> read_mode_quota(upstream::grok::GrokClient& client,
                                                     upstream::grok::Account account,
                                                     upstream::grok::Egress egress,
                                                     std::string mode, int64_t now_ms);
boost::asio::awaitable<std::vector<QuotaReading>> read_media_quota(
    upstream::grok::GrokClient& client, upstream::grok::Account account,
    upstream::grok::Egress egress, int64_t now_ms);

}  // namespace g2a::tokens
