#include "core/upstream/grok/headers.hpp"

#include <openssl/rand.h>

#include <cctype>
#include <cstdio>

namespace g2a::upstream::grok {

std::string uuid4() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

Headers client_hints(const std::string& ua) {
  // Chrome's major version, from "Chrome/<digits>"; no hints for other browsers.
  auto at = ua.find("Chrome/");
  if (at == std::string::npos || ua.find("Edg/") != std::string::npos) return {};
  size_t begin = at + 7, end = begin;
  while (end < ua.size() && std::isdigit(static_cast<unsigned char>(ua[end]))) ++end;
  if (end == begin) return {};
  std::string major = ua.substr(begin, end - begin);
  std::string platform = ua.find("Windows") != std::string::npos     ? "Windows"
                         : ua.find("Macintosh") != std::string::npos ? "macOS"
                         : ua.find("Android") != std::string::npos   ? "Android"
                                                                     : "Linux";
  bool mobile = ua.find("Mobile") != std::string::npos;
  return {{"sec-ch-ua", "\"Chromium\";v=\"" + major +
                            "\", \"Not-A.Brand\";v=\"24\", \"Google Chrome\";v=\"" + major + "\""},
          {"sec-ch-ua-mobile", mobile ? "?1" : "?0"},
          {"sec-ch-ua-platform", "\"" + platform + "\""}};
}

Headers build_headers(CallKind kind, const Account& account, const Egress& egress,
                      const HeaderInput& in) {
  Headers h;
  auto add = [&](std::string_view k, std::string_view v) { h.emplace_back(k, v); };
  const bool media = kind == CallKind::kRestMedia || kind == CallKind::kQuotaInfo ||
                     kind == CallKind::kUploadImagine;
  if (kind == CallKind::kWebSocket) {
    add("Origin", "https://grok.com");
    add("User-Agent", egress.user_agent);
    add("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
    add("Cache-Control", "no-cache");
    add("Pragma", "no-cache");
    add("Cookie", cookie_header(account, egress, /*with_user_id=*/true));
    return h;
  }
  const bool grpc = kind == CallKind::kGrpcWeb || kind == CallKind::kGrpcCredits ||
                    kind == CallKind::kAccountsGrpc;
  // accounts.x.ai is another site: its own Origin and page, and grok.com's Cloudflare
  // cookies stay on grok.com.
  const bool accounts = kind == CallKind::kAccountsGrpc;
  if (grpc) {
    add("Content-Type", "application/grpc-web+proto");
    add("x-grpc-web", "1");
    add("x-user-agent", "connect-es/2.1.1");
  } else if (kind == CallKind::kUploadChat || kind == CallKind::kUploadImagine) {
    add("Content-Type", in.content_type);
  } else if (kind != CallKind::kAuthSession && kind != CallKind::kAsset) {
    add("Content-Type", in.content_type.empty() ? "application/json" : in.content_type);
  }
  add("Accept", "*/*");
  add("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
  add("User-Agent", egress.user_agent);
  add("Cookie", cookie_header(account, egress, /*with_user_id=*/false, /*with_cf=*/!accounts));
  // Uploads and gRPC-web go without a request id.
  const bool request_id =
      kind != CallKind::kUploadChat && kind != CallKind::kUploadImagine && !grpc;
  if (request_id) add("x-xai-request-id", uuid4());
  add("Origin", accounts ? "https://accounts.x.ai" : "https://grok.com");
  add("Referer", accounts ? "https://accounts.x.ai/accept-tos"
                 : media  ? "https://grok.com/imagine"
                          : "https://grok.com/");
  add("Cache-Control", "no-cache");
  add("Pragma", "no-cache");
  add("Priority", "u=1, i");
  add("Sec-Fetch-Dest", "empty");
  add("Sec-Fetch-Mode", "cors");
  add("Sec-Fetch-Site", kind == CallKind::kAsset ? "same-site" : "same-origin");
  if (kind == CallKind::kAuthSession || kind == CallKind::kAccountRest)
    for (auto& hint : client_hints(egress.user_agent)) h.push_back(std::move(hint));
  if (needs_statsig(kind)) add("x-statsig-id", in.statsig);
  return h;
}

}  // namespace g2a::upstream::grok
