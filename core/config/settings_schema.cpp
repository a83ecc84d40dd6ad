// The settings table: one line per key. Everything else in config walks it.
#include "core/config/settings_schema.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/config/ascii_text.hpp"
#include "core/proxy/proxy_url.hpp"

namespace g2a::config {
namespace detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return lower(a) == lower(b);
}

// --- rules -------------------------------------------------------------------------------

Rule any() {
  return {};
}

Rule int_at_least(int64_t min) {
  return {fmt::format("an integer >= {}", min),
          [min](Value& v, const CheckContext&) { return std::get<int64_t>(v) >= min; }};
}

Rule int_between(int64_t lo, int64_t hi) {
  return {fmt::format("an integer {}..{}", lo, hi), [lo, hi](Value& v, const CheckContext&) {
            auto n = std::get<int64_t>(v);
            return n >= lo && n <= hi;
          }};
}

Rule number_above(double min) {
  return {fmt::format("a number > {}", min), [min](Value& v, const CheckContext&) {
            auto x = std::get<double>(v);
            return std::isfinite(x) && x > min;
          }};
}

Rule number_between(double lo, double hi) {
  return {fmt::format("a number {}..{}", lo, hi), [lo, hi](Value& v, const CheckContext&) {
            auto x = std::get<double>(v);
            return std::isfinite(x) && x >= lo && x <= hi;
          }};
}

// Case-insensitive; normalised to the spelling listed here.
Rule one_of(std::initializer_list<std::string_view> choices) {
  std::vector<std::string> list(choices.begin(), choices.end());
  std::string expected = "one of ";
  for (size_t i = 0; i < list.size(); ++i) expected += (i ? ", " : "") + list[i];
  return {expected, [list](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            for (const auto& c : list) {
              if (iequals(trim(s), c)) {
                s = c;
                return true;
              }
            }
            return false;
          }};
}

Rule non_empty() {
  return {"a non-empty string", [](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            s = std::string(trim(s));
            return !s.empty();
          }};
}

using proxy::valid_host_port;

Rule proxy_url() {
  return {
      "empty or a proxy URL scheme://[user:pass@]host:port with scheme http, https, socks5 or "
      "socks5h",
      [](Value& v, const CheckContext&) {
        return proxy::normalise_proxy_url(std::get<std::string>(v));
      }};
}

Rule proxy_url_list() {
  return {
      "an array of proxy URLs scheme://[user:pass@]host:port with scheme http, https, "
      "socks5 or socks5h",
      [](Value& v, const CheckContext&) {
        auto& list = std::get<StringList>(v);
        for (auto& url : list) {
          if (!proxy::normalise_proxy_url(url)) return false;
        }
        std::erase(list, std::string());
        return true;
      }};
}

// scheme://host[...] with scheme http or https; lower-cases the scheme.
bool http_like(std::string& url, bool strip_slash) {
  std::string_view s = trim(url);
  auto sep = s.find("://");
  if (sep == std::string_view::npos) return false;
  auto scheme = lower(s.substr(0, sep));
  if (scheme != "http" && scheme != "https") return false;
  auto rest = s.substr(sep + 3);
  if (strip_slash) {
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  }
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!valid_host_port(authority, false)) return false;
  if (rest.find_first_of(" \t") != std::string_view::npos) return false;
  url = scheme + "://" + std::string(rest);
  return true;
}

Rule http_url(bool allow_empty) {
  return {allow_empty ? "empty or an http:// or https:// URL" : "an http:// or https:// URL",
          [allow_empty](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            if (trim(s).empty()) {
              s.clear();
              return allow_empty;
            }
            return http_like(s, true);
          }};
}

// The Pro service took a socks URL here as a static proxy; anything else is the pool API.
Rule pool_url() {
  return {"empty, an http:// or https:// proxy-pool API URL, or a socks5:// proxy URL",
          [](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            auto t = lower(trim(s));
            if (t.empty()) {
              s.clear();
              return true;
            }
            if (t.starts_with("sock")) return proxy::normalise_proxy_url(s);
            return http_like(s, false);
          }};
}

Rule cf_clearance() {
  return {"a string", [](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            std::string_view t = trim(s);
            if (t.starts_with("cf_clearance=")) t.remove_prefix(13);
            s = std::string(trim(t));
            return true;
          }};
}

Rule status_codes() {
  return {"an array of HTTP status codes 100..599", [](Value& v, const CheckContext&) {
            for (auto code : std::get<IntList>(v)) {
              if (code < 100 || code > 599) return false;
            }
            return true;
          }};
}

