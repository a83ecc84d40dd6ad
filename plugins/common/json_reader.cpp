#include "json_reader.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>

namespace g2a::plugin_common {

const boost::json::value* at(const boost::json::value& v,
                             std::initializer_list<std::string_view> keys) {
  const boost::json::value* cur = &v;
  for (std::string_view k : keys) {
    const auto* obj = cur->if_object();
    if (!obj) return nullptr;
    cur = obj->if_contains(k);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string_view str_at(const boost::json::value& v, std::initializer_list<std::string_view> keys) {
  const auto* s = at(v, keys);
  if (!s || !s->is_string()) return {};
  const auto& str = s->get_string();
  return std::string_view(str.data(), str.size());
}

bool bool_at(const boost::json::value& v, std::initializer_list<std::string_view> keys,
             bool fallback) {
  const auto* b = at(v, keys);
  return b && b->is_bool() ? b->get_bool() : fallback;
}

std::optional<double> number_at(const boost::json::value& v,
                                std::initializer_list<std::string_view> keys) {
  const auto* n = at(v, keys);
  if (!n || !n->is_number()) return std::nullopt;
  return n->to_number<double>();
}

std::string code_text(const boost::json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_number()) return boost::json::serialize(*v);
  return {};
}

bool parse_values(std::string_view text, std::vector<boost::json::value>& out) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  boost::json::stream_parser parser;
  while (true) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    if (text.empty()) return true;
    parser.reset();
    boost::system::error_code ec;
    size_t used = parser.write_some(text.data(), text.size(), ec);
    // A bare number at the end is complete only once the parser is told the input ended.
    if (!ec && !parser.done()) parser.finish(ec);
    if (ec || !parser.done()) return false;
    out.push_back(parser.release());
    text.remove_prefix(used);
  }
}

}  // namespace g2a::plugin_common
