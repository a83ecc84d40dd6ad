#include "lua_script.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <grok2api/plugin.hpp>

namespace g2a::storage_redis {

std::string sha1_hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), md, &len, EVP_sha1(), nullptr) != 1)
    throw g2a::Error(G2A_INTERNAL, "SHA-1 of a Lua script failed");
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

LuaScript::LuaScript(std::string name, std::string body)
    : name_(std::move(name)), body_(std::move(body)), sha_(sha1_hex(body_)) {}

Reply LuaScript::run(RedisConnection& c, const std::vector<std::string_view>& keys,
                     const std::vector<std::string_view>& args) const {
  std::string numkeys = std::to_string(keys.size());
  std::vector<std::string_view> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(sha_);
  argv.push_back(numkeys);
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  std::string what = fmt::format("script {}", name_);
  Reply r = c.raw(argv, what);
  if (reply_error(r.get()).rfind("NOSCRIPT", 0) == 0) {
    argv[0] = "EVAL";
    argv[1] = body_;
    r = c.raw(argv, what);
  }
  if (std::string_view e = reply_error(r.get()); !e.empty()) c.fail(what, e);
  return r;
}

}  // namespace g2a::storage_redis
