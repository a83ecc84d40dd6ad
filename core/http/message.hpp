// Requests and responses as handlers see them; Beast stays inside the server.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::calllog {
struct CallRecord;
}

namespace g2a::http {

struct Header {
  std::string name;
  std::string value;
};

class Request {
 public:
  std::string method;  // upper case
  std::string target;  // as received
  std::string path;    // percent-decoded path, no query
  std::string query;   // raw query string, no '?'
  std::vector<Header> headers;
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::map<std::string, std::string> params;  // from the route pattern, percent-decoded
  // The name of the API key the client authenticated with on /v1 ("default" for
  // grok.api_key), set by admin::require_api_key; "" when /v1 is open. Call-log records
  // and the model allow-list (admin::model_refusal) read it.
  std::string api_key_name;
  // The call-log record of this request, filled where its fields become known (the
  // token-attempt loop, the chat and image routes); null for requests that are not logged.
  std::shared_ptr<calllog::CallRecord> call;

  // Case-insensitive; empty when absent.
  std::string_view header(std::string_view name) const;
  // A decoded query parameter, nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  bool from_loopback() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<Header> headers;
  std::string body;
};

// A JSON body with the given status.
Response json_response(int status, std::string body);
// The OpenAI error envelope {"error":{"message","type","param","code"}}; empty param and
// code are sent as null.
Response error_response(int status, std::string_view message, std::string_view type = {},
                        std::string_view param = {}, std::string_view code = {});
// The OpenAI error type that goes with a status (invalid_request_error, ...).
std::string_view error_type_for(int status);

// Percent-decoding of URL components; '+' becomes a space only when form is true.
std::string percent_decode(std::string_view in, bool form = false);

}  // namespace g2a::http
