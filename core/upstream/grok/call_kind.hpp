// The kinds of grok.com calls: each has its own headers (spec: grok-upstream-current §1.3).
#pragma once

namespace g2a::upstream::grok {

enum class CallKind {
  kRestChat,       // /rest/app-chat/* chat, Referer https://grok.com/
  kRestMedia,      // /rest/app-chat/* image edit and video, Referer /imagine
  kRateLimits,     // /rest/rate-limits
  kQuotaInfo,      // /rest/media/imagine/quota_info
  kAccountRest,    // /rest/auth/set-tos-accepted, set-birth-date (client hints)
  kGrpcWeb,        // grok.com gRPC-web account calls (NSFW), with statsig
  kGrpcCredits,    // gRPC-web GetGrokCreditsConfig: no statsig
  kAccountsGrpc,   // accounts.x.ai gRPC-web (SetTosAcceptedVersion): no statsig, no CF cookies
  kAuthSession,    // /api/auth/session (client hints, no statsig)
  kUploadChat,     // /http/upload-file-v2/direct for chat attachments
  kUploadImagine,  // the same for image edit and video references (Referer /imagine)
  kAsset,          // assets.grok.com downloads
  kPage,           // the HTML page the signer reads
  kWebSocket,      // /ws/mgw/ and /ws/imagine/listen handshakes
};

// Calls under /rest/ and grok.com's gRPC-web account calls carry x-statsig-id; the rest
// (uploads, the session, assets, WebSockets, the credits call) must not.
constexpr bool needs_statsig(CallKind k) {
  return k == CallKind::kRestChat || k == CallKind::kRestMedia || k == CallKind::kRateLimits ||
         k == CallKind::kQuotaInfo || k == CallKind::kAccountRest || k == CallKind::kGrpcWeb;
}

}  // namespace g2a::upstream::grok
