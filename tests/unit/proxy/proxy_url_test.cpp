// Proxy URL normalisation, shared by the settings and the pool: the Pro spellings, socks5
// stored as socks5h (Pro's keys), and a fixed point for every accepted input.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "core/proxy/proxy_url.hpp"

namespace g2a::proxy {
namespace {

TEST(ProxyUrl, NormalisesTheAcceptedSpellings) {
  EXPECT_EQ(proxy_url_of("1.2.3.4:8080"), "http://1.2.3.4:8080");
  EXPECT_EQ(proxy_url_of("user:pw@h:3128"), "http://user:pw@h:3128");
  EXPECT_EQ(proxy_url_of("HTTPS://h:443/"), "https://h:443");
  EXPECT_EQ(proxy_url_of("socks5://h:1080"), "socks5h://h:1080");
  EXPECT_EQ(proxy_url_of("sock5://h:1080"), "socks5h://h:1080");
  EXPECT_EQ(proxy_url_of("sock5h://h:1080"), "socks5h://h:1080");
  EXPECT_EQ(proxy_url_of(" socks5h://u:p@[::1]:1080 "), "socks5h://u:p@[::1]:1080");
}

TEST(ProxyUrl, RefusesWhatIsNotAProxy) {
  for (const char* bad : {"", "   ", "h", "h:", "ftp://h:21", "socks4://h:1", "http://h:1/x",
                          "http://h:1?k=v", "http://:1", "http://@h:1", "http://h:70000",
                          "http://h\r\n:1", "http://[zz]:1", "http://h h:1"})
    EXPECT_EQ(proxy_url_of(bad), std::nullopt) << bad;
  std::string empty = "  ";
  EXPECT_TRUE(normalise_proxy_url(empty));  // the settings' "no proxy"
  EXPECT_EQ(empty, "");
  std::string kept = "ftp://h:21";
  EXPECT_FALSE(normalise_proxy_url(kept));
  EXPECT_EQ(kept, "ftp://h:21");
}

// Whatever is accepted normalises to a fixed point with one of the four schemes.
RC_GTEST_PROP(ProxyUrl, AcceptedInputsHaveAFixedPoint, ()) {
  const auto prefix = *rc::gen::element<std::string>("", " ", "http://", "HTTPS://", "sock5://",
                                                     "socks5://", "socks5h://", "u:p@", "ftp://");
  const auto part = rc::gen::container<std::string>(rc::gen::element('a', 'b', '1', '.', '-', '_'));
  const auto junk = *rc::gen::element<std::string>("", "", "", "", " ", "%", "[", "@", ":", "/");
  const auto host = *part + junk + *part;
  const auto suffix = *rc::gen::element<std::string>("", ":8080", ":0", ":", "/", ":1/", " ",
                                                     "@h:1", ":65536", "]:1");
  auto once = proxy_url_of(prefix + host + suffix);
  RC_CLASSIFY(once.has_value());
  if (!once) return;
  RC_ASSERT(proxy_url_of(*once) == once);
  RC_ASSERT(once->starts_with("http://") || once->starts_with("https://") ||
            once->starts_with("socks5h://"));
}

RC_GTEST_PROP(ProxyUrl, HostAndPortAlwaysNormalise, ()) {
  const auto host = *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::oneOf(
      rc::gen::inRange('a', static_cast<char>('z' + 1)), rc::gen::element('.', '-', '_'))));
  const auto port = *rc::gen::inRange(1, 65536);
  auto url = proxy_url_of(host + ":" + std::to_string(port));
  RC_ASSERT(url == "http://" + host + ":" + std::to_string(port));
}

}  // namespace
}  // namespace g2a::proxy
