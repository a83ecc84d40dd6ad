// Applies an HttpRequest to a curl easy handle: the one place where proxy, TLS, timeouts
// and encodings are set, so HTTP and WebSocket leave through the same egress settings.
#pragma once

#include <memory>
#include <string>

#include "core/upstream/curl_driver.hpp"
#include "core/upstream/http_types.hpp"

struct curl_slist;

namespace g2a::upstream {

// What a configured handle points into; must outlive the handle's transfer.
struct CurlRequestData {
  CurlRequestData() = default;
  CurlRequestData(const CurlRequestData&) = delete;
  CurlRequestData& operator=(const CurlRequestData&) = delete;
  ~CurlRequestData();
  curl_slist* headers = nullptr;
  curl_slist* connect_to = nullptr;
  std::string body;
  std::string url;
};

// Sets method, URL, headers, body, proxy, TLS and timeouts. Accept-Encoding is left to
// curl, which advertises exactly the encodings it decodes. data must stay where it is
// (curl keeps pointers into it) until the handle is cleaned up.
void configure_easy(CURL* easy, const HttpRequest& request, CurlRequestData& data);

}  // namespace g2a::upstream
