/*
 * grok2api plugin ABI (C99).
 *
 * This header is the whole contract between the gateway (the host) and a plugin.
 * It is plain C on purpose: no C++ types, no exceptions and no allocator crosses
 * the boundary, so a plugin built with another compiler or standard library loads.
 *
 * Versioning
 *   - G2A_ABI_MAJOR changes only on a break; the entry symbol carries the major
 *     (g2a_plugin_entry_v1), so an old host never calls a new entry by mistake.
 *   - G2A_ABI_MINOR grows when something is appended. Every struct that crosses the
 *     boundary starts with `uint32_t struct_size` and only ever grows at its end.
 *     Readers look at a field only when struct_size covers it (G2A_HAS_FIELD).
 *   - The host loads plugins of its own major and of a minor <= its own; a plugin
 *     that claims a newer minor is refused with a message naming both versions.
 *
 * Memory ownership (followed by the host and by every plugin in this repository)
 *   1. Inputs passed into a call (g2a_str, arrays, structs) are borrowed for the
 *      duration of that call only. Copy what you keep.
 *   2. What a plugin hands to the host in a g2a_buf (results, error messages) is
 *      allocated with host->alloc; the host frees it with host->free.
 *   3. What the host hands to a plugin in a g2a_buf (config, paths) is allocated
 *      with host->alloc; the plugin frees it with host->free.
 *   4. Objects a plugin creates (its instance) are destroyed only by its own
 *      destroy callback, which the host calls exactly once.
 *   5. Descriptors and vtables returned by a plugin are static: they must stay
 *      valid until the library is unloaded (the host never unloads while running).
 *
 * Threading
 *   - Calls into one instance may come from several host threads at once unless the
 *     plugin leaves G2A_FLAG_THREAD_SAFE unset, in which case the host serialises them.
 *   - A plugin that blocks (disk, a database client) sets G2A_FLAG_BLOCKING; the host
 *     then calls it only from its bounded blocking pool, never from an I/O thread.
 *   - Host callbacks (done functions, timers, HTTP completions) may run on any host
 *     thread; they must not block.
 *
 * Errors
 *   Functions return a g2a_status. Where a call takes `g2a_buf* err`, a plugin may
 *   put a human-readable message there (host->alloc'd, NUL-terminated, len excludes
 *   the NUL); err may be NULL, in which case no message is wanted.
 */
#ifndef GROK2API_PLUGIN_H
#define GROK2API_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define G2A_ABI_MAJOR 1
#define G2A_ABI_MINOR 4
#define G2A_ABI_VERSION ((uint32_t)((G2A_ABI_MAJOR << 16) | G2A_ABI_MINOR))
#define G2A_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define G2A_ABI_VERSION_MINOR(v) ((uint32_t)(v)&0xffffu)

/* The only symbol a plugin exports. The major is part of the name. */
#define G2A_ENTRY_SYMBOL "g2a_plugin_entry_v1"

#if defined(_WIN32)
#define G2A_EXPORT __declspec(dllexport)
#else
#define G2A_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct of the given size (as stamped by its producer) holds `field`. */
#define G2A_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

typedef enum g2a_status {
  G2A_OK = 0,
  G2A_NOT_FOUND = 1,     /* the key, document or item does not exist */
  G2A_BAD_ARGUMENT = 2,  /* the caller passed something invalid */
  G2A_PARSE_FAILURE = 3, /* input could not be parsed */
  G2A_UNSUPPORTED = 4,   /* this plugin or host does not offer the operation */
  G2A_IO_ERROR = 5,      /* disk, network or database failure */
  G2A_TIMEOUT = 6,
  G2A_RETRY = 7, /* transient: the host may retry later */
  G2A_DROP = 8,  /* permanent: do not retry */
  G2A_NO_MEMORY = 9,
  G2A_ABI_MISMATCH = 10,
  G2A_INTERNAL = 11, /* a bug or an unexpected exception */
  G2A_CONFLICT = 12  /* a compare-and-set or claim lost a race */
} g2a_status;

/* A borrowed view of bytes; never freed by its receiver. Not NUL-terminated unless said. */
typedef struct g2a_str {
  const char* data;
  size_t len;
} g2a_str;

