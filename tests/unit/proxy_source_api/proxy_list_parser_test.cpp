// The proxy-pool answer parser: each accepted format by example, what it refuses and why,
// and RapidCheck round trips (any set of proxies, written in any accepted format, reads
// back as the same URLs).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "proxy_address.hpp"
#include "proxy_list_parser.hpp"

namespace g2a::proxy_source_api {
namespace {

using Urls = std::vector<std::string>;

TEST(ProxyListParser, OneProxyAsPlainText) {
  auto list = parse_proxy_list("  http://user:secret@10.0.0.7:3128/\n");
  EXPECT_EQ(list.urls, Urls{"http://user:secret@10.0.0.7:3128"});
  EXPECT_EQ(list.format, "text");
  // host:port alone gets http://; the Pro misspellings are read.
  EXPECT_EQ(parse_proxy_list("10.0.0.7:3128").urls, Urls{"http://10.0.0.7:3128"});
  EXPECT_EQ(parse_proxy_list("sock5://h:1").urls, Urls{"socks5://h:1"});
  EXPECT_EQ(parse_proxy_list("SOCK5H://H.Example:1").urls, Urls{"socks5h://h.example:1"});
}

TEST(ProxyListParser, NewlineListWithCommentsBlankLinesAndCrlf) {
  auto list = parse_proxy_list(
      "# fetched 12:00\r\n\r\n10.0.0.1:8080\r\n  socks5://u:p@[::1]:1080  \r\n# end\r\n"
      "1.2.3.4:8000:seller:pa55\r\n10.0.0.1:8080\r\n");
  EXPECT_EQ(list.urls, (Urls{"http://10.0.0.1:8080", "socks5://u:p@[::1]:1080",
                             "http://seller:pa55@1.2.3.4:8000"}));  // the repeat is dropped
  EXPECT_EQ(list.rejected, 0u);
}

TEST(ProxyListParser, JsonArrayOfStrings) {
  auto list = parse_proxy_list(R"(["http://1.2.3.4:80", "https://h:443", "socks5h://x:1080"])");
  EXPECT_EQ(list.format, "json");
  EXPECT_EQ(list.urls, (Urls{"http://1.2.3.4:80", "https://h:443", "socks5h://x:1080"}));
}

TEST(ProxyListParser, JsonArrayOfObjectsWithEveryFieldSpelling) {
  auto list = parse_proxy_list(R"([
    {"host":"a.example","port":8080,"scheme":"http","user":"u","pass":"p"},
    {"ip":"10.0.0.2","port":"1080","protocol":"SOCKS5","username":"us@r","password":"p:w/d"},
    {"host":"10.0.0.3","port":443,"type":"https"},
    {"host":"10.0.0.4:3128"},
    {"url":"socks5h://10.0.0.5:1"},
    {"proxy":"10.0.0.6:2"}])");
  EXPECT_EQ(list.urls, (Urls{"http://u:p@a.example:8080", "socks5://us%40r:p%3Aw%2Fd@10.0.0.2:1080",
                             "https://10.0.0.3:443", "http://10.0.0.4:3128", "socks5h://10.0.0.5:1",
                             "http://10.0.0.6:2"}));
  EXPECT_EQ(list.rejected, 0u);
}

TEST(ProxyListParser, ObjectsWrappingTheListUnderCommonKeys) {
  for (const char* body :
       {R"({"code":0,"data":["h:1","h:2"]})", R"({"proxies":["h:1","h:2"]})",
        R"({"list":[{"host":"h","port":1},{"host":"h","port":2}]})",
        R"({"status":"ok","data":{"list":["h:1","h:2"]}})", R"({"data":"h:1\nh:2\n"})"})
    EXPECT_EQ(parse_proxy_list(body).urls, (Urls{"http://h:1", "http://h:2"})) << body;
  EXPECT_EQ(parse_proxy_list(R"({"host":"h","port":9})").urls, Urls{"http://h:9"});
}

TEST(ProxyListParser, UnusableEntriesAreSkippedAndCounted) {
  auto list = parse_proxy_list(R"(["h:1", "ftp://h:2", "h", 7, {"port":3}, "h:70000", "h:3"])");
  EXPECT_EQ(list.urls, (Urls{"http://h:1", "http://h:3"}));
  EXPECT_EQ(list.rejected, 5u);
  EXPECT_EQ(list.first_problem, "entry 2: the scheme is not http, https, socks5 or socks5h");
}

TEST(ProxyListParser, AnAnswerWithoutAProxySaysWhy) {
  auto none = parse_proxy_list("# nothing today\n\n");
  EXPECT_TRUE(none.urls.empty());
  EXPECT_EQ(empty_list_reason(none), "the answer (text) names no proxy");

  auto html = parse_proxy_list("<html><body>Service Unavailable</body></html>");
  EXPECT_TRUE(html.urls.empty());
  EXPECT_EQ(empty_list_reason(html),
            "none of the 1 entries of the answer (text) is a usable proxy (entry 1: a proxy URL "
            "has no path, query or fragment)");

  auto secret = parse_proxy_list("http://user:hunter2@host-without-port");
  EXPECT_EQ(secret.first_problem, "entry 1: the port is missing");
  EXPECT_EQ(empty_list_reason(secret).find("hunter2"), std::string::npos);

  EXPECT_TRUE(parse_proxy_list(R"({"error":"quota exceeded"})").urls.empty());
  EXPECT_TRUE(parse_proxy_list("").urls.empty());
}

TEST(ProxyListParser, BrokenJsonFallsBackToTextSoIpv6ListsStillRead) {
  EXPECT_EQ(parse_proxy_list("[::1]:8080\n[2001:db8::2]:3128").urls,
            (Urls{"http://[::1]:8080", "http://[2001:db8::2]:3128"}));
  EXPECT_TRUE(parse_proxy_list(R"({"data":["h:1",)").urls.empty());
}

// ---- properties -------------------------------------------------------------

rc::Gen<std::string> label(const char* alphabet, int min_len, int max_len) {
  return rc::gen::mapcat(rc::gen::inRange(min_len, max_len + 1), [alphabet](int n) {
    std::string chars(alphabet);
    return rc::gen::container<std::string>(static_cast<size_t>(n), rc::gen::elementOf(chars));
  });
}

// Credentials may hold any printable character, ':', '@', '/' and '%' included.
constexpr const char* kPrintable =
    " !\"#$%&'()*+,-./"
    "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

// Any proxy the pool accepts: a host name or an IPv4 address, any credentials.
rc::Gen<ProxyAddress> any_proxy() {
  return rc::gen::build<ProxyAddress>(
      rc::gen::set(&ProxyAddress::scheme,
                   rc::gen::element<std::string>("http", "https", "socks5", "socks5h")),
      rc::gen::set(
          &ProxyAddress::host,
          rc::gen::oneOf(
              label("abcdefghijklmnopqrstuvwxyz0123456789-.", 1, 30),
              rc::gen::map(rc::gen::container<std::vector<int>>(4, rc::gen::inRange(0, 256)),
                           [](const std::vector<int>& b) {
                             return std::to_string(b[0]) + "." + std::to_string(b[1]) + "." +
                                    std::to_string(b[2]) + "." + std::to_string(b[3]);
                           }))),
      rc::gen::set(&ProxyAddress::port, rc::gen::inRange(1u, 65536u)),
      rc::gen::set(&ProxyAddress::user,
                   rc::gen::oneOf(rc::gen::just(std::string()), label(kPrintable, 1, 12))),
      rc::gen::set(&ProxyAddress::pass, label(kPrintable, 0, 12)));
}

Urls urls_of(const std::vector<ProxyAddress>& proxies) {
  Urls out;
  for (auto p : proxies) {
    if (p.user.empty()) p.pass.clear();  // a password needs a user name
    std::string url = to_url(p);
    if (std::find(out.begin(), out.end(), url) == out.end()) out.push_back(url);
  }
  return out;
}

RC_GTEST_PROP(ProxyListProperty, UrlsReadBackAsThemselves, ()) {
  auto p = *any_proxy();
  if (p.user.empty()) p.pass.clear();
  std::string why;
  auto again = parse_proxy_text(to_url(p), &why);
  RC_ASSERT(again.has_value());
  RC_ASSERT(*again == p);
}

RC_GTEST_PROP(ProxyListProperty, EveryFormatReadsBackTheSameList, ()) {
  auto proxies = *rc::gen::nonEmpty(rc::gen::container<std::vector<ProxyAddress>>(any_proxy()));
  Urls expected = urls_of(proxies);
  int format = *rc::gen::inRange(0, 5);
  std::string body;
  namespace json = boost::json;
  if (format == 0) {  // newline list with comments, blank lines and CRLF
    body = "# pool\r\n\r\n";
    for (const auto& u : expected) body += "  " + u + "\r\n# -\r\n";
  } else if (format == 1 || format == 4) {  // array of strings, or wrapped under a key
    json::array a;
    for (const auto& u : expected) a.emplace_back(u);
    const std::string key = *rc::gen::element<std::string>("data", "proxies", "list");
    body = format == 1 ? json::serialize(a) : json::serialize(json::object{{key, a}, {"code", 0}});
  } else {  // array of objects, with either spelling of each field
    json::array a;
    for (auto p : proxies) {
      if (p.user.empty()) p.pass.clear();
      json::object o;
      o[*rc::gen::element<std::string>("host", "ip")] = p.host;
      if (*rc::gen::arbitrary<bool>())
        o["port"] = p.port;
      else
        o["port"] = std::to_string(p.port);
      o[*rc::gen::element<std::string>("scheme", "protocol", "type")] = p.scheme;
      if (!p.user.empty()) o[*rc::gen::element<std::string>("user", "username")] = p.user;
      if (!p.pass.empty()) o[*rc::gen::element<std::string>("pass", "password")] = p.pass;
      a.push_back(std::move(o));
    }
    body = format == 2 ? json::serialize(a) : json::serialize(json::object{{"data", a}});
  }
  auto list = parse_proxy_list(body);
  RC_ASSERT(list.urls == expected);
  RC_ASSERT(list.rejected == 0u);
}

RC_GTEST_PROP(ProxyListProperty, AnyBytesGiveUrlsThatReadBack, (const std::string& body)) {
  auto list = parse_proxy_list(body);
  for (const auto& u : list.urls) {
    std::string why;
    auto again = parse_proxy_text(u, &why);
    RC_ASSERT(again.has_value());
    RC_ASSERT(to_url(*again) == u);
  }
}

}  // namespace
}  // namespace g2a::proxy_source_api
