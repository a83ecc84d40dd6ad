// A state change a log-sink receiver can alert on (a token disabled, a proxy unhealthy, a
// video task failed): sent to log sinks beside the call records, never stored with them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace g2a::calllog {

// The "event" names (documented in plugins/log-webhook/README.md).
namespace event {
inline constexpr std::string_view kTokenDisabled = "token.disabled";    // grok.com blocked it
inline constexpr std::string_view kTokenExpired = "token.expired";      // auth failures, no quota
inline constexpr std::string_view kTokenRecovered = "token.recovered";  // active again
inline constexpr std::string_view kProxyUnhealthy = "proxy.unhealthy";  // issue 6
inline constexpr std::string_view kProxyRecovered = "proxy.recovered";  // issue 6
inline constexpr std::string_view kVideoFailed = "video.failed";        // issue 7
}  // namespace event

struct StateEvent {
  std::string id;          // uuid4; EventFeed::emit fills it when empty
  int64_t timestamp = 0;   // ms since the epoch; EventFeed::emit fills it when 0
  std::string event;       // one of the names above
  std::string sso_full;    // the account concerned ("" when none); masked when serialised
  std::string token_type;  // its pool (sso, ssoSuper, ssoHeavy), when an account is named
  std::string reason;      // why, in words (upstream's message, the rule that fired)
  std::string proxy;       // proxy events: the proxy URL (credentials masked when serialised)
  std::string task_id;     // video events: the task
};

// {"type":"event","id","timestamp","event","sso","reason", and token_type, proxy or task_id
// when set}. The full SSO never leaves: receivers are outside the admin's trust.
std::string to_json(const StateEvent& e);

}  // namespace g2a::calllog
