// Splits an HTTP body that arrives in arbitrary pieces into NDJSON payload lines. grok.com
// sends bare NDJSON; SSE-style "data: " prefixes, "data: [DONE]", blank lines and SSE
// comment or field lines are tolerated, as the site's other clients tolerate them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::plugin_common {

class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line) : max_line_(max_line) {}

  // Appends a piece and moves every completed payload line into `lines`. False once a line
  // grew beyond max_line (the buffer is then dropped).
  bool push(std::string_view piece, std::vector<std::string>& lines);
  // The payload of the unfinished last line, at the end of the body.
  std::optional<std::string> flush();

 private:
  void take_line(std::string_view line, std::vector<std::string>& lines);

  size_t max_line_;
  std::string partial_;
};

// The JSON part of one line, or "" when the line carries none.
std::string_view line_payload(std::string_view line);

}  // namespace g2a::plugin_common