/* An owned buffer, allocated with host->alloc and freed with host->free.
 * Producers NUL-terminate it; len does not count the NUL. */
typedef struct g2a_buf {
  char* data;
  size_t len;
} g2a_buf;

typedef enum g2a_log_level {
  G2A_LOG_TRACE = 0,
  G2A_LOG_DEBUG = 1,
  G2A_LOG_INFO = 2,
  G2A_LOG_WARN = 3,
  G2A_LOG_ERROR = 4
} g2a_log_level;

/* Which directory host->get_path answers for. */
typedef enum g2a_path_kind {
  G2A_PATH_DATA = 0,  /* data/ (setting.toml, token.json, ...) */
  G2A_PATH_CACHE = 1, /* data/cache/ (media) */
  G2A_PATH_LOGS = 2   /* logs/ */
} g2a_path_kind;

/* Opaque per-instance context the host passes back in every service call:
 * it carries the plugin's log tag, its config sub-table and its metrics scope. */
typedef struct g2a_host_ctx g2a_host_ctx;

/* ------------------------------------------------------------------------ */
/* Host services: HTTP                                                        */
/* ------------------------------------------------------------------------ */

typedef struct g2a_http_header {
  g2a_str name;
  g2a_str value;
} g2a_http_header;

typedef struct g2a_http_request {
  uint32_t struct_size;
  g2a_str method; /* "GET", "POST", ... */
  g2a_str url;    /* absolute http:// or https:// URL */
  const g2a_http_header* headers;
  size_t header_count;
  g2a_str body;
  uint32_t timeout_ms; /* 0 = the host's default */
  /* Egress: empty = direct (or the host's default proxy); otherwise a proxy URL
   * (http://, https://, socks5://, socks5h://). */
  g2a_str proxy_url;
} g2a_http_request;

typedef struct g2a_http_response {
  uint32_t struct_size;
  int32_t status; /* HTTP status, 0 when no response arrived */
  const g2a_http_header* headers;
  size_t header_count;
  g2a_str body;
  g2a_str error; /* transport error text when status is 0 */
} g2a_http_response;

/* Called exactly once per request, on a host thread. `resp` is borrowed for the call.
 * st is G2A_OK when an HTTP response arrived (whatever its status), G2A_TIMEOUT or
 * G2A_IO_ERROR otherwise. */
typedef void (*g2a_http_done_fn)(void* user, g2a_status st, const g2a_http_response* resp);

typedef void (*g2a_timer_fn)(void* user);

/* ------------------------------------------------------------------------ */
/* The host service table, passed into the plugin                             */
/* ------------------------------------------------------------------------ */

typedef struct g2a_host_v1 {
  uint32_t struct_size;     /* sizeof(g2a_host_v1) as compiled into the host */
  uint32_t abi_version;     /* the host's G2A_ABI_VERSION */
  const char* host_version; /* e.g. "0.1.0", informational */

  /* Memory for everything that crosses the boundary (see ownership rules). */
  void* (*alloc)(size_t n);
  void (*free)(void* p);

  /* Logging through the host's logger, under the plugin's tag. msg is borrowed. */
  int (*log_enabled)(g2a_host_ctx* ctx, g2a_log_level level);
  void (*log)(g2a_host_ctx* ctx, g2a_log_level level, g2a_str msg);

  /* The plugin's own config sub-table ([plugins.<id>] in setting.toml) as JSON.
   * key NULL or "" returns the whole table ("{}" when absent); otherwise the value of
   * that key, G2A_NOT_FOUND when absent. *out is host->alloc'd; the plugin frees it. */
  g2a_status (*config_get)(g2a_host_ctx* ctx, const char* key, g2a_buf* out);

  /* Absolute path of one of the host's directories; *out is host->alloc'd. */
  g2a_status (*get_path)(g2a_host_ctx* ctx, g2a_path_kind which, g2a_buf* out);

  /* Clocks: wall time in ms since the Unix epoch, and a monotonic ms counter. */
  int64_t (*now_ms)(void);
  uint64_t (*monotonic_ms)(void);

  /* Periodic timer on a host thread. period_ms >= 1. A stopped timer never fires
   * again once timer_stop returns. All of a plugin's timers are stopped before its
   * instance is destroyed. */
  g2a_status (*timer_start)(g2a_host_ctx* ctx, uint32_t period_ms, g2a_timer_fn fn, void* user,
                            uint64_t* out_id);
  g2a_status (*timer_stop)(g2a_host_ctx* ctx, uint64_t id);

  /* Non-blocking HTTP through the host's transport (proxy, TLS, timeouts applied).
   * `req` is borrowed for the call; `done` is called exactly once, unless http_request
   * itself returns an error, in which case it is never called. */
  g2a_status (*http_request)(g2a_host_ctx* ctx, const g2a_http_request* req, g2a_http_done_fn done,
                             void* user, uint64_t* out_call_id);
  /* Cancel a pending call: done is then called with G2A_TIMEOUT (status 0), unless it
   * has already run. */
  g2a_status (*http_cancel)(g2a_host_ctx* ctx, uint64_t call_id);

  /* Add delta to a counter exported on /metrics as g2a_plugin_<name>{plugin="<id>"}. */
  void (*metric_add)(g2a_host_ctx* ctx, g2a_str name, int64_t delta);

  /* Optional services by name, for what later minors add: NULL when absent or
   * older than min_version. */
  const void* (*get_service)(const char* name, uint32_t min_version);
} g2a_host_v1;

