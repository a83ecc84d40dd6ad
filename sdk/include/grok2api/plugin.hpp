// grok2api plugin SDK, C++ layer (header-only, C++17 or later).
//
// A thin layer over plugin.h: derive a class from one or more of the kind interfaces
// below, give it a constructor taking g2a::Host, and declare it with
// G2A_DECLARE_PLUGIN. The macro emits the C entry point and trampolines that turn
// every exception into a g2a_status and a message, so nothing C++ crosses the ABI.
//
//   class MyStore : public g2a::Storage { public: explicit MyStore(g2a::Host h); ... };
//   G2A_DECLARE_PLUGIN(MyStore, "storage-mine", "1.0.0", "Example Co", "My storage",
//                      G2A_FLAG_BLOCKING)
#ifndef GROK2API_PLUGIN_HPP
#define GROK2API_PLUGIN_HPP

#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "plugin.h"

namespace g2a {

inline std::string_view view(g2a_str s) {
  return s.len ? std::string_view(s.data, s.len) : std::string_view();
}
inline g2a_str str(std::string_view s) {
  return g2a_str{s.data(), s.size()};
}

// Throw this from plugin code to choose the status the host sees.
class Error : public std::runtime_error {
 public:
  Error(g2a_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  g2a_status status() const noexcept { return status_; }

 private:
  g2a_status status_;
};

// The host's services for one plugin instance.
class Host {
 public:
  Host(const g2a_host_v1* host, g2a_host_ctx* ctx) : host_(host), ctx_(ctx) {}

  const g2a_host_v1* raw() const { return host_; }
  g2a_host_ctx* ctx() const { return ctx_; }

  void log(g2a_log_level level, std::string_view msg) const { host_->log(ctx_, level, str(msg)); }
  void info(std::string_view msg) const { log(G2A_LOG_INFO, msg); }
  void warn(std::string_view msg) const { log(G2A_LOG_WARN, msg); }
  void error(std::string_view msg) const { log(G2A_LOG_ERROR, msg); }
  void debug(std::string_view msg) const { log(G2A_LOG_DEBUG, msg); }

  // The whole [plugins.<id>] table as JSON ("{}" when absent).
  std::string config_json() const { return take(host_->config_get, nullptr).value_or("{}"); }
  // One key of it as JSON, or nullopt when absent.
  std::optional<std::string> config_value(const char* key) const {
    return take(host_->config_get, key);
  }
  std::string path(g2a_path_kind which) const {
    g2a_buf out{nullptr, 0};
    g2a_status st = host_->get_path(ctx_, which, &out);
    if (st != G2A_OK) throw Error(st, "get_path failed");
    return adopt(out);
  }
  int64_t now_ms() const { return host_->now_ms(); }
  uint64_t monotonic_ms() const { return host_->monotonic_ms(); }
  void metric_add(std::string_view name, int64_t delta) const {
    host_->metric_add(ctx_, str(name), delta);
  }

