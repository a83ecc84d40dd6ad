#include "rest_turn.hpp"

#include <boost/json/serialize.hpp>
#include <vector>

#include "json_reader.hpp"
#include "rest_request.hpp"
#include "snippet.hpp"

namespace g2a::grok_chat {

using plugin_common::parse_values;
using plugin_common::snippet;
namespace {

// A line longer than the gateway's frame limit is not a chat stream any more.
constexpr size_t kMaxLine = 16u << 20;

}  // namespace

RestTurn::RestTurn(const TurnRequest& req, std::string_view prompt)
    : splitter_(kMaxLine), out_(req.options.filtered_tags) {
  RestCall call = rest_chat_call(req, prompt);
  plan_ = boost::json::serialize(boost::json::object{{"transport", "http"},
                                                     {"call", "rest_chat"},
                                                     {"method", "POST"},
                                                     {"path", call.path},
                                                     {"body", call.body}});
  // A follow-up stream has no conversation line: the id is the one continued.
  if (req.continuation) ids_.conversation_id = req.continuation->conversation_id;
}

std::string RestTurn::feed(std::string_view data) {
  if (out_.terminal()) return out_.take();
  std::vector<std::string> lines;
  bool fits = splitter_.push(data, lines);
  for (const auto& line : lines) on_line(line);
  if (!fits) out_.fail("upstream_line_too_long", "an NDJSON line exceeded 16 MiB", "adapter");
  return out_.take();
}

std::string RestTurn::finish() {
  if (auto last = splitter_.flush(); last && !out_.terminal()) on_line(*last);
  // A body that ends after answer content but without modelResponse still answered.
  if (out_.has_content())
    out_.complete(ids_.conversation_id, ids_.response_id);
  else
    out_.fail("upstream_incomplete", "upstream ended before the turn completed", "adapter");
  return out_.take();
}

void RestTurn::on_line(std::string_view line) {
  if (out_.terminal()) return;
  std::vector<boost::json::value> values;
  if (!parse_values(line, values)) {
    out_.fail("bad_upstream_line", "an NDJSON line is not JSON: " + snippet(line), "adapter");
    return;
  }
  for (const auto& v : values) apply_rest_value(v, ids_, out_);
}

}  // namespace g2a::grok_chat