/* The smallest host table a v1 plugin can use (every field up to get_service). */
#define G2A_MIN_HOST_SIZE (offsetof(g2a_host_v1, get_service) + sizeof(void*))

/* ------------------------------------------------------------------------ */
/* Plugin kinds                                                               */
/* ------------------------------------------------------------------------ */

typedef enum g2a_kind {
  G2A_KIND_STORAGE = 1u << 0,
  G2A_KIND_PROXY_SOURCE = 1u << 1,
  G2A_KIND_LOG_SINK = 1u << 2,
  G2A_KIND_SIGNER = 1u << 3,
  G2A_KIND_MODEL_ADAPTER = 1u << 4,
  G2A_KIND_CLEARANCE = 1u << 5 /* ABI 1.2: g2a_clearance_v1 */
} g2a_kind;

typedef enum g2a_plugin_flags {
  G2A_FLAG_BLOCKING = 1u << 0,    /* calls may block: run them on the blocking pool */
  G2A_FLAG_THREAD_SAFE = 1u << 1, /* calls into one instance may run concurrently */
  /* ABI 1.4, storage only: several gateway instances may share this store (a database
   * server). The host then re-reads shared state (settings, tokens, proxies, video tasks)
   * every storage.sync_interval seconds and coordinates work through claims. */
  G2A_FLAG_SHARED_STORE = 1u << 2
} g2a_plugin_flags;

/* ---- storage ------------------------------------------------------------ */
/*
 * Storage holds everything the gateway persists. It is shaped so that a SQL or
 * key-value server can push work down, and so that several gateway instances can
 * share one store:
 *   - documents: JSON documents in named collections ("tokens", "proxies",
 *     "proxy_assignments", "settings", "sessions", "video_tasks", ...), keyed by string;
 *   - call logs: append-only records with filtered, paginated queries and stats;
 *   - claims: a lease that exactly one instance holds, for work only one must do.
 */

typedef struct g2a_doc_write {
  uint32_t struct_size;
  g2a_str collection;
  g2a_str key;
  g2a_str json; /* the document; ignored when is_delete */
  int32_t is_delete;
} g2a_doc_write;

/* Called once per document; return 0 to continue, non-zero to stop early.
 * key and json are borrowed for the call. */
typedef int (*g2a_doc_fn)(void* user, g2a_str key, g2a_str json);

/* Call-log filter. Empty strings and zero times mean "no constraint". */
typedef struct g2a_log_filter {
  uint32_t struct_size;
  g2a_str sso;      /* case-insensitive substring of the record's full SSO */
  g2a_str model;    /* case-insensitive substring of the model */
  int32_t success;  /* -1 any, 0 failed only, 1 succeeded only */
  int64_t start_ms; /* inclusive; 0 = unbounded */
  int64_t end_ms;   /* inclusive; 0 = unbounded */
} g2a_log_filter;