  // Copies a host->alloc'd buffer into a string and frees it.
  std::string adopt(g2a_buf& buf) const {
    std::string s = buf.data ? std::string(buf.data, buf.len) : std::string();
    if (buf.data) host_->free(buf.data);
    buf = g2a_buf{nullptr, 0};
    return s;
  }
  // A host->alloc'd, NUL-terminated copy, for returning to the host.
  g2a_buf make_buf(std::string_view s) const {
    char* p = static_cast<char*>(host_->alloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return g2a_buf{p, s.size()};
  }

 private:
  std::optional<std::string> take(g2a_status (*fn)(g2a_host_ctx*, const char*, g2a_buf*),
                                  const char* key) const {
    g2a_buf out{nullptr, 0};
    g2a_status st = fn(ctx_, key, &out);
    if (st == G2A_NOT_FOUND) return std::nullopt;
    if (st != G2A_OK) throw Error(st, "config_get failed");
    return adopt(out);
  }

  const g2a_host_v1* host_;
  g2a_host_ctx* ctx_;
};

// Every plugin class derives from this (through the kind interfaces).
class PluginBase {
 public:
  virtual ~PluginBase() = default;
};

struct LogFilter {
  std::string_view sso, model;
  int success = -1;
  int64_t start_ms = 0, end_ms = 0;
};

struct LogStats {
  uint64_t total = 0, success = 0, failed = 0, today_total = 0;
};

// ABI 1.1: one bucket of log_timeseries (g2a_log_bucket).
struct LogBucket {
  int64_t start_ms = 0;
  uint64_t calls = 0, failures = 0;
  double median_latency = 0;
};

struct DocWrite {
  std::string_view collection, key, json;
  bool is_delete = false;
};

// Return false from a visitor to stop early.
using DocVisitor = bool (*)(void* user, std::string_view key, std::string_view json);

class Storage : public virtual PluginBase {
 public:
  virtual std::optional<std::string> doc_get(std::string_view collection, std::string_view key) = 0;
  virtual void doc_put(std::string_view collection, std::string_view key,
                       std::string_view json) = 0;
  virtual void doc_delete(std::string_view collection, std::string_view key) = 0;
  virtual void doc_list(std::string_view collection, std::string_view key_prefix, DocVisitor fn,
                        void* user) = 0;
  virtual void doc_write_batch(const std::vector<DocWrite>& writes) = 0;
  virtual bool claim(std::string_view name, std::string_view owner, uint32_t lease_ms) = 0;
  virtual void release(std::string_view name, std::string_view owner) = 0;
  virtual void log_append(const std::vector<std::string_view>& records) = 0;
  // Returns the number of matching records.
  virtual uint64_t log_query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                             DocVisitor fn, void* user) = 0;
  virtual LogStats log_stats(const LogFilter& filter, int64_t today_start_ms) = 0;
  virtual std::vector<std::string> log_models() = 0;
  // Returns the number of records deleted.
  virtual uint64_t log_trim(uint64_t keep_newest) = 0;
  virtual void flush() = 0;
  virtual std::string describe() = 0;
  // ABI 1.1 (g2a_storage_v1::log_timeseries): the non-empty buckets, oldest first. Return
  // false when the backend cannot; the host then buckets what log_query returns.
  virtual bool log_timeseries(const LogFilter& /*filter*/, int64_t /*bucket_ms*/,
                              int64_t /*utc_offset_ms*/, std::vector<LogBucket>& /*out*/) {
    return false;
  }
  // ABI 1.4 (g2a_storage_v1::doc_collections): the names of the non-empty collections,
  // sorted. The default reports G2A_UNSUPPORTED.
  virtual std::vector<std::string> doc_collections() {
    throw Error(G2A_UNSUPPORTED, "doc_collections is not offered by this storage");
  }
  // ABI 1.4 (g2a_storage_v1::ping): throw g2a::Error(G2A_IO_ERROR, why) when the backend
  // cannot serve calls now. The default (a backend with no server) always can.
  virtual void ping() {}
};

class LogSink : public virtual PluginBase {
 public:
  // Call done(user, status, message) exactly once, possibly later from another thread.
  virtual void submit(const std::vector<std::string_view>& records, g2a_done_fn done,
                      void* user) = 0;
};

class ProxySource : public virtual PluginBase {
 public:
  // Call emit(user, &proxy) for each proxy, then done(user, status, message) exactly once;
  // both possibly later from another thread (emit_proxy below builds a g2a_proxy).
  virtual void refresh(g2a_proxy_emit_fn emit, g2a_done_fn done, void* user) = 0;
};

// Emits one proxy URL (scheme://[user:pass@]host:port) to a refresh's emit callback.
inline void emit_proxy(g2a_proxy_emit_fn emit, void* user, std::string_view url,
                       std::string_view region = {}, uint32_t weight = 0, uint32_t ttl_s = 0) {
  g2a_proxy p{sizeof(g2a_proxy), str(url), str(region), weight, ttl_s};
  emit(user, &p);
}

// ABI 1.2: what a clearance solve is asked (g2a_clearance_request), borrowed for the call.
struct ClearanceRequest {
  std::string_view url, proxy_url, user_agent;
  uint32_t timeout_ms = 0;  // 0 = the provider's default
};

// What a solve found, for complete_clearance().
struct ClearanceAnswer {
  std::string user_agent;
  std::vector<std::pair<std::string, std::string>> cookies;  // name, value
  int64_t expires_ms = 0;                                    // 0 = unknown
};

// Calls a solve's done with G2A_OK and the answer (as a g2a_clearance_result).
inline void complete_clearance(g2a_clearance_done_fn done, void* user,
                               const ClearanceAnswer& answer) {
  std::vector<g2a_cookie> cookies;
  cookies.reserve(answer.cookies.size());
  for (const auto& [name, value] : answer.cookies) cookies.push_back({str(name), str(value)});
  g2a_clearance_result r{sizeof(g2a_clearance_result), str(answer.user_agent), cookies.data(),
                         cookies.size(), answer.expires_ms};
  done(user, G2A_OK, str("solved"), &r);
}

// Calls a solve's done with a failure.
inline void fail_clearance(g2a_clearance_done_fn done, void* user, g2a_status status,
                           std::string_view message) {
  done(user, status == G2A_OK ? G2A_INTERNAL : status, str(message), nullptr);
}

class ClearanceProvider : public virtual PluginBase {
 public:
  // Call done exactly once (complete_clearance / fail_clearance), possibly later from
  // another thread. Copy what you need from request: it is borrowed for this call.
  virtual void solve(const ClearanceRequest& request, g2a_clearance_done_fn done, void* user) = 0;
};

class Signer : public virtual PluginBase {
 public:
  virtual std::string sign(std::string_view method, std::string_view path, int64_t now_ms) = 0;
  virtual void prepare(bool force, g2a_done_fn done, void* user) = 0;
  // A JSON object: {"strategy":"...","ready":bool[,"last_error":"..."]}.
  virtual std::string status() = 0;
};

// One turn of a model adapter: feed() and finish() return actions JSON (plugin.h).
class AdapterTurn {
 public:
  virtual ~AdapterTurn() = default;
  virtual std::string feed(std::string_view data) = 0;
  virtual std::string finish() = 0;
};

class ModelAdapter : public virtual PluginBase {
 public:
  // A JSON array of the models served.
  virtual std::string models() = 0;
  // Starts a turn; fills plan with the plan JSON.
  virtual std::unique_ptr<AdapterTurn> begin(std::string_view request_json, std::string& plan) = 0;
};

namespace detail {

// The host of the instance being called, for allocating results. Set once in create.
struct Instance {
  PluginBase* object;
  Host host;
};

inline PluginBase* obj(void* inst) {
  return static_cast<Instance*>(inst)->object;
}
inline const Host& host_of(void* inst) {
  return static_cast<Instance*>(inst)->host;
}

inline g2a_status fail(void* inst, g2a_buf* err, g2a_status st, const char* what) noexcept {
  if (err && inst) {
    try {
      *err = host_of(inst).make_buf(what);
    } catch (...) {
    }
  }
  return st;
}

// Runs f and maps exceptions to statuses and messages.
template <class F>
g2a_status guarded(void* inst, g2a_buf* err, F&& f) noexcept {
  try {
    f();
    return G2A_OK;
  } catch (const Error& e) {
    return fail(inst, err, e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return fail(inst, err, G2A_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(inst, err, G2A_INTERNAL, e.what());
  } catch (...) {
    return fail(inst, err, G2A_INTERNAL, "unknown exception");
  }
}

template <class I>
I* as(void* inst) {
  return dynamic_cast<I*>(obj(inst));
}

inline LogFilter to_filter(const g2a_log_filter* f) {
  LogFilter out;
  if (!f) return out;
  if (G2A_HAS_FIELD(f, g2a_log_filter, sso)) out.sso = view(f->sso);
  if (G2A_HAS_FIELD(f, g2a_log_filter, model)) out.model = view(f->model);
  if (G2A_HAS_FIELD(f, g2a_log_filter, success)) out.success = f->success;
  if (G2A_HAS_FIELD(f, g2a_log_filter, start_ms)) out.start_ms = f->start_ms;
  if (G2A_HAS_FIELD(f, g2a_log_filter, end_ms)) out.end_ms = f->end_ms;
  return out;
}

struct CVisitor {
  g2a_doc_fn fn;
  void* user;
  static bool call(void* self, std::string_view key, std::string_view json) {
    auto* v = static_cast<CVisitor*>(self);
    return v->fn(v->user, str(key), str(json)) == 0;
  }
};

inline std::vector<std::string_view> views(const g2a_str* items, size_t n) {
  std::vector<std::string_view> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(view(items[i]));
  return out;
}

inline const g2a_storage_v1* storage_table() {
  static const g2a_storage_v1 table = {
      sizeof(g2a_storage_v1),
      [](void* i, g2a_str c, g2a_str k, g2a_buf* out, g2a_buf* err) -> g2a_status {
        bool found = false;
        g2a_status st = guarded(i, err, [&] {
          auto v = as<Storage>(i)->doc_get(view(c), view(k));
          if (v) {
            *out = host_of(i).make_buf(*v);
            found = true;
          }
        });
        return st == G2A_OK && !found ? G2A_NOT_FOUND : st;
      },
      [](void* i, g2a_str c, g2a_str k, g2a_str j, g2a_buf* err) {
        return guarded(i, err, [&] { as<Storage>(i)->doc_put(view(c), view(k), view(j)); });
      },
      [](void* i, g2a_str c, g2a_str k, g2a_buf* err) {
        return guarded(i, err, [&] { as<Storage>(i)->doc_delete(view(c), view(k)); });
      },
      [](void* i, g2a_str c, g2a_str p, g2a_doc_fn fn, void* user, g2a_buf* err) {
        return guarded(i, err, [&] {
          CVisitor v{fn, user};
          as<Storage>(i)->doc_list(view(c), view(p), &CVisitor::call, &v);
        });
      },
      [](void* i, const g2a_doc_write* w, size_t n, g2a_buf* err) {
        return guarded(i, err, [&] {
          // The caller's element size is the stride: a newer caller's elements may be larger.
          size_t stride = n ? w[0].struct_size : 0;
          if (n && stride < sizeof(g2a_doc_write))
            throw Error(G2A_BAD_ARGUMENT, "g2a_doc_write elements are too small");
          std::vector<DocWrite> writes;
          writes.reserve(n);
          for (size_t k = 0; k < n; ++k) {
            auto* e = reinterpret_cast<const g2a_doc_write*>(reinterpret_cast<const char*>(w) +
                                                             k * stride);
            writes.push_back({view(e->collection), view(e->key), view(e->json), e->is_delete != 0});
          }
          as<Storage>(i)->doc_write_batch(writes);
        });
      },
      [](void* i, g2a_str name, g2a_str owner, uint32_t lease, int32_t* acquired, g2a_buf* err) {
        return guarded(i, err, [&] {
          *acquired = as<Storage>(i)->claim(view(name), view(owner), lease) ? 1 : 0;
        });
      },
      [](void* i, g2a_str name, g2a_str owner, g2a_buf* err) {
        return guarded(i, err, [&] { as<Storage>(i)->release(view(name), view(owner)); });
      },
      [](void* i, const g2a_str* recs, size_t n, g2a_buf* err) {
        return guarded(i, err, [&] { as<Storage>(i)->log_append(views(recs, n)); });
      },
      [](void* i, const g2a_log_filter* f, uint64_t off, uint64_t lim, g2a_doc_fn fn, void* user,
         uint64_t* total, g2a_buf* err) {
        return guarded(i, err, [&] {
          CVisitor v{fn, user};
          uint64_t t = as<Storage>(i)->log_query(to_filter(f), off, lim, &CVisitor::call, &v);
          if (total) *total = t;
        });
      },
      [](void* i, const g2a_log_filter* f, int64_t today, g2a_log_stats* out, g2a_buf* err) {
        return guarded(i, err, [&] {
          LogStats s = as<Storage>(i)->log_stats(to_filter(f), today);
          out->total = s.total;
          out->success = s.success;
          out->failed = s.failed;
          out->today_total = s.today_total;
        });
      },
      [](void* i, g2a_doc_fn fn, void* user, g2a_buf* err) {
        return guarded(i, err, [&] {
          for (const auto& m : as<Storage>(i)->log_models())
            if (fn(user, str(m), g2a_str{"", 0}) != 0) break;
        });
      },
      [](void* i, uint64_t keep, uint64_t* deleted, g2a_buf* err) {
        return guarded(i, err, [&] {
          uint64_t d = as<Storage>(i)->log_trim(keep);
          if (deleted) *deleted = d;
        });
      },
      [](void* i, g2a_buf* err) { return guarded(i, err, [&] { as<Storage>(i)->flush(); }); },
      [](void* i, g2a_buf* out) {
        return guarded(i, nullptr, [&] { *out = host_of(i).make_buf(as<Storage>(i)->describe()); });
      },
      [](void* i, const g2a_log_filter* f, int64_t bucket_ms, int64_t utc_offset_ms,
         g2a_log_bucket_fn fn, void* user, g2a_buf* err) {
        bool supported = true;
        g2a_status st = guarded(i, err, [&] {
          if (bucket_ms < 1)
            throw Error(G2A_BAD_ARGUMENT, "log_timeseries: bucket_ms must be >= 1");
          std::vector<LogBucket> buckets;
          supported =
              as<Storage>(i)->log_timeseries(to_filter(f), bucket_ms, utc_offset_ms, buckets);
          for (const auto& b : buckets) {
            g2a_log_bucket c{sizeof(g2a_log_bucket), b.start_ms, b.calls, b.failures,
                             b.median_latency};
            if (fn(user, &c) != 0) break;
          }
        });
        return st == G2A_OK && !supported ? G2A_UNSUPPORTED : st;
      },
      [](void* i, g2a_doc_fn fn, void* user, g2a_buf* err) {
        return guarded(i, err, [&] {
          for (const auto& c : as<Storage>(i)->doc_collections())
            if (fn(user, str(c), g2a_str{"", 0}) != 0) break;
        });
      },
      [](void* i, g2a_buf* err) { return guarded(i, err, [&] { as<Storage>(i)->ping(); }); },
  };
  return &table;
}

inline const g2a_log_sink_v1* log_sink_table() {
  static const g2a_log_sink_v1 table = {
      sizeof(g2a_log_sink_v1),
      [](void* i, const g2a_str* recs, size_t n, g2a_done_fn done, void* user) {
        return guarded(i, nullptr, [&] { as<LogSink>(i)->submit(views(recs, n), done, user); });
      },
  };
  return &table;
}

inline const g2a_proxy_source_v1* proxy_source_table() {
  static const g2a_proxy_source_v1 table = {
      sizeof(g2a_proxy_source_v1),
      [](void* i, g2a_proxy_emit_fn emit, g2a_done_fn done, void* user) {
        return guarded(i, nullptr, [&] { as<ProxySource>(i)->refresh(emit, done, user); });
      },
  };
  return &table;
}

inline const g2a_clearance_v1* clearance_table() {
  static const g2a_clearance_v1 table = {
      sizeof(g2a_clearance_v1),
      [](void* i, const g2a_clearance_request* r, g2a_clearance_done_fn done, void* user) {
        return guarded(i, nullptr, [&] {
          if (!r) throw Error(G2A_BAD_ARGUMENT, "solve: no request");
          ClearanceRequest req;
          if (G2A_HAS_FIELD(r, g2a_clearance_request, url)) req.url = view(r->url);
          if (G2A_HAS_FIELD(r, g2a_clearance_request, proxy_url))
            req.proxy_url = view(r->proxy_url);
          if (G2A_HAS_FIELD(r, g2a_clearance_request, user_agent))
            req.user_agent = view(r->user_agent);
          if (G2A_HAS_FIELD(r, g2a_clearance_request, timeout_ms)) req.timeout_ms = r->timeout_ms;
          as<ClearanceProvider>(i)->solve(req, done, user);
        });
      },
  };
  return &table;
}

inline const g2a_signer_v1* signer_table() {
  static const g2a_signer_v1 table = {
      sizeof(g2a_signer_v1),
      [](void* i, const g2a_sign_request* r, g2a_buf* out, g2a_buf* err) {
        return guarded(i, err, [&] {
          *out =
              host_of(i).make_buf(as<Signer>(i)->sign(view(r->method), view(r->path), r->now_ms));
        });
      },
      [](void* i, int32_t force, g2a_done_fn done, void* user) {
        return guarded(i, nullptr, [&] { as<Signer>(i)->prepare(force != 0, done, user); });
      },
      [](void* i, g2a_buf* out) {
        return guarded(i, nullptr, [&] { *out = host_of(i).make_buf(as<Signer>(i)->status()); });
      },
  };
  return &table;
}

// A turn handed to the host: the plugin's turn and the host that allocates its answers.
struct TurnHolder {
  std::unique_ptr<AdapterTurn> turn;
  Host host;
};

// Like guarded(), for calls on a turn: maps exceptions to statuses and messages.
template <class F>
g2a_status turn_guarded(void* t, g2a_buf* err, F&& f) noexcept {
  auto fail_with = [&](g2a_status st, const char* what) noexcept {
    if (err && t) {
      try {
        *err = static_cast<TurnHolder*>(t)->host.make_buf(what);
      } catch (...) {
      }
    }
    return st;
  };
  try {
    f();
    return G2A_OK;
  } catch (const Error& e) {
    return fail_with(e.status(), e.what());
  } catch (const std::bad_alloc&) {
    return fail_with(G2A_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail_with(G2A_INTERNAL, e.what());
  } catch (...) {
    return fail_with(G2A_INTERNAL, "unknown exception");
  }
}

inline const g2a_model_adapter_v1* model_adapter_table() {
  static const g2a_model_adapter_v1 table = {
      sizeof(g2a_model_adapter_v1),
      [](void* i, g2a_buf* out) {
        return guarded(i, nullptr,
                       [&] { *out = host_of(i).make_buf(as<ModelAdapter>(i)->models()); });
      },
      [](void* i, g2a_str request, void** out_turn, g2a_buf* out_plan, g2a_buf* err) {
        return guarded(i, err, [&] {
          std::string plan;
          auto holder = std::make_unique<TurnHolder>(TurnHolder{nullptr, host_of(i)});
          holder->turn = as<ModelAdapter>(i)->begin(view(request), plan);
          *out_plan = host_of(i).make_buf(plan);
          *out_turn = holder.release();
        });
      },
      [](void* t, g2a_str data, g2a_buf* out, g2a_buf* err) {
        return turn_guarded(t, err, [&] {
          auto* h = static_cast<TurnHolder*>(t);
          *out = h->host.make_buf(h->turn->feed(view(data)));
        });
      },
      [](void* t, g2a_buf* out, g2a_buf* err) {
        return turn_guarded(t, err, [&] {
          auto* h = static_cast<TurnHolder*>(t);
          *out = h->host.make_buf(h->turn->finish());
        });
      },
      [](void* t) { delete static_cast<TurnHolder*>(t); },
  };
  return &table;
}

template <class T>
constexpr uint32_t kinds_of() {
  uint32_t kinds = 0;
  if (std::is_base_of_v<Storage, T>) kinds |= static_cast<uint32_t>(G2A_KIND_STORAGE);
  if (std::is_base_of_v<LogSink, T>) kinds |= static_cast<uint32_t>(G2A_KIND_LOG_SINK);
  if (std::is_base_of_v<ProxySource, T>) kinds |= static_cast<uint32_t>(G2A_KIND_PROXY_SOURCE);
  if (std::is_base_of_v<Signer, T>) kinds |= static_cast<uint32_t>(G2A_KIND_SIGNER);
  if (std::is_base_of_v<ModelAdapter, T>) kinds |= static_cast<uint32_t>(G2A_KIND_MODEL_ADAPTER);
  if (std::is_base_of_v<ClearanceProvider, T>) kinds |= static_cast<uint32_t>(G2A_KIND_CLEARANCE);
  return kinds;
}

template <class T>
const void* get_interface(uint32_t kind) {
  if constexpr (std::is_base_of_v<Storage, T>)
    if (kind == G2A_KIND_STORAGE) return storage_table();
  if constexpr (std::is_base_of_v<LogSink, T>)
    if (kind == G2A_KIND_LOG_SINK) return log_sink_table();
  if constexpr (std::is_base_of_v<ProxySource, T>)
    if (kind == G2A_KIND_PROXY_SOURCE) return proxy_source_table();
  if constexpr (std::is_base_of_v<Signer, T>)
    if (kind == G2A_KIND_SIGNER) return signer_table();
  if constexpr (std::is_base_of_v<ModelAdapter, T>)
    if (kind == G2A_KIND_MODEL_ADAPTER) return model_adapter_table();
  if constexpr (std::is_base_of_v<ClearanceProvider, T>)
    if (kind == G2A_KIND_CLEARANCE) return clearance_table();
  return nullptr;
}

template <class T>
g2a_status create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out, g2a_buf* err) {
  Instance* inst = nullptr;
  try {
    Host h(host, ctx);
    inst = new Instance{nullptr, h};
    inst->object = new T(h);
    *out = inst;
    return G2A_OK;
  } catch (const Error& e) {
    if (err) *err = Host(host, ctx).make_buf(e.what());
    delete inst;
    return e.status();
  } catch (const std::exception& e) {
    if (err) *err = Host(host, ctx).make_buf(e.what());
    delete inst;
    return G2A_INTERNAL;
  } catch (...) {
    delete inst;
    return G2A_INTERNAL;
  }
}

inline void destroy(void* inst) noexcept {
  auto* i = static_cast<Instance*>(inst);
  try {
    delete i->object;
  } catch (...) {
  }
  delete i;
}

// Refuses a host of another major or one too old to carry every v1 service.
inline bool host_usable(const g2a_host_v1* host) {
  return host && G2A_ABI_VERSION_MAJOR(host->abi_version) == G2A_ABI_MAJOR &&
         host->struct_size >= G2A_MIN_HOST_SIZE;
}

}  // namespace detail
}  // namespace g2a

// Declares the plugin class T: emits the exported C entry point.
#define G2A_DECLARE_PLUGIN(T, ID, VERSION, VENDOR, DESCRIPTION, FLAGS)                      \
  extern "C" G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) { \
    static const g2a_plugin_v1 descriptor = {sizeof(g2a_plugin_v1),                         \
                                             G2A_ABI_VERSION,                               \
                                             ID,                                            \
                                             VERSION,                                       \
                                             VENDOR,                                        \
                                             DESCRIPTION,                                   \
                                             ::g2a::detail::kinds_of<T>(),                  \
                                             (FLAGS),                                       \
                                             &::g2a::detail::create<T>,                     \
                                             &::g2a::detail::destroy,                       \
                                             &::g2a::detail::get_interface<T>};             \
    return ::g2a::detail::host_usable(host) ? &descriptor : nullptr;                        \
  }

#endif  // GROK2API_PLUGIN_HPP
