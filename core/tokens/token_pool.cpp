#include "core/tokens/token_pool.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>

#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/storage/store.hpp"

namespace g2a::tokens {
namespace json = boost::json;

namespace {

struct Slot {
  Pool pool = Pool::kNormal;
  std::string sso;
  TokenRecord rec;
  int in_flight = 0;
  uint64_t generation = 0;  // a lease of an older generation no longer counts
  uint64_t order = 0;       // pool order (Pro: dict insertion order)
};

std::shared_ptr<spdlog::logger> pool_log() {
  static auto l = ops::logger("TokenPool");
  return l;
}

std::string failure_reason(const Outcome& o) {
  std::string msg =
      o.message.empty() ? std::string(upstream::grok::to_string(o.problem)) : o.message;
  return std::to_string(o.status) + ": " + msg;
}

std::string clean(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// A storage refusal that a retry will not cure.
bool permanent(const storage::StorageError& e) {
  return e.status() == G2A_BAD_ARGUMENT || e.status() == G2A_PARSE_FAILURE ||
         e.status() == G2A_DROP || e.status() == G2A_UNSUPPORTED;
}

// The quota window to cool down for when grok.com did not say.
int64_t cooldown_window_s(const TokenRecord& r, Pool pool, const std::string& key) {
  if (!key.empty()) {
    auto it = r.quotas.find(key);
    if (it != r.quotas.end() && it->second.window_s > 0) return it->second.window_s;
    if (is_media_kind(key)) return 86400;
  }
  return default_window_s(effective_tier(r, pool));
}

// The tier named by the chat totals read in the latest day of reads (older reads may
// predate an upgrade or downgrade of the account).
std::optional<Tier> detect(const TokenRecord& r) {
  int64_t newest = 0;
  for (const auto& [k, q] : r.quotas)
    if (is_mode(k)) newest = std::max(newest, q.read_at_ms);
  std::map<std::string, ModeTotal> totals;
  for (const auto& [k, q] : r.quotas) {
    if (!is_mode(k) || q.read_at_ms == 0 || q.read_at_ms < newest - 86400000) continue;
    totals[k].total = q.available ? q.total : 0;
  }
  return detect_tier(totals);
}

// The failure and limit state of `theirs` that must not be lost when `ours` is written.
void merge_limits(TokenRecord& ours, const TokenRecord& theirs) {
  ours.cooldown_until_ms = std::max(ours.cooldown_until_ms, theirs.cooldown_until_ms);
  for (const auto& [key, q] : theirs.quotas) {
    auto& mine = ours.quotas[key];
    mine.cooldown_until_ms = std::max(mine.cooldown_until_ms, q.cooldown_until_ms);
    if (q.read_at_ms > mine.read_at_ms) {
      mine.remaining = q.remaining;
      mine.total = q.total;
      mine.window_s = q.window_s;
      mine.available = q.available;
      mine.read_at_ms = q.read_at_ms;
    }
  }
  ours.failed_count = std::max(ours.failed_count, theirs.failed_count);
  if (theirs.expired() && !ours.expired()) ours.status = theirs.status;
  if (ours.disabled_reason.empty()) ours.disabled_reason = theirs.disabled_reason;
}

}  // namespace

struct Lease::Shared {
  mutable std::mutex mutex;
  std::vector<std::unique_ptr<Slot>> slots;  // pool order
  std::unordered_map<std::string, Slot*> by_sso;
  std::set<std::string> dirty;    // keys to write
  std::set<std::string> deleted;  // keys to remove
  // What storage holds for each key as far as this instance knows (loaded, synced, or
  // written by it and confirmed): re-reads of a shared store compare with it to see what
  // other instances changed. A write that failed leaves it as it was.
  std::unordered_map<std::string, std::string> known;
  // Keys with writes of this instance under way (from take_writes until finish_writes),
  // with the documents sent ("" for a removal): a re-read must neither adopt nor drop
  // them, since the store may not show the writes yet, and the read before a write must
  // not take this instance's own documents for another's.
  struct Pending {
    int writes = 0;
    std::vector<std::string> sent;
  };
  std::unordered_map<std::string, Pending> pending;
  // Writes finished so far, and, while a sync is between its listing and the end of its
  // comparison (listings > 0), the keys whose writes finished meanwhile, with the count at
  // that moment: such a listing may show them as they were.
  uint64_t completions = 0;
  int listings = 0;
  std::unordered_map<std::string, uint64_t> completed_at;
  uint64_t next_generation = 1;
  uint64_t next_order = 1;
  TokenPool::QuotaListener listener;
  StatusListener status_listener;
  NowFn now;

