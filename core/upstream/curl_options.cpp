#include "core/upstream/curl_options.hpp"

#include <curl/curl.h>
#include <strings.h>

#ifdef G2A_CURL_IMPERSONATE_TARGET
// Exported by libcurl-impersonate: browser TLS, HTTP/2 settings and header order.
extern "C" CURLcode curl_easy_impersonate(CURL* curl, const char* target, int default_headers);
#endif

namespace g2a::upstream {

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
  return {};
}

TransportError transport_error(int code, std::string_view detail) {
  using K = TransportError::Kind;
  K kind = K::kOther;
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      kind = K::kConnect;
      break;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
      kind = K::kProxy;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      kind = K::kTls;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      kind = K::kTimeout;
      break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      kind = K::kReset;
      break;
    default:
      break;
  }
  std::string msg = curl_easy_strerror(static_cast<CURLcode>(code));
  if (!detail.empty()) msg += ": " + std::string(detail);
  // curl reports proxy failures as connect errors; its detail names the proxy.
  if (kind == K::kConnect && detail.find("proxy") != std::string_view::npos) kind = K::kProxy;
  // An HTTP proxy that cannot open the tunnel answers CONNECT with an error status.
  if (detail.find("CONNECT tunnel failed") != std::string_view::npos) kind = K::kProxy;
  // A connect that timed out is a connection failure, not a slow answer.
  if (kind == K::kTimeout && detail.rfind("Connection timed out", 0) == 0) kind = K::kConnect;
  return TransportError(kind, code, msg);
}

CurlRequestData::~CurlRequestData() {
  curl_slist_free_all(headers);
  curl_slist_free_all(connect_to);
}

void configure_easy(CURL* easy, const HttpRequest& r, CurlRequestData& data) {
#ifdef G2A_CURL_IMPERSONATE_TARGET
  // Without its default headers: ours follow the web app exactly.
  curl_easy_impersonate(easy, G2A_CURL_IMPERSONATE_TARGET, 0);
#endif
  data.url = r.url;
  data.body = r.body;
  for (const auto& [k, v] : r.headers) {
    if (strcasecmp(k.c_str(), "accept-encoding") == 0) continue;
    data.headers = curl_slist_append(data.headers, (k + ": " + v).c_str());
  }
  // curl adds "Expect: 100-continue" to large POSTs; browsers never send it.
  data.headers = curl_slist_append(data.headers, "Expect:");
  curl_easy_setopt(easy, CURLOPT_URL, data.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, data.headers);
  if (r.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (r.method != "GET" && r.method != "HEAD") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, data.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(data.body.size()));
  }
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  if (r.total_timeout.count() > 0)
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.total_timeout.count()));
  if (!r.proxy.empty()) {
    curl_easy_setopt(easy, CURLOPT_PROXY, r.proxy.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // ignore http_proxy from the environment
  }
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, r.tls.verify ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, r.tls.verify ? 2L : 0L);
  if (!r.tls.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, r.tls.ca_file.c_str());
  if (!r.connect_to.empty()) {
    data.connect_to = curl_slist_append(data.connect_to, r.connect_to.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECT_TO, data.connect_to);
  }
  if (r.web_only) curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
}

}  // namespace g2a::upstream
