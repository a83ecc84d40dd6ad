// A small Node.js HTTP server of a test (a webhook receiver, a proxy-pool API) as a child
// process on port 0, with a JSON GET for the requests it recorded.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace g2a::test {

class NodeServer {
 public:
  // node script args...; the script prints "listening on 127.0.0.1:<port>".
  NodeServer(const std::string& node, const std::string& script,
             std::vector<std::string> args = {});
  std::string url(const std::string& path) const { return process_->url(path); }
  // GET path, expecting 200 and a JSON body.
  boost::json::value get_json(const std::string& path);

 private:
  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  HttpClient client_;
};

}  // namespace g2a::test