  Slot* find(const std::string& sso) const {
    auto it = by_sso.find(sso);
    return it == by_sso.end() ? nullptr : it->second;
  }
  void touch(const Slot& s) {
    auto key = make_key(s.pool, s.sso);
    deleted.erase(key);
    dirty.insert(std::move(key));
  }
  void erase(Slot* s) {
    auto key = make_key(s->pool, s->sso);
    dirty.erase(key);
    deleted.insert(key);
    by_sso.erase(s->sso);
    slots.erase(std::find_if(slots.begin(), slots.end(),
                             [s](const std::unique_ptr<Slot>& p) { return p.get() == s; }));
  }
  Slot* append(Pool pool, const std::string& sso, TokenRecord rec) {
    auto slot = std::make_unique<Slot>();
    slot->pool = pool;
    slot->sso = sso;
    slot->rec = std::move(rec);
    slot->generation = next_generation++;
    slot->order = next_order++;
    Slot* raw = slot.get();
    slots.push_back(std::move(slot));
    by_sso[sso] = raw;
    return raw;
  }
  void redetect(Slot& s) {
    auto tier = detect(s.rec);
    if (!tier || tier == s.rec.detected_tier) return;
    if (*tier != pool_hint(s.pool))
      pool_log()->info("{} in {} is a {} account (from its quota totals)", ops::mask_token(s.sso),
                       pool_name(s.pool), to_string(*tier));
    s.rec.detected_tier = tier;
  }

