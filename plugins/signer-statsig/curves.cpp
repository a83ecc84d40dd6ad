#include "curves.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <cstdlib>
#include <grok2api/plugin.hpp>
#include <optional>

namespace g2a::statsig {
namespace {

// A 4 x 16 table of small objects is a few KB; anything far larger is not it.
constexpr size_t kMaxTableChars = 256 * 1024;

[[noreturn]] void fail(const std::string& what) {
  throw g2a::Error(G2A_PARSE_FAILURE, what);
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The bracketed table starting at text[open] ('['), or nullopt when it does not close.
std::optional<std::string_view> bracketed(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size() && i - open < kMaxTableChars; ++i) {
    if (text[i] == '[') {
      ++depth;
    } else if (text[i] == ']') {
      if (--depth == 0) return text.substr(open, i - open + 1);
    }
  }
  return std::nullopt;
}

// Where the value of a `"curves":` key at text[at] starts, or npos. The closing quote may
// carry escaping backslashes (`\"curves\":`); the opening one is right before the key.
size_t value_start(std::string_view text, size_t at) {
  if (at == 0 || text[at - 1] != '"') return std::string_view::npos;
  size_t p = at + 6;  // past "curves"
  while (p < text.size() && text[p] == '\\') ++p;
  if (p >= text.size() || text[p] != '"') return std::string_view::npos;
  ++p;
  while (p < text.size() && is_space(text[p])) ++p;
  if (p >= text.size() || text[p] != ':') return std::string_view::npos;
  ++p;
  while (p < text.size() && is_space(text[p])) ++p;
  if (p + 1 >= text.size() || text[p] != '[') return std::string_view::npos;
  return p;
}

double number(const boost::json::value& v, const char* what) {
  if (!v.is_number()) fail(fmt::format("curves: {} is not a number", what));
  return v.to_number<double>();
}

template <size_t N>
std::array<double, N> numbers(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array() || v->as_array().size() != N)
    fail(fmt::format("curves: \"{}\" is not an array of {} numbers", key, N));
  std::array<double, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = number(v->as_array()[i], key);
  return out;
}

CurveTable table_from_json(const boost::json::value& v) {
  if (!v.is_array() || v.as_array().size() != kCurveGroups)
    fail(fmt::format("curves: expected {} groups", kCurveGroups));
  CurveTable table;
  for (size_t g = 0; g < kCurveGroups; ++g) {
    const auto& group = v.as_array()[g];
    if (!group.is_array() || group.as_array().size() != kCurvesPerGroup)
      fail(fmt::format("curves: group {} does not hold {} curves", g, kCurvesPerGroup));
    for (size_t s = 0; s < kCurvesPerGroup; ++s) {
      const auto& item = group.as_array()[s];
      if (!item.is_object()) fail(fmt::format("curves: group {} item {} is not an object", g, s));
      const auto& o = item.as_object();
      Curve& c = table[g][s];
      c.color = numbers<6>(o, "color");
      c.bezier = numbers<4>(o, "bezier");
      const auto* deg = o.if_contains("deg");
      if (!deg) fail("curves: \"deg\" is missing");
      c.deg = number(*deg, "deg");
    }
  }
  return table;
}

}  // namespace

CurveTable parse_curves_json(std::string_view text) {
  std::string last_error = "no \"curves\" table found";
  for (size_t at = text.find("curves"); at != std::string_view::npos;
       at = text.find("curves", at + 1)) {
    size_t open = value_start(text, at);
    if (open == std::string_view::npos) continue;
    auto region = bracketed(text, open);
    if (!region) continue;
    // The table holds only keys and numbers, so every backslash is string escaping.
    std::string json;
    json.reserve(region->size());
    for (char c : *region)
      if (c != '\\') json.push_back(c);
    boost::system::error_code ec;
    auto value = boost::json::parse(json, ec);
    if (ec) {
      last_error = "curves: " + ec.message();
      continue;
    }
    try {
      return table_from_json(value);
    } catch (const g2a::Error& e) {
      last_error = e.what();
    }
  }
  fail(last_error);
}

CurveTable parse_curves_paths(const std::vector<std::string>& paths) {
  if (paths.size() != kCurveGroups) fail(fmt::format("curves: expected {} paths", kCurveGroups));
  CurveTable table;
  for (size_t g = 0; g < kCurveGroups; ++g) {
    std::string_view path = paths[g];
    size_t first = path.find('C');
    if (first == std::string_view::npos) fail(fmt::format("curves: path {} has no segments", g));
    size_t s = 0;
    for (size_t at = first; at != std::string_view::npos;) {
      size_t next = path.find('C', at + 1);
      std::string_view seg =
          path.substr(at + 1, next == std::string_view::npos ? next : next - at - 1);
      std::array<double, 11> v{};
      size_t n = 0;
      for (size_t i = 0; i < seg.size();) {
        if (std::isdigit(static_cast<unsigned char>(seg[i])) || seg[i] == '-' || seg[i] == '.') {
          std::string token;
          while (i < seg.size() && (std::isdigit(static_cast<unsigned char>(seg[i])) ||
                                    seg[i] == '-' || seg[i] == '.'))
            token.push_back(seg[i++]);
          if (n == v.size())
            fail(fmt::format("curves: path {} segment {} has extra numbers", g, s));
          char* end = nullptr;
          v[n++] = std::strtod(token.c_str(), &end);
          if (*end != '\0') fail(fmt::format("curves: bad number \"{}\" in path {}", token, g));
        } else {
          ++i;
        }
      }
      if (n != v.size()) fail(fmt::format("curves: path {} segment {} has {} numbers", g, s, n));
      if (s == kCurvesPerGroup) fail(fmt::format("curves: path {} has too many segments", g));
      Curve& c = table[g][s++];
      std::copy(v.begin(), v.begin() + 6, c.color.begin());
      c.deg = v[6];
      std::copy(v.begin() + 7, v.end(), c.bezier.begin());
      at = next;
    }
    if (s != kCurvesPerGroup)
      fail(fmt::format("curves: path {} has {} segments, expected {}", g, s, kCurvesPerGroup));
  }
  return table;
}

}  // namespace g2a::statsig
