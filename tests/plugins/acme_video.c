/* A third party's video adapter in plain C11 (ABI 1.3): proof that a plugin adds a video
 * model, and a submit-then-poll shape, with no change to the gateway. It serves
 * "acme-video-1" (480p, 1280x720 only, at most 5 s, no reference image, charged to the
 * "video720p" quota) through grok.com's imagine-video-gen:
 *   1. plan: the textToVideo POST of spec §2.6 (its own, simple body builder);
 *   2. the stream is fed: progress events as they change; the URL of the result is kept;
 *   3. finish(): instead of the video it answers a "next" call, POST
 *      /rest/media/imagine/quota_info with "{}" after 10 ms (the "poll");
 *   4. the quota_info body is fed; the second finish() reports the video, then done.
 * A stream without a URL, a moderated one, an upstream error line, or a poll answer that is
 * not a quota_info document ends in an "error" event. The request is read naively (the host
 * writes it; a value is found by its key); strings are copied as the JSON text they are. */
#include <grok2api/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME_ABI_1_3 ((uint32_t)((1u << 16) | 3u))
#define ACME_MAX_LINE 65536
#define ACME_MAX_SECONDS 5
#define ACME_MAX_TEXT 4096

static const char acme_models[] =
    "[{\"id\":\"acme-video-1\",\"kind\":\"video\",\"description\":\"Acme's test video model "
    "(a third-party plugin)\",\"quota\":\"video720p\",\"tiers\":[\"basic\",\"super\",\"heavy\"],"
    "\"sizes\":[\"1280x720\"],\"default_size\":\"1280x720\",\"seconds\":{\"default\":5,\"max\":5},"
    "\"references\":false,\"resolution\":\"480p\",\"quality\":\"standard\"}]";

typedef struct acme {
  const g2a_host_v1* host;
} acme;

/* A growing text buffer (malloc'd); `failed` once an allocation failed. */
typedef struct text {
  char* data;
  size_t len, cap;
  int failed;
} text;

static void text_add(text* t, const char* s, size_t n) {
  if (t->failed) return;
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + n + 1) cap *= 2;
    char* p = (char*)realloc(t->data, cap);
    if (!p) {
      t->failed = 1;
      return;
    }
    t->data = p;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = '\0';
}

static void text_str(text* t, const char* s) {
  text_add(t, s, strlen(s));
}

/* s as the contents of a JSON string. */
static void text_escaped(text* t, const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == '"' || s[i] == '\\') text_add(t, "\\", 1);
    text_add(t, s + i, 1);
  }
}

/* A host->alloc'd copy of t for the host; frees t. */
static g2a_status text_give(const g2a_host_v1* host, text* t, g2a_buf* out) {
  if (t->failed) {
    free(t->data);
    return G2A_NO_MEMORY;
  }
  char* p = (char*)host->alloc(t->len + 1);
  if (!p) {
    free(t->data);
    return G2A_NO_MEMORY;
  }
  if (t->len) memcpy(p, t->data, t->len);
  p[t->len] = '\0';
  out->data = p;
  out->len = t->len;
  free(t->data);
  return G2A_OK;
}

static g2a_status fail(const g2a_host_v1* host, g2a_buf* err, g2a_status st, const char* message) {
  if (err) {
    text t = {NULL, 0, 0, 0};
    text_str(&t, message);
    if (text_give(host, &t, err) != G2A_OK) err->data = NULL;
  }
  return st;
}

