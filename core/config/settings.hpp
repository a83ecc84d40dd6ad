// Typed settings of the gateway: setting.toml (Pro-compatible), values saved through
// the admin API, and environment overrides, merged in that order of precedence.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace g2a::config {

// A setting with a wrong type or an impossible value. key is "section.key".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& message)
      : std::runtime_error(key + ": " + message), key_(std::move(key)) {}
  const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

struct GrokSettings {
  std::string api_key;
  std::string proxy_url;
  std::vector<std::string> proxy_urls;
  std::string proxy_pool_url;
  int64_t proxy_pool_interval = 300;  // s, background refresh period
  std::string cache_proxy_url;
  // Whether a call may leave without a proxy when none is healthy: "auto" (yes while no
  // proxy is configured anywhere), "true" or "false".
  std::string allow_direct = "auto";
  int64_t proxy_max_failures = 3;      // consecutive failures that make a proxy unhealthy
  int64_t proxy_health_interval = 60;  // s between probes of unhealthy proxies; 0 = off
  std::string proxy_health_url;        // what the probes GET; "" = upstream_url
  std::string clearance_provider;      // clearance-provider plugin id; "" = none
  std::string cf_clearance;            // stored without the "cf_clearance=" prefix
  std::string x_statsig_id;
  bool dynamic_statsig = true;  // true: local signer; false: the fixed x_statsig_id
  std::string filtered_tags = "xaiartifact,xai:tool_usage_card,grok:render";
  bool show_thinking = true;
  bool temporary = true;
  int64_t max_upload_concurrency = 20;
  int64_t max_request_concurrency = 100;
  double stream_first_response_timeout = 30;
  double stream_chunk_timeout = 120;
  double stream_total_timeout = 600;
  std::vector<int64_t> retry_status_codes = {401, 429};
  int64_t max_tls_retries = 2;
  std::string upstream_url = "https://grok.com";
  std::string assets_url = "https://assets.grok.com";
  std::string accounts_url = "https://accounts.x.ai";
  // The browser identity of the direct egress, and of proxies that have none of their own;
  // grok.com binds cf_clearance to it.
  std::string user_agent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/146.0.0.0 Safari/537.36";
  std::string signer = "signer-statsig";           // id of the x-statsig-id signer plugin
  std::string chat_adapter = "adapter-grok-chat";  // id of the chat model-adapter plugin
  std::string chat_transport = "ws";               // ws (chat gateway) | rest
  std::string reasoning_format = "think_tags";     // think_tags | reasoning_content
};

// One [[global.api_keys]] entry: a named key for /v1 with its own limits.
struct ApiKeySetting {
  std::string name;                 // shown in call-log records; unique
  std::string key;                  // what the client sends as Bearer; unique
  int64_t rpm = 0;                  // requests per minute for this key; 0 = no limit
  std::vector<std::string> models;  // model ids this key may use; [] = every model
};

struct GlobalSettings {
  std::string base_url = "http://127.0.0.1:8001";
  std::string log_level = "INFO";
  std::string image_mode = "url";  // url | base64
  std::string admin_username = "admin";
  std::string admin_password = "admin";
  int64_t image_cache_max_size_mb = 512;
  // Image URLs given by clients (docs/design.md, SSRF policy).
  bool image_fetch_allow_private = false;
  int64_t image_fetch_max_mb = 20;
  double image_fetch_timeout = 15;  // s, the whole fetch with its redirects
  int64_t video_cache_max_size_mb = 1024;
  int64_t max_upload_concurrency = 20;
  int64_t max_request_concurrency = 50;
  double batch_save_interval = 1.0;  // s
  int64_t batch_save_threshold = 10;
  int64_t log_max_count = 10000;
  double log_flush_interval = 2.0;        // s between call-log writes (Pro's call log: 2 s)
  int64_t log_batch_size = 500;           // records per write; a full queue is written at once
  int64_t log_queue_max = 100000;         // records held while storage cannot take them
  int64_t log_sink_queue_max = 10000;     // records waiting per log sink; older ones are dropped
  int64_t token_refresh_interval = 3600;  // s, <= 0 disables
  std::string token_refresh_scope = "expired";  // expired | all
  int64_t token_zero_expire_threshold = 3;
  int64_t assumed_chat_quota_per_token = 80;
  int64_t max_body_mb = 32;
  std::string time_zone = "Asia/Shanghai";  // for "today" in call-log stats
  std::vector<ApiKeySetting> api_keys;      // besides grok.api_key (named "default")
  int64_t admin_session_ttl = 86400;        // s, lifetime of an admin session
  int64_t login_max_failures = 5;           // failed logins per client IP or user name ...
  int64_t login_failure_window = 900;       // ... within this many seconds answer 429
};

