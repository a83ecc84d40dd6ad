// Raw bytes from a client: the HTTP/1.1 parser with our limits, then everything we derive
// from the request (path decoding, query parameters, routing).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>

#include "core/http/beast_request.hpp"
#include "core/http/router.hpp"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const g2a::http::Router router = [] {
    g2a::http::Router r;
    auto h = [](g2a::http::Exchange&) -> boost::asio::awaitable<void> { co_return; };
    r.add("GET", "/v1/models/{id}", h);
    r.add("POST", "/v1/videos/{id}/remix", h);
    r.add("GET", "/health", h);
    return r;
  }();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(64 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  auto req = g2a::http::from_beast(parser.get(), "127.0.0.1");
  (void)req.query_param("after");
  (void)req.query_param("limit");
  (void)req.header("authorization");
  auto raw_path = std::string_view(req.target).substr(0, req.target.find('?'));
  auto m = router.match(req.method, raw_path);
  for (auto& [k, v] : m.params) (void)g2a::http::percent_decode(v);
  return 0;
}
