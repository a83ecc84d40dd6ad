#include "webhook_payload.hpp"

#include <boost/json.hpp>

namespace g2a::webhook {

bool is_failure(std::string_view record) {
  boost::json::error_code ec;
  auto v = boost::json::parse(record, ec);
  if (ec || !v.is_object()) return true;  // unreadable: let a human look at it
  const auto& o = v.get_object();
  if (const auto* type = o.if_contains("type");
      type && type->is_string() && type->get_string() != "call")
    return true;
  const auto* success = o.if_contains("success");
  return !success || !success->is_bool() || !success->get_bool();
}

std::vector<std::string> build_bodies(const std::vector<std::string_view>& records,
                                      const Receiver& receiver) {
  std::vector<std::string_view> chosen;
  for (auto r : records)
    if (receiver.records == Selection::all || is_failure(r)) chosen.push_back(r);
  std::vector<std::string> bodies;
  for (size_t start = 0; start < chosen.size(); start += receiver.batch_size) {
    size_t end = std::min(chosen.size(), start + receiver.batch_size);
    std::string body;
    if (receiver.format == Format::json_array) body += '[';
    for (size_t i = start; i < end; ++i) {
      if (receiver.format == Format::json_array && i > start) body += ',';
      body += chosen[i];
      if (receiver.format == Format::ndjson) body += '\n';
    }
    if (receiver.format == Format::json_array) body += ']';
    bodies.push_back(std::move(body));
  }
  return bodies;
}

std::string_view content_type(Format format) {
  return format == Format::ndjson ? "application/x-ndjson" : "application/json";
}

}  // namespace g2a::webhook