typedef struct g2a_log_stats {
  uint32_t struct_size;
  uint64_t total;
  uint64_t success;
  uint64_t failed;
  uint64_t today_total; /* records with timestamp >= the caller's today_start_ms */
} g2a_log_stats;

/* ABI 1.1: one time bucket of log_timeseries. */
typedef struct g2a_log_bucket {
  uint32_t struct_size;
  int64_t start_ms;  /* the bucket's first millisecond (UTC, ms since the epoch) */
  uint64_t calls;    /* matching records in the bucket */
  uint64_t failures; /* those whose "success" is not true */
  double
      median_latency; /* median "response_time" (s) of those that have a numeric one; 0 if none */
} g2a_log_bucket;

/* Called once per non-empty bucket, oldest first, synchronously on the thread that
 * called log_timeseries and before it returns; return non-zero to stop early.
 * The bucket is borrowed for the call. */
typedef int (*g2a_log_bucket_fn)(void* user, const g2a_log_bucket* bucket);

/* A call-log record is a JSON object with at least "id" (string), "timestamp"
 * (ms, integer), "sso_full" or "sso" (string), "model" (string) and "success" (bool);
 * backends index those and store the rest as given. */
typedef struct g2a_storage_v1 {
  uint32_t struct_size;

  /* Documents. *out is host->alloc'd JSON. G2A_NOT_FOUND when absent. */
  g2a_status (*doc_get)(void* inst, g2a_str collection, g2a_str key, g2a_buf* out, g2a_buf* err);
  g2a_status (*doc_put)(void* inst, g2a_str collection, g2a_str key, g2a_str json, g2a_buf* err);
  /* Deleting an absent document is G2A_OK. */
  g2a_status (*doc_delete)(void* inst, g2a_str collection, g2a_str key, g2a_buf* err);
  /* Every document of a collection whose key starts with key_prefix, in key order
   * (byte-wise). Callers that need another order (tokens in the order they were added)
   * sort by a field of the documents, e.g. createdTime. */
  g2a_status (*doc_list)(void* inst, g2a_str collection, g2a_str key_prefix, g2a_doc_fn fn,
                         void* user, g2a_buf* err);
  /* Several writes applied together: all or none where the backend can. The array's
   * stride is writes[0].struct_size (every element carries the same size), so a newer
   * caller's larger elements are still read correctly. */
  g2a_status (*doc_write_batch)(void* inst, const g2a_doc_write* writes, size_t count,
                                g2a_buf* err);

  /* Claims: acquire `name` for `owner` for lease_ms, or renew it when owner holds it.
   * *out_acquired = 1 when owner holds the claim afterwards, 0 when another does. */
  g2a_status (*claim)(void* inst, g2a_str name, g2a_str owner, uint32_t lease_ms,
                      int32_t* out_acquired, g2a_buf* err);
  /* Release a claim held by owner; releasing one held by another is a no-op. */
  g2a_status (*release)(void* inst, g2a_str name, g2a_str owner, g2a_buf* err);

  /* Call logs. records[i] is one JSON object (see above). */
  g2a_status (*log_append)(void* inst, const g2a_str* records, size_t count, g2a_buf* err);
  /* Matching records, newest first, skipping `offset`, at most `limit`; *out_total
   * is the number of matching records. fn receives each record's "id" as key and the
   * record as json; it returns non-zero to stop early. */
  g2a_status (*log_query)(void* inst, const g2a_log_filter* filter, uint64_t offset, uint64_t limit,
                          g2a_doc_fn fn, void* user, uint64_t* out_total, g2a_buf* err);
  g2a_status (*log_stats)(void* inst, const g2a_log_filter* filter, int64_t today_start_ms,
                          g2a_log_stats* out, g2a_buf* err);
  /* Distinct models, sorted; fn receives each as key (json is empty). */
  g2a_status (*log_models)(void* inst, g2a_doc_fn fn, void* user, g2a_buf* err);
  /* Keep the newest keep_newest records (0 clears all); *out_deleted counts the rest. */
  g2a_status (*log_trim)(void* inst, uint64_t keep_newest, uint64_t* out_deleted, g2a_buf* err);

  /* Make every accepted write durable. The host calls it periodically and at shutdown. */
  g2a_status (*flush)(void* inst, g2a_buf* err);

  /* A short description for logs and /health, e.g. "file:data" or "mysql://host/db".
   * Never contains credentials. *out is host->alloc'd. */
  g2a_status (*describe)(void* inst, g2a_buf* out);

  /* ABI 1.1 (read only when struct_size covers it and it is not NULL).
   * The matching records counted per time bucket of bucket_ms, for charts: a record at
   * timestamp t belongs to the bucket starting at
   *   floor((t + utc_offset_ms) / bucket_ms) * bucket_ms - utc_offset_ms
   * (so that hour and day buckets follow a time zone's wall clock). A backend that
   * cannot answer returns G2A_UNSUPPORTED (before or after calling fn: the host then
   * discards the buckets it was given), and the host reads the records through
   * log_query and buckets them itself. bucket_ms >= 1. */
  g2a_status (*log_timeseries)(void* inst, const g2a_log_filter* filter, int64_t bucket_ms,
                               int64_t utc_offset_ms, g2a_log_bucket_fn fn, void* user,
                               g2a_buf* err);

  /* ABI 1.4 (read only when struct_size covers them and they are not NULL). */
  /* The names of the collections that hold at least one document, sorted byte-wise; fn
   * receives each as key (json is empty). Export and backup use it to copy collections
   * the host does not know by name. */
  g2a_status (*doc_collections)(void* inst, g2a_doc_fn fn, void* user, g2a_buf* err);
  /* G2A_OK when the backend can serve calls now: for a database client, one round trip
   * to the server, reconnecting first when the connection was lost; G2A_IO_ERROR with the
   * reason in err otherwise. Returns within a few seconds. The host calls it for /health
   * and, while storage is degraded, to notice that the server is back. */
  g2a_status (*ping)(void* inst, g2a_buf* err);
} g2a_storage_v1;

