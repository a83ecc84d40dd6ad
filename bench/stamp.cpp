#include "stamp.hpp"

#include <charconv>
#include <ctime>

namespace g2a::bench {
namespace {

std::optional<int64_t> number_after(std::string_view text, std::string_view key, size_t& pos) {
  if (text.substr(pos, key.size()) != key) return std::nullopt;
  pos += key.size();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  pos = static_cast<size_t>(end - text.data());
  return value;
}

}  // namespace

int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string format_stamp(int64_t sent_ns, int64_t own_ns) {
  return "@@t=" + std::to_string(sent_ns) + ";o=" + std::to_string(own_ns) + "@@";
}

std::optional<Stamp> find_stamp(std::string_view text) {
  for (size_t start = text.find("@@t="); start != std::string_view::npos;
       start = text.find("@@t=", start + 1)) {
    size_t pos = start + 2;
    auto sent = number_after(text, "t=", pos);
    if (!sent) continue;
    auto own = number_after(text, ";o=", pos);
    if (!own || text.substr(pos, 2) != "@@") continue;
    return Stamp{*sent, *own};
  }
  return std::nullopt;
}

}  // namespace g2a::bench
