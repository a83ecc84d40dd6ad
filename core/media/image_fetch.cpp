#include "core/media/image_fetch.hpp"

#include "core/config/settings.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url.hpp>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/upstream/address_policy.hpp"
#include "core/upstream/http_client.hpp"

namespace g2a::media {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

struct Target {
  std::string url;
  std::string host;  // as curl matches it: a name, an IPv4 literal, or [v6]
  std::string port;
  std::string address;  // a literal address: judged without DNS
};

Target parse_target(const std::string& text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) throw ImageInputError("the image URL is not a valid absolute URL");
  const auto& u = *parsed;
  std::string scheme = u.scheme();
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https")
    throw ImageInputError("only http and https image URLs are fetched");
  if (u.has_userinfo()) throw ImageInputError("image URLs with credentials are not fetched");
  Target t;
  t.url = text;
  t.port = u.has_port() ? std::string(u.port()) : scheme == "https" ? "443" : "80";
  switch (u.host_type()) {
    case boost::urls::host_type::ipv4:
      t.host = t.address = u.host_address();
      break;
    case boost::urls::host_type::ipv6:
      t.address = u.host_address();
      t.host = "[" + t.address + "]";
      break;
    case boost::urls::host_type::name:
      t.host = u.host();
      break;
    default:
      throw ImageInputError("the image URL has no usable host");
  }
  if (t.host.empty()) throw ImageInputError("the image URL has no host");
  return t;
}

void judge(const std::string& host, const std::string& address, bool allow_private) {
  auto cls = upstream::classify_address(address);
  if (!cls) throw ImageInputError("the image host " + host + " resolved to no usable address");
  if (!upstream::address_allowed(*cls, allow_private))
    throw ImageInputError("the image URL's host " + host + " is a " +
                          std::string(upstream::to_string(*cls)) +
                          " address, which the gateway does not fetch from");
}

// The addresses the connection may use, every one judged; they are then pinned.
asio::awaitable<std::vector<std::string>> judged_addresses(const Target& t, bool allow_private,
                                                           Clock::time_point deadline) {
  if (!t.address.empty()) {
    judge(t.host, t.address, allow_private);
    co_return std::vector<std::string>{t.address};
  }
  auto executor = co_await asio::this_coro::executor;
  // Shared, so that a deadline that fired just as the answer came cannot reach a resolver
  // that is gone.
  auto resolver = std::make_shared<asio::ip::tcp::resolver>(executor);
  // getaddrinfo cannot be stopped, but the wait for it can: the fetch's deadline cancels it.
  asio::steady_timer limit(executor, deadline);
  std::weak_ptr<asio::ip::tcp::resolver> weak = resolver;
  auto on_deadline = [weak](boost::system::error_code timer_ec) {
    if (auto r = weak.lock(); r && !timer_ec) r->cancel();
  };
  limit.async_wait(on_deadline);
  boost::system::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  auto results = co_await resolver->async_resolve(t.host, t.port, token);
  limit.cancel();
  if (ec == asio::error::operation_aborted)
    throw ImageInputError("resolving the image host " + t.host + " timed out");
  if (ec || results.empty())
    throw ImageInputError("the image host " + t.host + " could not be resolved");
  std::vector<std::string> addresses;
  // Every address must pass: a name that also points inside is refused as a whole.
  for (const auto& entry : results) {
    std::string a = entry.endpoint().address().to_string();
    judge(t.host, a, allow_private);
    if (std::find(addresses.begin(), addresses.end(), a) == addresses.end())
      addresses.push_back(std::move(a));
  }
  co_return addresses;
}

std::string connect_to(const Target& t, const std::string& address) {
  bool v6 = address.find(':') != std::string::npos;
  return t.host + ":" + t.port + ":" + (v6 ? "[" + address + "]" : address) + ":" + t.port;
}

std::string location_of(const upstream::HttpHead& head, const std::string& base) {
  std::string loc = head.header("location");
  if (loc.empty()) throw ImageInputError("the image URL redirected without a Location");
  auto b = boost::urls::parse_uri(base);
  auto ref = boost::urls::parse_uri_reference(loc);
  if (!b || !ref) throw ImageInputError("the image URL redirected to an invalid URL");
  boost::urls::url out;
  auto r = boost::urls::resolve(*b, *ref, out);
  if (!r) throw ImageInputError("the image URL redirected to an invalid URL");
  out.remove_fragment();
  return std::string(out.buffer());
}

// One request to one pinned address: the image, or where it redirects to.
struct Hop {
  ImageBytes image;
  std::string redirect;         // the next URL, when it redirected
  bool unreachable = false;     // no connection: another address may do
  std::string transport_error;  // what curl said
};

