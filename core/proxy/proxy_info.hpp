// One proxy of the pool as it is kept and stored: the Pro ProxyInfo fields (spec
// grok-upstream-and-pro §6.2) plus where it came from and its egress identity. The JSON is
// a "proxies" document of storage (data/proxy_state.json in the file backend), so a Pro
// file loads unchanged and Pro ignores our extra fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::proxy {

inline constexpr std::string_view kProxiesCollection = "proxies";
inline constexpr std::string_view kAssignmentsCollection = "proxy_assignments";

// The "source" of a proxy besides a plugin id.
inline constexpr std::string_view kSourceSettings = "settings";  // grok.proxy_urls
inline constexpr std::string_view kSourceAdmin = "admin";        // POST /api/proxies
inline constexpr std::string_view kSourceStatic = "static";      // grok.proxy_url

struct ProxyInfo {
  std::string url;  // normalised, with credentials
  bool healthy = true;
  int64_t fail_count = 0;  // consecutive failures
  int64_t last_used = 0;   // ms
  std::vector<std::string> assigned_sso;
  int64_t total_requests = 0;
  int64_t success_requests = 0;
  // Ours.
  std::string source = std::string(kSourceAdmin);
  std::string user_agent;                         // "" = grok.user_agent
  std::map<std::string, std::string> cf_cookies;  // Cloudflare cookies of this egress
  std::string last_error;
  int64_t last_check = 0;  // ms of the last health probe
};

std::string to_json(const ProxyInfo& info);
// As admins see it: the URL's credentials and the cookie values masked.
ProxyInfo masked(ProxyInfo info);
// A stored document; missing fields keep their defaults (a Pro file has no "source": it is
// taken as admin-added). nullopt when it is not a JSON object.
std::optional<ProxyInfo> proxy_info_from_json(std::string_view json);

// A "proxy_assignments" document: the url as a JSON string.
std::string assignment_json(std::string_view url);
std::optional<std::string> assignment_from_json(std::string_view json);

}  // namespace g2a::proxy
