#include "redis_options.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <grok2api/plugin.hpp>
#include <stdexcept>

#include "config_reader.hpp"

namespace g2a::storage_redis {

RedisOptions parse_redis_options(std::string_view config_json) {
  boost::system::error_code ec;
  boost::json::value config = boost::json::parse(config_json, ec);
  if (ec || !config.is_object())
    throw g2a::Error(G2A_BAD_ARGUMENT, "storage-redis: the config table is not a JSON object");
  const boost::json::object& table = config.get_object();

  RedisOptions out;
  const boost::json::value* url = table.if_contains("database_url");
  if (!url || !url->is_string() || url->get_string().empty())
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     "storage.database_url is not set: the redis backend needs "
                     "redis://[[user]:password@]host[:port][/db]");
  out.target = parse_redis_url(url->get_string());

  if (const boost::json::value* size = table.if_contains("pool_size")) {
    if (!size->is_int64() && !size->is_uint64())
      throw g2a::Error(G2A_BAD_ARGUMENT, "storage-redis: pool_size must be an integer");
    auto n = size->to_number<int64_t>();
    if (n < 1 || n > 256)
      throw g2a::Error(G2A_BAD_ARGUMENT, "storage-redis: pool_size must be from 1 to 256");
    out.pool_size = static_cast<unsigned>(n);
  }
  try {
    plugin_common::ConfigReader reader(config_json);
    out.connect_timeout_ms =
        reader.milliseconds("connect_timeout_ms", out.connect_timeout_ms, 100, 60000);
    out.command_timeout_ms =
        reader.milliseconds("command_timeout_ms", out.command_timeout_ms, 100, 600000);
    out.ping_timeout_ms = reader.milliseconds("ping_timeout_ms", out.ping_timeout_ms, 100, 30000);
  } catch (const std::invalid_argument& e) {
    throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("storage-redis: {}", e.what()));
  }
  return out;
}

}  // namespace g2a::storage_redis