  // The failure rules; returns the quota worth reading next, if any, and sets change when
  // the token's status moved.
  std::optional<std::string> apply(Slot& s, const Outcome& o, int64_t now,
                                   std::optional<StatusChange>& change);
  void announce(const std::optional<StatusChange>& change) {
    if (!change) return;
    StatusListener l;
    {
      std::lock_guard lock(mutex);
      l = status_listener;
    }
    if (l) l(*change);
  }
  void notify(const std::string& sso, const std::optional<std::string>& key) {
    if (!key) return;
    TokenPool::QuotaListener l;
    {
      std::lock_guard lock(mutex);
      l = listener;
    }
    if (l) l(sso, *key);
  }
};

std::optional<std::string> Lease::Shared::apply(Slot& s, const Outcome& o, int64_t now,
                                                std::optional<StatusChange>& change) {
  auto& r = s.rec;
  const std::string masked = ops::mask_token(s.sso);
  std::optional<std::string> want;
  switch (effect_of(o)) {
    case Effect::kNone:
      pool_log()->debug("{}: {} is not the token's fault", masked,
                        upstream::grok::to_string(o.problem));
      return std::nullopt;
    case Effect::kSuccess: {
      if (r.failed_count || r.last_failure_time || r.last_failure_reason) {
        r.failed_count = 0;
        r.last_failure_time.reset();
        r.last_failure_reason.reset();
        touch(s);
      }
      auto it = r.quotas.find(o.quota_key);
      if (it != r.quotas.end() && it->second.remaining > 0) {
        --it->second.remaining;  // our estimate until the next read
        sync_pro_fields(r);
        touch(s);
      }
      if (!o.quota_key.empty()) want = o.quota_key;
      break;
    }
    case Effect::kCooldown: {
      int64_t window =
          o.retry_after_s > 0 ? o.retry_after_s : cooldown_window_s(r, s.pool, o.quota_key);
      int64_t until = now + window * 1000;
      if (o.quota_key.empty()) {
        r.cooldown_until_ms = std::max(r.cooldown_until_ms, until);
      } else {
        auto& q = r.quotas[o.quota_key];
        q.remaining = 0;
        q.cooldown_until_ms = std::max(q.cooldown_until_ms, until);
      }
      r.last_failure_time = now;
      r.last_failure_reason = failure_reason(o);
      sync_pro_fields(r);
      touch(s);
      pool_log()->info("{} cools down for {}s ({}{}{})", masked, window,
                       upstream::grok::to_string(o.problem), o.quota_key.empty() ? "" : ", ",
                       o.quota_key);
      want = o.quota_key.empty() ? std::string("fast") : o.quota_key;
      break;
    }
    case Effect::kAuthFailure:
      ++r.failed_count;
      r.last_failure_time = now;
      r.last_failure_reason = failure_reason(o);
      if (r.failed_count >= kMaxAuthFailures && !r.expired()) {
        r.status = "expired";
        pool_log()->warn("{} expired after {} authentication failures ({})", masked, r.failed_count,
                         o.message);
        change = StatusChange{StatusChange::Kind::kExpired, s.sso, s.pool,
                              std::to_string(r.failed_count) + " authentication failures (" +
                                  failure_reason(o) + ")"};
      }
      touch(s);
      break;
    case Effect::kDisable:
      if (r.disabled_reason.empty())
        change = StatusChange{StatusChange::Kind::kDisabled, s.sso, s.pool,
                              o.message.empty() ? "account blocked" : o.message};
      r.disabled_reason = o.message.empty() ? "account blocked" : o.message;
      r.status = "expired";
      r.last_failure_time = now;
      r.last_failure_reason = failure_reason(o);
      touch(s);
      pool_log()->warn("{} disabled: {}", masked, r.disabled_reason);
      break;
    case Effect::kModeDenied: {
      std::string key = o.quota_key.empty() ? "fast" : o.quota_key;
      auto& q = r.quotas[key];
      q.available = false;
      q.total = 0;
      q.remaining = 0;
      q.read_at_ms = now;
      redetect(s);
      sync_pro_fields(r);
      touch(s);
      pool_log()->info("{} may not use {}", masked, key);
      break;
    }
  }
  if (o.quota_read) want.reset();
  return want;
}

// --- Lease ---

Lease::Lease(std::shared_ptr<Shared> shared, std::string sso, Pool pool, std::optional<Tier> tier,
             std::string quota_key, uint64_t generation)
    : shared_(std::move(shared)),
      sso_(std::move(sso)),
      pool_(pool),
      tier_(tier),
      quota_key_(std::move(quota_key)),
      generation_(generation) {}

Lease::Lease(Lease&& o) noexcept
    : shared_(std::move(o.shared_)),
      sso_(std::move(o.sso_)),
      pool_(o.pool_),
      tier_(o.tier_),
      quota_key_(std::move(o.quota_key_)),
      generation_(o.generation_) {}

Lease& Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    release();
    shared_ = std::move(o.shared_);
    sso_ = std::move(o.sso_);
    pool_ = o.pool_;
    tier_ = o.tier_;
    quota_key_ = std::move(o.quota_key_);
    generation_ = o.generation_;
  }
  return *this;
}

Lease::~Lease() {
  release();
}

void Lease::release() {
  if (!shared_) return;
  {
    std::lock_guard lock(shared_->mutex);
    Slot* s = shared_->find(sso_);
    if (s && s->generation == generation_ && s->in_flight > 0) --s->in_flight;
  }
  shared_.reset();
}

void Lease::report(const Outcome& outcome) const {
  if (!shared_) return;
  std::optional<std::string> want;
  std::optional<StatusChange> change;
  {
    std::lock_guard lock(shared_->mutex);
    Slot* s = shared_->find(sso_);
    if (!s) return;
    want = shared_->apply(*s, outcome, shared_->now(), change);
  }
  shared_->announce(change);
  shared_->notify(sso_, want);
}

// --- TokenPool ---