Rule time_zone() {
  return {"a time zone name found under /usr/share/zoneinfo, such as Asia/Shanghai or UTC",
          [](Value& v, const CheckContext& ctx) {
            auto& s = std::get<std::string>(v);
            s = std::string(trim(s));
            if (s.empty() || s.front() == '/' || s.find("..") != std::string::npos) return false;
            std::error_code ec;
            return std::filesystem::is_regular_file(ctx.zoneinfo_dir / s, ec);
          }};
}

// The password itself, or a hash in the form `grok2api --hash-password` prints:
// pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>. A malformed hash would match
// no password, so it is refused here rather than locking the admin out.
Rule admin_password() {
  return {
      "a password, or pbkdf2-sha256$<iterations>$<salt base64>$<hash base64> as printed by "
      "grok2api --hash-password",
      [](Value& v, const CheckContext&) {
        std::string_view s = std::get<std::string>(v);
        constexpr std::string_view prefix = "pbkdf2-sha256$";
        if (!s.starts_with(prefix)) return true;
        s.remove_prefix(prefix.size());
        auto is_b64 = [](std::string_view t) {
          if (t.empty() || t.size() % 4 != 0) return false;
          for (char c : t)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=')
              return false;
          return true;
        };
        auto d1 = s.find('$');
        auto d2 = d1 == std::string_view::npos ? d1 : s.find('$', d1 + 1);
        if (d2 == std::string_view::npos) return false;
        auto iterations = s.substr(0, d1);
        int64_t n = 0;
        auto [end, ec] =
            std::from_chars(iterations.data(), iterations.data() + iterations.size(), n);
        return ec == std::errc() && end == iterations.data() + iterations.size() && n >= 1 &&
               n <= 10'000'000 && is_b64(s.substr(d1 + 1, d2 - d1 - 1)) &&
               s.substr(d2 + 1).size() == 44 && is_b64(s.substr(d2 + 1));
      }};
}

Rule database_url() {
  return {"empty or a URL such as mysql://user:pass@host:3306/grok2api or redis://host:6379/0",
          [](Value& v, const CheckContext&) {
            auto& s = std::get<std::string>(v);
            s = std::string(trim(s));
            auto sep = s.find("://");
            return s.empty() || (sep != std::string::npos && sep > 0);
          }};
}

// --- table plumbing ----------------------------------------------------------------------

template <typename S>
struct SectionOf;
template <>
struct SectionOf<GrokSettings> {
  static constexpr std::string_view name = "grok";
  static constexpr auto member = &Settings::grok;
};
template <>
struct SectionOf<GlobalSettings> {
  static constexpr std::string_view name = "global";
  static constexpr auto member = &Settings::global;
};
template <>
struct SectionOf<ServerSettings> {
  static constexpr std::string_view name = "server";
  static constexpr auto member = &Settings::server;
};
template <>
struct SectionOf<StorageSettings> {
  static constexpr std::string_view name = "storage";
  static constexpr auto member = &Settings::storage;
};
template <>
struct SectionOf<VideoSettings> {
  static constexpr std::string_view name = "video";
  static constexpr auto member = &Settings::video;
};
template <>
struct SectionOf<PluginSettings> {
  static constexpr std::string_view name = "plugins";
  static constexpr auto member = &Settings::plugins;
};

template <typename M>
struct MemberOf;
template <typename S, typename T>
struct MemberOf<T S::*> {
  using Section = S;
  using Type = T;
};

template <typename T>
constexpr Kind kind_of() {
  if constexpr (std::is_same_v<T, bool>) return Kind::kBool;
  if constexpr (std::is_same_v<T, int64_t>) return Kind::kInt;
  if constexpr (std::is_same_v<T, double>) return Kind::kFloat;
  if constexpr (std::is_same_v<T, std::string>) return Kind::kString;
  if constexpr (std::is_same_v<T, StringList>) return Kind::kStringList;
  if constexpr (std::is_same_v<T, IntList>) return Kind::kIntList;
}

// One table line: the member pointer gives the section, the type and the accessors.
template <auto Member>
Field F(std::string_view key, Rule rule, std::string_view description,
        Secret secret = Secret::kNone, std::vector<std::string_view> aliases = {}) {
  using Traits = MemberOf<decltype(Member)>;
  using T = typename Traits::Type;
  constexpr auto section = SectionOf<typename Traits::Section>::member;
  Field f;
  f.section = SectionOf<typename Traits::Section>::name;
  f.key = key;
  f.kind = kind_of<T>();
  f.get = [](const Settings& s) -> Value { return (s.*section).*Member; };
  f.set = [](Settings& s, Value&& v) { (s.*section).*Member = std::get<T>(std::move(v)); };
  if (rule.expected.empty()) rule.expected = kind_phrase(f.kind);
  f.rule = std::move(rule);
  f.description = description;
  f.secret = secret;
  f.env_aliases = std::move(aliases);
  return f;
}

