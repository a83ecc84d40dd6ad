#include "remote_pool.hpp"

#include <algorithm>

namespace g2a::statsig {
namespace {
constexpr size_t kIssuedMemory = 4096;
}

RemotePool::RemotePool(size_t batch, uint64_t max_age_ms, size_t max_keys)
    : batch_(batch), max_age_ms_(max_age_ms), max_keys_(max_keys) {}

void RemotePool::expire(Slot& slot, uint64_t mono_ms) {
  while (!slot.values.empty() && slot.values.front().first + max_age_ms_ <= mono_ms)
    slot.values.pop_front();
}

void RemotePool::touch(const std::string& key, uint64_t mono_ms) {
  slots_[key].wanted_at = mono_ms;
  // Paths carry ids (conversation ids): keep the most recently wanted keys only.
  while (slots_.size() > max_keys_) {
    auto oldest = std::min_element(slots_.begin(), slots_.end(), [](const auto& a, const auto& b) {
      return a.second.wanted_at < b.second.wanted_at;
    });
    slots_.erase(oldest);
  }
}

std::optional<std::string> RemotePool::take(const std::string& key, uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  touch(key, mono_ms);
  Slot& slot = slots_[key];
  expire(slot, mono_ms);
  if (slot.values.empty()) return std::nullopt;
  std::string v = std::move(slot.values.front().second);
  slot.values.pop_front();
  issued_.push_back(v);
  if (issued_.size() > kIssuedMemory) issued_.pop_front();
  return v;
}

void RemotePool::add(const std::string& key, const std::vector<std::string>& values,
                     uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return;  // no longer wanted
  Slot& slot = it->second;
  for (const auto& v : values) {
    bool known = std::find(issued_.begin(), issued_.end(), v) != issued_.end() ||
                 std::any_of(slot.values.begin(), slot.values.end(),
                             [&](const auto& held) { return held.second == v; });
    if (!known) slot.values.emplace_back(mono_ms, v);
  }
}

void RemotePool::want(const std::string& key, uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  touch(key, mono_ms);
}

std::vector<std::string> RemotePool::low_keys(uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  size_t low_water = std::max<size_t>(1, batch_ / 2);
  for (auto& [key, slot] : slots_) {
    expire(slot, mono_ms);
    if (slot.values.size() < low_water) out.push_back(key);
  }
  return out;
}

size_t RemotePool::empty_keys(uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto& [key, slot] : slots_) {
    expire(slot, mono_ms);
    if (slot.values.empty()) ++n;
  }
  return n;
}

size_t RemotePool::fresh(const std::string& key, uint64_t mono_ms) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return 0;
  expire(it->second, mono_ms);
  return it->second.values.size();
}

size_t RemotePool::total() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, slot] : slots_) n += slot.values.size();
  return n;
}

void RemotePool::clear() {
  std::lock_guard lock(mu_);
  for (auto& [key, slot] : slots_) slot.values.clear();
}

}  // namespace g2a::statsig
