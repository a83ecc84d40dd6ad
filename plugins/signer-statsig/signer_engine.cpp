#include "signer_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "index_scan.hpp"
#include "page_scrape.hpp"
#include "remote_fetch.hpp"
#include "statsig_value.hpp"
#include "url_util.hpp"
#include "x1_fallback.hpp"

namespace g2a::statsig {
namespace {

// After a refill started by sign() fails, sign() waits this long before starting another.
constexpr uint64_t kRefillBackoffMs = 5000;
// How long "auto" stays on a fallback before a prepare call re-reads the site.
constexpr uint64_t kFallbackRetryMs = 300 * 1000;

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::kLocal:
      return "local";
    case Mode::kRemote:
      return "remote";
    case Mode::kFixed:
      return "fixed";
    case Mode::kX1:
      return "x1";
    case Mode::kNone:
      break;
  }
  return "none";
}

}  // namespace

SignerEngine::SignerEngine(g2a::Host host, SignerConfig cfg)
    : host_(host),
      cfg_(std::move(cfg)),
      base_(cfg_.base_strategy()),
      http_(std::make_shared<HostHttp>(host)),
      pool_(cfg_.remote_batch, uint64_t{cfg_.remote_max_age_s} * 1000) {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd()};
  rng_.seed(seq);
  if (base_ == Strategy::kFixed) mode_ = Mode::kFixed;
  if (base_ == Strategy::kX1) mode_ = Mode::kX1;
  if (!cfg_.remote_url.empty()) {
    uint64_t mono = host_.monotonic_ms();
    for (const auto& t : cfg_.remote_paths) pool_.want(t.key(), mono);
  }
}

bool SignerEngine::needs_network() const {
  return base_ == Strategy::kAuto || base_ == Strategy::kLocal || base_ == Strategy::kRemote;
}

// ---- sign -------------------------------------------------------------------------------

std::string SignerEngine::sign(std::string_view method, std::string_view path, int64_t now_ms) {
  std::string m = upper(method);
  std::string pathname = url_pathname(path);
  Mode mode;
  std::shared_ptr<const LocalBuild> build;
  uint64_t random = 0;
  {
    std::lock_guard lock(mu_);
    mode = mode_;
    build = build_;
    if (mode == Mode::kX1) random = rng_();
  }
  switch (mode) {
    case Mode::kFixed:
      return cfg_.fixed_value;
    case Mode::kX1:
      return x1_value(random);
    case Mode::kLocal: {
      if (!build) break;
      uint32_t e = statsig_time(now_ms);
      auto nonce = ledger_.claim(m, pathname, e, host_.monotonic_ms());
      if (!nonce)
        throw g2a::Error(G2A_RETRY, fmt::format("all 256 x-statsig-id values for {} {} in this "
                                                "second are used; retry in the next second",
                                                m, pathname));
      return statsig_value(build->seed, build->fingerprint, m, pathname, e, *nonce);
    }
    case Mode::kRemote: {
      std::string key = m + " " + pathname;
      auto value = pool_.take(key, host_.monotonic_ms());
      refill_if_low();
      if (value) return *value;
      throw g2a::Error(G2A_RETRY,
                       fmt::format("no remote x-statsig-id cached for {} yet; fetching", key));
    }
    case Mode::kNone:
      break;
  }
  throw g2a::Error(G2A_RETRY, "the x-statsig-id signer is not prepared");
}

// ---- prepare ----------------------------------------------------------------------------

bool SignerEngine::remote_mode_locked() const {
  return base_ == Strategy::kRemote || mode_ == Mode::kRemote;
}

bool SignerEngine::ready_locked(uint64_t mono) const {
  switch (mode_) {
    case Mode::kFixed:
    case Mode::kX1:
      return true;
    case Mode::kLocal:
      return build_ != nullptr;
    case Mode::kRemote:
      return remote_ok_ && !meta_.empty() && pool_.empty_keys(mono) == 0;
    case Mode::kNone:
      break;
  }
  return false;
}

