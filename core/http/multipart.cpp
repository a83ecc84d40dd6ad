#include "core/http/multipart.hpp"

#include <cctype>

namespace g2a::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars.
bool boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// "type; k=v; k2="quoted"": the type, then the parameters in order (names lower-cased).
struct HeaderValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;
  const std::string* param(std::string_view name) const {
    for (const auto& [k, v] : params)
      if (k == name) return &v;
    return nullptr;
  }
};

HeaderValue parse_header_value(std::string_view s, std::string_view what) {
  HeaderValue out;
  size_t semi = s.find(';');
  out.value = std::string(trim(s.substr(0, semi)));
  s = semi == std::string_view::npos ? std::string_view() : s.substr(semi + 1);
  while (!trim(s).empty()) {
    s = trim(s);
    size_t eq = 0;
    while (eq < s.size() && token_char(s[eq])) ++eq;
    if (eq == 0 || eq >= s.size() || s[eq] != '=')
      throw MultipartError(std::string(what) + " has a malformed parameter");
    std::string key(s.substr(0, eq));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    s.remove_prefix(eq + 1);
    std::string value;
    if (!s.empty() && s.front() == '"') {
      size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i];
      }
      if (i >= s.size()) throw MultipartError(std::string(what) + " has an unclosed quote");
      s.remove_prefix(i + 1);
    } else {
      size_t i = 0;
      while (i < s.size() && s[i] != ';' && s[i] != ' ' && s[i] != '\t') ++i;
      value = std::string(s.substr(0, i));
      s.remove_prefix(i);
    }
    s = trim(s);
    if (!s.empty()) {
      if (s.front() != ';') throw MultipartError(std::string(what) + " has a malformed parameter");
      s.remove_prefix(1);
    }
    out.params.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

void read_headers(std::string_view block, MultipartPart& part, size_t index) {
  std::string where = "part " + std::to_string(index + 1);
  bool disposition = false;
  while (!block.empty()) {
    size_t eol = block.find(kCrlf);
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) continue;
    for (char c : line)
      if (c == '\r' || c == '\n' || c == '\0')
        throw MultipartError(where + ": a control character in a header line");
    if (line.front() == ' ' || line.front() == '\t')
      throw MultipartError(where + ": folded header lines are not accepted");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      throw MultipartError(where + ": a header line without a name");
    std::string_view name = line.substr(0, colon);
    for (char c : name)
      if (!token_char(c)) throw MultipartError(where + ": an invalid header name");
    std::string_view value = trim(line.substr(colon + 1));
    if (iequal(name, "content-disposition")) {
      if (disposition) throw MultipartError(where + ": two Content-Disposition headers");
      disposition = true;
      auto v = parse_header_value(value, where + " Content-Disposition");
      if (!iequal(v.value, "form-data"))
        throw MultipartError(where + ": Content-Disposition is not form-data");
      const std::string* n = v.param("name");
      if (!n) throw MultipartError(where + ": Content-Disposition has no name");
      part.name = *n;
      if (const std::string* f = v.param("filename")) part.filename = *f;
    } else if (iequal(name, "content-type")) {
      part.content_type = std::string(value);
    }  // other headers (Content-Transfer-Encoding is deprecated by RFC 7578) are ignored
  }
  if (!disposition) throw MultipartError(where + ": no Content-Disposition header");
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  auto v = parse_header_value(content_type, "the Content-Type");
  if (!iequal(v.value, "multipart/form-data"))
    throw MultipartError("the body must be multipart/form-data");
  const std::string* b = v.param("boundary");
  if (!b) throw MultipartError("the multipart Content-Type has no boundary");
  if (b->empty() || b->size() > 70 || b->back() == ' ')
    throw MultipartError("the multipart boundary must be 1 to 70 characters");
  for (char c : *b)
    if (!boundary_char(c)) throw MultipartError("the multipart boundary has an invalid character");
  return *b;
}

std::vector<MultipartPart> parse_form_data(std::string_view content_type, std::string_view body,
                                           const MultipartLimits& limits) {
  std::string boundary = multipart_boundary(content_type);
  return parse_multipart(body, boundary, limits);
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits) {
  if (boundary.empty()) throw MultipartError("the multipart boundary is empty");
  std::string dash = "--" + std::string(boundary);
  std::string delimiter = "\r\n" + dash;
  // The first delimiter opens the body or ends a preamble line.
  size_t pos = 0;
  if (body.substr(0, dash.size()) != dash) {
    size_t first = body.find(delimiter);
    if (first == std::string_view::npos)
      throw MultipartError("the body does not contain its multipart boundary");
    pos = first + 2;
  }
  std::vector<MultipartPart> parts;
  for (;;) {
    pos += dash.size();
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter; epilogue ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // padding
    if (body.substr(pos, 2) != kCrlf)
      throw MultipartError("a multipart boundary line must end with CRLF");
    pos += 2;
    if (parts.size() == limits.max_parts)
      throw MultipartError("more than " + std::to_string(limits.max_parts) + " multipart parts");
    // Headers end at an empty line; a part without headers starts with it.
    size_t head_end = body.substr(pos, 2) == kCrlf ? pos : body.find("\r\n\r\n", pos);
    size_t head_size = head_end == std::string_view::npos ? body.size() - pos : head_end - pos;
    if (head_size > limits.max_header_bytes)
      throw MultipartError("the headers of part " + std::to_string(parts.size() + 1) +
                           " are larger than " + std::to_string(limits.max_header_bytes) +
                           " bytes");
    if (head_end == std::string_view::npos)
      throw MultipartError("part " + std::to_string(parts.size() + 1) + " has no end of headers");
    MultipartPart part;
    read_headers(body.substr(pos, head_end - pos), part, parts.size());
    size_t data_start = head_end + (head_end == pos ? 2 : 4);
    size_t next = body.find(delimiter, data_start);
    if (next == std::string_view::npos)
      throw MultipartError("the multipart body ends before its closing boundary");
    if (next - data_start > limits.max_part_bytes)
      throw MultipartError("part '" + part.name + "' is larger than " +
                           std::to_string(limits.max_part_bytes) + " bytes");
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

std::string build_multipart(const std::vector<MultipartPart>& parts, std::string_view boundary) {
  auto quoted = [](std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  };
  std::string out;
  for (const auto& p : parts) {
    out += "--";
    out += boundary;
    out += "\r\nContent-Disposition: form-data; name=" + quoted(p.name);
    if (p.filename) out += "; filename=" + quoted(*p.filename);
    if (!p.content_type.empty()) out += "\r\nContent-Type: " + p.content_type;
    out += "\r\n\r\n";
    out += p.data;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace g2a::http
