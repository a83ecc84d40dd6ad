#include "core/http/beast_request.hpp"

namespace g2a::http {

Request from_beast(boost::beast::http::request<boost::beast::http::string_body>& req,
                   std::string remote_ip) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  auto q = r.target.find('?');
  r.path = percent_decode(std::string_view(r.target).substr(0, q));
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.headers.reserve(static_cast<size_t>(std::distance(req.begin(), req.end())));
  for (const auto& f : req)
    r.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  r.body = std::move(req.body());
  r.remote_ip = std::move(remote_ip);
  return r;
}

}  // namespace g2a::http
