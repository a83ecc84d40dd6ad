#include "node_server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace g2a::test {

NodeServer::NodeServer(const std::string& node, const std::string& script,
                       std::vector<std::string> args) {
  ServerConfig config(dir_.str(), "", {}, {}, true);
  config.binary = node;
  config.argv0_args = {script};
  for (auto& a : args) config.argv0_args.push_back(std::move(a));
  process_ = std::make_unique<ServerProcess>(config);
}

boost::json::value NodeServer::get_json(const std::string& path) {
  auto r = client_.get(url(path));
  EXPECT_EQ(r.status, 200) << r.error;
  return boost::json::parse(r.body);
}

}  // namespace g2a::test
