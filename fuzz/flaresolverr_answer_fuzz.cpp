// FlareSolverr's answers (clearance-flaresolverr): the first byte picks the HTTP status, the
// rest is the body. Nothing may crash; a solved answer carries only Cloudflare's cookies and
// a failed one says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "solve_answer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace g2a::flaresolverr;
  if (size == 0) return 0;
  static constexpr int kStatuses[] = {200, 500, 403, 0};
  int status = kStatuses[data[0] % 4];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  SolveAnswer a = parse_solve_answer(status, body);
  if (a.solved) {
    for (const auto& [name, value] : a.cookies)
      if (!is_cloudflare_cookie(name)) std::abort();
    if (a.expires_ms < 0) std::abort();
  } else if (a.error.empty()) {
    std::abort();
  }
  return 0;
}
