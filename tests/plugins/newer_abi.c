/* A plugin that claims a newer ABI minor than the host's: the host must refuse it. */
#include <grok2api/plugin.h>

#include <stddef.h>

static g2a_status never_create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out,
                               g2a_buf* err) {
  (void)host;
  (void)ctx;
  (void)out;
  (void)err;
  return G2A_INTERNAL; /* the host must not get this far */
}
static void never_destroy(void* inst) {
  (void)inst;
}
static const void* no_interface(uint32_t kind) {
  (void)kind;
  return NULL;
}

static const g2a_plugin_v1 descriptor = {
    sizeof(g2a_plugin_v1), (uint32_t)((G2A_ABI_MAJOR << 16) | (G2A_ABI_MINOR + 1)),
    "newer-abi",           "9.9.9",
    "grok2api tests",      "Claims a newer ABI minor",
    G2A_KIND_LOG_SINK,     0,
    never_create,          never_destroy,
    no_interface};

G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) {
  (void)host;
  return &descriptor;
}
