// Test doubles and an I/O thread for the proxy pool's unit tests: a settings holder, a
// proxy source and a clearance provider that count their calls and can be held open.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/calllog/state_event.hpp"
#include "core/config/settings.hpp"
#include "core/proxy/clearance_provider.hpp"
#include "core/proxy/proxy_pool.hpp"
#include "core/proxy/proxy_source.hpp"
#include "core/upstream/signal.hpp"

namespace g2a::proxy::test {

// Counts calls and lets a test wait for the n-th without sleeping.
class CallCounter {
 public:
  void count() {
    std::lock_guard lock(mutex_);
    ++calls_;
    changed_.notify_all();
  }
  bool wait_for(int n, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return calls_ >= n; });
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;
};

// A closed gate holds every call until open() (a Signal per waiter).
class Gate {
 public:
  explicit Gate(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    std::vector<std::shared_ptr<upstream::Signal>> waiting;
    {
      std::lock_guard lock(mutex_);
      open_ = true;
      waiting.swap(waiting_);
    }
    for (auto& s : waiting) s->notify();
  }
  // Counts the arrival once the caller waits at the gate (or found it open), so a test
  // that saw the count and then opens the gate never lets it through early.
  boost::asio::awaitable<void> pass(CallCounter& arrived) {
    auto signal = upstream::Signal::create(ex_);
    bool wait = false;
    {
      std::lock_guard lock(mutex_);
      if (!open_) {
        waiting_.push_back(signal);
        wait = true;
      }
    }
    arrived.count();
    if (wait) co_await signal->wait(upstream::Signal::Clock::time_point::max());
  }

 private:
  boost::asio::any_io_executor ex_;
  std::mutex mutex_;
  bool open_ = true;
  std::vector<std::shared_ptr<upstream::Signal>> waiting_;
};

class FakeSource final : public ProxySource {
 public:
  FakeSource(std::string id, Gate& gate) : id_(std::move(id)), gate_(gate) {}
  const std::string& id() const override { return id_; }
  boost::asio::awaitable<std::vector<SourcedProxy>> refresh() override {
    co_await gate_.pass(counter);
    std::lock_guard lock(mutex_);
    if (!error_.empty()) throw std::runtime_error(error_);
    co_return list_;
  }
  void serve(std::vector<std::string> urls, uint32_t ttl_s = 0) {
    std::lock_guard lock(mutex_);
    list_.clear();
    for (auto& u : urls) list_.push_back(SourcedProxy{std::move(u), "", 0, ttl_s});
    error_.clear();
  }
  void fail(std::string error) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
  }
  CallCounter counter;

 private:
  std::string id_;
  Gate& gate_;
  std::mutex mutex_;
  std::vector<SourcedProxy> list_;
  std::string error_;
};

class FakeClearance final : public ClearanceProvider {
 public:
  explicit FakeClearance(Gate& gate) : gate_(gate) {}
  const std::string& id() const override { return id_; }
  boost::asio::awaitable<Clearance> solve(ClearanceRequest request) override {
    {
      std::lock_guard lock(mutex_);
      requests.push_back(request);
    }
    co_await gate_.pass(counter);
    if (fail) throw std::runtime_error("solver timed out");
    Clearance c;
    c.user_agent = "Solver-UA/" + std::to_string(counter.calls());
    c.cookies = {{"cf_clearance", "cf-" + request.proxy_url}, {"session", "not-cloudflare"}};
    co_return c;
  }
  CallCounter counter;
  std::atomic<bool> fail{false};
  std::mutex mutex_;
  std::vector<ClearanceRequest> requests;

 private:
  std::string id_ = "fake-clearance";
  Gate& gate_;
};

// An I/O thread, the settings, and the events the pool emitted.
class PoolEnv {
 public:
  PoolEnv() : work_(io.get_executor()), gate(io.get_executor()) {
    thread_ = std::thread([this] { io.run(); });
  }
  ~PoolEnv() {
    pool.reset();
    work_.reset();
    io.stop();
    thread_.join();
  }

  void set(const std::function<void(config::Settings&)>& edit) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<config::Settings>(*settings_);
    edit(*next);
    settings_ = next;
  }
  std::shared_ptr<const config::Settings> settings() const {
    std::lock_guard lock(mutex_);
    return settings_;
  }

  PoolOptions options() {
    PoolOptions o;
    o.settings = [this] { return settings(); };
    o.emit = [this](calllog::StateEvent e) {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
    };
    o.io = io.get_executor();
    o.now_ms = [this] { return now_ms.load(); };
    return o;
  }
  ProxyPool& make(PoolOptions o) {
    pool = std::make_unique<ProxyPool>(std::move(o));
    return *pool;
  }
  ProxyPool& make() { return make(options()); }

  template <class T>
  T run(boost::asio::awaitable<T> op) {
    return boost::asio::co_spawn(io, std::move(op), boost::asio::use_future).get();
  }

  std::vector<calllog::StateEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  boost::asio::io_context io;
  std::atomic<int64_t> now_ms{1'000'000};
  std::unique_ptr<ProxyPool> pool;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;

 public:
  Gate gate;

 private:
  std::thread thread_;
  mutable std::mutex mutex_;
  std::shared_ptr<const config::Settings> settings_ = std::make_shared<config::Settings>();
  std::vector<calllog::StateEvent> events_;
};

}  // namespace g2a::proxy::test