/* The smallest storage table a v1 host accepts (ABI 1.0's, up to describe). */
#define G2A_MIN_STORAGE_SIZE (offsetof(g2a_storage_v1, describe) + sizeof(void*))

/* ---- proxy source -------------------------------------------------------- */
/*
 * The pool owns when to refresh, normalising, de-duplicating, health and SSO binding; a
 * source only fetches its current list. The host waits a bounded time for done and
 * ignores a later answer. The bundled proxy-source-api plugin gets "url"
 * (grok.proxy_pool_url) and "timeout_ms" added to its config table by the host.
 */

typedef struct g2a_proxy {
  uint32_t struct_size;
  g2a_str url;     /* scheme://[user:pass@]host:port */
  g2a_str region;  /* optional */
  uint32_t weight; /* 0 = default */
  uint32_t ttl_s;  /* 0 = no expiry */
} g2a_proxy;

/* One proxy found; proxy and the views in it are borrowed for the call (the host copies). */
typedef void (*g2a_proxy_emit_fn)(void* user, const g2a_proxy* proxy);
/* The end of an asynchronous call; message is borrowed for the call. */
typedef void (*g2a_done_fn)(void* user, g2a_status st, g2a_str message);

typedef struct g2a_proxy_source_v1 {
  uint32_t struct_size;
  /* Fetch the current list. emit is called for each proxy, then done exactly once;
   * both may run later on a host thread (for example after host->http_request).
   * Returning an error means done will not be called. */
  g2a_status (*refresh)(void* inst, g2a_proxy_emit_fn emit, g2a_done_fn done, void* user);
} g2a_proxy_source_v1;

/* ---- clearance provider (ABI 1.2) ----------------------------------------- */
/*
 * A clearance provider obtains Cloudflare clearance for one egress (a proxy, or direct)
 * when grok.com answered through it with a challenge page, typically by driving a real
 * browser (FlareSolverr and compatible services). Cloudflare binds cf_clearance to the
 * IP, the TLS fingerprint and the User-Agent that earned it, so:
 *   - the provider must make the challenged request through req->proxy_url (the egress
 *     itself), never through another way out;
 *   - the User-Agent in the result replaces the egress's own for every later call made
 *     with these cookies (a solver's browser usually has its own User-Agent).
 * The host calls solve() when it sees a challenge, retries the request once with the
 * result, and keeps at most one solve per egress running.
 */

