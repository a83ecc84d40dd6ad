// The SSO token pool (spec grok-upstream-and-pro §3, with the changes): the tokens
// of the "tokens" collection in memory, selection per model, the failure rules, quota
// knowledge, the admin edits, and batched persistence. Thread-safe; never blocks on
// storage except in load() and save_blocking(), meant for start-up and shutdown.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/tokens/clock.hpp"
#include "core/tokens/outcome.hpp"
#include "core/tokens/quota.hpp"
#include "core/tokens/selection.hpp"
#include "core/tokens/status_change.hpp"
#include "core/tokens/token_record.hpp"

namespace g2a::storage {
class Store;
struct DocWrite;
}  // namespace g2a::storage

namespace g2a::tokens {

inline constexpr const char* kCollection = "tokens";

class TokenPool;

// One request's hold on a token: counts it in flight until destroyed. Move-only.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  const std::string& sso() const { return sso_; }
  Pool pool() const { return pool_; }
  std::optional<Tier> tier() const { return tier_; }  // detected tier; nullopt = unknown
  const std::string& quota_key() const { return quota_key_; }

  // Reports the outcome of the call made with this lease (TokenPool::report).
  void report(const Outcome& outcome) const;
  // Ends the hold early.
  void release();

 private:
  friend class TokenPool;
  struct Shared;
  Lease(std::shared_ptr<Shared> shared, std::string sso, Pool pool, std::optional<Tier> tier,
        std::string quota_key, uint64_t generation);

  std::shared_ptr<Shared> shared_;
  std::string sso_;
  Pool pool_ = Pool::kNormal;
  std::optional<Tier> tier_;
  std::string quota_key_;
  uint64_t generation_ = 0;
};

class TokenPool {
 public:
  // store may be null (tests without persistence).
  explicit TokenPool(storage::Store* store, NowFn now = runtime::now_ms);
  ~TokenPool();
  TokenPool(const TokenPool&) = delete;
  TokenPool& operator=(const TokenPool&) = delete;

  // Reads every token from storage (blocking; at start-up). Returns the number loaded.
  size_t load();

  // --- The request path ---

  // The best token for the requirement, not in exclude (tokens already tried), or
  // nullopt when none can serve now.
  std::optional<Lease> acquire(const ModelRequirement& req,
                               const std::set<std::string>& exclude = {});
  // Applies the failure rules to a token (a success resets failedCount).
  void report(const std::string& sso, const Outcome& outcome);
  // When some token could serve req (for Retry-After): now when one can, the earliest end
  // of a cooldown otherwise, nullopt when none ever will.
  std::optional<int64_t> next_available_ms(const ModelRequirement& req,
                                           const std::set<std::string>& exclude = {}) const;

  // --- Quotas ---

  // Records what grok.com said about one quota of a token; re-detects the tier.
  void apply_quota(const std::string& sso, const QuotaReading& reading);
  // The Pro periodic-refresh verdict (§3.5) once a token's quotas were read: a relevant
  // remaining of 0 counts towards expiry (zeroCount >= threshold), more reactivates it.
  void apply_refresh_verdict(const std::string& sso, int64_t zero_expire_threshold);
  // Called (outside the pool's lock) when a quota of a token is worth reading: after a
  // use, after a cooldown began, or when a token of unknown tier is picked.
  using QuotaListener = std::function<void(const std::string& sso, const std::string& key)>;
  void set_quota_listener(QuotaListener listener);

  // --- Status changes (state events for log sinks) ---

  // Called once per transition: disabled, expired, recovered (see status_change.hpp).
  void set_status_listener(StatusListener listener);

  // --- Admin ---

  // Adds or overwrites (resetting the stats, the Pro rule); a token in another pool moves.
  // Returns how many were added.
  size_t add(const std::vector<std::string>& tokens, Pool pool);
  // Removes the tokens of that pool; returns how many were removed.
  size_t remove(const std::vector<std::string>& tokens, Pool pool);
  bool set_tags(const std::string& sso, std::vector<std::string> tags);
  bool set_note(const std::string& sso, std::string note);
  bool mark_prepared(const std::string& sso);
  std::vector<TokenView> snapshot() const;  // in pool order
  std::optional<TokenView> find(const std::string& sso) const;
  std::vector<std::string> all_tags() const;  // sorted, unique
  size_t size() const;
  int64_t now_ms() const { return now_(); }

  // --- Persistence ---

  // Writes the changed tokens (for a timer every global.batch_save_interval; the store
  // buffers them until its own flush). Failed writes are retried at the next call.
  boost::asio::awaitable<void> save();
  // The same, blocking: for shutdown, before Store::flush().
  void save_blocking();
  bool dirty() const;

  // Re-reads the tokens from a store that other instances share (blocking; on the blocking
  // pool): tokens they added, removed or changed (quota, failures, cooldowns, tags) are
  // taken over, except where this instance has an unsaved change of its own.
  struct SyncResult {
    size_t added = 0, removed = 0, updated = 0;
  };
  SyncResult sync();

 private:
  struct Impl;
  std::vector<storage::DocWrite> take_writes();
  size_t add_locked(const std::vector<std::string>& tokens, Pool pool,
                    std::vector<StatusChange>& changes);
  // The writes of take_writes are over: those not in unwritten reached the store; retry
  // (failed, but not refused for good) are queued again.
  void finish_writes(const std::vector<storage::DocWrite>& writes,
                     const std::set<std::string>& unwritten,
                     const std::vector<storage::DocWrite>& retry);
  void merge_stored_blocking(std::vector<storage::DocWrite>& writes);
  // Reads what other instances wrote (a shared store), then writes: in one batch, or one
  // by one when the batch fails. Blocking.
  struct WriteResult {
    std::set<std::string> unwritten;       // keys whose write failed
    std::vector<storage::DocWrite> retry;  // of those, the ones to try again
  };
  WriteResult write_blocking(std::vector<storage::DocWrite>& writes);

  storage::Store* store_;
  NowFn now_;
  std::shared_ptr<Lease::Shared> shared_;
};

}  // namespace g2a::tokens
