#include "document_check.hpp"

#include <fmt/format.h>

#include <boost/json/value.hpp>
#include <collection_name.hpp>
#include <data_file.hpp>
#include <grok2api/plugin.hpp>
#include <json_parse.hpp>
#include <json_writer.hpp>

#include "schema.hpp"

namespace g2a::storage_mysql {
namespace {

std::string string_member(const boost::json::value& doc, std::string_view name,
                          std::size_t max_bytes) {
  if (!doc.is_object()) return {};
  const boost::json::value* v = doc.get_object().if_contains(name);
  if (!v || !v->is_string()) return {};
  return std::string(std::string_view(v->get_string()).substr(0, max_bytes));
}

}  // namespace

DocumentChecker::DocumentChecker() {
  // The layouts only check documents here; their files are never read or written.
  layouts_.push_back(storage_file::make_token_file({}));
  layouts_.push_back(storage_file::make_proxy_state_file({}));
  layouts_.push_back(storage_file::make_video_task_file({}));
  layouts_.push_back(storage_file::make_settings_file({}));
}

DocumentChecker::~DocumentChecker() = default;

void DocumentChecker::check_name(std::string_view collection, std::string_view key) const {
  storage_file::check_collection_name(collection);
  if (key.empty())
    throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("{}: empty document key", collection));
  std::size_t max = table_of(collection).empty() ? kMaxKeyBytes - 64 : kMaxKeyBytes;
  if (key.size() > max)
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     fmt::format("{}: document key longer than {} bytes", collection, max));
}

CheckedWrite DocumentChecker::check(std::string_view collection, std::string_view key,
                                    const std::string_view* json) const {
  check_name(collection, key);
  CheckedWrite out{std::string(collection), std::string(key), std::nullopt, {}};
  if (!json) return out;
  boost::json::value doc;
  std::string error;
  if (!storage_file::try_parse_json(*json, doc, error))
    throw g2a::Error(G2A_PARSE_FAILURE,
                     fmt::format("{}: document is not valid JSON: {}", collection, error));
  for (const auto& layout : layouts_)
    for (std::string_view c : layout->collections())
      if (c == collection) layout->check(collection, key, doc);
  out.json = storage_file::to_compact_json(doc);
  if (collection == "tokens")
    out.extracted = std::string(key.substr(0, key.find('/')));
  else if (collection == "video_tasks")
    out.extracted = string_member(doc, "status", 64);
  return out;
}

}  // namespace g2a::storage_mysql
