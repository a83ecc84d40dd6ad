#include "redis_connection.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <poll.h>

#include <cerrno>
#include <optional>

namespace g2a::storage_redis {
namespace {

timeval to_timeval(uint32_t ms) {
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

std::string_view type_name(int type) {
  switch (type) {
    case REDIS_REPLY_STRING:
      return "string";
    case REDIS_REPLY_ARRAY:
      return "array";
    case REDIS_REPLY_INTEGER:
      return "integer";
    case REDIS_REPLY_NIL:
      return "nil";
    case REDIS_REPLY_STATUS:
      return "status";
    case REDIS_REPLY_ERROR:
      return "error";
    default:
      return "unknown";
  }
}

[[noreturn]] void unexpected(const RedisConnection& c, const redisReply* r, std::string_view what,
                             std::string_view wanted) {
  c.fail(what, fmt::format("expected a {} reply, got {}{}", wanted, type_name(r->type),
                           r->type == REDIS_REPLY_ERROR ? fmt::format(" ({})", reply_error(r))
                                                        : std::string()));
}

}  // namespace

void ReplyDeleter::operator()(redisReply* r) const {
  freeReplyObject(r);
}

RedisConnection::RedisConnection(const RedisTarget& target, Timeouts timeouts)
    : endpoint_(target.endpoint()) {
  timeval connect_tv = to_timeval(timeouts.connect_ms);
  ctx_ = redisConnectWithTimeout(target.host.c_str(), target.port, connect_tv);
  if (!ctx_) throw g2a::Error(G2A_NO_MEMORY, "redis: cannot allocate a connection");
  if (ctx_->err) {
    std::string why = ctx_->errstr;
    redisFree(ctx_);
    ctx_ = nullptr;
    throw g2a::Error(G2A_IO_ERROR, fmt::format("redis {}: connect failed: {}", endpoint_, why));
  }
  timeval command_tv = to_timeval(timeouts.command_ms);
  try {
    if (redisSetTimeout(ctx_, command_tv) != REDIS_OK) fail("connect", "cannot set the timeout");
    if (!target.password.empty()) {
      std::vector<std::string_view> auth{"AUTH"};
      if (!target.user.empty()) auth.push_back(target.user);
      auth.push_back(target.password);
      Reply r = raw(auth, "AUTH");
      // The server's text never contains the password.
      if (std::string_view e = reply_error(r.get()); !e.empty())
        fail("AUTH", fmt::format("authentication{} failed: {}",
                                 target.user.empty() ? "" : " as " + target.user, e));
    }
    if (target.db != 0) {
      std::string db = std::to_string(target.db);
      Reply r = raw({"SELECT", db}, "SELECT");
      if (std::string_view e = reply_error(r.get()); !e.empty())
        fail("SELECT", fmt::format("database {}: {}", target.db, e));
    }
  } catch (...) {
    redisFree(ctx_);
    ctx_ = nullptr;
    throw;
  }
}

RedisConnection::~RedisConnection() {
  if (ctx_) redisFree(ctx_);
}

void RedisConnection::fail(std::string_view what, std::string_view problem) const {
  throw g2a::Error(G2A_IO_ERROR, fmt::format("redis {}: {}: {}", endpoint_, what, problem));
}

Reply RedisConnection::raw(const std::vector<std::string_view>& argv, std::string_view what) {
  if (broken_ || !ctx_)
    throw ConnectionLost(fmt::format("redis {}: {}: not connected", endpoint_, what), false);
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (std::string_view a : argv) {
    args.push_back(a.data() ? a.data() : "");
    lens.push_back(a.size());
  }
  errno = 0;
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data()));
  if (!reply) {
    int saved = errno;
    broken_ = true;
    bool timed_out = ctx_->err == REDIS_ERR_IO && (saved == EAGAIN || saved == EWOULDBLOCK);
    std::string why = timed_out ? std::string("no reply within the command timeout")
                                : fmt::format("connection lost ({})", ctx_->errstr);
    throw ConnectionLost(fmt::format("redis {}: {}: {}", endpoint_, what, why), timed_out);
  }
  return Reply(reply);
}

Reply RedisConnection::call(const std::vector<std::string_view>& argv, std::string_view what) {
  Reply r = raw(argv, what);
  if (std::string_view e = reply_error(r.get()); !e.empty()) fail(what, e);
  return r;
}

bool RedisConnection::usable() const {
  if (broken_ || !ctx_ || ctx_->err) return false;
  // Nothing is pending on an idle connection: readable means closed (or garbage).
  pollfd p{ctx_->fd, POLLIN, 0};
  int n = poll(&p, 1, 0);
  if (n < 0) return false;
  return n == 0;
}

int64_t reply_integer(const RedisConnection& c, const redisReply* r, std::string_view what) {
  if (r->type != REDIS_REPLY_INTEGER) unexpected(c, r, what, "integer");
  return static_cast<int64_t>(r->integer);
}

std::optional<std::string> reply_string(const RedisConnection& c, const redisReply* r,
                                        std::string_view what) {
  if (r->type == REDIS_REPLY_NIL) return std::nullopt;
  if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)
    unexpected(c, r, what, "string");
  return std::string(r->str, r->len);
}

std::vector<const redisReply*> reply_array(const RedisConnection& c, const redisReply* r,
                                           std::string_view what) {
  if (r->type != REDIS_REPLY_ARRAY) unexpected(c, r, what, "array");
  std::vector<const redisReply*> out;
  out.reserve(r->elements);
  for (size_t i = 0; i < r->elements; ++i) out.push_back(r->element[i]);
  return out;
}

std::string_view reply_error(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ERROR) return {};
  return r->len ? std::string_view(r->str, r->len) : std::string_view("error");
}

}  // namespace g2a::storage_redis
