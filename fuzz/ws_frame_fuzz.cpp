// Bytes from a WebSocket server (grok.com's chat gateway, the imagine socket), fed to
// the client-side decoder in pieces.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/upstream/ws_frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  g2a::upstream::ws::Decoder decoder(1 << 16);
  std::vector<g2a::upstream::ws::Message> out;
  size_t step = data[0] % 16 + 1;  // the first byte chooses how reads are split
  try {
    for (size_t pos = 1; pos < size; pos += step)
      decoder.feed(
          std::string_view(reinterpret_cast<const char*>(data) + pos, std::min(step, size - pos)),
          out);
  } catch (const g2a::upstream::ws::ProtocolError&) {
  }
  return 0;
}
