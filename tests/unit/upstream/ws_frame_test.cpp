// RFC 6455 client framing: what we send is masked and well-formed; what servers send
// is reassembled; violations are refused.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/upstream/ws_frame.hpp"

namespace g2a::upstream::ws {
namespace {

// A server frame (unmasked).
std::string server_frame(uint8_t first_byte, std::string_view payload) {
  std::string f(1, static_cast<char>(first_byte));
  size_t n = payload.size();
  if (n < 126) {
    f.push_back(static_cast<char>(n));
  } else if (n <= 0xffff) {
    f.push_back(126);
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(127);
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((uint64_t(n) >> (8 * i)) & 0xff));
  }
  return f + std::string(payload);
}

TEST(WsFrame, ClientFramesAreMasked) {
  auto f = encode_frame(Opcode::kText, "Hello", {0x37, 0xfa, 0x21, 0x3d});
  // RFC 6455 §5.7 example: a masked "Hello".
  EXPECT_EQ(f, std::string("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11));
  auto big = encode_frame(Opcode::kBinary, std::string(70000, 'a'), {1, 2, 3, 4});
  EXPECT_EQ(static_cast<uint8_t>(big[1]), 0x80 | 127);
  EXPECT_EQ(big.size(), 2u + 8 + 4 + 70000);
}

TEST(WsFrame, AcceptValueOfTheRfcExample) {
  EXPECT_EQ(accept_value("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsFrame, ReassemblesFragmentsAcrossReadsWithControlFramesBetween) {
  Decoder d(1 << 20);
  std::vector<Message> out;
  std::string bytes = server_frame(0x01, "one-") + server_frame(0x89, "p") +
                      server_frame(0x00, "two-") + server_frame(0x80, "three");
  for (char c : bytes) d.feed(std::string_view(&c, 1), out);  // one byte at a time
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].opcode, Opcode::kPing);
  EXPECT_EQ(out[1].opcode, Opcode::kText);
  EXPECT_EQ(out[1].payload, "one-two-three");
}

TEST(WsFrame, RefusesViolations) {
  std::vector<Message> out;
  EXPECT_THROW(Decoder(10).feed(server_frame(0x81, std::string(11, 'x')), out), ProtocolError);
  std::string masked = encode_frame(Opcode::kText, "x", {1, 2, 3, 4});
  EXPECT_THROW(Decoder(10).feed(masked, out), ProtocolError);
  EXPECT_THROW(Decoder(10).feed(server_frame(0x80, "x"), out),
               ProtocolError);  // stray continuation
  EXPECT_THROW(Decoder(10).feed(server_frame(0xc1, "x"), out), ProtocolError);    // RSV1
  EXPECT_THROW(Decoder(10).feed(server_frame(0x09, "x"), out), ProtocolError);    // fragmented ping
  EXPECT_THROW(Decoder(1000).feed(server_frame(0x83, "x"), out), ProtocolError);  // opcode 3
}

RC_GTEST_PROP(WsFrameProperty, AnySplitOfAnyMessageSequenceDecodesTheSame,
              (std::vector<std::string> messages, size_t split_seed)) {
  std::string bytes;
  for (const auto& m : messages) bytes += server_frame(0x82, m);
  Decoder d(1 << 24);
  std::vector<Message> out;
  size_t pos = 0, step = split_seed % 7 + 1;
  while (pos < bytes.size()) {
    d.feed(std::string_view(bytes).substr(pos, step), out);
    pos += step;
  }
  RC_ASSERT(out.size() == messages.size());
  for (size_t i = 0; i < out.size(); ++i) RC_ASSERT(out[i].payload == messages[i]);
}

}  // namespace
}  // namespace g2a::upstream::ws
