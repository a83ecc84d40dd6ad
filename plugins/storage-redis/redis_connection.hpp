// One connection to the Redis server (a hiredis context): connect with a timeout, AUTH and
// SELECT, then commands with a timeout, every reply checked. hiredis.h stays out of this
// header.
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis_url.hpp"

struct redisContext;
struct redisReply;

namespace g2a::storage_redis {

struct ReplyDeleter {
  void operator()(redisReply* r) const;
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// No reply arrived: the connection is gone (server restarted, network cut) or timed out.
// The connection is unusable afterwards. After a timeout the server may still be running
// the command, so only a connection that was closed or reset is worth one more try.
class ConnectionLost : public g2a::Error {
 public:
  ConnectionLost(const std::string& message, bool timed_out)
      : g2a::Error(G2A_IO_ERROR, message), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

struct Timeouts {
  uint32_t connect_ms = 3000;
  uint32_t command_ms = 15000;
};

class RedisConnection {
 public:
  // Connects, authenticates and selects the database. Throws g2a::Error(G2A_IO_ERROR)
  // naming host:port and the step that failed.
  RedisConnection(const RedisTarget& target, Timeouts timeouts);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends argv and returns the reply, which may be an error reply. `what` names the call
  // in messages (e.g. "HGET" or "EVALSHA log_query"). Throws ConnectionLost.
  Reply raw(const std::vector<std::string_view>& argv, std::string_view what);
  // Same, but an error reply throws g2a::Error(G2A_IO_ERROR) "redis host:port: what: error".
  Reply call(const std::vector<std::string_view>& argv, std::string_view what);

  // False once a command lost the connection. An idle connection whose server closed it
  // (a restart) is noticed here without a round trip, so no command is sent into it.
  bool usable() const;
  bool broken() const { return broken_; }

  [[noreturn]] void fail(std::string_view what, std::string_view problem) const;
  const std::string& endpoint() const { return endpoint_; }

 private:
  std::string endpoint_;
  redisContext* ctx_ = nullptr;
  bool broken_ = false;
};

// Reply readers: each throws g2a::Error(G2A_IO_ERROR) naming the call when the reply is not
// of the expected type.
int64_t reply_integer(const RedisConnection& c, const redisReply* r, std::string_view what);
// A bulk or status string; nullopt for nil.
std::optional<std::string> reply_string(const RedisConnection& c, const redisReply* r,
                                        std::string_view what);
// The elements of an array reply.
std::vector<const redisReply*> reply_array(const RedisConnection& c, const redisReply* r,
                                           std::string_view what);
// An error reply's text, or empty when r is no error.
std::string_view reply_error(const redisReply* r);

}  // namespace g2a::storage_redis
