// One call-log record: a client request to /v1 or /mcp, as the admin API shows it
// (the Pro call_log.py fields plus timing, request and client details).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace g2a::calllog {

struct CallRecord {
  std::string id;              // uuid4
  int64_t timestamp = 0;       // ms since the epoch, when the request arrived
  std::string sso_full;        // the account used; "" when none was leased
  std::string model;           // the client's model id
  int status_code = 0;         // the HTTP status the client got
  int upstream_status = 0;     // the last grok.com HTTP status (0: none)
  double response_time = 0;    // seconds, request arrival to last byte
  double first_byte_time = 0;  // seconds, request arrival to first byte (0: no bytes)
  bool success = false;
  std::string error_type;  // the upstream problem or OpenAI error type; "" on success
  std::string error_message;
  std::string proxy_used;  // the egress proxy URL (masked when serialised)
  std::vector<std::string> media_urls;
  bool stream = false;
  std::string request_id;
  std::string token_type;  // the account's pool: ssoNormal, ssoSuper, ssoHeavy ("": none)
  std::string client_ip;
  std::string api_key_name;
  std::string path;            // the route, e.g. /v1/chat/completions
  bool failure_noted = false;  // a handler reported an error after the status was sent
  // A background task took the record over and submits it when its work ends (a video
  // generation), so one request stays one record.
  bool handed_off = false;
};

// Who reads the JSON: storage (the admin API serves sso_full) or a log sink, which may be
// a third party and never gets the full SSO.
enum class Audience { kStorage, kSink };

// The record as a JSON object: "type":"call" (log sinks also get "type":"event" objects),
// sso masked, plus sso_full in full for storage.
std::string to_json(const CallRecord& r, Audience audience = Audience::kStorage);

}  // namespace g2a::calllog