bool SignerEngine::stale_locked(uint64_t mono) const {
  if (cfg_.refresh_interval_s == 0) return false;
  uint64_t interval_ms = uint64_t{cfg_.refresh_interval_s} * 1000;
  // A fallback is a degraded state: try local signing again sooner.
  if (base_ == Strategy::kAuto && (mode_ == Mode::kRemote || mode_ == Mode::kX1))
    interval_ms = std::min(interval_ms, kFallbackRetryMs);
  return mono - prepared_mono_ >= interval_ms;
}

SignerEngine::RunKind SignerEngine::kind_for_locked(bool force, uint64_t mono) const {
  // A refill only asks the remote signer again; the page is re-read when its meta is old.
  if (!force && remote_mode_locked() && !meta_.empty() && !stale_locked(mono))
    return RunKind::kRefill;
  return RunKind::kFull;
}

void SignerEngine::prepare(bool force, g2a_done_fn done, void* user) {
  if (!needs_network()) {
    done(user, G2A_OK, g2a_str{"", 0});
    return;
  }
  uint64_t mono = host_.monotonic_ms();
  bool ready_now = false, start = false;
  RunKind kind = RunKind::kFull;
  {
    std::lock_guard lock(mu_);
    if (force) {
      // The site said the build is out of date: nothing cached may be used again.
      build_.reset();
      meta_.clear();
      remote_ok_ = false;
      pool_.clear();
      mode_ = Mode::kNone;
    }
    if (!force && ready_locked(mono)) {
      ready_now = true;
      if (!running_ && stale_locked(mono)) {
        running_ = start = true;
        running_kind_ = kind = RunKind::kFull;
      }
    } else if (running_) {
      if (running_kind_ == RunKind::kRefill && kind_for_locked(force, mono) == RunKind::kFull) {
        next_waiters_.push_back({done, user});
        next_full_ = true;
      } else {
        waiters_.push_back({done, user});
      }
    } else {
      waiters_.push_back({done, user});
      running_ = start = true;
      running_kind_ = kind = kind_for_locked(force, mono);
    }
  }
  if (ready_now) done(user, G2A_OK, g2a_str{"", 0});
  if (start)
    begin(kind);
  else if (ready_now)
    refill_if_low();
}

void SignerEngine::refresh() {
  LifelineGuard guard(lifeline());
  if (!guard || !needs_network()) return;
  {
    std::lock_guard lock(mu_);
    if (running_ || closed_) return;
    running_ = true;
    running_kind_ = RunKind::kFull;
  }
  begin(RunKind::kFull);
}

void SignerEngine::refill_if_low() {
  uint64_t mono = host_.monotonic_ms();
  {
    std::lock_guard lock(mu_);
    if (!remote_mode_locked() || running_ || closed_ || meta_.empty() ||
        mono < refill_not_before_ || pool_.low_keys(mono).empty())
      return;
    running_ = true;
    running_kind_ = RunKind::kRefill;
  }
  begin(RunKind::kRefill);
}

// ---- one preparation run ----------------------------------------------------------------

void SignerEngine::begin(RunKind kind) {
  auto self = shared_from_this();
  if (kind == RunKind::kRefill) {
    std::string meta;
    {
      std::lock_guard lock(mu_);
      meta = meta_;
    }
    if (meta.empty()) {
      Outcome o;
      o.status = G2A_RETRY;
      o.message = "the page was not read yet";
      finish(std::move(o));
      return;
    }
    refill(meta, [self](size_t got, std::string error) {
      Outcome o;
      if (got == 0 && !error.empty()) {
        o.status = G2A_IO_ERROR;
        o.message = "remote signer: " + error;
      }
      self->finish(std::move(o));
    });
    return;
  }
  bool need_curves = base_ != Strategy::kRemote;
  fetch_page(http_, cfg_, need_curves, [self](PageFetchResult r) { self->on_page(std::move(r)); });
}