TokenPool::TokenPool(storage::Store* store, NowFn now)
    : store_(store), now_(std::move(now)), shared_(std::make_shared<Lease::Shared>()) {
  shared_->now = now_;
}

TokenPool::~TokenPool() = default;

size_t TokenPool::load() {
  if (!store_) return 0;
  auto docs = store_->list(kCollection);
  std::lock_guard lock(shared_->mutex);
  size_t loaded = 0;
  for (auto& [key, doc] : docs) {
    auto parts = split_key(key);
    json::error_code ec;
    auto v = json::parse(doc, ec);
    if (!parts || ec || !v.is_object()) {
      pool_log()->warn("skipping stored token {}: not \"<pool>/<sso>\" with an object",
                       ops::mask_token(key));
      continue;
    }
    auto& [pool, sso] = *parts;
    if (shared_->find(sso)) {
      pool_log()->warn("{} is in two pools; keeping the first", ops::mask_token(sso));
      continue;
    }
    shared_->append(pool, sso, record_from_json(v.as_object()));
    shared_->known[key] = doc;
    ++loaded;
  }
  pool_log()->info("{} token(s) loaded", loaded);
  return loaded;
}

std::optional<Lease> TokenPool::acquire(const ModelRequirement& req,
                                        const std::set<std::string>& exclude) {
  std::optional<Lease> lease;
  std::optional<std::string> want;
  {
    std::lock_guard lock(shared_->mutex);
    int64_t now = now_();
    Slot* best = nullptr;
    Rank best_rank;
    for (const auto& slot : shared_->slots) {
      if (exclude.count(slot->sso)) continue;
      auto a = assess(slot->rec, req, now, pool_hint(slot->pool));
      if (a.availability != Availability::kReady) continue;
      auto k = rank(a, slot->in_flight, slot->order);
      if (!best || k < best_rank) {
        best = slot.get();
        best_rank = k;
      }
    }
    if (!best) return std::nullopt;
    ++best->in_flight;
    // A token of unknown tier is read once picked, so its tier becomes known.
    if (!best->rec.detected_tier) want = "fast";
    lease.emplace(Lease(shared_, best->sso, best->pool, best->rec.detected_tier, req.quota_key(),
                        best->generation));
  }
  if (want) shared_->notify(lease->sso(), want);
  return lease;
}

void TokenPool::report(const std::string& sso, const Outcome& outcome) {
  std::optional<std::string> want;
  std::optional<StatusChange> change;
  {
    std::lock_guard lock(shared_->mutex);
    Slot* s = shared_->find(sso);
    if (!s) return;
    want = shared_->apply(*s, outcome, now_(), change);
  }
  shared_->announce(change);
  shared_->notify(sso, want);
}

std::optional<int64_t> TokenPool::next_available_ms(const ModelRequirement& req,
                                                    const std::set<std::string>& exclude) const {
  std::lock_guard lock(shared_->mutex);
  int64_t now = now_();
  std::optional<int64_t> best;
  for (const auto& slot : shared_->slots) {
    if (exclude.count(slot->sso)) continue;
    auto a = assess(slot->rec, req, now, pool_hint(slot->pool));
    if (a.availability == Availability::kReady) return now;
    if (a.availability == Availability::kCooling)
      best = best ? std::min(*best, a.ready_at_ms) : a.ready_at_ms;
  }
  return best;
}

void TokenPool::apply_quota(const std::string& sso, const QuotaReading& reading) {
  std::lock_guard lock(shared_->mutex);
  Slot* s = shared_->find(sso);
  if (!s) return;
  int64_t now = now_();
  auto& r = s->rec;
  auto& q = r.quotas[reading.key];
  q.available = reading.available;
  q.remaining = reading.remaining;
  if (reading.total >= 0 || !reading.available) q.total = reading.available ? reading.total : 0;
  if (reading.window_s > 0) q.window_s = reading.window_s;
  q.read_at_ms = now;
  if (!q.available) {
    q.cooldown_until_ms = 0;
  } else if (q.remaining == 0) {
    q.cooldown_until_ms = reading.back_at_ms > now
                              ? reading.back_at_ms
                              : now + cooldown_window_s(r, s->pool, reading.key) * 1000;
  } else if (q.remaining > 0) {
    // The window says it is back.
    q.cooldown_until_ms = 0;
    r.cooldown_until_ms = 0;
  }
  if (is_mode(reading.key)) shared_->redetect(*s);
  sync_pro_fields(r);
  shared_->touch(*s);
}