struct ServerSettings {
  std::string host = "0.0.0.0";
  int64_t port = 8001;
  int64_t workers = 0;  // 0 = number of cores
  int64_t blocking_threads = 4;
  double request_timeout = 300;           // s, whole request incl. body read, non-streaming
  double shutdown_timeout = 10;           // s, graceful drain deadline
  std::vector<std::string> cors_origins;  // empty = no CORS headers; "*" = any
  std::string log_file = "logs/app.log";  // relative to the working directory; "" = none
  int64_t log_file_max_mb = 10;
  int64_t log_file_count = 5;
};

// [video]: the Video API's tasks (issue 7).
struct VideoSettings {
  int64_t max_concurrency = 2;        // generations running at once; the rest wait queued
  double retention_hours = 24;        // tasks (and their files) older than this go
  int64_t max_tasks = 1000;           // the oldest finished tasks beyond this go
  bool resubmit_interrupted = false;  // after a crash, submit in-progress tasks again
  bool clamp_seconds = false;         // too long for every eligible account: make the
                                      // longest possible instead of answering 400
  double generation_timeout = 900;    // s, one upstream generation
  int64_t poll_after_ms = 2000;       // openai-poll-after-ms while queued or in progress
  double sweep_interval = 300;        // s between retention sweeps
  double claim_lease = 30;            // s an instance holds a running task without renewing
};

struct StorageSettings {
  std::string mode = "file";  // file | mysql | redis
  std::string database_url;
  double sync_interval = 2.0;  // s between re-reads of shared state (a shared store only)
};

struct PluginEntry {
  bool required = false;
  std::string config_json = "{}";  // the whole [plugins.<id>] table as JSON
};

struct PluginSettings {
  std::string directory;                       // "" = <binary dir>/../lib/grok2api
  std::vector<std::string> enabled;            // plugin ids; empty = every plugin found
  std::vector<std::string> paths;              // extra plugin files to load
  std::map<std::string, PluginEntry> entries;  // [plugins.<id>]
};

// One [[models]] entry: adds a model id or changes a built-in one (merged by id).
// Empty strings and lists keep the built-in value (or the default of a new id).
struct ModelSetting {
  std::string id;
  std::string kind;                // chat | image | video; "" = built-in or chat
  std::string mode;                // chat: fast|auto|expert|heavy|grok-420-computer-use-sa; image:
                                   // imagine|imagine-pro|lite; video: imagine-video-gen
  std::vector<std::string> tiers;  // basic, super, heavy
  bool listed = true;
  std::string description;
};

struct Settings {
  GrokSettings grok;
  GlobalSettings global;
  ServerSettings server;
  StorageSettings storage;
  PluginSettings plugins;
  VideoSettings video;
  std::vector<ModelSetting> models;  // [[models]], merged over the built-in model table
};

struct Sources {
  std::filesystem::path file;              // setting.toml; may not exist
  std::map<std::string, std::string> env;  // the process environment
  std::string saved_json;                  // settings saved through the admin API:
                                           // {"grok":{...},"global":{...}}; "" = none
};

struct Loaded {
  Settings settings;
  bool file_found = false;
  std::vector<std::string> warnings;  // unknown keys and the like, for the log
  std::set<std::string> pinned;       // "section.key" fixed by the environment
};

// Merges defaults < file < saved < environment. Throws ConfigError naming the key.
Loaded load(const Sources& sources);

// The process environment as a map.
std::map<std::string, std::string> current_environment();

// One setting as the admin API and console describe it.
struct FieldInfo {
  std::string section;       // "grok", "global", "server", "storage", "plugins", "models"
  std::string key;           // "proxy_urls"; "" for a top-level array of tables ([[models]])
  std::string type;          // bool | integer | float | string | string[] | integer[] | table[]
  std::string description;   // one line, English
  std::string default_json;  // the built-in default as JSON text
  bool secret = false;       // masked by to_json unless revealed
  std::string expected;      // what a valid value is: "an integer 0..65535"
  std::vector<std::string> env_names;  // overriding variables, strongest first
  std::vector<FieldInfo> columns;      // table[]: the keys of each table
  std::string name() const { return key.empty() ? section : section + "." + key; }
};

// Every setting, in the order of data/setting.example.toml. [plugins.<id>] tables excluded.
std::vector<FieldInfo> schema();

// {"grok":{...},"global":{...},"server":{...},"storage":{...},"plugins":{...}} with every
// schema field (plugin sub-tables excluded); secrets are masked unless reveal_secrets.
std::string to_json(const Settings& settings, bool reveal_secrets);

}  // namespace g2a::config
