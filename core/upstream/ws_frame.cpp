#include "core/upstream/ws_frame.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace g2a::upstream::ws {

std::string encode_frame(Opcode opcode, std::string_view payload, std::array<uint8_t, 4> mask,
                         bool fin) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(opcode)));
  size_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((uint64_t(n) >> (8 * i)) & 0xff));
  }
  for (uint8_t m : mask) out.push_back(static_cast<char>(m));
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return out;
}

void Decoder::feed(std::string_view bytes, std::vector<Message>& out) {
  buffer_.append(bytes);
  size_t pos = 0;
  for (;;) {
    std::string_view b(buffer_.data() + pos, buffer_.size() - pos);
    if (b.size() < 2) break;
    auto b0 = static_cast<uint8_t>(b[0]), b1 = static_cast<uint8_t>(b[1]);
    bool fin = b0 & 0x80;
    if (b0 & 0x70) throw ProtocolError("reserved bits set (no extension was negotiated)");
    auto opcode = static_cast<Opcode>(b0 & 0x0f);
    if (b1 & 0x80) throw ProtocolError("a server frame must not be masked");
    uint64_t len = b1 & 0x7f;
    size_t header = 2;
    if (len == 126) {
      if (b.size() < 4) break;
      len = (uint64_t(static_cast<uint8_t>(b[2])) << 8) | static_cast<uint8_t>(b[3]);
      header = 4;
    } else if (len == 127) {
      if (b.size() < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<uint8_t>(b[2 + i]);
      if (len >> 63) throw ProtocolError("frame length too large");
      header = 10;
    }
    bool control = static_cast<uint8_t>(opcode) & 0x08;
    if (control && (len > 125 || !fin)) throw ProtocolError("bad control frame");
    if (len > max_message_ || (!control && message_.size() + len > max_message_))
      throw ProtocolError("message larger than " + std::to_string(max_message_) + " bytes");
    if (b.size() < header + len) break;
    std::string_view payload = b.substr(header, static_cast<size_t>(len));
    pos += header + static_cast<size_t>(len);
    switch (opcode) {
      case Opcode::kClose:
      case Opcode::kPing:
      case Opcode::kPong:
        out.push_back({opcode, std::string(payload)});
        break;
      case Opcode::kText:
      case Opcode::kBinary:
        if (in_message_) throw ProtocolError("new message before the previous one ended");
        if (fin) {
          out.push_back({opcode, std::string(payload)});
        } else {
          in_message_ = true;
          message_opcode_ = opcode;
          message_.assign(payload);
        }
        break;
      case Opcode::kContinuation:
        if (!in_message_) throw ProtocolError("continuation without a message");
        message_.append(payload);
        if (fin) {
          out.push_back({message_opcode_, std::move(message_)});
          message_.clear();
          in_message_ = false;
        }
        break;
      default:
        throw ProtocolError("unknown opcode " + std::to_string(static_cast<int>(opcode)));
    }
  }
  buffer_.erase(0, pos);
}

std::string accept_value(std::string_view key) {
  std::string input(key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

std::string close_payload(uint16_t code, std::string_view reason) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xff));
  p.append(reason.substr(0, 123));
  return p;
}

}  // namespace g2a::upstream::ws