/* One cookie; both views are borrowed for the call they are passed in. */
typedef struct g2a_cookie {
  g2a_str name;
  g2a_str value;
} g2a_cookie;

typedef struct g2a_clearance_request {
  uint32_t struct_size;
  g2a_str url;         /* the page that answered with a challenge, e.g. "https://grok.com/" */
  g2a_str proxy_url;   /* the egress: scheme://[user:pass@]host:port; empty = direct */
  g2a_str user_agent;  /* the egress's current User-Agent (a provider may keep or replace it) */
  uint32_t timeout_ms; /* how long the host waits for done; 0 = the provider's default.
                          A provider should give up (and call done) before it passes. */
} g2a_clearance_request;

typedef struct g2a_clearance_result {
  uint32_t struct_size;
  g2a_str user_agent; /* the User-Agent the clearance is bound to; empty = keep the egress's */
  const g2a_cookie* cookies; /* cf_clearance, __cf_bm, _cfuvid, cf_chl_*; the host keeps
                                only Cloudflare's cookies and ignores the rest */
  size_t cookie_count;
  int64_t expires_ms; /* when the clearance expires, ms since the Unix epoch; 0 = unknown */
} g2a_clearance_result;

/* Called exactly once per accepted solve, possibly before solve() returns, possibly later
 * on any thread. On G2A_OK, result is non-NULL; otherwise it is NULL and message says why
 * (for operators: it must not contain proxy credentials). message and result (with
 * everything it points to) are borrowed for the call: the host copies what it keeps.
 * A done that arrives after the host stopped waiting (timeout_ms) is accepted and
 * ignored; user stays valid until done has been called. */
typedef void (*g2a_clearance_done_fn)(void* user, g2a_status st, g2a_str message,
                                      const g2a_clearance_result* result);

typedef struct g2a_clearance_v1 {
  uint32_t struct_size;
  /* Solve the challenge at req->url through req->proxy_url. req and everything it points
   * to are borrowed for this call only: copy what the solve needs later. Must not block
   * unless the plugin sets G2A_FLAG_BLOCKING (do the work through host->http_request).
   * Returning an error means done will not be called. */
  g2a_status (*solve)(void* inst, const g2a_clearance_request* req, g2a_clearance_done_fn done,
                      void* user);
} g2a_clearance_v1;

/* ---- log sink ------------------------------------------------------------ */

typedef struct g2a_log_sink_v1 {
  uint32_t struct_size;
  /* Deliver a batch of call-log records (JSON objects, borrowed for the call).
   * The plugin calls done exactly once with G2A_OK, G2A_RETRY (the host backs off and
   * resends the same batch) or G2A_DROP (the host counts it as lost). The host owns
   * queueing, batching and the retry policy. Returning an error means done will not
   * be called and is treated as G2A_RETRY. */
  g2a_status (*submit)(void* inst, const g2a_str* records, size_t count, g2a_done_fn done,
                       void* user);
} g2a_log_sink_v1;

/* ---- request signer (grok.com x-statsig-id) ------------------------------ */
/*
 * The host adds these keys to a signer's config table (unless the table sets them):
 *   "upstream_url"    grok.upstream_url, e.g. "https://grok.com"
 *   "dynamic_statsig" grok.dynamic_statsig (false: send the fixed value)
 *   "x_statsig_id"    grok.x_statsig_id (the fixed value)
 * sign() is called on I/O threads: it must not block (set no G2A_FLAG_BLOCKING);
 * prepare() does its fetching through host->http_request.
 */

typedef struct g2a_sign_request {
  uint32_t struct_size;
  g2a_str method; /* "POST" */
  g2a_str path;   /* "/rest/app-chat/conversations/new" */
  int64_t now_ms; /* the time to sign for */
} g2a_sign_request;

