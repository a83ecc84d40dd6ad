#include "core/proxy/proxy_table.hpp"

#include <algorithm>
#include <utility>

namespace g2a::proxy {

bool ProxyTable::add(const std::string& url, const std::string& source) {
  if (proxies_.count(url)) return false;
  ProxyInfo info;
  info.url = url;
  info.source = source;
  proxies_.emplace(url, std::move(info));
  order_.push_back(url);
  mark(url);
  return true;
}

void ProxyTable::restore(ProxyInfo info, bool renamed) {
  info.assigned_sso.clear();
  if (auto* existing = find_mut(info.url)) {
    info.source = existing->source;
    info.assigned_sso = std::move(existing->assigned_sso);
    *existing = std::move(info);
    mark(existing->url);
    return;
  }
  std::string url = info.url;
  proxies_.emplace(url, std::move(info));
  order_.push_back(url);
  if (renamed) mark(url);  // saved under another key: the normalised one must be written
}

bool ProxyTable::remove(const std::string& url) {
  auto* info = find_mut(url);
  if (!info) return false;
  unbind_all(*info);
  proxies_.erase(url);
  order_.erase(std::find(order_.begin(), order_.end(), url));
  changes_.proxies.erase(url);
  changes_.removed_proxies.insert(url);
  return true;
}

const ProxyInfo* ProxyTable::find(const std::string& url) const {
  auto it = proxies_.find(url);
  return it == proxies_.end() ? nullptr : &it->second;
}

ProxyInfo* ProxyTable::find_mut(const std::string& url) {
  auto it = proxies_.find(url);
  return it == proxies_.end() ? nullptr : &it->second;
}

void ProxyTable::mark(const std::string& url) {
  changes_.removed_proxies.erase(url);
  changes_.proxies.insert(url);
}

bool ProxyTable::bind(const std::string& sso, const std::string& url) {
  auto* info = find_mut(url);
  if (!info) return false;
  if (auto it = assignments_.find(sso); it != assignments_.end()) {
    if (it->second == url) return true;
    unbind(sso);
  }
  assignments_[sso] = url;
  info->assigned_sso.push_back(sso);
  mark(url);
  changes_.removed_assignments.erase(sso);
  changes_.assignments.insert(sso);
  return true;
}

bool ProxyTable::unbind(const std::string& sso) {
  auto it = assignments_.find(sso);
  if (it == assignments_.end()) return false;
  if (auto* info = find_mut(it->second)) {
    std::erase(info->assigned_sso, sso);
    mark(info->url);
  }
  assignments_.erase(it);
  changes_.assignments.erase(sso);
  changes_.removed_assignments.insert(sso);
  return true;
}

void ProxyTable::unbind_all(ProxyInfo& info) {
  auto ssos = std::move(info.assigned_sso);
  info.assigned_sso.clear();
  for (const auto& sso : ssos) {
    assignments_.erase(sso);
    changes_.assignments.erase(sso);
    changes_.removed_assignments.insert(sso);
  }
  mark(info.url);
}

std::optional<std::string> ProxyTable::bound(const std::string& sso) const {
  auto it = assignments_.find(sso);
  if (it == assignments_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ProxyTable::round_robin(const std::set<std::string>& avoid,
                                                   const std::string& except) {
  std::vector<const std::string*> healthy;
  for (const auto& url : order_) {
    if (url == except || avoid.count(url)) continue;
    if (proxies_.at(url).healthy) healthy.push_back(&url);
  }
  if (healthy.empty()) return std::nullopt;
  std::string chosen = *healthy[rr_index_ % healthy.size()];
  ++rr_index_;
  return chosen;
}

std::optional<std::string> ProxyTable::select(const std::string& sso,
                                              const std::set<std::string>& avoid,
                                              const std::string& except, int64_t now) {
  bool keep_binding = false;
  if (auto b = bound(sso)) {
    const ProxyInfo* info = find(*b);
    if (info && info->healthy) {
      if (!avoid.count(*b)) {
        touch(*b, now);
        return b;
      }
      keep_binding = true;  // failed for this request only: the SSO stays where it is
    } else {
      unbind(sso);
    }
  }
  auto chosen = round_robin(avoid, except);
  if (!chosen) return std::nullopt;
  if (!keep_binding) bind(sso, *chosen);
  touch(*chosen, now);
  return chosen;
}

std::optional<std::string> ProxyTable::next(const std::set<std::string>& avoid,
                                            const std::string& except, int64_t now) {
  auto chosen = round_robin(avoid, except);
  if (chosen) touch(*chosen, now);
  return chosen;
}

void ProxyTable::touch(const std::string& url, int64_t now) {
  if (auto* info = find_mut(url)) {
    info->last_used = now;
    ++info->total_requests;
    mark(url);
  }
}

size_t ProxyTable::healthy_count(const std::string& except) const {
  size_t n = 0;
  for (const auto& url : order_)
    if (url != except && proxies_.at(url).healthy) ++n;
  return n;
}

std::optional<HealthTransition> ProxyTable::fail(const std::string& url, const std::string& reason,
                                                 int64_t max_failures) {
  auto* info = find_mut(url);
  if (!info) return std::nullopt;
  ++info->fail_count;
  info->last_error = reason;
  mark(url);
  if (!info->healthy || info->fail_count < std::max<int64_t>(1, max_failures)) return std::nullopt;
  info->healthy = false;
  unbind_all(*info);
  return HealthTransition{url, false, reason};
}

std::optional<HealthTransition> ProxyTable::succeed(const std::string& url) {
  auto* info = find_mut(url);
  if (!info) return std::nullopt;
  bool was = info->healthy;
  info->fail_count = 0;
  ++info->success_requests;
  info->healthy = true;
  mark(url);
  if (was) return std::nullopt;
  return HealthTransition{url, true, "a request through it succeeded"};
}

std::optional<HealthTransition> ProxyTable::probe_ok(const std::string& url, int64_t now) {
  auto* info = find_mut(url);
  if (!info) return std::nullopt;
  bool was = info->healthy;
  info->fail_count = 0;
  info->healthy = true;
  info->last_check = now;
  info->last_error.clear();
  mark(url);
  if (was) return std::nullopt;
  return HealthTransition{url, true, "the health check reached the upstream through it"};
}

void ProxyTable::probe_failed(const std::string& url, const std::string& reason, int64_t now) {
  if (auto* info = find_mut(url)) {
    info->last_check = now;
    info->last_error = reason;
    mark(url);
  }
}

std::vector<std::string> ProxyTable::unhealthy() const {
  std::vector<std::string> out;
  for (const auto& url : order_)
    if (!proxies_.at(url).healthy) out.push_back(url);
  return out;
}

void ProxyTable::set_identity(const std::string& url, const std::string& user_agent,
                              const std::map<std::string, std::string>& cookies) {
  if (auto* info = find_mut(url)) {
    if (!user_agent.empty()) info->user_agent = user_agent;
    info->cf_cookies = cookies;
    mark(url);
  }
}

std::vector<ProxyInfo> ProxyTable::list() const {
  std::vector<ProxyInfo> out;
  out.reserve(order_.size());
  for (const auto& url : order_) out.push_back(proxies_.at(url));
  return out;
}

void ProxyTable::forget_stored_proxy(const std::string& key) {
  if (!proxies_.count(key)) changes_.removed_proxies.insert(key);
}

void ProxyTable::forget_stored_assignment(const std::string& sso) {
  if (!assignments_.count(sso)) changes_.removed_assignments.insert(sso);
}

TableChanges ProxyTable::take_changes() {
  return std::exchange(changes_, TableChanges{});
}

void ProxyTable::requeue(const TableChanges& failed) {
  for (const auto& url : failed.proxies)
    if (proxies_.count(url) && !changes_.removed_proxies.count(url)) changes_.proxies.insert(url);
  for (const auto& url : failed.removed_proxies)
    if (!proxies_.count(url) && !changes_.proxies.count(url)) changes_.removed_proxies.insert(url);
  for (const auto& sso : failed.assignments)
    if (assignments_.count(sso) && !changes_.removed_assignments.count(sso))
      changes_.assignments.insert(sso);
  for (const auto& sso : failed.removed_assignments)
    if (!assignments_.count(sso) && !changes_.assignments.count(sso))
      changes_.removed_assignments.insert(sso);
}

}  // namespace g2a::proxy
