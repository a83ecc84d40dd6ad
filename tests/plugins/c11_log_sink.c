/* A log-sink plugin in plain C11 against sdk/ alone: proof that the ABI needs no C++. */
#include <grok2api/plugin.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct counter_sink {
  const g2a_host_v1* host;
  g2a_host_ctx* ctx;
  atomic_ulong records;
} counter_sink;

static void say(counter_sink* s, const char* text) {
  g2a_str msg = {text, strlen(text)};
  s->host->log(s->ctx, G2A_LOG_INFO, msg);
}

static g2a_status sink_submit(void* inst, const g2a_str* records, size_t count, g2a_done_fn done,
                              void* user) {
  counter_sink* s = (counter_sink*)inst;
  (void)records;
  atomic_fetch_add(&s->records, (unsigned long)count);
  s->host->metric_add(s->ctx, (g2a_str){"records", 7}, (int64_t)count);
  done(user, G2A_OK, (g2a_str){"", 0});
  return G2A_OK;
}

static const g2a_log_sink_v1 sink_table = {sizeof(g2a_log_sink_v1), sink_submit};

static g2a_status sink_create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out,
                              g2a_buf* err) {
  counter_sink* s = (counter_sink*)calloc(1, sizeof *s);
  if (!s) {
    (void)err;
    return G2A_NO_MEMORY;
  }
  s->host = host;
  s->ctx = ctx;
  atomic_init(&s->records, 0);
  g2a_buf greeting = {NULL, 0};
  if (host->config_get(ctx, "greeting", &greeting) == G2A_OK) {
    say(s, greeting.data);
    host->free(greeting.data);
  }
  say(s, "c11 sink ready");
  *out = s;
  return G2A_OK;
}

static void sink_destroy(void* inst) {
  free(inst);
}

static const void* sink_interface(uint32_t kind) {
  return kind == G2A_KIND_LOG_SINK ? &sink_table : NULL;
}

static const g2a_plugin_v1 descriptor = {sizeof(g2a_plugin_v1),
                                         G2A_ABI_VERSION,
                                         "c11-sink",
                                         "1.0.0",
                                         "grok2api tests",
                                         "Counts call-log records (plain C11)",
                                         G2A_KIND_LOG_SINK,
                                         G2A_FLAG_THREAD_SAFE,
                                         sink_create,
                                         sink_destroy,
                                         sink_interface};

G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) {
  if (!host || G2A_ABI_VERSION_MAJOR(host->abi_version) != G2A_ABI_MAJOR ||
      host->struct_size < G2A_MIN_HOST_SIZE)
    return NULL;
  return &descriptor;
}
