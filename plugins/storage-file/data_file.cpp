#include "data_file.hpp"

#include <fmt/format.h>

#include <grok2api/plugin.hpp>

#include "json_parse.hpp"

namespace g2a::storage_file {

void DataFile::throw_bad_layout(std::string_view problem) const {
  throw g2a::Error(G2A_PARSE_FAILURE, fmt::format("{}: {}", path_.string(), problem));
}

const Collection* find_collection(const Collections& all, std::string_view name) {
  auto it = all.find(name);
  return it == all.end() ? nullptr : &it->second;
}

boost::json::value parse_stored(const std::string& json) {
  return parse_json(json, "document");
}

void throw_bad_document(std::string_view collection, std::string_view problem) {
  throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("{}: {}", collection, problem));
}

}  // namespace g2a::storage_file
