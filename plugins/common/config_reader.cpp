#include "config_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

namespace g2a::plugin_common {

ConfigReader::ConfigReader(std::string_view json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("the config table is not a JSON object");
  table_ = std::make_unique<boost::json::value>(std::move(v));
}

ConfigReader::~ConfigReader() = default;

std::string ConfigReader::http_url(const char* key) const {
  auto* v = table_->get_object().if_contains(key);
  if (!v) return {};
  if (!v->is_string()) throw std::invalid_argument(std::string(key) + " must be a string");
  std::string url(v->get_string());
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw std::invalid_argument(std::string(key) + " must start with http:// or https://");
  return url;
}

uint32_t ConfigReader::milliseconds(const char* key, uint32_t fallback, uint32_t min,
                                    uint32_t max) const {
  auto* v = table_->get_object().if_contains(key);
  if (!v) return fallback;
  if (!v->is_int64() && !v->is_uint64())
    throw std::invalid_argument(std::string(key) + " must be an integer of milliseconds");
  auto ms = v->to_number<int64_t>();
  if (ms < min || ms > max)
    throw std::invalid_argument(std::string(key) + " must be from " + std::to_string(min) + " to " +
                                std::to_string(max));
  return static_cast<uint32_t>(ms);
}

}  // namespace g2a::plugin_common
