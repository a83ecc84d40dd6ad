#include "url_util.hpp"

namespace g2a::statsig {
namespace {

size_t authority_start(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string_view::npos;
  for (size_t i = 0; i < scheme; ++i) {
    char c = url[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') ||
              (i > 0 && (c == '+' || c == '-' || c == '.'));
    if (!ok) return std::string_view::npos;
  }
  return scheme + 3;
}

}  // namespace

std::string url_origin(std::string_view url) {
  size_t start = authority_start(url);
  if (start == std::string_view::npos) return "";
  size_t end = url.find_first_of("/?#", start);
  return std::string(url.substr(0, end));
}

std::string url_resolve(std::string_view ref, std::string_view base) {
  if (authority_start(ref) != std::string_view::npos) return std::string(ref);
  if (ref.substr(0, 2) == "//") {
    size_t colon = base.find("://");
    return std::string(base.substr(0, colon == std::string_view::npos ? 0 : colon + 1)) +
           std::string(ref);
  }
  std::string origin = url_origin(base);
  if (!ref.empty() && ref.front() == '/') return origin + std::string(ref);
  // Relative: replace everything after the base path's last '/'.
  std::string_view rest = base.substr(origin.size());
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.rfind('/');
  std::string dir = slash == std::string_view::npos ? "/" : std::string(rest.substr(0, slash + 1));
  return origin + dir + std::string(ref);
}

std::string url_pathname(std::string_view target) {
  size_t start = authority_start(target);
  if (start != std::string_view::npos) {
    size_t slash = target.find_first_of("/?#", start);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash);
  }
  target = target.substr(0, target.find_first_of("?#"));
  if (target.empty()) return "/";
  return std::string(target);
}

std::string url_redacted(std::string_view url) {
  size_t start = authority_start(url);
  if (start == std::string_view::npos) return std::string(url.substr(0, url.find_first_of("?#")));
  size_t path = url.find_first_of("/?#", start);
  std::string_view authority =
      url.substr(start, path == std::string_view::npos ? path : path - start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  std::string_view rest = path == std::string_view::npos ? std::string_view() : url.substr(path);
  rest = rest.substr(0, rest.find_first_of("?#"));
  return std::string(url.substr(0, start)) + std::string(authority) + std::string(rest);
}

}  // namespace g2a::statsig