void SignerEngine::on_page(PageFetchResult r) {
  if (base_ == Strategy::kRemote) {
    if (!r.page.meta) {
      Outcome o;
      o.status = r.status;
      o.message = r.error;
      finish(std::move(o));
      return;
    }
    remote_with(*r.page.meta, "");
    return;
  }
  if (!r.ok) {
    local_failed(r.status, r.error, r.page.meta);
    return;
  }
  try {
    decode_seed(*r.page.meta);  // fail early, before fetching chunks
  } catch (const g2a::Error& e) {
    local_failed(e.status(), e.what(), r.page.meta);
    return;
  }
  if (cfg_.indices) {
    build_local(r.page, *cfg_.indices, "config");
    return;
  }
  auto self = shared_from_this();
  auto page = std::make_shared<PageData>(std::move(r.page));
  scan_indices(http_, cfg_, page->chunk_urls, page->url, [self, page](IndexScanResult s) {
    if (!s.indices) {
      self->local_failed(G2A_PARSE_FAILURE,
                         s.error + "; set [plugins.signer-statsig].indices to sign without it",
                         page->meta);
      return;
    }
    self->build_local(*page, *s.indices, s.chunk_url);
  });
}

void SignerEngine::build_local(const PageData& page, const Indices& indices, std::string source) {
  try {
    Outcome o;
    o.build =
        make_local_build(*page.meta, *page.curves, indices, std::move(source), host_.now_ms());
    o.mode = Mode::kLocal;
    o.meta = page.meta;
    finish(std::move(o));
  } catch (const g2a::Error& e) {
    local_failed(e.status(), e.what(), page.meta);
  }
}

void SignerEngine::local_failed(g2a_status status, std::string error,
                                std::optional<std::string> meta) {
  bool have_build;
  {
    std::lock_guard lock(mu_);
    have_build = build_ != nullptr;
  }
  // A refresh that fails keeps the build that works; fallbacks are for having none.
  if (base_ == Strategy::kAuto && !have_build) {
    if (!cfg_.remote_url.empty() && meta) {
      remote_with(std::move(*meta), "local signing failed: " + error);
      return;
    }
    if (cfg_.allow_x1_fallback) {
      Outcome o;
      o.mode = Mode::kX1;
      o.note = "local signing failed: " + error + "; sending the x1 fallback";
      finish(std::move(o));
      return;
    }
  }
  Outcome o;
  o.status = status == G2A_OK ? G2A_INTERNAL : status;
  o.message = std::move(error);
  finish(std::move(o));
}

void SignerEngine::remote_with(std::string meta, std::string note) {
  {
    std::lock_guard lock(mu_);
    if (meta != meta_) pool_.clear();  // values for another seed are stale
  }
  auto self = shared_from_this();
  refill(meta, [self, meta, note](size_t got, std::string error) {
    Outcome o;
    if (got > 0 || error.empty()) {
      o.mode = Mode::kRemote;
      o.meta = meta;
      o.note = note;
    } else if (self->base_ == Strategy::kAuto && self->cfg_.allow_x1_fallback) {
      o.mode = Mode::kX1;
      o.note = (note.empty() ? "" : note + "; ") + "remote signer: " + error +
               "; sending the x1 fallback";
    } else {
      o.status = G2A_IO_ERROR;
      o.message = (note.empty() ? "" : note + "; ") + "remote signer: " + error;
    }
    self->finish(std::move(o));
  });
}

void SignerEngine::refill(const std::string& meta, std::function<void(size_t, std::string)> done) {
  struct Join {
    std::mutex mu;
    size_t pending = 0, got = 0;
    std::string error;
    std::function<void(size_t, std::string)> done;
  };
  uint64_t mono = host_.monotonic_ms();
  std::vector<std::pair<std::string, size_t>> wanted;
  for (const auto& key : pool_.low_keys(mono)) {
    size_t have = pool_.fresh(key, mono);
    if (have < pool_.batch()) wanted.emplace_back(key, pool_.batch() - have);
  }
  if (wanted.empty()) {
    done(0, "");
    return;
  }
  auto join = std::make_shared<Join>();
  join->pending = wanted.size();
  join->done = std::move(done);
  auto self = shared_from_this();
  for (const auto& [key, count] : wanted) {
    fetch_remote(http_, cfg_, target_of_key(key), meta, count,
                 [self, join, key = key](RemoteFetchResult r) {
                   self->pool_.add(key, r.values, self->host_.monotonic_ms());
                   std::function<void(size_t, std::string)> finish;
                   size_t got = 0;
                   std::string error;
                   {
                     std::lock_guard lock(join->mu);
                     join->got += r.values.size();
                     if (!r.error.empty()) join->error = r.error;
                     if (--join->pending == 0) {
                       finish = std::move(join->done);
                       got = join->got;
                       error = join->error;
                     }
                   }
                   if (finish) finish(got, std::move(error));
                 });
  }
}