void TokenPool::apply_refresh_verdict(const std::string& sso, int64_t zero_expire_threshold) {
  std::optional<StatusChange> change;
  {
    std::lock_guard lock(shared_->mutex);
    Slot* s = shared_->find(sso);
    if (!s) return;
    auto& r = s->rec;
    int64_t relevant = r.remaining_queries;
    if (effective_tier(r, s->pool) != Tier::kBasic)
      relevant = std::max(r.remaining_queries, r.heavy_remaining_queries);  // -1 is ignored
    if (relevant < 0) return;
    if (relevant == 0) {
      ++r.zero_count;
      if (r.zero_count >= std::max<int64_t>(1, zero_expire_threshold) && !r.expired()) {
        r.status = "expired";
        pool_log()->info("{} expired: no quota left at {} refreshes in a row", ops::mask_token(sso),
                         r.zero_count);
        change = StatusChange{
            StatusChange::Kind::kExpired, sso, s->pool,
            "no quota left at " + std::to_string(r.zero_count) + " refreshes in a row"};
      }
    } else {
      if (r.expired() || !r.disabled_reason.empty()) {
        pool_log()->info("{} is active again (quota {} left)", ops::mask_token(sso), relevant);
        change = StatusChange{StatusChange::Kind::kRecovered, sso, s->pool,
                              "quota read: " + std::to_string(relevant) + " left"};
      }
      r.zero_count = 0;
      r.status = "active";
      r.failed_count = 0;
      r.last_failure_time.reset();
      r.last_failure_reason.reset();
      r.disabled_reason.clear();
    }
    shared_->touch(*s);
  }
  shared_->announce(change);
}

void TokenPool::set_quota_listener(QuotaListener listener) {
  std::lock_guard lock(shared_->mutex);
  shared_->listener = std::move(listener);
}

void TokenPool::set_status_listener(StatusListener listener) {
  std::lock_guard lock(shared_->mutex);
  shared_->status_listener = std::move(listener);
}

size_t TokenPool::add(const std::vector<std::string>& tokens, Pool pool) {
  std::vector<StatusChange> changes;
  size_t count = add_locked(tokens, pool, changes);
  for (const auto& c : changes) shared_->announce(c);
  return count;
}

size_t TokenPool::add_locked(const std::vector<std::string>& tokens, Pool pool,
                             std::vector<StatusChange>& changes) {
  std::lock_guard lock(shared_->mutex);
  size_t count = 0;
  for (const auto& raw : tokens) {
    std::string sso = clean(raw);
    if (sso.empty()) continue;
    Slot* s = shared_->find(sso);
    // Re-adding an expired or disabled token puts it back in service (fresh stats).
    if (s && (s->rec.expired() || !s->rec.disabled_reason.empty()))
      changes.push_back({StatusChange::Kind::kRecovered, sso, pool, "re-added by the admin"});
    if (s && s->pool != pool) {
      shared_->erase(s);
      s = nullptr;
    }
    if (s) {
      // Overwrite in place, keeping its position (Pro: a dict assignment).
      s->rec = fresh_record(now_());
      s->in_flight = 0;
      s->generation = shared_->next_generation++;
    } else {
      s = shared_->append(pool, sso, fresh_record(now_()));
    }
    shared_->touch(*s);
    ++count;
  }
  if (count) pool_log()->info("{} token(s) added to {}", count, pool_name(pool));
  return count;
}

size_t TokenPool::remove(const std::vector<std::string>& tokens, Pool pool) {
  std::lock_guard lock(shared_->mutex);
  size_t count = 0;
  for (const auto& raw : tokens) {
    Slot* s = shared_->find(clean(raw));
    if (!s || s->pool != pool) continue;
    shared_->erase(s);
    ++count;
  }
  if (count) pool_log()->info("{} token(s) removed from {}", count, pool_name(pool));
  return count;
}

