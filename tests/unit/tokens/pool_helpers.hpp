// Helpers for token pool tests: a clock the test moves, and readings and outcomes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/tokens/token_pool.hpp"

namespace g2a::tokens::test {

struct FakeClock {
  std::shared_ptr<int64_t> now = std::make_shared<int64_t>(1'760'000'000'000);
  NowFn fn() const {
    return [n = now] { return *n; };
  }
  void advance_s(int64_t s) { *now += s * 1000; }
  int64_t ms() const { return *now; }
};

inline QuotaReading reading(std::string key, int64_t remaining, int64_t total,
                            int64_t window_s = 7200) {
  QuotaReading r;
  r.key = std::move(key);
  r.remaining = remaining;
  r.total = total;
  r.window_s = window_s;
  r.available = total != 0;
  return r;
}

inline Outcome failed(upstream::grok::Problem p, long status, std::string key,
                      std::string message = "refused") {
  upstream::grok::Diagnosis d;
  d.problem = p;
  d.status = status;
  d.message = std::move(message);
  return Outcome::failure(d, std::move(key));
}

}  // namespace g2a::tokens::test