void SignerEngine::finish(Outcome o) {
  std::vector<Waiter> waiters;
  bool rerun = false;
  std::string log_line;
  g2a_log_level level = G2A_LOG_INFO;
  {
    std::lock_guard lock(mu_);
    running_ = false;
    bool refill_run = running_kind_ == RunKind::kRefill;
    if (o.status == G2A_OK && o.mode) {
      Mode before = mode_;
      mode_ = *o.mode;
      build_ = mode_ == Mode::kLocal ? o.build : nullptr;
      if (o.meta) meta_ = *o.meta;
      remote_ok_ = mode_ == Mode::kRemote;
      prepared_mono_ = host_.monotonic_ms();
      prepared_at_ms_ = host_.now_ms();
      last_error_ = o.note;
      if (mode_ == Mode::kLocal) {
        log_line = fmt::format("x-statsig-id: local signing ready (build {}, indices from {})",
                               build_->build_id, build_->indices_source);
      } else {
        log_line = fmt::format("x-statsig-id: signing with the {} strategy", mode_name(mode_));
        if (!o.note.empty()) log_line += " (" + o.note + ")";
        if (base_ == Strategy::kAuto || mode_ != before) level = G2A_LOG_WARN;
      }
    } else if (o.status == G2A_OK && refill_run && base_ == Strategy::kRemote) {
      last_error_.clear();  // the remote signer answers again
    } else if (o.status != G2A_OK) {
      last_error_ = o.message;
      if (refill_run) refill_not_before_ = host_.monotonic_ms() + kRefillBackoffMs;
      log_line = "x-statsig-id: preparing failed: " + o.message;
      level = G2A_LOG_WARN;
    }
    waiters.swap(waiters_);
    if (next_full_) {
      waiters_.swap(next_waiters_);
      next_full_ = false;
      running_ = rerun = true;
      running_kind_ = RunKind::kFull;
    }
  }
  if (!log_line.empty()) host_.log(level, log_line);
  notify(waiters, o.status, o.message);
  if (rerun) begin(RunKind::kFull);
}

void SignerEngine::notify(const std::vector<Waiter>& waiters, g2a_status st,
                          const std::string& msg) {
  for (const auto& w : waiters) w.fn(w.user, st, g2a::str(msg));
}

// ---- status and shutdown ----------------------------------------------------------------

std::string SignerEngine::status() const {
  uint64_t mono = host_.monotonic_ms();
  boost::json::object o;
  std::lock_guard lock(mu_);
  Mode shown = mode_;
  if (shown == Mode::kNone) shown = base_ == Strategy::kRemote ? Mode::kRemote : Mode::kLocal;
  o["strategy"] = mode_name(shown);
  o["configured"] = strategy_name(cfg_.strategy);
  // Remote signing is usable once it answered, even while some path waits for a refill.
  o["ready"] = mode_ == Mode::kRemote ? remote_ok_ && !meta_.empty() : ready_locked(mono);
  o["preparing"] = running_;
  if (build_) {
    o["build"] = build_->build_id;
    o["indices"] = boost::json::object{
        {"group", build_->indices.group},
        {"segment", build_->indices.segment},
        {"time", boost::json::array(build_->indices.time.begin(), build_->indices.time.end())}};
    o["indices_source"] = build_->indices_source == "config" ? "config" : "chunk";
  }
  if (prepared_at_ms_) o["prepared_at_ms"] = prepared_at_ms_;
  if (remote_mode_locked()) o["remote_cached"] = pool_.total();
  if (!last_error_.empty()) o["last_error"] = last_error_;
  return boost::json::serialize(o);
}

void SignerEngine::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
  }
  http_->close();
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mu_);
    waiters.swap(waiters_);
    waiters.insert(waiters.end(), next_waiters_.begin(), next_waiters_.end());
    next_waiters_.clear();
    running_ = false;
  }
  notify(waiters, G2A_TIMEOUT, "the signer stopped before preparing finished");
}

}  // namespace g2a::statsig
