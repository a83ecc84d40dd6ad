// The SSRF address classifier of client image URLs.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/upstream/address_policy.hpp"

namespace {
using g2a::upstream::address_allowed;
using g2a::upstream::AddressClass;
using g2a::upstream::classify_address;
using g2a::upstream::classify_ipv4;
using g2a::upstream::classify_ipv6;
using g2a::upstream::Ipv6Bytes;

AddressClass cls(const char* text) {
  auto c = classify_address(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(AddressClass::kPublic);
}

Ipv6Bytes mapped(uint32_t v4) {
  Ipv6Bytes b{};
  b[10] = b[11] = 0xff;
  for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<uint8_t>(v4 >> (24 - 8 * i));
  return b;
}

TEST(AddressPolicy, Ipv4Ranges) {
  EXPECT_EQ(cls("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(cls("127.255.255.254"), AddressClass::kLoopback);
  EXPECT_EQ(cls("10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(cls("172.16.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("172.31.255.255"), AddressClass::kPrivate);
  EXPECT_EQ(cls("172.32.0.1"), AddressClass::kPublic);
  EXPECT_EQ(cls("192.168.1.1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(cls("100.64.0.1"), AddressClass::kShared);
  EXPECT_EQ(cls("100.127.255.255"), AddressClass::kShared);
  EXPECT_EQ(cls("100.128.0.1"), AddressClass::kPublic);
  EXPECT_EQ(cls("224.0.0.1"), AddressClass::kMulticast);
  EXPECT_EQ(cls("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(cls("255.255.255.255"), AddressClass::kReserved);
  EXPECT_EQ(cls("192.0.2.7"), AddressClass::kReserved);
  EXPECT_EQ(cls("8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(cls("104.16.0.1"), AddressClass::kPublic);
}

TEST(AddressPolicy, Ipv6Ranges) {
  EXPECT_EQ(cls("::1"), AddressClass::kLoopback);
  EXPECT_EQ(cls("::"), AddressClass::kUnspecified);
  EXPECT_EQ(cls("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(cls("::ffff:10.0.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("::ffff:169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(cls("::ffff:8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(cls("64:ff9b::7f00:1"), AddressClass::kLoopback);
  EXPECT_EQ(cls("2002:0a00:0001::1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(cls("fd00::1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("fc00::1"), AddressClass::kPrivate);
  EXPECT_EQ(cls("ff02::1"), AddressClass::kMulticast);
  EXPECT_EQ(cls("2001:db8::1"), AddressClass::kReserved);
  EXPECT_EQ(cls("2606:4700::1111"), AddressClass::kPublic);
  EXPECT_FALSE(classify_address("example.com").has_value());
  EXPECT_FALSE(classify_address("[::1]").has_value());
  EXPECT_FALSE(classify_address("").has_value());
}

TEST(AddressPolicy, DefaultRefusesEverythingButPublic) {
  for (auto c : {AddressClass::kLoopback, AddressClass::kPrivate, AddressClass::kLinkLocal,
                 AddressClass::kShared, AddressClass::kReserved, AddressClass::kMulticast,
                 AddressClass::kUnspecified})
    EXPECT_FALSE(address_allowed(c, false));
  EXPECT_TRUE(address_allowed(AddressClass::kPublic, false));
  EXPECT_TRUE(address_allowed(AddressClass::kLoopback, true));
  EXPECT_TRUE(address_allowed(AddressClass::kLinkLocal, true));
  EXPECT_FALSE(address_allowed(AddressClass::kMulticast, true));
  EXPECT_FALSE(address_allowed(AddressClass::kUnspecified, true));
}

// A mapped IPv6 address is judged exactly as the IPv4 address it carries.
RC_GTEST_PROP(AddressPolicyProperty, MappedIpv6JudgedAsItsIpv4, (uint32_t v4)) {
  RC_ASSERT(classify_ipv6(mapped(v4)) == classify_ipv4(v4));
}

// Every address inside a refused prefix is refused, whatever its host bits.
RC_GTEST_PROP(AddressPolicyProperty, PrivatePrefixesAreNeverAllowedByDefault, (uint32_t host)) {
  const std::pair<uint32_t, int> prefixes[] = {{0x7f000000, 8},  {0x0a000000, 8},  {0xac100000, 12},
                                               {0xc0a80000, 16}, {0xa9fe0000, 16}, {0x64400000, 10},
                                               {0xe0000000, 4},  {0x00000000, 8}};
  for (auto [net, bits] : prefixes) {
    uint32_t a = net | (host & (~uint32_t{0} >> bits));
    RC_ASSERT(!address_allowed(classify_ipv4(a), false));
    RC_ASSERT(!address_allowed(classify_ipv6(mapped(a)), false));
  }
}

// Allowing private addresses only ever widens the policy.
RC_GTEST_PROP(AddressPolicyProperty, AllowPrivateOnlyWidens, (uint32_t v4)) {
  auto c = classify_ipv4(v4);
  RC_ASSERT(!address_allowed(c, false) || address_allowed(c, true));
}

// The text form and the byte form agree.
RC_GTEST_PROP(AddressPolicyProperty, TextAndBytesAgree, (uint32_t v4)) {
  std::string text = std::to_string(v4 >> 24) + "." + std::to_string(v4 >> 16 & 255) + "." +
                     std::to_string(v4 >> 8 & 255) + "." + std::to_string(v4 & 255);
  RC_ASSERT(classify_address(text) == classify_ipv4(v4));
}

}  // namespace