/* The value after "key": in json[0..n), or NULL; *end is where the scan stopped. */
static const char* value_of(const char* json, size_t n, const char* key) {
  size_t k = strlen(key);
  for (size_t i = 0; i + k + 2 <= n; ++i) {
    if (json[i] != '"' || memcmp(json + i + 1, key, k) != 0 || json[i + k + 1] != '"') continue;
    const char* p = json + i + k + 2;
    const char* stop = json + n;
    while (p < stop && (*p == ' ' || *p == ':' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
    return p < stop ? p : NULL;
  }
  return NULL;
}

/* A JSON string value at p, as its raw JSON text (escapes kept): length, or -1. */
static long string_at(const char* p, const char* stop, const char** start) {
  if (!p || p >= stop || *p != '"') return -1;
  const char* q = p + 1;
  while (q < stop && *q != '"') q += (*q == '\\' && q + 1 < stop) ? 2 : 1;
  if (q >= stop || q - p - 1 > ACME_MAX_TEXT) return -1;
  *start = p + 1;
  return (long)(q - p - 1);
}

static int string_is(const char* json, size_t n, const char* key, const char* want) {
  const char* s = NULL;
  long len = string_at(value_of(json, n, key), json + n, &s);
  return len == (long)strlen(want) && memcmp(s, want, (size_t)len) == 0;
}

/* ---- the turn ----------------------------------------------------------- */

typedef struct acme_turn {
  const g2a_host_v1* host;
  int polling; /* 0: the generation stream is fed; 1: the quota_info answer is */
  int ended;   /* an error, or the video, was reported */
  int progress;
  text pending; /* the unfinished line, or the whole poll answer */
  char url[ACME_MAX_TEXT + 1], thumbnail[ACME_MAX_TEXT + 1];
} acme_turn;

static void event_error(text* events, acme_turn* t, const char* code, const char* message) {
  if (t->ended) return;
  char e[512];
  snprintf(e, sizeof e,
           "%s{\"type\":\"error\",\"code\":\"%s\",\"message\":\"%s\",\"origin\":\"adapter\"}",
           events->len ? "," : "", code, message);
  text_str(events, e);
  t->ended = 1;
}

static void copy_string(const char* line, size_t n, const char* key, char* out) {
  const char* s = NULL;
  long len = string_at(value_of(line, n, key), line + n, &s);
  if (len < 0) return;
  memcpy(out, s, (size_t)len);
  out[len] = '\0';
}

static void on_line(acme_turn* t, const char* line, size_t n, text* events) {
  if (t->ended) return;
  if (n >= 9 && memcmp(line, "{\"error\":", 9) == 0) {
    event_error(events, t, "upstream_error", "the upstream reported an error");
    return;
  }
  const char* p = value_of(line, n, "progress");
  if (p && *p >= '0' && *p <= '9') {
    int progress = atoi(p);
    if (progress > 100) progress = 100;
    if (progress != t->progress) {
      char e[64];
      snprintf(e, sizeof e, "%s{\"type\":\"progress\",\"progress\":%d}", events->len ? "," : "",
               progress);
      text_str(events, e);
      t->progress = progress;
    }
  }
  const char* moderated = value_of(line, n, "moderated");
  if (moderated && (size_t)(line + n - moderated) >= 4 && memcmp(moderated, "true", 4) == 0) {
    event_error(events, t, "moderated", "the upstream refused the content");
    return;
  }
  copy_string(line, n, "videoUrl", t->url);
  copy_string(line, n, "thumbnailImageUrl", t->thumbnail);
}

static g2a_status answer(acme_turn* t, text* events, const char* next, g2a_buf* out) {
  text a = {NULL, 0, 0, 0};
  text_str(&a, "{\"send\":[],\"events\":[");
  if (events->len) text_add(&a, events->data, events->len);
  text_str(&a, "],\"close\":");
  text_str(&a, t->ended || next ? "true" : "false");
  if (next) {
    text_str(&a, ",\"next\":");
    text_str(&a, next);
  }
  text_str(&a, "}");
  free(events->data);
  return text_give(t->host, &a, out);
}

static g2a_status acme_feed(void* turn, g2a_str data, g2a_buf* out, g2a_buf* err) {
  acme_turn* t = (acme_turn*)turn;
  text events = {NULL, 0, 0, 0};
  if (t->polling) {
    if (t->pending.len + data.len > ACME_MAX_LINE)
      event_error(&events, t, "poll_too_long", "the quota_info answer is too long");
    else
      text_add(&t->pending, data.data, data.len);
    return answer(t, &events, NULL, out);
  }
  for (size_t i = 0; i < data.len && !t->ended; ++i) {
    if (data.data[i] != '\n') {
      if (t->pending.len >= ACME_MAX_LINE)
        event_error(&events, t, "line_too_long", "a line of the stream is too long");
      else
        text_add(&t->pending, data.data + i, 1);
      continue;
    }
    on_line(t, t->pending.data ? t->pending.data : "", t->pending.len, &events);
    t->pending.len = 0;
  }
  if (t->pending.failed) {
    free(events.data);
    return fail(t->host, err, G2A_NO_MEMORY, "out of memory");
  }
  return answer(t, &events, NULL, out);
}

static g2a_status acme_finish(void* turn, g2a_buf* out, g2a_buf* err) {
  acme_turn* t = (acme_turn*)turn;
  text events = {NULL, 0, 0, 0};
  (void)err;
  if (!t->polling) {
    if (t->pending.len) on_line(t, t->pending.data, t->pending.len, &events);
    t->pending.len = 0;
    if (t->ended) return answer(t, &events, NULL, out);
    if (!t->url[0]) {
      event_error(&events, t, "no_video_generated", "the stream ended without a video");
      return answer(t, &events, NULL, out);
    }
    /* Submitted: ask the host for the poll instead of reporting the video now. */
    t->polling = 1;
    return answer(t, &events,
                  "{\"call\":\"rest_media\",\"path\":\"/rest/media/imagine/quota_info\","
                  "\"body\":\"{}\",\"delay_ms\":10}",
                  out);
  }
  if (t->ended) return answer(t, &events, NULL, out);
  /* quota_info answers every media key; anything else means the poll went wrong. */
  if (!value_of(t->pending.data ? t->pending.data : "", t->pending.len, "video720p")) {
    event_error(&events, t, "poll_failed", "the quota_info answer is not a quota document");
    return answer(t, &events, NULL, out);
  }
  text_str(&events, "{\"type\":\"video\",\"url\":\"");
  text_str(&events, t->url);
  text_str(&events, "\",\"thumbnail_url\":\"");
  text_str(&events, t->thumbnail);
  text_str(&events, "\",\"resolution\":\"480p\"},{\"type\":\"done\",\"finish_reason\":\"stop\"}");
  t->ended = 1;
  return answer(t, &events, NULL, out);
}

static void acme_end(void* turn) {
  acme_turn* t = (acme_turn*)turn;
  free(t->pending.data);
  free(t);
}

/* ---- the adapter -------------------------------------------------------- */

static g2a_status acme_list(void* inst, g2a_buf* out) {
  acme* a = (acme*)inst;
  text t = {NULL, 0, 0, 0};
  text_str(&t, acme_models);
  return text_give(a->host, &t, out);
}

static g2a_status acme_begin(void* inst, g2a_str request, void** out_turn, g2a_buf* out_plan,
                             g2a_buf* err) {
  const g2a_host_v1* host = ((acme*)inst)->host;
  const char* req = request.data ? request.data : "";
  size_t n = request.len;
  if (!string_is(req, n, "kind", "video"))
    return fail(host, err, G2A_BAD_ARGUMENT, "kind must be \"video\"");
  if (!string_is(req, n, "model", "acme-video-1"))
    return fail(host, err, G2A_BAD_ARGUMENT, "model: acme-video serves only acme-video-1");
  const char* prompt = NULL;
  long prompt_len = string_at(value_of(req, n, "prompt"), req + n, &prompt);
  if (prompt_len <= 0)
    return fail(host, err, G2A_BAD_ARGUMENT, "prompt must be a non-empty string");
  const char* seconds = value_of(req, n, "seconds");
  int duration = seconds ? atoi(seconds) : ACME_MAX_SECONDS;
  if (duration < 1 || duration > ACME_MAX_SECONDS)
    return fail(host, err, G2A_BAD_ARGUMENT, "seconds must be from 1 to 5 for acme-video-1");
  if (value_of(req, n, "size") && !string_is(req, n, "size", "1280x720"))
    return fail(host, err, G2A_BAD_ARGUMENT, "size must be 1280x720 for acme-video-1");
  const char* reference = value_of(req, n, "reference");
  if (reference && (size_t)(req + n - reference) >= 4 && memcmp(reference, "null", 4) != 0)
    return fail(host, err, G2A_BAD_ARGUMENT, "acme-video-1 takes no reference image");

  /* The body, then the plan that carries it as a JSON string. */
  text body = {NULL, 0, 0, 0};
  char tail[160];
  text_str(&body, "{\"modelName\":\"imagine-video-gen\",\"message\":\"");
  text_add(&body, prompt, (size_t)prompt_len);
  text_str(&body,
           " --mode=custom\",\"enableImageStreaming\":true,\"enableSideBySide\":true,"
           "\"sendFinalMetadata\":true,\"responseMetadata\":{\"experiments\":[],"
           "\"modelConfigOverride\":{\"modelMap\":{}}},\"mediaGenInput\":{\"textToVideo\":{"
           "\"prompt\":\"");
  text_add(&body, prompt, (size_t)prompt_len);
  snprintf(tail, sizeof tail,
           "\",\"aspectRatio\":\"16:9\",\"duration\":%d,\"resolutionName\":\"480p\"}},"
           "\"kind\":\"CONVERSATION_KIND_IMAGINE\"}",
           duration);
  text_str(&body, tail);
  text plan = {NULL, 0, 0, 0};
  text_str(&plan,
           "{\"transport\":\"http\",\"call\":\"rest_media\",\"method\":\"POST\","
           "\"path\":\"/rest/app-chat/conversations/new\",\"body\":\"");
  if (!body.failed) text_escaped(&plan, body.data, body.len);
  text_str(&plan, "\"}");
  int body_failed = body.failed;
  free(body.data);
  if (body_failed) plan.failed = 1;

  acme_turn* t = (acme_turn*)calloc(1, sizeof *t);
  if (!t) {
    free(plan.data);
    return G2A_NO_MEMORY;
  }
  t->host = host;
  t->progress = -1;
  g2a_status st = text_give(host, &plan, out_plan);
  if (st != G2A_OK) {
    free(t);
    return st;
  }
  *out_turn = t;
  return G2A_OK;
}

static const g2a_model_adapter_v1 adapter_table = {
    sizeof(g2a_model_adapter_v1), acme_list, acme_begin, acme_feed, acme_finish, acme_end};

static g2a_status acme_create(const g2a_host_v1* host, g2a_host_ctx* ctx, void** out,
                              g2a_buf* err) {
  (void)ctx;
  (void)err;
  acme* a = (acme*)calloc(1, sizeof *a);
  if (!a) return G2A_NO_MEMORY;
  a->host = host;
  *out = a;
  return G2A_OK;
}

static void acme_destroy(void* inst) {
  free(inst);
}

static const void* acme_interface(uint32_t kind) {
  return kind == G2A_KIND_MODEL_ADAPTER ? &adapter_table : NULL;
}

static const g2a_plugin_v1 descriptor = {sizeof(g2a_plugin_v1),
                                         ACME_ABI_1_3,
                                         "acme-video",
                                         "1.0.0",
                                         "Acme (grok2api tests)",
                                         "A third-party video model that submits then polls",
                                         G2A_KIND_MODEL_ADAPTER,
                                         G2A_FLAG_THREAD_SAFE,
                                         acme_create,
                                         acme_destroy,
                                         acme_interface};

G2A_EXPORT const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host) {
  if (!host || G2A_ABI_VERSION_MAJOR(host->abi_version) != G2A_ABI_MAJOR ||
      host->struct_size < G2A_MIN_HOST_SIZE)
    return NULL;
  return &descriptor;
}
