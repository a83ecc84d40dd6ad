#include "core/http/router.hpp"

namespace g2a::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), pattern, split_path(pattern), std::move(handler)};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto segments = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_param(route.segments[i]))
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      else
        ok = route.segments[i] == segments[i];
    }
    if (!ok) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace g2a::http
