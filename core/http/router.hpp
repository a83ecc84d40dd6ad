// Method + path routing with {param} segments.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/http/exchange.hpp"

namespace g2a::http {

using Handler = std::function<boost::asio::awaitable<void>(Exchange&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/v1/models/{id}"; also the metrics label
  std::vector<std::string> segments;
  Handler handler;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // when the path exists with other methods
  };
  Match match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace g2a::http
