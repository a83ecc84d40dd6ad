// The signer's state and strategies. sign() only reads prepared state (a local build, a
// remote value pool) and never waits; prepare() and the refresh timer fetch through the
// host's asynchronous HTTP. One preparation runs at a time: concurrent prepare calls wait
// for it together, and sign() keeps using the previous build until the new one is in.
#pragma once

#include <cstdint>
#include <grok2api/plugin.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "host_http.hpp"
#include "local_build.hpp"
#include "nonce_ledger.hpp"
#include "page_fetch.hpp"
#include "remote_pool.hpp"
#include "signer_config.hpp"

namespace g2a::statsig {

// How values are produced right now (the configured strategy resolved).
enum class Mode { kNone, kLocal, kRemote, kFixed, kX1 };

class SignerEngine : public std::enable_shared_from_this<SignerEngine> {
 public:
  SignerEngine(g2a::Host host, SignerConfig cfg);

  std::string sign(std::string_view method, std::string_view path, int64_t now_ms);
  void prepare(bool force, g2a_done_fn done, void* user);
  // A background re-read (the refresh timer): never discards what works.
  void refresh();
  std::string status() const;
  // Refuses later callbacks, cancels fetches and fails waiting prepare calls.
  void shutdown();

  const SignerConfig& config() const { return cfg_; }
  bool needs_network() const;
  Lifeline& lifeline() { return http_->lifeline(); }

 private:
  enum class RunKind { kFull, kRefill };
  struct Waiter {
    g2a_done_fn fn;
    void* user;
  };
  struct Outcome {
    g2a_status status = G2A_OK;
    std::string message;                      // for prepare callers when status != OK
    std::optional<Mode> mode;                 // the mode to switch to, on success
    std::shared_ptr<const LocalBuild> build;  // with Mode::kLocal
    std::optional<std::string> meta;          // the page's meta, when a page was read
    std::string note;                         // recorded as last_error even on success
  };

  bool ready_locked(uint64_t mono) const;
  bool stale_locked(uint64_t mono) const;
  bool remote_mode_locked() const;
  RunKind kind_for_locked(bool force, uint64_t mono) const;

  void begin(RunKind kind);
  void on_page(PageFetchResult page);
  void build_local(const PageData& page, const Indices& indices, std::string source);
  void local_failed(g2a_status status, std::string error, std::optional<std::string> meta);
  void remote_with(std::string meta, std::string note);
  void refill(const std::string& meta, std::function<void(size_t, std::string)> done);
  void finish(Outcome out);
  void refill_if_low();
  static void notify(const std::vector<Waiter>& waiters, g2a_status st, const std::string& msg);

  g2a::Host host_;
  const SignerConfig cfg_;
  const Strategy base_;
  std::shared_ptr<HostHttp> http_;
  NonceLedger ledger_;
  mutable RemotePool pool_;  // thread-safe on its own

  mutable std::mutex mu_;
  Mode mode_ = Mode::kNone;
  std::shared_ptr<const LocalBuild> build_;
  std::string meta_;  // the meta of the last page read (remote signing sends it)
  uint64_t prepared_mono_ = 0;
  int64_t prepared_at_ms_ = 0;
  bool remote_ok_ = false;
  uint64_t refill_not_before_ = 0;  // back-off after a failed refill started by sign()
  bool running_ = false;
  RunKind running_kind_ = RunKind::kFull;
  std::vector<Waiter> waiters_;
  std::vector<Waiter> next_waiters_;  // for a full run after the running refill
  bool next_full_ = false;
  std::string last_error_;
  bool closed_ = false;
  std::mt19937_64 rng_;
};

}  // namespace g2a::statsig