bool TokenPool::set_tags(const std::string& sso, std::vector<std::string> tags) {
  std::vector<std::string> kept;
  for (auto& t : tags) {
    t = clean(std::move(t));
    if (!t.empty() && std::find(kept.begin(), kept.end(), t) == kept.end())
      kept.push_back(std::move(t));
  }
  std::lock_guard lock(shared_->mutex);
  Slot* s = shared_->find(sso);
  if (!s) return false;
  s->rec.tags = std::move(kept);
  shared_->touch(*s);
  return true;
}

bool TokenPool::set_note(const std::string& sso, std::string note) {
  std::lock_guard lock(shared_->mutex);
  Slot* s = shared_->find(sso);
  if (!s) return false;
  s->rec.note = std::move(note);
  shared_->touch(*s);
  return true;
}

bool TokenPool::mark_prepared(const std::string& sso) {
  std::lock_guard lock(shared_->mutex);
  Slot* s = shared_->find(sso);
  if (!s) return false;
  s->rec.prepared_at_ms = now_();
  shared_->touch(*s);
  return true;
}

std::vector<TokenView> TokenPool::snapshot() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<TokenView> out;
  out.reserve(shared_->slots.size());
  for (const auto& s : shared_->slots) out.push_back({s->pool, s->sso, s->rec, s->in_flight});
  return out;
}

std::optional<TokenView> TokenPool::find(const std::string& sso) const {
  std::lock_guard lock(shared_->mutex);
  const Slot* s = shared_->find(sso);
  if (!s) return std::nullopt;
  return TokenView{s->pool, s->sso, s->rec, s->in_flight};
}

std::vector<std::string> TokenPool::all_tags() const {
  std::set<std::string> tags;
  {
    std::lock_guard lock(shared_->mutex);
    for (const auto& s : shared_->slots) tags.insert(s->rec.tags.begin(), s->rec.tags.end());
  }
  return {tags.begin(), tags.end()};
}

size_t TokenPool::size() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->slots.size();
}

bool TokenPool::dirty() const {
  std::lock_guard lock(shared_->mutex);
  return !shared_->dirty.empty() || !shared_->deleted.empty();
}

std::vector<storage::DocWrite> TokenPool::take_writes() {
  std::lock_guard lock(shared_->mutex);
  std::vector<storage::DocWrite> writes;
  for (const auto& key : shared_->deleted) writes.push_back({kCollection, key, "", true});
  for (const auto& key : shared_->dirty) {
    auto parts = split_key(key);
    const Slot* s = parts ? shared_->find(parts->second) : nullptr;
    if (!s || s->pool != parts->first) continue;
    writes.push_back({kCollection, key, json::serialize(to_json(s->rec, s->pool)), false});
  }
  if (store_) {
    for (const auto& w : writes) {
      auto& p = shared_->pending[w.key];
      ++p.writes;
      p.sent.push_back(w.json);
    }
  }
  shared_->deleted.clear();
  shared_->dirty.clear();
  return writes;
}

void TokenPool::finish_writes(const std::vector<storage::DocWrite>& writes,
                              const std::set<std::string>& unwritten,
                              const std::vector<storage::DocWrite>& retry) {
  std::lock_guard lock(shared_->mutex);
  uint64_t done = ++shared_->completions;
  for (const auto& w : writes) {
    // Failed ones too: a write that timed out may still have reached the store.
    if (shared_->listings > 0) shared_->completed_at[w.key] = done;
    if (!unwritten.count(w.key)) {
      if (w.is_delete)
        shared_->known.erase(w.key);
      else
        shared_->known[w.key] = w.json;
    }
    auto p = shared_->pending.find(w.key);
    if (p == shared_->pending.end()) continue;
    auto& sent = p->second.sent;
    if (auto it = std::find(sent.begin(), sent.end(), w.json); it != sent.end()) sent.erase(it);
    if (--p->second.writes <= 0) shared_->pending.erase(p);
  }
  for (const auto& w : retry) {
    auto parts = split_key(w.key);
    const Slot* s = parts ? shared_->find(parts->second) : nullptr;
    bool present = s && s->pool == parts->first;
    // A newer change already queued the key again, or it no longer applies.
    if (w.is_delete && !present && !shared_->dirty.count(w.key)) shared_->deleted.insert(w.key);
    if (!w.is_delete && present && !shared_->deleted.count(w.key)) shared_->dirty.insert(w.key);
  }
}

