#include "render_tags.hpp"

namespace g2a::grok_chat {
namespace {

constexpr std::string_view kOpen = "<grok:render";
constexpr std::string_view kClose = "</grok:render>";
// A tag that never closes must not hold the answer back for ever.
constexpr size_t kMaxHeld = 64 * 1024;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Where the tag at the start of `s` ends (one past it), or npos while it is incomplete.
size_t tag_end(std::string_view s) {
  size_t gt = s.find('>');
  if (gt == std::string_view::npos) return gt;
  if (s[gt - 1] == '/') return gt + 1;  // <grok:render .../>
  size_t close = s.find(kClose, gt);
  return close == std::string_view::npos ? close : close + kClose.size();
}

}  // namespace

std::string RenderTagFilter::push(std::string_view piece) {
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
    if (rest.size() < kOpen.size() && starts_with(kOpen, rest)) break;  // maybe a tag: wait
    bool ours = starts_with(rest, kOpen) &&
                (rest.size() == kOpen.size() ||
                 std::string_view(" \t\n/>").find(rest[kOpen.size()]) != std::string_view::npos);
    if (!ours) {
      out += '<';
      rest.remove_prefix(1);
      continue;
    }
    size_t end = tag_end(rest);
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

std::string RenderTagFilter::flush() {
  std::string out;
  if (!starts_with(held_, kOpen)) out = std::move(held_);
  held_.clear();
  return out;
}

}  // namespace g2a::grok_chat
