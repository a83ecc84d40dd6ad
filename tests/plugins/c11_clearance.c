/* A clearance provider in plain C11 (ABI 1.2): proof that the new kind needs no C++, and the
 * plugin the host-side wrapper tests drive. Its [plugins.c11-clearance] "mode" chooses:
 *   "solve" (default) done at once with cf_clearance = "cf-<proxy_url>" and a User-Agent
 *                     that names the egress's own one,
 *   "fail"            done at once with G2A_IO_ERROR,
 *   "refuse"          solve returns G2A_UNSUPPORTED (done is never called),
 *   "silent"          done is not called until the instance is destroyed (the host must
 *                     time out; the late done must be harmless). */
#include <grok2api/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct clearance {
  char mode[16];
  g2a_clearance_done_fn pending_done; /* "silent": the solve left unanswered */
  void* pending_user;
} clearance;

static g2a_status clearance_solve(void* inst, const g2a_clearance_request* req,
                                  g2a_clearance_done_fn done, void* user) {
  clearance* c = (clearance*)inst;
  if (strcmp(c->mode, "refuse") == 0) return G2A_UNSUPPORTED;
  if (strcmp(c->mode, "silent") == 0) {
    c->pending_done = done;
    c->pending_user = user;
    return G2A_OK;
  }
  if (strcmp(c->mode, "fail") == 0) {
    done(user, G2A_IO_ERROR, (g2a_str){"solver unreachable", 18}, NULL);
    return G2A_OK;
  }
  char value[256], agent[256];
  snprintf(value, sizeof value, "cf-%.*s", (int)req->proxy_url.len,
           req->proxy_url.data ? req->proxy_url.data : "");
  snprintf(agent, sizeof agent, "Solver/1.0 (was %.*s; %u ms)", (int)req->user_agent.len,
           req->user_agent.data ? req->user_agent.data : "", (unsigned)req->timeout_ms);
  g2a_cookie cookies[2] = {{{"cf_clearance", 12}, {value, strlen(value)}},
                           {{"__cf_bm", 7}, {"bm", 2}}};
  g2a_clearance_result result = {
      sizeof(g2a_clearance_result), {agent, strlen(agent)}, cookies, 2, 1900000000000};
  done(user, G2A_OK, (g2a_str){"", 0}, &result);
  return G2A_OK;
}

static const g2a_clearance_v1 clearance_table = {sizeof(g2a_clearance_v1), clearance_solve};

static g2a_status clearance_create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out,
                                   g2a_buf* err) {
  (void)err;
  clearance* c = (clearance*)calloc(1, sizeof *c);
  if (!c) return G2A_NO_MEMORY;
  strcpy(c->mode, "solve");
  g2a_buf mode = {NULL, 0};
  /* The value arrives as JSON: a quoted string. */
  if (host->config_get(ctx, "mode", &mode) == G2A_OK) {
    if (mode.len >= 2 && mode.len - 2 < sizeof c->mode) {
      memcpy(c->mode, mode.data + 1, mode.len - 2);
      c->mode[mode.len - 2] = '\0';
    }
    host->free(mode.data);
  }
  *out = c;
  return G2A_OK;
}

static void clearance_destroy(void* inst) {
  clearance* c = (clearance*)inst;
  if (c->pending_done) c->pending_done(c->pending_user, G2A_TIMEOUT, (g2a_str){"gone", 4}, NULL);
  free(c);
}

static const void* clearance_interface(uint32_t kind) {
  return kind == G2A_KIND_CLEARANCE ? &clearance_table : NULL;
}

static const g2a_plugin_v1 descriptor = {
    sizeof(g2a_plugin_v1), G2A_ABI_VERSION,
    "c11-clearance",       "1.0.0",
    "grok2api tests",      "Answers clearance solves from its config (plain C11)",
    G2A_KIND_CLEARANCE,    G2A_FLAG_THREAD_SAFE,
    clearance_create,      clearance_destroy,
    clearance_interface};

G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) {
  if (!host || G2A_ABI_VERSION_MAJOR(host->abi_version) != G2A_ABI_MAJOR ||
      host->struct_size < G2A_MIN_HOST_SIZE)
    return NULL;
  return &descriptor;
}
