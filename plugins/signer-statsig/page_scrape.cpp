#include "page_scrape.hpp"
#include "utf8.hpp"

#include <fmt/format.h>

#include <cctype>
#include <grok2api/plugin.hpp>
#include <unordered_set>
#include <utility>

#include "url_util.hpp"

namespace g2a::statsig {
namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
}

bool starts_with_icase(std::string_view s, size_t at, std::string_view prefix) {
  if (at + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[at + i]) != prefix[i]) return false;
  return true;
}

// Parses the attributes of the tag whose name ends at `p`; returns them and moves p past
// the closing '>'.
Attributes read_attributes(std::string_view html, size_t& p) {
  Attributes attrs;
  while (p < html.size()) {
    while (p < html.size() && (is_space(html[p]) || html[p] == '/')) ++p;
    if (p >= html.size()) break;
    if (html[p] == '>') {
      ++p;
      break;
    }
    size_t name_start = p;
    while (p < html.size() && !is_space(html[p]) && html[p] != '=' && html[p] != '>' &&
           html[p] != '/')
      ++p;
    std::string name;
    for (size_t i = name_start; i < p; ++i) name.push_back(lower(html[i]));
    while (p < html.size() && is_space(html[p])) ++p;
    std::string value;
    if (p < html.size() && html[p] == '=') {
      ++p;
      while (p < html.size() && is_space(html[p])) ++p;
      if (p < html.size() && (html[p] == '"' || html[p] == '\'')) {
        char quote = html[p++];
        size_t end = html.find(quote, p);
        if (end == std::string_view::npos) end = html.size();
        value = decode_html_entities(html.substr(p, end - p));
        p = end < html.size() ? end + 1 : end;
      } else {
        size_t start = p;
        while (p < html.size() && !is_space(html[p]) && html[p] != '>') ++p;
        value = decode_html_entities(html.substr(start, p - start));
      }
    }
    if (!name.empty()) attrs.emplace_back(std::move(name), std::move(value));
  }
  return attrs;
}

const std::string* attribute(const Attributes& attrs, std::string_view name) {
  for (const auto& [k, v] : attrs)
    if (k == name) return &v;
  return nullptr;
}

// Visits every <tag ...> (case-insensitive) with its attributes; stops when fn returns true.
template <class Fn>
void for_each_tag(std::string_view html, std::string_view tag, Fn&& fn) {
  for (size_t p = html.find('<'); p != std::string_view::npos; p = html.find('<', p)) {
    ++p;
    if (!starts_with_icase(html, p, tag)) continue;
    size_t after = p + tag.size();
    if (after < html.size() && !is_space(html[after]) && html[after] != '>' && html[after] != '/')
      continue;
    p = after;
    if (fn(read_attributes(html, p))) return;
  }
}

// Lower case, with unicode dashes, spaces and underscores folded to '-'.
std::string normalise_name(std::string_view name) {
  static const std::string_view kDashes[] = {"\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92",
                                             "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",
                                             "\xE2\x88\x92", "\xEF\xB9\xA3", "\xEF\xBC\x8D"};
  std::string out;
  for (size_t i = 0; i < name.size();) {
    bool dash = false;
    for (auto d : kDashes) {
      if (name.substr(i, d.size()) == d) {
        out.push_back('-');
        i += d.size();
        dash = true;
        break;
      }
    }
    if (dash) continue;
    char c = name[i++];
    out.push_back(is_space(c) || c == '_' ? '-' : lower(c));
  }
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string decode_html_entities(std::string_view text) {
  static const std::pair<std::string_view, char> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    size_t semi = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back(text[i]);
      continue;
    }
    std::string_view ref = text.substr(i + 1, semi - i - 1);
    bool done = false;
    if (ref.size() > 1 && ref[0] == '#') {
      bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::string digits(ref.substr(hex ? 2 : 1));
      if (!digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                          : "0123456789") == std::string::npos) {
        append_utf8(out, std::stoul(digits, nullptr, hex ? 16 : 10));
        done = true;
      }
    } else {
      for (const auto& [name, c] : kNamed) {
        if (ref == name) {
          out.push_back(c);
          done = true;
          break;
        }
      }
    }
    if (done)
      i = semi;
    else
      out.push_back(text[i]);
  }
  return out;
}

std::optional<std::string> find_site_verification(std::string_view html) {
  std::optional<std::string> found;
  for_each_tag(html, "meta", [&](const Attributes& attrs) {
    const std::string* name = attribute(attrs, "name");
    const std::string* content = attribute(attrs, "content");
    if (!name || !content || normalise_name(*name) != "grok-site-verification") return false;
    found = trim(*content);
    return true;
  });
  return found;
}

Bytes decode_seed(std::string_view content) {
  auto bytes = base64_decode(content);
  if (!bytes) throw g2a::Error(G2A_PARSE_FAILURE, "the site-verification seed is not base64");
  if (bytes->size() != kSeedBytes)
    throw g2a::Error(G2A_PARSE_FAILURE, fmt::format("the site-verification seed has {} bytes, "
                                                    "expected {}",
                                                    bytes->size(), kSeedBytes));
  return std::move(*bytes);
}

std::vector<std::string> chunk_script_urls(std::string_view html, std::string_view page_url) {
  std::vector<std::string> urls;
  std::unordered_set<std::string> seen;
  for_each_tag(html, "script", [&](const Attributes& attrs) {
    const std::string* src = attribute(attrs, "src");
    if (!src) return false;
    std::string_view path = *src;
    path = path.substr(0, path.find_first_of("?#"));
    bool is_chunk = path.find("/static/chunks/") != std::string_view::npos ||
                    path.substr(0, 14) == "static/chunks/";
    if (!is_chunk || path.size() < 3 || path.substr(path.size() - 3) != ".js") return false;
    std::string url = url_resolve(*src, page_url);
    if (seen.insert(url).second) urls.push_back(std::move(url));
    return false;
  });
  return urls;
}

}  // namespace g2a::statsig