typedef struct g2a_signer_v1 {
  uint32_t struct_size;
  /* Produce the header value for one request into *out (host->alloc'd).
   * G2A_RETRY when the signer is not ready: call prepare and try again. */
  g2a_status (*sign)(void* inst, const g2a_sign_request* req, g2a_buf* out, g2a_buf* err);
  /* Fetch or refresh whatever signing needs (for example the site's current build);
   * force != 0 discards cached state first (after a "page is out of date" answer).
   * done is called exactly once unless an error is returned. */
  g2a_status (*prepare)(void* inst, int32_t force, g2a_done_fn done, void* user);
  /* A JSON object for /health: at least {"strategy":"...","ready":true|false} and, after a
   * failure, "last_error". *out is host->alloc'd. */
  g2a_status (*status)(void* inst, g2a_buf* out);
} g2a_signer_v1;

/* ---- model adapter (chat and video) ---------------------------------------- */
/*
 * An adapter translates between the gateway and one upstream protocol; it performs no
 * I/O. For each turn (one chat completion) the host asks it for a plan (which upstream
 * call to make, with which body or first frames), makes that call with the turn's
 * account, egress and signer, feeds every piece the upstream sends back to the adapter,
 * and acts on the adapter's answers: frames to send upstream, neutral events for the
 * client, the end of the turn. So the next change of grok.com's payloads or events is a
 * new adapter, not a new gateway. Requests, plans and actions are JSON, so that a minor
 * release can add fields without new structs; readers ignore fields they do not know.
 *
 * Turn request (chat), built by the host from the OpenAI request:
 *   {"kind":"chat","model":"<public id>","mode":"fast|auto|expert|heavy|...",
 *    "transport":"ws"|"rest",
 *    "messages":[{"role":"system|user|assistant|tool","content":"<text>",
 *                 "name":"...","tool_call_id":"...","tool_calls":[...]}],
 *    "attachments":["<fileMetadataId>",...],          uploaded by the host
 *    "continuation":{"conversation_id":"...","parent_response_id":"..."} (optional),
 *    "options":{"temporary":true,"image_generation_count":2,"disable_search":false,
 *               "filtered_tags":["grok:render",...]}}     markup elements removed from the
 *                                                         text ([] removes none)
 * Plan:
 *   {"transport":"ws","call":"chat_gateway","send":["<frame>",...],
 *    "heartbeat":{"interval_ms":25000,"frame":"<frame>"}}   (optional: the host sends
 *                                                             frame every interval_ms)
 *   {"transport":"http","call":"rest_chat","method":"POST","path":"/rest/...",
 *    "body":"<text>"}
 * Actions (answer to feed and finish):
 *   {"send":["<frame>",...],               frames for the upstream WebSocket
 *    "events":[                             in order, for the client
 *      {"type":"text","text":"..."},        answer text
 *      {"type":"reasoning","text":"..."},   thinking
 *      {"type":"search","query":"..."},     a server-side search started
 *      {"type":"citation","url":"...","title":"..."},
 *      {"type":"image","url":"...","progress":100},   a generated image: an asset path
 *                                                      (relative to the assets host) or
 *                                                      URL, readable only with the
 *                                                      turn's account
 *      {"type":"conversation","conversation_id":"...","response_id":"..."},
 *      {"type":"error","code":"...","message":"...","origin":"upstream|adapter"},
 *                                           an error inside the stream; code is the
 *                                           upstream's own code as text ("7", "anti_bot")
 *      {"type":"done","finish_reason":"stop"}],       the turn ended well
 *    "close":true|false}                    the host may close the upstream now
 *
 * Video (ABI 1.3). An adapter serves video models by listing them in models() with
 * "kind":"video" and these keys (the host validates requests against them, picks an
 * account that can make the video, and owns the task, its files and its persistence):
 *   {"id":"sora-2","kind":"video","description":"...",
 *    "quota":"video"|"video720p"|...,     the quota_info kind a generation is charged to;
 *                                         accounts without it are not picked
 *    "tiers":["basic","super","heavy"],   account tiers that may serve it
 *    "sizes":["720x1280",...],            accepted OpenAI sizes; "default_size":"720x1280"
 *    "seconds":{"default":6,"max":10,     accepted durations are 1..max;
 *               "max_by_tier":{"basic":6}},   lower limits of some tiers
 *    "references":true|false,             accepts a reference image (image-to-video)
 *    "resolution":"480p","quality":"standard"}      shown to clients
 * Turn request (video), built by the host from the task:
 *   {"kind":"video","model":"<public id>","prompt":"...","seconds":6,"size":"720x1280",
 *    "tier":"basic|super|heavy|auto",                 the account's tier
 *    "reference":{"file_id":"<fileMetadataId>","file_uri":"users/.../content"}}
 *                                  (optional: an image the host uploaded with the account
 *                                   before begin(), with grok.com's imagine file source)
 * Plan: as for chat; "call":"rest_media" makes a POST through the media path (Referer
 * /imagine, signed), "call":"rest_chat" through the chat path.
 * Actions: "events" may carry, besides "error" and "done":
 *      {"type":"progress","progress":0..100},         the upstream's own progress
 *      {"type":"video","url":"...","thumbnail_url":"...","resolution":"720p"}
 *                                           the result: asset paths or URLs, readable
 *                                           only with the task's account
 *   and, for providers that submit then poll, after finish() only:
 *    "next":{"call":"rest_media","path":"/...","body":"<text>","delay_ms":5000}
 *                                           the host waits delay_ms, makes this call with
 *                                           the same account and egress, and feeds its
 *                                           body to the same turn, then calls finish()
 *                                           again. A turn without a "video" event or an
 *                                           "error" event by its last finish() failed.
 * Error codes a video adapter should use: "moderated" (the upstream refused the content),
 * "no_video_generated" (the stream ended without a result), or the upstream's own code.
 */