void TokenPool::merge_stored_blocking(std::vector<storage::DocWrite>& writes) {
  if (!store_ || !store_->shared()) return;
  // Another instance may have written a token since this one last read it: its limits
  // (a cooldown after a 429, say) join ours before ours replaces it.
  std::map<std::string, std::string> theirs;
  for (const auto& w : writes) {
    if (w.is_delete) continue;
    if (auto doc = store_->get(w.collection, w.key)) theirs[w.key] = std::move(*doc);
  }
  std::lock_guard lock(shared_->mutex);
  for (auto& w : writes) {
    auto it = theirs.find(w.key);
    if (it == theirs.end() || it->second == w.json) continue;
    // What this instance last knew there, or one of its own writes: not another's change.
    auto known = shared_->known.find(w.key);
    if (known != shared_->known.end() && known->second == it->second) continue;
    auto p = shared_->pending.find(w.key);
    std::vector<std::string>* sent = p == shared_->pending.end() ? nullptr : &p->second.sent;
    if (sent && std::find(sent->begin(), sent->end(), it->second) != sent->end()) continue;
    json::error_code ec;
    auto v = json::parse(it->second, ec);
    auto parts = split_key(w.key);
    Slot* slot = parts ? shared_->find(parts->second) : nullptr;
    if (ec || !v.is_object() || !slot || slot->pool != parts->first) continue;
    merge_limits(slot->rec, record_from_json(v.as_object()));
    std::string merged = json::serialize(to_json(slot->rec, slot->pool));
    if (sent)
      if (auto s = std::find(sent->begin(), sent->end(), w.json); s != sent->end()) *s = merged;
    w.json = std::move(merged);
  }
}

TokenPool::WriteResult TokenPool::write_blocking(std::vector<storage::DocWrite>& writes) {
  WriteResult result;
  try {
    merge_stored_blocking(writes);
  } catch (const storage::StorageError& e) {
    pool_log()->debug("reading tokens before saving them failed: {}", e.what());
  }
  try {
    store_->write_batch(writes);
    return result;
  } catch (const storage::StorageError& e) {
    pool_log()->warn("saving {} token change(s) failed ({}); writing them one by one",
                     writes.size(), e.what());
  }
  // One by one, so that one refused document does not hold the others back.
  for (const auto& w : writes) {
    try {
      if (w.is_delete)
        store_->remove(w.collection, w.key);
      else
        store_->put(w.collection, w.key, w.json);
    } catch (const storage::StorageError& e) {
      bool again = !permanent(e);
      auto parts = split_key(w.key);
      pool_log()->error("{} of {} in {} failed{}: {}", w.is_delete ? "removal" : "save",
                        ops::mask_token(parts ? parts->second : w.key),
                        parts ? pool_name(parts->first) : "?", again ? " (retried later)" : "",
                        e.what());
      result.unwritten.insert(w.key);
      if (again) result.retry.push_back(w);
    }
  }
  return result;
}

boost::asio::awaitable<void> TokenPool::save() {
  auto writes = take_writes();
  if (writes.empty() || !store_) co_return;
  WriteResult result;
  try {
    auto op = store_->async_call([this, &writes] { return write_blocking(writes); });
    result = co_await std::move(op);
  } catch (...) {
    // Not a storage error: every write counts as not made and is queued again.
    for (const auto& w : writes) result.unwritten.insert(w.key);
    finish_writes(writes, result.unwritten, writes);
    throw;
  }
  finish_writes(writes, result.unwritten, result.retry);
}

