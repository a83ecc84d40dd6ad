#include "chunk_scrape.hpp"

#include <unordered_set>

#include "page_scrape.hpp"
#include "url_util.hpp"

namespace g2a::statsig {
namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool ident_char(char c) {
  return ident_start(c) || (c >= '0' && c <= '9');
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

struct Cursor {
  std::string_view s;
  size_t p;

  bool at_end() const { return p >= s.size(); }
  void spaces() {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\t' || s[p] == '\r')) ++p;
  }
  bool eat(char c) {
    if (p < s.size() && s[p] == c) {
      ++p;
      return true;
    }
    return false;
  }
  // A decimal integer of at most 6 digits.
  std::optional<long> integer() {
    size_t start = p;
    long v = 0;
    while (p < s.size() && digit(s[p]) && p - start < 6) v = v * 10 + (s[p++] - '0');
    if (p == start || (p < s.size() && digit(s[p]))) return std::nullopt;
    return v;
  }
  // ident[N] with an identifier starting here; returns N.
  std::optional<long> indexed() {
    if (p >= s.size() || !ident_start(s[p])) return std::nullopt;
    while (p < s.size() && ident_char(s[p])) ++p;
    spaces();
    if (!eat('[')) return std::nullopt;
    spaces();
    auto n = integer();
    spaces();
    if (!n || !eat(']')) return std::nullopt;
    return n;
  }
};

// N of `[x[N]%mod]` at s[at] == '['.
std::optional<long> modulo_at(std::string_view s, size_t at, long mod) {
  Cursor c{s, at + 1};
  c.spaces();
  auto n = c.indexed();
  if (!n) return std::nullopt;
  c.spaces();
  if (!c.eat('%')) return std::nullopt;
  c.spaces();
  auto m = c.integer();
  c.spaces();
  if (!m || *m != mod || !c.eat(']')) return std::nullopt;
  return n;
}

// N of `(x[N],16)` at s[at] == '('.
std::optional<long> radix_call_at(std::string_view s, size_t at) {
  Cursor c{s, at + 1};
  c.spaces();
  auto n = c.indexed();
  if (!n) return std::nullopt;
  c.spaces();
  if (!c.eat(',')) return std::nullopt;
  c.spaces();
  auto r = c.integer();
  c.spaces();
  if (!r || *r != 16 || !c.eat(')')) return std::nullopt;
  return n;
}

bool valid_position(long n) {
  return n >= 0 && n < static_cast<long>(kSeedBytes);
}

}  // namespace

bool references_generator(std::string_view chunk) {
  for (std::string_view token : {std::string_view("1645e3"), std::string_view("1645000")}) {
    for (size_t at = chunk.find(token); at != std::string_view::npos;
         at = chunk.find(token, at + 1)) {
      bool left_ok = at == 0 || !(ident_char(chunk[at - 1]) || chunk[at - 1] == '.');
      size_t end = at + token.size();
      bool right_ok = end >= chunk.size() || !(ident_char(chunk[end]) || chunk[end] == '.');
      if (left_ok && right_ok) return true;
    }
  }
  return false;
}

std::optional<Indices> parse_indices(std::string_view chunk) {
  std::optional<long> group, segment;
  std::vector<long> radix;
  for (size_t i = 0; i < chunk.size(); ++i) {
    char c = chunk[i];
    if (c == '[') {
      if (!group) group = modulo_at(chunk, i, 4);
      if (!segment) segment = modulo_at(chunk, i, 16);
    } else if (c == '(' && radix.size() < 4) {
      if (auto n = radix_call_at(chunk, i)) radix.push_back(*n);
    }
  }
  if (!group) return std::nullopt;
  Indices out;
  out.group = static_cast<int>(*group);
  size_t first_time = 0;
  if (segment) {
    out.segment = static_cast<int>(*segment);
  } else if (radix.size() == 4) {
    out.segment = static_cast<int>(radix[0]);
    first_time = 1;
  } else {
    return std::nullopt;
  }
  if (radix.size() < first_time + 3) return std::nullopt;
  for (size_t k = 0; k < 3; ++k) out.time[k] = static_cast<int>(radix[first_time + k]);
  if (!valid_position(out.group) || !valid_position(out.segment)) return std::nullopt;
  for (int t : out.time)
    if (!valid_position(t)) return std::nullopt;
  return out;
}

std::vector<std::string> chunk_references(std::string_view chunk, std::string_view chunk_url) {
  static constexpr std::string_view kMarker = "static/chunks/";
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (size_t at = chunk.find(kMarker); at != std::string_view::npos;
       at = chunk.find(kMarker, at + 1)) {
    // The literal around the marker: back to its opening quote, on to ".js".
    size_t open = chunk.find_last_of("\"'`", at);
    if (open == std::string_view::npos || at - open > 512) continue;
    size_t close = chunk.find_first_of("\"'`", at);
    if (close == std::string_view::npos) break;
    std::string_view lit = chunk.substr(open + 1, close - open - 1);
    if (lit.size() < 3 || lit.substr(lit.size() - 3) != ".js") continue;
    if (lit.find_first_of(" \\\n") != std::string_view::npos) continue;
    std::string url;
    size_t marker_in_lit = lit.find(kMarker);
    if (lit.front() == '/' || lit.find("://") != std::string_view::npos) {
      url = url_resolve(lit, chunk_url);
    } else {
      // Bare "static/chunks/x.js": chunks live under the same prefix as this one.
      std::string_view base = chunk_url;
      size_t base_marker = base.find(kMarker);
      if (base_marker == std::string_view::npos) continue;
      url = std::string(base.substr(0, base_marker)) + std::string(lit.substr(marker_in_lit));
    }
    if (seen.insert(url).second) out.push_back(std::move(url));
  }
  return out;
}

}  // namespace g2a::statsig
