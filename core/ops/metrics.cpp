#include "core/ops/metrics.hpp"

#include <fmt/format.h>

#include <mutex>

namespace g2a::ops {

void Histogram::observe(double seconds) {
  for (size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

Metrics& Metrics::global() {
  static Metrics metrics;
  return metrics;
}

Metrics::Family& Metrics::family(const std::string& name, const std::string& help,
                                 const char* type) {
  auto& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

Counter& Metrics::counter(const std::string& name, const std::string& help,
                          const std::string& labels) {
  {
    std::shared_lock lock(mutex_);
    auto it = families_.find(name);
    if (it != families_.end()) {
      auto c = it->second.counters.find(labels);
      if (c != it->second.counters.end()) return *c->second;
    }
  }
  std::unique_lock lock(mutex_);
  auto& slot = family(name, help, "counter").counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help,
                              const std::string& labels) {
  {
    std::shared_lock lock(mutex_);
    auto it = families_.find(name);
    if (it != families_.end()) {
      auto h = it->second.histograms.find(labels);
      if (h != it->second.histograms.end()) return *h->second;
    }
  }
  std::unique_lock lock(mutex_);
  auto& slot = family(name, help, "histogram").histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>();
  return *slot;
}

void Metrics::gauge(const std::string& name, const std::string& help, const std::string& labels,
                    std::function<double()> read) {
  std::unique_lock lock(mutex_);
  family(name, help, "gauge").gauges[labels] = std::move(read);
}

void Metrics::remove_gauge(const std::string& name, const std::string& labels) {
  std::unique_lock lock(mutex_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.gauges.erase(labels);
}

namespace {
std::string braces(const std::string& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  if (labels.empty()) return "{" + extra + "}";
  if (extra.empty()) return "{" + labels + "}";
  return "{" + labels + "," + extra + "}";
}
}  // namespace

std::string Metrics::render() const {
  std::shared_lock lock(mutex_);
  fmt::memory_buffer out;
  for (const auto& [name, f] : families_) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, f.help, name,
                   f.type);
    for (const auto& [labels, c] : f.counters)
      fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, braces(labels), c->value());
    for (const auto& [labels, read] : f.gauges)
      fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, braces(labels), read());
    for (const auto& [labels, h] : f.histograms) {
      for (size_t i = 0; i < Histogram::kBounds.size(); ++i)
        fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n", name,
                       braces(labels, fmt::format("le=\"{}\"", Histogram::kBounds[i])),
                       h->bucket(i));
      fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n{}_sum{} {}\n{}_count{} {}\n", name,
                     braces(labels, "le=\"+Inf\""), h->count(), name, braces(labels), h->sum(),
                     name, braces(labels), h->count());
    }
  }
  return fmt::to_string(out);
}

}  // namespace g2a::ops