void TokenPool::save_blocking() {
  auto writes = take_writes();
  if (writes.empty() || !store_) return;
  WriteResult result;
  try {
    result = write_blocking(writes);
  } catch (...) {
    for (const auto& w : writes) result.unwritten.insert(w.key);
    finish_writes(writes, result.unwritten, writes);
    throw;
  }
  finish_writes(writes, result.unwritten, result.retry);
}

}  // namespace g2a::tokens

namespace g2a::tokens {
namespace {}  // namespace

TokenPool::SyncResult TokenPool::sync() {
  SyncResult result;
  if (!store_) return result;
  uint64_t completed_before;
  {
    std::lock_guard lock(shared_->mutex);
    ++shared_->listings;
    completed_before = shared_->completions;
  }
  storage::Documents docs;
  try {
    docs = store_->list(kCollection);
  } catch (...) {
    std::lock_guard lock(shared_->mutex);
    if (--shared_->listings == 0) shared_->completed_at.clear();
    throw;
  }
  std::lock_guard lock(shared_->mutex);
  // A key this instance is writing, or wrote while the listing was read, may show as it
  // was: its own write wins (the store is last-writer-wins per token).
  auto unsettled = [&](const std::string& key) {
    if (shared_->pending.count(key)) return true;
    auto c = shared_->completed_at.find(key);
    return c != shared_->completed_at.end() && c->second > completed_before;
  };
  std::unordered_map<std::string, bool> present;
  for (auto& [key, doc] : docs) {
    present[key] = true;
    auto known = shared_->known.find(key);
    if (known != shared_->known.end() && known->second == doc) continue;
    // Being written or removed here: the next sync compares again.
    if (unsettled(key) || shared_->deleted.count(key)) continue;
    auto parts = split_key(key);
    json::error_code ec;
    auto v = json::parse(doc, ec);
    if (!parts || ec || !v.is_object()) continue;
    auto& [pool, sso] = *parts;
    Slot* slot = shared_->find(sso);
    if (shared_->dirty.count(key)) {
      // Both changed it: ours is written next, carrying what the other learnt about the
      // account's limits, so neither instance keeps using a token the other saw limited.
      if (slot && slot->pool == pool) merge_limits(slot->rec, record_from_json(v.as_object()));
      continue;
    }
    if (slot && slot->pool != pool) {
      // Moved to another pool elsewhere: the old key's removal arrives in this listing too.
      shared_->by_sso.erase(sso);
      shared_->slots.erase(
          std::find_if(shared_->slots.begin(), shared_->slots.end(),
                       [slot](const std::unique_ptr<Slot>& p) { return p.get() == slot; }));
      slot = nullptr;
    }
    if (slot) {
      slot->rec = record_from_json(v.as_object());
      ++result.updated;
    } else {
      shared_->append(pool, sso, record_from_json(v.as_object()));
      ++result.added;
    }
    shared_->known[key] = doc;
  }
  // Keys this instance knew in storage that are gone: removed by another instance.
  for (auto it = shared_->known.begin(); it != shared_->known.end();) {
    const std::string& key = it->first;
    if (present.count(key) || shared_->dirty.count(key) || unsettled(key)) {
      ++it;
      continue;
    }
    auto parts = split_key(key);
    Slot* slot = parts ? shared_->find(parts->second) : nullptr;
    if (slot && slot->pool == parts->first) {
      shared_->by_sso.erase(slot->sso);
      shared_->slots.erase(
          std::find_if(shared_->slots.begin(), shared_->slots.end(),
                       [slot](const std::unique_ptr<Slot>& p) { return p.get() == slot; }));
      ++result.removed;
    }
    it = shared_->known.erase(it);
  }
  if (--shared_->listings == 0) shared_->completed_at.clear();
  if (result.added || result.removed)
    pool_log()->info("tokens changed by another instance: {} added, {} removed, {} updated",
                     result.added, result.removed, result.updated);
  return result;
}

}  // namespace g2a::tokens
