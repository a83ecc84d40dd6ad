// Who a grok.com call is made as: the account (its SSO token and user id) and the egress
// it leaves through (direct or a proxy), which carries its own User-Agent and Cloudflare
// cookies because grok.com binds cf_clearance to IP, TLS fingerprint and User-Agent.
#pragma once

#include <map>
#include <string>

namespace g2a::upstream::grok {

struct Account {
  std::string sso;      // the sso cookie (a JWT); also sent as sso-rw
  std::string user_id;  // from /api/auth/session; needed by the chat gateway
};

struct Egress {
  std::string id = "direct";  // "direct" or the proxy URL
  std::string proxy_url;      // "" = direct
  std::string user_agent;
  // Only the Cloudflare cookies are kept: cf_clearance, __cf_bm, _cfuvid, cf_chl_*.
  std::map<std::string, std::string> cf_cookies;
};

// The Cookie header: sso, sso-rw, the egress's Cloudflare cookies (unless without_cf),
// and x-userid for the chat gateway.
std::string cookie_header(const Account& account, const Egress& egress, bool with_user_id,
                          bool with_cf = true);

// True for the cookie names grok.com's Cloudflare sets and we keep per egress.
bool is_cloudflare_cookie(std::string_view name);

}  // namespace g2a::upstream::grok
