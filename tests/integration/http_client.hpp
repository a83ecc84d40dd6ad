// A small blocking HTTP client over libcurl, for tests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace g2a::test {

struct HttpResult {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;                           // transport error, when status is 0
  long new_connections = 0;                    // connections opened for this request
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult request(const std::string& method, const std::string& url,
                     const std::string& body = "", const std::vector<std::string>& headers = {});
  HttpResult get(const std::string& url, const std::vector<std::string>& headers = {}) {
    return request("GET", url, "", headers);
  }
  HttpResult post_json(const std::string& url, const std::string& body,
                       std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    return request("POST", url, body, headers);
  }

 private:
  void* handle_;  // one CURL easy handle: connections are reused between requests
};

}  // namespace g2a::test
