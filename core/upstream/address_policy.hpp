// Which network addresses a URL given by a client may reach (the SSRF policy of image
// inputs, docs/design.md): public addresses always; loopback, private, link-local and
// shared (CGNAT) ranges only when the operator allows private addresses; multicast and
// unspecified never. IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are
// judged by the address they embed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace g2a::upstream {

enum class AddressClass {
  kPublic,
  kLoopback,     // 127/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10
  kLinkLocal,    // 169.254/16 (cloud metadata lives here), fe80::/10
  kShared,       // 100.64/10 (carrier-grade NAT)
  kReserved,     // documentation, benchmarking, 240/4, broadcast, Teredo, ...
  kMulticast,    // 224/4, ff00::/8
  kUnspecified,  // 0/8, ::
};

using Ipv6Bytes = std::array<uint8_t, 16>;

// v4 in host order (10.0.0.1 = 0x0a000001).
AddressClass classify_ipv4(uint32_t v4);
AddressClass classify_ipv6(const Ipv6Bytes& v6);
// A textual IPv4 or IPv6 address (no brackets, no zone); nullopt when it is not one.
std::optional<AddressClass> classify_address(std::string_view text);

std::string_view to_string(AddressClass c);

// May a client's URL reach an address of this class?
bool address_allowed(AddressClass c, bool allow_private);

}  // namespace g2a::upstream