constexpr auto kText = Secret::kText;
constexpr auto kUrl = Secret::kUrl;

// --- arrays of tables --------------------------------------------------------------------

// One column of a row struct: C<&ApiKeySetting::rpm>("rpm", ...).
template <auto Member>
Column C(std::string_view key, Rule rule, std::string_view description, bool required = false,
         Secret secret = Secret::kNone) {
  using Traits = MemberOf<decltype(Member)>;
  using RowT = typename Traits::Section;
  using T = typename Traits::Type;
  Column c;
  c.key = key;
  c.kind = kind_of<T>();
  c.get = [](const void* row) -> Value { return static_cast<const RowT*>(row)->*Member; };
  c.set = [](void* row, Value&& v) {
    static_cast<RowT*>(row)->*Member = std::get<T>(std::move(v));
  };
  if (rule.expected.empty()) rule.expected = kind_phrase(c.kind);
  c.rule = std::move(rule);
  c.description = description;
  c.secret = secret;
  c.required = required;
  return c;
}

template <typename RowT>
TableList rows_of(const std::vector<RowT>& list, const std::vector<Column>& columns) {
  TableList out;
  for (const auto& item : list) {
    Row row;
    for (const auto& c : columns) row.cells.emplace_back(std::string(c.key), c.get(&item));
    out.push_back(std::move(row));
  }
  return out;
}