typedef struct g2a_model_adapter_v1 {
  uint32_t struct_size;
  /* The models this adapter serves, as a JSON array of objects with at least "id" and
   * "kind" ("chat", "image" or "video"). *out is host->alloc'd. */
  g2a_status (*models)(void* inst, g2a_buf* out);
  /* Starts a turn for request_json (borrowed). *out_turn is the adapter's turn state,
   * released with end(); *out_plan is host->alloc'd. */
  g2a_status (*begin)(void* inst, g2a_str request_json, void** out_turn, g2a_buf* out_plan,
                      g2a_buf* err);
  /* Something arrived from the upstream: one WebSocket message, or a piece of an HTTP
   * body (split anywhere). *out_actions is host->alloc'd. */
  g2a_status (*feed)(void* turn, g2a_str data, g2a_buf* out_actions, g2a_buf* err);
  /* The upstream ended cleanly (the body is complete, or the socket closed normally); not
   * called after a transport failure. The last actions. */
  g2a_status (*finish)(void* turn, g2a_buf* out_actions, g2a_buf* err);
  /* Releases the turn; called once per successful begin(). */
  void (*end)(void* turn);
} g2a_model_adapter_v1;

/* ---- plugin descriptor ---------------------------------------------------- */

typedef struct g2a_plugin_v1 {
  uint32_t struct_size;    /* sizeof(g2a_plugin_v1) in the plugin's header */
  uint32_t abi_version;    /* the plugin's G2A_ABI_VERSION */
  const char* id;          /* unique, e.g. "storage-file" */
  const char* version;     /* the plugin's own version, e.g. "1.2.0" */
  const char* vendor;      /* who ships it */
  const char* description; /* one line */
  uint32_t kinds;          /* G2A_KIND_* bits this plugin provides */
  uint32_t flags;          /* G2A_FLAG_* */

  /* Create the instance. On failure return an error and put a message in *err.
   * host and ctx stay valid until destroy returns. */
  g2a_status (*create)(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out_inst, g2a_buf* err);
  /* Destroy the instance; the host calls it once, after the last call into it. */
  void (*destroy)(void* inst);

  /* The function table of one kind, e.g. a const g2a_storage_v1* for
   * G2A_KIND_STORAGE; NULL for a kind not in `kinds`. Tables are static. */
  const void* (*get_interface)(uint32_t kind);
} g2a_plugin_v1;

/* The entry point every plugin exports. Returns a static descriptor, or NULL when the
 * host is unusable (for example another ABI major), after saying why through
 * host->log when it can. */
typedef const g2a_plugin_v1* (*g2a_plugin_entry_fn)(const g2a_host_v1* host);

#ifdef __cplusplus
}
#endif

#endif /* GROK2API_PLUGIN_H */
