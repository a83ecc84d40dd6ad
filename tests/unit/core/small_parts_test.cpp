// Router, masking, metrics text and the command line.
#include <gtest/gtest.h>

#include "core/app/cli.hpp"
#include "core/http/message.hpp"
#include "core/http/router.hpp"
#include "core/ops/mask.hpp"
#include "core/ops/metrics.hpp"

namespace g2a {
namespace {

TEST(Router, MatchesParamsAndReportsOtherMethods) {
  http::Router r;
  auto h = [](http::Exchange&) -> boost::asio::awaitable<void> { co_return; };
  r.add("GET", "/v1/models/{id}", h);
  r.add("DELETE", "/v1/videos/{id}", h);
  auto m = r.match("GET", "/v1/models/grok-4");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["id"], "grok-4");
  auto head = r.match("HEAD", "/v1/models/x");
  EXPECT_NE(head.route, nullptr);
  auto wrong = r.match("POST", "/v1/videos/v1");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allowed_methods, std::vector<std::string>{"DELETE"});
  EXPECT_EQ(r.match("GET", "/v1/models").route, nullptr);
  EXPECT_NE(r.match("GET", "/v1/models/x/").route, nullptr);
}

TEST(Message, QueryParamsAndErrorEnvelope) {
  http::Request req;
  req.query = "a=1&b=x%20y&c&d=p+q";
  EXPECT_EQ(req.query_param("a"), "1");
  EXPECT_EQ(req.query_param("b"), "x y");
  EXPECT_EQ(req.query_param("c"), "");
  EXPECT_EQ(req.query_param("d"), "p q");
  EXPECT_FALSE(req.query_param("e"));
  auto e = http::error_response(404, "nope");
  EXPECT_EQ(e.body,
            R"({"error":{"message":"nope","type":"not_found_error","param":null,"code":null}})");
  EXPECT_EQ(http::percent_decode("%zz%4"), "%zz%4");
}

TEST(Mask, TokensSecretsAndUrls) {
  EXPECT_EQ(ops::mask_token("eyJhbGciOiJIUzI1NiJ9.payload"), "eyJhbGciOi****");
  EXPECT_EQ(ops::mask_secret("hunter2"), "****");
  EXPECT_EQ(ops::mask_secret(""), "");
  EXPECT_EQ(ops::mask_url_credentials("socks5h://bob:pw@10.0.0.1:1080"),
            "socks5h://bob:****@10.0.0.1:1080");
  EXPECT_EQ(ops::mask_url_credentials("http://proxy:3128/path@x"), "http://proxy:3128/path@x");
  EXPECT_EQ(ops::mask_url_credentials("http://a-very-long-user-name:pw@h:1"),
            "http://a-ve****:****@h:1");
  EXPECT_EQ(ops::mask_urls_in_text("receivers[0] https://u:pw@h.example/x?key=k1: HTTP 500"),
            "receivers[0] https://u:****@h.example/x?****: HTTP 500");
  EXPECT_EQ(ops::mask_urls_in_text("no url, an httpd and http://h:1/p#frag"),
            "no url, an httpd and http://h:1/p?****");
  EXPECT_EQ(ops::mask_urls_in_text("proxy socks5h://user:secret@10.0.0.1:1080 is down; sso"),
            "proxy socks5h://user:****@10.0.0.1:1080 is down; sso");
  EXPECT_EQ(ops::mask_urls_in_text(""), "");
}

TEST(Metrics, RendersCountersGaugesAndHistograms) {
  ops::Metrics m;
  m.counter("t_total", "help text", "a=\"1\"").add(3);
  m.gauge("t_gauge", "g", "", [] { return 2.5; });
  m.histogram("t_seconds", "h").observe(0.02);
  auto text = m.render();
  EXPECT_NE(text.find("# TYPE t_total counter\nt_total{a=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("t_gauge 2.5\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"0.025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"0.01\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_count 1\n"), std::string::npos);
}

TEST(CommandLine, ParsesFlagsAndRejectsNonsense) {
  auto cl = app::parse_command_line({"--config", "x.toml", "--data-dir=d", "--port", "0"});
  EXPECT_EQ(cl.config_file, "x.toml");
  EXPECT_EQ(cl.data_dir, "d");
  EXPECT_EQ(cl.port, 0);
  EXPECT_THROW(app::parse_command_line({"--port", "70000"}), std::invalid_argument);
  EXPECT_THROW(app::parse_command_line({"--port"}), std::invalid_argument);
  EXPECT_THROW(app::parse_command_line({"--what"}), std::invalid_argument);
}

TEST(CommandLine, ExportAndImportTakeADirectoryAndForceGoesWithThem) {
  auto ex = app::parse_command_line({"--export", "backup", "--force"});
  EXPECT_EQ(ex.export_dir, "backup");
  EXPECT_FALSE(ex.import_dir);
  EXPECT_TRUE(ex.force);
  auto im = app::parse_command_line({"--import=old-data"});
  EXPECT_EQ(im.import_dir, "old-data");
  EXPECT_FALSE(im.force);
  EXPECT_THROW(app::parse_command_line({"--export", "a", "--import", "b"}), std::invalid_argument);
  EXPECT_THROW(app::parse_command_line({"--export"}), std::invalid_argument);
  EXPECT_THROW(app::parse_command_line({"--import="}), std::invalid_argument);
  EXPECT_THROW(app::parse_command_line({"--force"}), std::invalid_argument);
}

}  // namespace
}  // namespace g2a
