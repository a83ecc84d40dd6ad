#include "core/upstream/address_policy.hpp"

#include <arpa/inet.h>

#include <string>

namespace g2a::upstream {
namespace {

bool in(uint32_t v4, uint32_t net, int bits) {
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (v4 & mask) == net;
}

uint32_t v4_at(const Ipv6Bytes& b, size_t i) {
  return uint32_t{b[i]} << 24 | uint32_t{b[i + 1]} << 16 | uint32_t{b[i + 2]} << 8 | b[i + 3];
}

bool zero_bytes(const Ipv6Bytes& b, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

}  // namespace

AddressClass classify_ipv4(uint32_t a) {
  if (in(a, 0x00000000, 8)) return AddressClass::kUnspecified;  // "this network"
  if (in(a, 0x7f000000, 8)) return AddressClass::kLoopback;
  if (in(a, 0x0a000000, 8) || in(a, 0xac100000, 12) || in(a, 0xc0a80000, 16))
    return AddressClass::kPrivate;
  if (in(a, 0xa9fe0000, 16)) return AddressClass::kLinkLocal;
  if (in(a, 0x64400000, 10)) return AddressClass::kShared;
  if (in(a, 0xe0000000, 4)) return AddressClass::kMulticast;
  if (in(a, 0xf0000000, 4)) return AddressClass::kReserved;  // 240/4 and the broadcast
  if (in(a, 0xc0000000, 24) || in(a, 0xc0000200, 24) || in(a, 0xc6336400, 24) ||
      in(a, 0xcb007100, 24) || in(a, 0xc6120000, 15))
    return AddressClass::kReserved;  // IETF, documentation, benchmarking
  return AddressClass::kPublic;
}

AddressClass classify_ipv6(const Ipv6Bytes& b) {
  if (zero_bytes(b, 0, 10)) {
    if (b[10] == 0xff && b[11] == 0xff) return classify_ipv4(v4_at(b, 12));  // ::ffff:a.b.c.d
    if (b[10] == 0 && b[11] == 0) {
      if (zero_bytes(b, 12, 15) && b[15] == 0) return AddressClass::kUnspecified;
      if (zero_bytes(b, 12, 15) && b[15] == 1) return AddressClass::kLoopback;
      return AddressClass::kReserved;  // ::a.b.c.d, deprecated v4-compatible
    }
  }
  // 64:ff9b::/96, NAT64's well-known prefix: the embedded address decides.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero_bytes(b, 4, 12))
    return classify_ipv4(v4_at(b, 12));
  if (b[0] == 0x20 && b[1] == 0x02) return classify_ipv4(v4_at(b, 2));  // 6to4
  if (b[0] == 0xff) return AddressClass::kMulticast;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::kLinkLocal;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::kPrivate;  // site-local
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::kPrivate;                  // unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
    return AddressClass::kReserved;  // documentation
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
    return AddressClass::kReserved;  // Teredo: the real peer is hidden
  if (b[0] == 0x01 && zero_bytes(b, 1, 8)) return AddressClass::kReserved;  // discard
  // Only global unicast (2000::/3) is public.
  if ((b[0] & 0xe0) != 0x20) return AddressClass::kReserved;
  return AddressClass::kPublic;
}

std::optional<AddressClass> classify_address(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return classify_ipv4(ntohl(v4.s_addr));
  Ipv6Bytes v6{};
  if (inet_pton(AF_INET6, s.c_str(), v6.data()) == 1) return classify_ipv6(v6);
  return std::nullopt;
}

std::string_view to_string(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kShared:
      return "shared (CGNAT)";
    case AddressClass::kReserved:
      return "reserved";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kUnspecified:
      return "unspecified";
  }
  return "reserved";
}

bool address_allowed(AddressClass c, bool allow_private) {
  switch (c) {
    case AddressClass::kPublic:
      return true;
    case AddressClass::kMulticast:
    case AddressClass::kUnspecified:
      return false;
    default:
      return allow_private;
  }
}

}  // namespace g2a::upstream
