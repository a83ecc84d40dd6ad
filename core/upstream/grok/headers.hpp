// The request headers of each kind of grok.com call, exactly as the web app sends them
// (spec: grok-upstream-current §1.3 and the per-call sections).
#pragma once

#include <string>

#include "core/upstream/grok/call_kind.hpp"
#include "core/upstream/grok/identity.hpp"
#include "core/upstream/http_types.hpp"

namespace g2a::upstream::grok {

struct HeaderInput {
  std::string statsig;       // x-statsig-id, for kinds that need it
  std::string content_type;  // overrides the kind's (multipart boundary for uploads)
};

Headers build_headers(CallKind kind, const Account& account, const Egress& egress,
                      const HeaderInput& input = {});

// Client hints derived from a Chrome User-Agent (never contradicting it); empty for
// other browsers.
Headers client_hints(const std::string& user_agent);

// A random UUID v4 (x-xai-request-id, client message ids).
std::string uuid4();

}  // namespace g2a::upstream::grok
