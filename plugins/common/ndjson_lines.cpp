#include "ndjson_lines.hpp"

#include "text_codec.hpp"

namespace g2a::plugin_common {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string_view line_payload(std::string_view line) {
  line = trim(line);
  if (starts_with(line, "data:")) {
    line = trim(line.substr(5));
    if (line == "[DONE]") return {};
    return line;
  }
  // SSE comments and the other SSE fields carry no JSON.
  if (starts_with(line, ":") || starts_with(line, "event:") || starts_with(line, "id:") ||
      starts_with(line, "retry:"))
    return {};
  return line;
}

void LineSplitter::take_line(std::string_view line, std::vector<std::string>& lines) {
  std::string_view payload = line_payload(line);
  if (!payload.empty()) lines.emplace_back(payload);
}

bool LineSplitter::push(std::string_view piece, std::vector<std::string>& lines) {
  while (!piece.empty()) {
    size_t nl = piece.find('\n');
    if (nl == std::string_view::npos) {
      if (partial_.size() + piece.size() > max_line_) {
        partial_.clear();
        return false;
      }
      partial_.append(piece);
      return true;
    }
    if (partial_.size() + nl > max_line_) {
      partial_.clear();
      return false;
    }
    if (partial_.empty()) {
      take_line(piece.substr(0, nl), lines);
    } else {
      partial_.append(piece.substr(0, nl));
      take_line(partial_, lines);
      partial_.clear();
    }
    piece.remove_prefix(nl + 1);
  }
  return true;
}

std::optional<std::string> LineSplitter::flush() {
  std::string_view payload = line_payload(partial_);
  std::optional<std::string> out;
  if (!payload.empty()) out.emplace(payload);
  partial_.clear();
  return out;
}

}  // namespace g2a::plugin_common
