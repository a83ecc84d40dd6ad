// RFC 6455 framing for the client side: masked frames out, unmasked frames in,
// fragmented messages reassembled. Pure: no I/O, fuzzed (fuzz/ws_frame_fuzz.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::upstream::ws {

enum class Opcode : uint8_t {
  kContinuation = 0,
  kText = 1,
  kBinary = 2,
  kClose = 8,
  kPing = 9,
  kPong = 10
};

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One client frame (always masked, as RFC 6455 requires of clients).
std::string encode_frame(Opcode opcode, std::string_view payload, std::array<uint8_t, 4> mask,
                         bool fin = true);

struct Message {
  Opcode opcode;  // kText, kBinary, or a control opcode
  std::string payload;
};

class Decoder {
 public:
  explicit Decoder(size_t max_message) : max_message_(max_message) {}

  // Consumes bytes; appends every complete message (data messages reassembled from their
  // fragments, control frames one by one). Throws ProtocolError on a protocol violation.
  void feed(std::string_view bytes, std::vector<Message>& out);

 private:
  size_t max_message_;
  std::string buffer_;
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::kText;
  std::string message_;
};

// The Sec-WebSocket-Accept value for a key.
std::string accept_value(std::string_view key);
// Close payload: 2-byte code + reason.
std::string close_payload(uint16_t code, std::string_view reason);

}  // namespace g2a::upstream::ws
