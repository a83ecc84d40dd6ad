#include "core/app/saved_settings.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/storage/store.hpp"

namespace g2a::app {

boost::json::object saved_settings_object(storage::Store& store) {
  boost::json::object saved;
  for (auto& [section, doc] : store.list("settings")) {
    boost::system::error_code ec;
    auto v = boost::json::parse(doc, ec);
    if (!ec && v.is_object()) saved[section] = v.as_object();
  }
  return saved;
}

std::string saved_settings(storage::Store& store) {
  boost::json::object saved = saved_settings_object(store);
  return saved.empty() ? std::string() : boost::json::serialize(saved);
}

}  // namespace g2a::app
