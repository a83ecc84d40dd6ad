#include "nonce_ledger.hpp"

#include <grok2api/plugin.hpp>

namespace g2a::statsig {

NonceLedger::NonceLedger(uint64_t retain_ms, size_t max_entries)
    : retain_ms_(retain_ms), max_entries_(max_entries) {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

void NonceLedger::forget_old(uint64_t mono_ms) {
  while (!by_age_.empty() && by_age_.front().first + retain_ms_ <= mono_ms) {
    entries_.erase(by_age_.front().second);
    by_age_.pop_front();
  }
}

std::optional<uint8_t> NonceLedger::claim(std::string_view method, std::string_view pathname,
                                          uint32_t e, uint64_t mono_ms) {
  std::string key;
  key.reserve(method.size() + pathname.size() + 12);
  key.append(method).append(1, '\n').append(pathname).append(1, '\n').append(std::to_string(e));

  std::lock_guard lock(mu_);
  forget_old(mono_ms);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= max_entries_)
      throw g2a::Error(G2A_RETRY, "too many distinct requests signed in the last seconds");
    it = entries_.emplace(key, Entry{{}, mono_ms}).first;
    by_age_.emplace_back(mono_ms, std::move(key));
  }
  Entry& entry = it->second;
  size_t left = entry.used.size() - entry.used.count();
  if (left == 0) return std::nullopt;
  // The k-th unused nonce, k uniform: successive values of a second come in random order.
  size_t k = static_cast<size_t>(rng_() % left);
  for (size_t n = 0; n < entry.used.size(); ++n) {
    if (entry.used[n]) continue;
    if (k-- == 0) {
      entry.used.set(n);
      return static_cast<uint8_t>(n);
    }
  }
  return std::nullopt;  // unreachable: `left` unused nonces exist
}

size_t NonceLedger::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace g2a::statsig
