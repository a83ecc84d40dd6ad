#include "render_tags.hpp"

#include <algorithm>
#include <cctype>

namespace g2a::grok_chat {
namespace {

// A tag that never closes must not hold the answer back for ever.
constexpr size_t kMaxHeld = 64 * 1024;

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// s starts with prefix (prefix is lower case), ignoring the case of s.
bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i]) return false;
  return true;
}

size_t find_ci(std::string_view s, std::string_view needle, size_t from) {
  for (size_t i = from; i + needle.size() <= s.size(); ++i)
    if (starts_with_ci(s.substr(i), needle)) return i;
  return std::string_view::npos;
}

bool ends_name(char c) {
  return std::string_view(" \t\r\n/>").find(c) != std::string_view::npos;
}

enum class Match { kNo, kMaybe, kOpen, kClose };

// What the text at `s` (starting with '<') is for the element `name`.
Match match(std::string_view s, const std::string& name) {
  for (bool close : {false, true}) {
    std::string head = (close ? "</" : "<") + name;
    if (s.size() <= head.size()) {
      // Shorter than the head plus one delimiter: it may still become one.
      if (starts_with_ci(s, std::string_view(head).substr(0, s.size()))) return Match::kMaybe;
      continue;
    }
    if (starts_with_ci(s, head) && ends_name(s[head.size()]))
      return close ? Match::kClose : Match::kOpen;
  }
  return Match::kNo;
}

// Where the element (or stray closing tag) at the start of `s` ends, or npos while incomplete.
size_t element_end(std::string_view s, const std::string& name, Match m) {
  size_t gt = s.find('>');
  if (gt == std::string_view::npos) return gt;
  if (m == Match::kClose || s[gt - 1] == '/') return gt + 1;  // </name>, <name .../>
  std::string close = "</" + name;
  for (size_t at = find_ci(s, close, gt); at != std::string_view::npos;
       at = find_ci(s, close, at + 1)) {
    size_t after = at + close.size();
    if (after >= s.size()) return std::string_view::npos;
    if (!ends_name(s[after])) continue;
    size_t end = s.find('>', after);
    return end == std::string_view::npos ? end : end + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<std::string> default_filtered_tags() {
  return {"xaiartifact", "xai:tool_usage_card", "grok:render"};
}

TagFilter::TagFilter(std::vector<std::string> names) {
  for (auto& n : names) {
    std::transform(n.begin(), n.end(), n.begin(), lower);
    if (!n.empty()) names_.push_back(std::move(n));
  }
}

std::string TagFilter::push(std::string_view piece) {
  if (names_.empty()) return std::string(piece);
  held_.append(piece);
  std::string out;
  std::string_view rest = held_;
  while (true) {
    size_t lt = rest.find('<');
    if (lt == std::string_view::npos) {
      out.append(rest);
      rest = {};
      break;
    }
    out.append(rest.substr(0, lt));
    rest.remove_prefix(lt);
    const std::string* name = nullptr;
    Match m = Match::kNo;
    bool maybe = false;
    for (const auto& n : names_) {
      Match here = match(rest, n);
      if (here == Match::kMaybe) maybe = true;
      if (here == Match::kOpen || here == Match::kClose) {
        name = &n;
        m = here;
        break;
      }
    }
    if (!name && maybe) break;  // maybe a tag: wait for more
    if (!name) {
      out += '<';
      rest.remove_prefix(1);
      continue;
    }
    size_t end = element_end(rest, *name, m);
    if (end == std::string_view::npos) {
      if (rest.size() <= kMaxHeld) break;
      out.append(rest);  // not markup after all: give it back as text
      rest = {};
      break;
    }
    rest.remove_prefix(end);
  }
  held_ = std::string(rest);
  return out;
}

std::string TagFilter::flush() {
  std::string out;
  bool element = false;
  for (const auto& n : names_) {
    Match m = match(held_, n);
    element = element || m == Match::kOpen || m == Match::kClose;
  }
  if (!element) out = std::move(held_);
  held_.clear();
  return out;
}

}  // namespace g2a::grok_chat