// Rows whose cells passed their columns' rules; absent keys keep the struct's default.
template <typename RowT>
std::vector<RowT> structs_of(TableList&& rows, const std::vector<Column>& columns) {
  std::vector<RowT> out;
  for (auto& row : rows) {
    RowT item;
    for (auto& [key, value] : row.cells) {
      for (const auto& c : columns) {
        if (c.key == key) c.set(&item, std::move(value));
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

// "an array of tables with the keys name, key, rpm, models".
std::string table_list_expected(const std::vector<Column>& columns) {
  std::string out = "an array of tables with the keys";
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : " ") + std::string(columns[i].key);
  return out;
}

using RowCheck = std::function<std::optional<RowProblem>(const TableList&)>;

// A table-list field; Columns() returns the (static) column list of the row struct.
template <typename RowT, const std::vector<Column>& (*Columns)()>
Field table_list_field(std::string_view section, std::string_view key, RowCheck check_rows,
                       std::string_view description) {
  Field f;
  f.section = section;
  f.key = key;
  f.kind = Kind::kTableList;
  f.columns = Columns();
  f.check_rows = std::move(check_rows);
  f.rule.expected = table_list_expected(f.columns);
  f.description = description;
  for (const auto& c : f.columns)
    if (c.secret != Secret::kNone) f.secret = c.secret;
  return f;
}

// [[section.key]]: FT<&GlobalSettings::api_keys, api_key_columns>(...).
template <auto Member, const std::vector<Column>& (*Columns)()>
Field FT(std::string_view key, RowCheck check_rows, std::string_view description) {
  using Traits = MemberOf<decltype(Member)>;
  using RowT = typename Traits::Type::value_type;
  constexpr auto section = SectionOf<typename Traits::Section>::member;
  Field f = table_list_field<RowT, Columns>(SectionOf<typename Traits::Section>::name, key,
                                            std::move(check_rows), description);
  f.get = [](const Settings& s) -> Value { return rows_of((s.*section).*Member, Columns()); };
  f.set = [](Settings& s, Value&& v) {
    (s.*section).*Member = structs_of<RowT>(std::get<TableList>(std::move(v)), Columns());
  };
  return f;
}

// [[section]] at the top level of the file: FR<&Settings::models, model_columns>("models").
template <auto Member, const std::vector<Column>& (*Columns)()>
Field FR(std::string_view section, RowCheck check_rows, std::string_view description) {
  using RowT = typename MemberOf<decltype(Member)>::Type::value_type;
  Field f = table_list_field<RowT, Columns>(section, "", std::move(check_rows), description);
  f.get = [](const Settings& s) -> Value { return rows_of(s.*Member, Columns()); };
  f.set = [](Settings& s, Value&& v) {
    s.*Member = structs_of<RowT>(std::get<TableList>(std::move(v)), Columns());
  };
  return f;
}

// No two rows share a value of these columns (names, keys, ids).
RowCheck unique_columns(std::vector<std::string_view> columns) {
  return [columns](const TableList& rows) -> std::optional<RowProblem> {
    for (auto column : columns) {
      std::vector<std::string> seen;
      for (size_t i = 0; i < rows.size(); ++i) {
        const Value* v = rows[i].find(column);
        const auto* text = v ? std::get_if<std::string>(v) : nullptr;
        if (!text) continue;
        if (std::find(seen.begin(), seen.end(), *text) != seen.end())
          return RowProblem{i, std::string(column),
                            fmt::format("repeats the {} of an earlier entry", column)};
        seen.push_back(*text);
      }
    }
    return std::nullopt;
  };
}

// Each string of a list is one of choices.
Rule each_one_of(std::initializer_list<std::string_view> choices) {
  std::vector<std::string> list(choices.begin(), choices.end());
  std::string expected = "an array of ";
  for (size_t i = 0; i < list.size(); ++i) expected += (i ? ", " : "") + list[i];
  return {expected, [list](Value& v, const CheckContext&) {
            for (auto& s : std::get<StringList>(v)) {
              s = lower(trim(s));
              if (std::find(list.begin(), list.end(), s) == list.end()) return false;
            }
            return true;
          }};
}

Rule non_empty_strings() {
  return {"an array of non-empty strings", [](Value& v, const CheckContext&) {
            for (auto& s : std::get<StringList>(v)) {
              s = std::string(trim(s));
              if (s.empty()) return false;
            }
            return true;
          }};
}

// "" or one of choices.
Rule empty_or_one_of(std::initializer_list<std::string_view> choices) {
  Rule inner = one_of(choices);
  return {"empty or " + inner.expected, [inner](Value& v, const CheckContext& ctx) {
            auto& s = std::get<std::string>(v);
            if (trim(s).empty()) {
              s.clear();
              return true;
            }
            return inner.accept(v, ctx);
          }};
}

// auto, true or false; TOML and JSON booleans are taken as the words.
Field allow_direct() {
  auto f = F<&GrokSettings::allow_direct>(
      "allow_direct", one_of({"auto", "true", "false"}),
      "Calls may leave without a proxy when none is healthy: auto = only while no proxy is "
      "configured");
  f.bool_words = true;
  return f;
}

const std::vector<Column>& api_key_columns() {
  static const std::vector<Column> columns = {
      C<&ApiKeySetting::name>("name", non_empty(), "Name in call-log records", true),
      C<&ApiKeySetting::key>("key", non_empty(), "What the client sends as Bearer", true, kText),
      C<&ApiKeySetting::rpm>("rpm", int_at_least(0), "Requests per minute; 0 = no limit"),
      C<&ApiKeySetting::models>("models", non_empty_strings(),
                                "Model ids this key may use; [] = every model"),
  };
  return columns;
}

const std::vector<Column>& model_columns() {
  static const std::vector<Column> columns = {
      C<&ModelSetting::id>("id", non_empty(), "Model id clients send", true),
      C<&ModelSetting::kind>("kind", empty_or_one_of({"chat", "image", "video"}),
                             "chat, image or video; \"\" = built-in or chat"),
      C<&ModelSetting::mode>("mode", any(), "grok.com mode (chat) or image/video service"),
      C<&ModelSetting::tiers>("tiers", each_one_of({"basic", "super", "heavy"}),
                              "Account tiers that may serve it; [] = built-in or all"),
      C<&ModelSetting::listed>("listed", any(), "Shown by /v1/models"),
      C<&ModelSetting::description>("description", any(), "Shown by /v1/models"),
  };
  return columns;
}

std::vector<Field> build_table() {
  return {
      // [grok]: the Pro keys, then the new ones.
      F<&GrokSettings::api_key>("api_key", any(), "Key clients send as Bearer; empty = no auth",
                                kText, {"API_KEY"}),
      F<&GrokSettings::proxy_url>("proxy_url", proxy_url(),
                                  "Static proxy, used when the pool has none", kUrl, {"PROXY_URL"}),
      F<&GrokSettings::proxy_urls>("proxy_urls", proxy_url_list(),
                                   "Proxies added to the pool at start-up", kUrl, {"PROXY_URLS"}),
      F<&GrokSettings::proxy_pool_url>("proxy_pool_url", pool_url(),
                                       "Proxy-pool API returning one proxy per GET", kUrl,
                                       {"PROXY_POOL_URL"}),
      F<&GrokSettings::proxy_pool_interval>("proxy_pool_interval", int_at_least(0),
                                            "Seconds between background refreshes of the "
                                            "proxy-pool API; 0 = fetch only on demand"),
      F<&GrokSettings::cache_proxy_url>("cache_proxy_url", proxy_url(),
                                        "When set, overrides the SSO's proxy for asset downloads",
                                        kUrl),
      allow_direct(),
      F<&GrokSettings::proxy_max_failures>("proxy_max_failures", int_at_least(1),
                                           "Consecutive failures that make a proxy unhealthy"),
      F<&GrokSettings::proxy_health_interval>("proxy_health_interval", int_at_least(0),
                                              "Seconds between probes of unhealthy proxies; "
                                              "0 = no probes"),
      F<&GrokSettings::proxy_health_url>("proxy_health_url", http_url(true),
                                         "What the proxy probes GET; empty = upstream_url "
                                         "(403 counts as reachable)",
                                         kUrl),
      F<&GrokSettings::clearance_provider>("clearance_provider", any(),
                                           "Id of the clearance-provider plugin that solves "
                                           "Cloudflare challenges; empty = none"),
      F<&GrokSettings::cf_clearance>(
          "cf_clearance", cf_clearance(),
          "Cloudflare cookie of the static egress (proxy_url, else direct)", kText,
          {"CF_CLEARANCE"}),
      F<&GrokSettings::x_statsig_id>("x_statsig_id", any(),
                                     "Fixed x-statsig-id, used when dynamic_statsig = false", kText,
                                     {"X_STATSIG_ID"}),
      F<&GrokSettings::dynamic_statsig>(
          "dynamic_statsig", any(),
          "true: sign each request locally; false: send the fixed x_statsig_id"),
      F<&GrokSettings::filtered_tags>("filtered_tags", any(),
                                      "Comma-separated tags dropped from the reply"),
      F<&GrokSettings::show_thinking>("show_thinking", any(), "Stream thinking as <think>"),
      F<&GrokSettings::temporary>("temporary", any(), "Temporary (unsaved) grok.com chats"),
      F<&GrokSettings::max_upload_concurrency>("max_upload_concurrency", int_at_least(1),
                                               "Concurrent uploads (Pro read [global]'s)"),
      F<&GrokSettings::max_request_concurrency>("max_request_concurrency", int_at_least(1),
                                                "Concurrent upstream requests (unused by Pro)"),
      F<&GrokSettings::stream_first_response_timeout>(
          "stream_first_response_timeout", number_above(0), "Seconds to the first upstream byte"),
      F<&GrokSettings::stream_chunk_timeout>("stream_chunk_timeout", number_above(0),
                                             "Seconds allowed between upstream chunks"),
      F<&GrokSettings::stream_total_timeout>("stream_total_timeout", number_above(0),
                                             "Seconds allowed for a whole upstream reply"),
      F<&GrokSettings::retry_status_codes>("retry_status_codes", status_codes(),
                                           "Upstream statuses that move the request to "
                                           "another token"),
      F<&GrokSettings::max_tls_retries>("max_tls_retries", int_at_least(0),
                                        "Retries after a TLS handshake error"),
      F<&GrokSettings::upstream_url>("upstream_url", http_url(false),
                                     "Base URL of grok.com (a simulator in tests)"),
      F<&GrokSettings::assets_url>("assets_url", http_url(false),
                                   "Base URL of generated images and videos"),
      F<&GrokSettings::accounts_url>("accounts_url", http_url(false),
                                     "Base URL of accounts.x.ai (terms of service)"),
      F<&GrokSettings::user_agent>("user_agent", non_empty(),
                                   "User-Agent of the direct egress and default for proxies"),
      F<&GrokSettings::signer>("signer", non_empty(), "Id of the x-statsig-id signer plugin"),
      F<&GrokSettings::chat_adapter>("chat_adapter", non_empty(),
                                     "Id of the chat model-adapter plugin"),
      F<&GrokSettings::chat_transport>("chat_transport", one_of({"ws", "rest"}),
                                       "ws: the chat-gateway WebSocket; rest: conversations/new"),
      F<&GrokSettings::reasoning_format>("reasoning_format",
                                         one_of({"think_tags", "reasoning_content"}),
                                         "How thinking reaches clients: <think> tags in the "
                                         "content, or reasoning_content deltas"),

      // [global]
      F<&GlobalSettings::base_url>("base_url", http_url(true),
                                   "Public URL prefix of /images/... links", Secret::kNone,
                                   {"BASE_URL"}),
      F<&GlobalSettings::log_level>(
          "log_level", one_of({"TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL"}),
          "Log level", Secret::kNone, {"LOG_LEVEL"}),
      F<&GlobalSettings::image_mode>("image_mode", one_of({"url", "base64"}),
                                     "Generated images as links or inline base64"),
      F<&GlobalSettings::admin_username>("admin_username", any(), "Admin console user name"),
      F<&GlobalSettings::admin_password>("admin_password", admin_password(),
                                         "Admin console password, or its hash", kText,
                                         {"ADMIN_PASSWORD", "PASSWORD"}),
      F<&GlobalSettings::image_cache_max_size_mb>("image_cache_max_size_mb", int_at_least(0),
                                                  "Image cache cap in MiB"),
      F<&GlobalSettings::image_fetch_allow_private>(
          "image_fetch_allow_private", any(),
          "Let image URLs of clients reach loopback, private, link-local and CGNAT addresses"),
      F<&GlobalSettings::image_fetch_max_mb>("image_fetch_max_mb", int_at_least(1),
                                             "Largest image fetched from a client's URL, MiB"),
      F<&GlobalSettings::image_fetch_timeout>("image_fetch_timeout", number_above(0),
                                              "Seconds allowed to fetch a client's image URL"),
      F<&GlobalSettings::video_cache_max_size_mb>("video_cache_max_size_mb", int_at_least(0),
                                                  "Video cache cap in MiB"),
      F<&GlobalSettings::max_upload_concurrency>("max_upload_concurrency", int_at_least(1),
                                                 "Concurrent uploads to grok.com"),
      F<&GlobalSettings::max_request_concurrency>("max_request_concurrency", int_at_least(1),
                                                  "Concurrent chat requests"),
      F<&GlobalSettings::batch_save_interval>("batch_save_interval", number_above(0),
                                              "Seconds between token-pool saves"),
      F<&GlobalSettings::batch_save_threshold>("batch_save_threshold", int_at_least(1),
                                               "Token changes that force a save"),
      F<&GlobalSettings::log_max_count>("log_max_count", int_at_least(0),
                                        "Call-log records kept; applies at runtime"),
      F<&GlobalSettings::log_flush_interval>("log_flush_interval", number_between(0.05, 3600),
                                             "Seconds between call-log writes to storage"),
      F<&GlobalSettings::log_batch_size>("log_batch_size", int_between(1, 100000),
                                         "Call-log records per storage write; a queue this "
                                         "long is written without waiting for the interval"),
      F<&GlobalSettings::log_queue_max>("log_queue_max", int_between(1, 10'000'000),
                                        "Call-log records held in memory while storage "
                                        "cannot take them, before the oldest are dropped"),
      F<&GlobalSettings::log_sink_queue_max>("log_sink_queue_max", int_between(1, 10'000'000),
                                             "Records waiting per log sink before the oldest "
                                             "are dropped; applies at runtime"),
      F<&GlobalSettings::token_refresh_interval>("token_refresh_interval", any(),
                                                 "Seconds between token quota refreshes; "
                                                 "<= 0 disables"),
      F<&GlobalSettings::token_refresh_scope>("token_refresh_scope", one_of({"expired", "all"}),
                                              "Which tokens the refresh checks"),
      F<&GlobalSettings::token_zero_expire_threshold>(
          "token_zero_expire_threshold", int_at_least(0),
          "Zero-quota refreshes after which a token counts as expired"),
      F<&GlobalSettings::assumed_chat_quota_per_token>(
          "assumed_chat_quota_per_token", int_at_least(0), "Quota assumed for an unused token"),
      F<&GlobalSettings::max_body_mb>("max_body_mb", int_between(1, 4096),
                                      "Request body limit in MiB"),
      F<&GlobalSettings::time_zone>("time_zone", time_zone(),
                                    "Time zone of \"today\" in call-log stats"),
      FT<&GlobalSettings::api_keys, api_key_columns>(
          "api_keys", unique_columns({"name", "key"}),
          "Named /v1 keys with optional rpm and model allow-list, besides grok.api_key"),
      F<&GlobalSettings::admin_session_ttl>("admin_session_ttl", int_at_least(60),
                                            "Seconds an admin session lasts"),
      F<&GlobalSettings::login_max_failures>("login_max_failures", int_at_least(1),
                                             "Failed logins per client IP or user name "
                                             "before login answers 429"),
      F<&GlobalSettings::login_failure_window>("login_failure_window", int_at_least(1),
                                               "Seconds over which failed logins count"),

      // [server]
      F<&ServerSettings::host>("host", non_empty(), "Listen address", Secret::kNone, {"HOST"}),
      F<&ServerSettings::port>("port", int_between(0, 65535), "Listen port", Secret::kNone,
                               {"PORT"}),
      F<&ServerSettings::workers>("workers", int_at_least(0), "I/O threads; 0 = number of cores",
                                  Secret::kNone, {"WORKERS"}),
      F<&ServerSettings::blocking_threads>("blocking_threads", int_at_least(1),
                                           "Threads for blocking work (files, plugins)"),
      F<&ServerSettings::request_timeout>("request_timeout", number_above(0),
                                          "Seconds for a non-streaming request"),
      F<&ServerSettings::shutdown_timeout>("shutdown_timeout", number_above(0),
                                           "Seconds to drain requests on shutdown"),
      F<&ServerSettings::cors_origins>("cors_origins", any(),
                                       "Allowed CORS origins; [] = none, [\"*\"] = any"),
      F<&ServerSettings::log_file>("log_file", any(), "Log file; \"\" = stdout only"),
      F<&ServerSettings::log_file_max_mb>("log_file_max_mb", int_at_least(1),
                                          "Log file size before rotation, MiB"),
      F<&ServerSettings::log_file_count>("log_file_count", int_at_least(1),
                                         "Rotated log files kept"),

      // [storage]
      F<&StorageSettings::mode>("mode", one_of({"file", "mysql", "redis"}), "Storage backend",
                                Secret::kNone, {"STORAGE_MODE"}),
      F<&StorageSettings::database_url>("database_url", database_url(),
                                        "Database URL for mysql and redis modes", kUrl,
                                        {"DATABASE_URL"}),
      F<&StorageSettings::sync_interval>("sync_interval", number_between(0.2, 3600),
                                         "Seconds between re-reads of the state other "
                                         "instances share through mysql or redis"),

      // [video]
      F<&VideoSettings::max_concurrency>("max_concurrency", int_between(1, 1000),
                                         "Video generations running at once; the rest wait "
                                         "queued"),
      F<&VideoSettings::retention_hours>("retention_hours", number_above(0),
                                         "Hours a video task and its files are kept"),
      F<&VideoSettings::max_tasks>("max_tasks", int_at_least(1),
                                   "Video tasks kept; the oldest finished ones go first"),
      F<&VideoSettings::resubmit_interrupted>(
          "resubmit_interrupted", any(),
          "After a crash, submit in-progress video tasks again (costs quota) instead of "
          "failing them with code interrupted"),
      F<&VideoSettings::clamp_seconds>("clamp_seconds", any(),
                                       "Make the longest video the accounts can instead of "
                                       "answering 400 when seconds is too long"),
      F<&VideoSettings::claim_lease>("claim_lease", number_between(1, 3600),
                                     "Seconds a task stays claimed by an instance that stopped "
                                     "renewing it (it died) before another takes it over"),
      F<&VideoSettings::generation_timeout>("generation_timeout", number_above(0),
                                            "Seconds one upstream video generation may take"),
      F<&VideoSettings::poll_after_ms>("poll_after_ms", int_between(100, 600000),
                                       "openai-poll-after-ms sent while a video is queued or "
                                       "in progress"),
      F<&VideoSettings::sweep_interval>("sweep_interval", number_above(0),
                                        "Seconds between retention sweeps of video tasks"),

      // [plugins]; [plugins.<id>] tables are handled apart.
      F<&PluginSettings::directory>("directory", any(),
                                    "Plugin folder; \"\" = <binary dir>/../lib/grok2api"),
      F<&PluginSettings::enabled>("enabled", any(), "Plugin ids to load; [] = every one found"),
      F<&PluginSettings::paths>("paths", any(), "Extra plugin files to load"),

      // [[models]]: merged over the built-in model table by id.
      FR<&Settings::models, model_columns>("models", unique_columns({"id"}),
                                           "Model ids added or changed over the built-in table"),
  };
}

constexpr std::string_view kSections[] = {"grok",  "global",  "server", "storage",
                                          "video", "plugins", "models"};

}  // namespace

std::string Field::name() const {
  return key.empty() ? std::string(section) : fmt::format("{}.{}", section, key);
}

const Value* Row::find(std::string_view key) const {
  for (const auto& [k, v] : cells)
    if (k == key) return &v;
  return nullptr;
}

std::vector<std::string> Field::env_names() const {
  std::vector<std::string> names{key.empty() ? fmt::format("GROK2API_{}", section)
                                             : fmt::format("GROK2API_{}_{}", section, key)};
  for (auto& c : names[0]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  names.insert(names.end(), env_aliases.begin(), env_aliases.end());
  return names;
}

const std::vector<Field>& fields() {
  static const std::vector<Field> table = build_table();
  return table;
}

const Field* find_field(std::string_view section, std::string_view key) {
  for (const auto& f : fields()) {
    if (f.section == section && f.key == key) return &f;
  }
  return nullptr;
}

const Column* find_column(const Field& field, std::string_view key) {
  for (const auto& c : field.columns)
    if (c.key == key) return &c;
  return nullptr;
}

bool is_section(std::string_view section) {
  return std::find(std::begin(kSections), std::end(kSections), section) != std::end(kSections);
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "integer";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "string";
    case Kind::kStringList:
      return "string[]";
    case Kind::kIntList:
      return "integer[]";
    case Kind::kTableList:
      return "table[]";
  }
  return "?";
}

std::string_view kind_phrase(Kind kind) {
  switch (kind) {
    case Kind::kBool:
      return "a boolean";
    case Kind::kInt:
      return "an integer";
    case Kind::kFloat:
      return "a number";
    case Kind::kString:
      return "a string";
    case Kind::kStringList:
      return "an array of strings";
    case Kind::kIntList:
      return "an array of integers";
    case Kind::kTableList:
      return "an array of tables";
  }
  return "?";
}

std::string json_quote(std::string_view text) {
  return boost::json::serialize(boost::json::value(boost::json::string_view(text)));
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  // Keep a decimal point on whole numbers so a float field reads as one.
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return fmt::format("{:.1f}", value);
  return fmt::format("{}", value);
}

std::string value_json(const Value& value) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t n) const { return std::to_string(n); }
    std::string operator()(double d) const { return json_number(d); }
    std::string operator()(const std::string& s) const { return json_quote(s); }
    std::string operator()(const StringList& list) const {
      std::string out = "[";
      for (size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + json_quote(list[i]);
      return out + "]";
    }
    std::string operator()(const IntList& list) const {
      std::string out = "[";
      for (size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + std::to_string(list[i]);
      return out + "]";
    }
    std::string operator()(const TableList& rows) const {
      std::string out = "[";
      for (size_t i = 0; i < rows.size(); ++i) {
        out += i ? ",{" : "{";
        for (size_t k = 0; k < rows[i].cells.size(); ++k) {
          const auto& [key, v] = rows[i].cells[k];
          out += (k ? "," : "") + json_quote(key) + ":" + std::visit(*this, v);
        }
        out += "}";
      }
      return out + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

std::string mask_text(std::string_view text) {
  return text.empty() ? "" : "****";
}

std::string mask_url(std::string_view url) {
  auto scheme_end = url.find("://");
  size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::string out(url.substr(0, start));
  auto rest = url.substr(start);
  // Query strings of pool APIs and database URLs often carry keys.
  auto query = rest.find_first_of("?#");
  std::string tail;
  if (query != std::string_view::npos) {
    tail = rest[query] == '?' ? "?****" : "";
    rest = rest.substr(0, query);
  }
  auto slash = rest.find('/');
  auto at = rest.rfind('@', slash);
  if (at != std::string_view::npos) {
    std::string user(rest.substr(0, std::min(rest.find(':'), at)));
    if (user.size() > 12) user = user.substr(0, 4) + "****";
    out += user + ":****";
    rest = rest.substr(at);
  }
  return out + std::string(rest) + tail;
}

namespace {

Value masked_as(Secret secret, const Value& value) {
  switch (secret) {
    case Secret::kNone:
      return value;
    case Secret::kText:
      if (auto* s = std::get_if<std::string>(&value)) return mask_text(*s);
      return value;
    case Secret::kUrl:
      if (auto* s = std::get_if<std::string>(&value)) return mask_url(*s);
      if (auto* list = std::get_if<StringList>(&value)) {
        StringList out;
        for (const auto& url : *list) out.push_back(mask_url(url));
        return out;
      }
      return value;
  }
  return value;
}

}  // namespace

Value masked(const Field& field, const Value& value) {
  const auto* rows = std::get_if<TableList>(&value);
  if (!rows) return masked_as(field.secret, value);
  TableList out = *rows;
  for (auto& row : out) {
    for (auto& [key, cell] : row.cells) {
      if (const Column* c = find_column(field, key)) cell = masked_as(c->secret, cell);
    }
  }
  return out;
}

}  // namespace detail

std::vector<FieldInfo> schema() {
  const Settings defaults;
  std::vector<FieldInfo> out;
  for (const auto& f : detail::fields()) {
    FieldInfo info{std::string(f.section),
                   std::string(f.key),
                   std::string(detail::kind_name(f.kind)),
                   std::string(f.description),
                   detail::value_json(f.get(defaults)),
                   f.secret != detail::Secret::kNone,
                   f.rule.expected,
                   f.env_names(),
                   {}};
    for (const auto& c : f.columns) {
      info.columns.push_back(FieldInfo{std::string(f.section),
                                       std::string(c.key),
                                       std::string(detail::kind_name(c.kind)),
                                       std::string(c.description),
                                       "",
                                       c.secret != detail::Secret::kNone,
                                       c.rule.expected,
                                       {},
                                       {}});
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string to_json(const Settings& settings, bool reveal_secrets) {
  std::string out = "{";
  std::string_view open_section;
  for (const auto& f : detail::fields()) {
    auto value = f.get(settings);
    auto shown = detail::value_json(reveal_secrets ? value : detail::masked(f, value));
    if (f.key.empty()) {  // a top-level array of tables: "models":[...]
      if (!open_section.empty()) out += "},";
      open_section = {};
      out += detail::json_quote(f.section) + ":" + shown + ",";
      continue;
    }
    if (f.section != open_section) {
      if (!open_section.empty()) out += "},";
      out += detail::json_quote(f.section) + ":{";
      open_section = f.section;
    } else {
      out += ",";
    }
    out += detail::json_quote(f.key) + ":" + shown;
  }
  if (!open_section.empty()) out += "}";
  if (out.back() == ',') out.pop_back();
  return out + "}";
}

}  // namespace g2a::config