asio::awaitable<Hop> fetch_hop(upstream::HttpClient& http, const Target& target,
                               const std::string& address, Clock::time_point deadline,
                               const ImageFetchLimits& limits, int hop_index) {
  auto left = left_until(deadline);
  if (left.count() <= 0) throw ImageInputError("fetching the image URL timed out");
  upstream::HttpRequest req;
  req.url = target.url;
  req.connect_to = connect_to(target, address);
  req.web_only = true;
  req.headers = {{"Accept", "image/*"}};
  req.connect_timeout = left;
  req.total_timeout = left;
  Hop hop;
  auto too_large = [&] {
    return ImageInputError("the image is larger than " + std::to_string(limits.max_bytes >> 20) +
                           " MiB");
  };
  try {
    auto stream = http.open(std::move(req));
    auto head = co_await stream->head(left);
    if (head.status >= 300 && head.status < 400 && head.status != 304) {
      if (hop_index >= limits.max_redirects)
        throw ImageInputError("the image URL redirected more than " +
                              std::to_string(limits.max_redirects) + " times");
      hop.redirect = location_of(head, target.url);
      co_return hop;
    }
    if (head.status < 200 || head.status >= 300)
      throw ImageInputError("the image URL answered HTTP " + std::to_string(head.status));
    std::string type = head.header("content-type");
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type.rfind("image/", 0) != 0 && type.rfind("application/octet-stream", 0) != 0)
      throw ImageInputError("the image URL answered " +
                            (type.empty() ? std::string("without a type") : type) +
                            ", not an image");
    if (auto len = head.header("content-length"); !len.empty()) {
      uint64_t declared = 0;
      try {
        declared = std::stoull(len);
      } catch (const std::logic_error&) {
      }  // unreadable: the body's own size decides
      if (declared > limits.max_bytes) throw too_large();
    }
    for (;;) {
      auto idle = std::max(left_until(deadline), std::chrono::milliseconds(1));
      auto piece = co_await stream->next(idle);
      if (!piece) break;
      hop.image.bytes += *piece;
      if (hop.image.bytes.size() > limits.max_bytes) throw too_large();
    }
  } catch (const upstream::TransportError& e) {
    hop.unreachable = e.kind() == upstream::TransportError::Kind::kConnect;
    hop.transport_error = e.kind() == upstream::TransportError::Kind::kTimeout
                              ? std::string("fetching the image URL timed out")
                              : "the image URL could not be fetched: " + std::string(e.what());
  }
  co_return hop;
}

}  // namespace

asio::awaitable<ImageBytes> fetch_image(upstream::HttpClient& http, std::string url,
                                        ImageFetchLimits limits) {
  auto deadline = Clock::now() + limits.timeout;
  for (int hop_index = 0;; ++hop_index) {
    Target target = parse_target(url);
    auto judged = judged_addresses(target, limits.allow_private, deadline);
    std::vector<std::string> addresses = co_await std::move(judged);
    Hop hop;
    // The judged addresses in the resolver's order, until one connects.
    for (const auto& address : addresses) {
      auto fetch = fetch_hop(http, target, address, deadline, limits, hop_index);
      hop = co_await std::move(fetch);
      if (!hop.unreachable) break;
    }
    if (!hop.transport_error.empty()) throw ImageInputError(hop.transport_error);
    if (!hop.redirect.empty()) {
      url = std::move(hop.redirect);
      continue;
    }
    std::string_view type = sniff_image_type(hop.image.bytes);
    if (type.empty())
      throw ImageInputError("the image URL's content is not a JPEG, PNG, WebP or GIF image");
    hop.image.mime = std::string(type);
    co_return std::move(hop.image);
  }
}

ImageFetchLimits fetch_limits(const config::GlobalSettings& global) {
  ImageFetchLimits limits;
  limits.allow_private = global.image_fetch_allow_private;
  limits.max_bytes = static_cast<size_t>(std::max<int64_t>(1, global.image_fetch_max_mb)) << 20;
  limits.timeout =
      std::chrono::milliseconds(static_cast<int64_t>(global.image_fetch_timeout * 1000));
  return limits;
}

asio::awaitable<ImageBytes> resolve_image(upstream::HttpClient& http, std::string value,
                                          ImageFetchLimits limits) {
  auto ref = read_image_ref(value, limits.max_bytes);
  if (ref.url.empty()) co_return std::move(ref.image);
  auto fetch = fetch_image(http, std::move(ref.url), limits);
  co_return co_await std::move(fetch);
}

}  // namespace g2a::media
