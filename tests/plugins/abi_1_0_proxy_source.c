/* A proxy source built as ABI 1.0 knew it (its descriptor claims 1.0 and it uses nothing
 * later): proof that a newer host still loads and calls it. refresh emits the proxies of its
 * [plugins.abi-1-0-source] "proxies" value (a JSON array of strings, read naively), or
 * calls done only when the instance is destroyed when "silent" is true (the host must time
 * out; the late done must be harmless). */
#include <grok2api/plugin.h>

#include <stdlib.h>
#include <string.h>

typedef struct source {
  char* proxies; /* the JSON array as the host gave it, or NULL */
  int silent;
  g2a_done_fn pending_done; /* "silent": the refresh left unanswered */
  void* pending_user;
} source;

static g2a_status source_refresh(void* inst, g2a_proxy_emit_fn emit, g2a_done_fn done, void* user) {
  source* s = (source*)inst;
  if (s->silent) {
    s->pending_done = done;
    s->pending_user = user;
    return G2A_OK;
  }
  /* Each "..." in the array is one proxy URL (no escapes in test values). */
  const char* p = s->proxies;
  while (p && (p = strchr(p, '"')) != NULL) {
    const char* end = strchr(p + 1, '"');
    if (!end) break;
    g2a_proxy proxy = {sizeof(g2a_proxy), {p + 1, (size_t)(end - p - 1)}, {"", 0}, 0, 0};
    emit(user, &proxy);
    p = end + 1;
  }
  done(user, G2A_OK, (g2a_str){"", 0});
  return G2A_OK;
}

static const g2a_proxy_source_v1 source_table = {sizeof(g2a_proxy_source_v1), source_refresh};

static g2a_status source_create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out,
                                g2a_buf* err) {
  (void)err;
  source* s = (source*)calloc(1, sizeof *s);
  if (!s) return G2A_NO_MEMORY;
  g2a_buf value = {NULL, 0};
  if (host->config_get(ctx, "proxies", &value) == G2A_OK) {
    s->proxies = (char*)malloc(value.len + 1);
    if (s->proxies) {
      memcpy(s->proxies, value.data, value.len);
      s->proxies[value.len] = '\0';
    }
    host->free(value.data);
  }
  if (host->config_get(ctx, "silent", &value) == G2A_OK) {
    s->silent = value.len == 4 && memcmp(value.data, "true", 4) == 0;
    host->free(value.data);
  }
  *out = s;
  return G2A_OK;
}

static void source_destroy(void* inst) {
  source* s = (source*)inst;
  if (s->pending_done) s->pending_done(s->pending_user, G2A_TIMEOUT, (g2a_str){"gone", 4});
  free(s->proxies);
  free(s);
}

static const void* source_interface(uint32_t kind) {
  return kind == G2A_KIND_PROXY_SOURCE ? &source_table : NULL;
}

static const g2a_plugin_v1 descriptor = {
    sizeof(g2a_plugin_v1), (uint32_t)((1u << 16) | 0u), /* ABI 1.0 */
    "abi-1-0-source",      "1.0.0",
    "grok2api tests",      "A proxy source as ABI 1.0 built it (plain C11)",
    G2A_KIND_PROXY_SOURCE, G2A_FLAG_THREAD_SAFE,
    source_create,         source_destroy,
    source_interface};

G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) {
  if (!host || G2A_ABI_VERSION_MAJOR(host->abi_version) != 1u ||
      host->struct_size < G2A_MIN_HOST_SIZE)
    return NULL;
  return &descriptor;
}
