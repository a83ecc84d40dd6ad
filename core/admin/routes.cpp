#include "core/admin/routes.hpp"

#include <openssl/crypto.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fmt/format.h>

#include <chrono>
#include <optional>

#include "core/admin/auth.hpp"
#include "core/admin/login_throttle.hpp"
#include "core/admin/password_hash.hpp"
#include "core/admin/pro_response.hpp"
#include "core/admin/sessions.hpp"
#include "core/admin/sliding_window.hpp"
#include "core/app/saved_settings.hpp"
#include "core/ops/logging.hpp"
#include "core/runtime/blocking_pool.hpp"
#include "core/storage/store.hpp"

namespace g2a::admin {
namespace json = boost::json;

namespace {

bool equal_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The section a posted key belongs to: Pro's "global_config" is our "global".
std::string section_name(std::string_view posted) {
  constexpr std::string_view suffix = "_config";
  if (posted.size() > suffix.size() && posted.substr(posted.size() - suffix.size()) == suffix)
    posted.remove_suffix(suffix.size());
  return std::string(posted);
}

// A console that round-trips a masked array of tables ([{"name":"ci","key":"****"}], with
// entries added or removed) keeps each secret of the entry with the same name or id.
json::value restore_masked_cells(json::value posted, const json::value& shown,
                                 const json::value& current) {
  if (!posted.is_array() || !shown.is_array() || !current.is_array()) return posted;
  const auto& shown_rows = shown.as_array();
  const auto& current_rows = current.as_array();
  auto identity = [](const json::value& row) -> const json::value* {
    if (!row.is_object()) return nullptr;
    if (auto* v = row.as_object().if_contains("name")) return v;
    return row.as_object().if_contains("id");
  };
  for (auto& row : posted.as_array()) {
    const json::value* id = identity(row);
    if (!id) continue;
    for (size_t j = 0; j < shown_rows.size() && j < current_rows.size(); ++j) {
      const json::value* other = identity(shown_rows[j]);
      if (!other || *other != *id || !current_rows[j].is_object()) continue;
      for (auto& [key, cell] : row.as_object()) {
        auto* masked_cell = shown_rows[j].as_object().if_contains(key);
        auto* real_cell = current_rows[j].as_object().if_contains(key);
        if (masked_cell && real_cell && *masked_cell != *real_cell && cell == *masked_cell)
          cell = *real_cell;
      }
      break;
    }
  }
  return posted;
}

struct SaveResult {
  int status = 200;
  std::string message;
  std::string param;
};

// Runs on the blocking pool: merges posted values into the saved settings, validates
// the result like a file, persists it and applies it.
SaveResult save_settings(app::AppContext& ctx, const json::object& posted) {
  std::lock_guard lock(ctx.settings_write);
  auto current = ctx.current();
  auto revealed = json::parse(config::to_json(*current, true)).as_object();
  auto masked = json::parse(config::to_json(*current, false)).as_object();

  json::object saved = app::saved_settings_object(*ctx.store);
  std::vector<std::string> touched;
  for (const auto& [raw_section, values] : posted) {
    std::string section = section_name(raw_section);
    if (section == "storage" || section == "plugins" || section == "models")
      return {400, "[" + section + "] cannot be changed at runtime; edit setting.toml", section};
    if (!values.is_object())
      return {400, "expected an object of settings for " + std::string(raw_section),
              std::string(raw_section)};
    auto* cur_sec = revealed.if_contains(section);
    auto* masked_sec = masked.if_contains(section);
    if (!cur_sec) return {400, "unknown settings section '" + section + "'", section};
    for (const auto& [key, posted_value] : values.as_object()) {
      std::string full = section + "." + std::string(key);
      const json::value* cur = cur_sec->as_object().if_contains(key);
      const json::value* shown = masked_sec ? masked_sec->as_object().if_contains(key) : nullptr;
      json::value value =
          shown && cur ? restore_masked_cells(posted_value, *shown, *cur) : posted_value;
      // A console that round-trips the masked answer must not overwrite the secret.
      if (shown && cur && *shown != *cur && value == *shown) continue;
      if (cur && value == *cur) continue;
      if (ctx.pinned.count(full))
        return {400, full + " is set by the environment and cannot be changed here", full};
      if (!saved[section].is_object()) saved[section] = json::object();
      saved[section].as_object()[key] = value;
      touched.push_back(section);
    }
  }
  if (touched.empty()) return {200, "no change", ""};

  config::Sources sources = ctx.sources;
  sources.saved_json = json::serialize(saved);
  config::Loaded loaded;
  try {
    loaded = config::load(sources);
  } catch (const config::ConfigError& e) {
    return {400, e.what(), e.key()};
  }
  std::vector<storage::DocWrite> writes;
  for (const auto& [section, values] : saved)
    writes.push_back({"settings", std::string(section), json::serialize(values), false});
  ctx.store->write_batch(writes);
  ctx.store->flush();
  auto next = std::make_shared<const config::Settings>(loaded.settings);
  ctx.settings.store(next);
  if (ctx.apply) ctx.apply(*next);
  ops::logger("Settings")
      ->info("settings saved through the admin API ({} section(s))", touched.size());
  return {200, "settings saved", ""};
}

json::object field_json(const config::FieldInfo& f) {
  json::array env, columns;
  for (const auto& e : f.env_names) env.emplace_back(e);
  for (const auto& c : f.columns) columns.push_back(field_json(c));
  json::object o{{"section", f.section},
                 {"key", f.key},
                 {"name", f.name()},
                 {"type", f.type},
                 {"description", f.description},
                 {"secret", f.secret},
                 {"expected", f.expected},
                 {"env", std::move(env)}};
  // Columns of a table[] field have no default of their own.
  o["default"] = f.default_json.empty() ? json::value() : json::parse(f.default_json);
  if (!f.columns.empty()) o["columns"] = std::move(columns);
  return o;
}

// The 429 of a client with too many recent failed logins.
http::Response too_many_logins(std::chrono::milliseconds wait) {
  auto seconds = retry_after_seconds(wait);
  auto r = pro_error(
      429, fmt::format("登录失败次数过多 (too many failed logins); try again in {} s", seconds), {},
      "TOO_MANY_LOGIN_ATTEMPTS");
  r.headers.push_back({"Retry-After", std::to_string(seconds)});
  return r;
}

boost::asio::awaitable<void> login(app::AppContext& ctx, http::Exchange& ex) {
  auto settings = ctx.current();
  if (settings->global.admin_password == "admin" && !ex.request().from_loopback()) {
    co_await ex.send(pro_error(403,
                               "The admin password is still the default; the admin API "
                               "answers loopback clients only.",
                               {}, "DEFAULT_ADMIN_PASSWORD"));
    co_return;
  }
  auto body = parse_object(ex.request().body);
  if (!body) {
    co_await ex.send(pro_error(400, "expected a JSON object {\"username\",\"password\"}"));
    co_return;
  }
  auto field = [&](const char* k) -> std::string {
    auto* v = body->if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::string username = field("username");
  const std::string& ip = ex.request().remote_ip;
  if (auto wait =
          ctx.login_throttle->wait(ip, username, settings->global.login_max_failures,
                                   std::chrono::seconds(settings->global.login_failure_window),
                                   LoginThrottle::Clock::now())) {
    co_await ex.send(too_many_logins(*wait));
    co_return;
  }
  // A hashed password costs PBKDF2 work: off the I/O threads.
  auto verify = ctx.blocking->run([password = field("password"), settings] {
    return verify_password(password, settings->global.admin_password);
  });
  bool password_ok = co_await std::move(verify);
  if (!equal_secret(username, settings->global.admin_username) || !password_ok) {
    ctx.login_throttle->failed(ip, username, LoginThrottle::Clock::now());
    ops::logger("Admin")->warn("failed admin login from {}", ex.request().remote_ip);
    co_await ex.send(
        pro_error(401, "用户名或密码错误 (wrong username or password)", {}, "INVALID_CREDENTIALS"));
    co_return;
  }
  ctx.login_throttle->succeeded(ip, username);
  auto ttl = std::chrono::seconds(settings->global.admin_session_ttl);
  std::string token = co_await ctx.sessions->create(settings->global.admin_username, ttl);
  json::object ok;
  ok["token"] = token;
  ok["message"] = "登录成功";
  co_await ex.send(pro_ok(std::move(ok)));
}

}  // namespace

void add_admin_routes(http::Router& router, app::AppContext& ctx) {
  router.add("POST", "/api/login", [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
    co_await login(ctx, ex);
  });

  router.add("POST", "/api/logout",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
               co_await ctx.sessions->revoke(bearer_token(ex.request()));
               json::object ok;
               ok["message"] = "已登出";
               co_await ex.send(pro_ok(std::move(ok)));
             }));

  router.add("GET", "/api/settings",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
               bool reveal = ex.request().query_param("reveal").value_or("") == "true";
               json::object ok;
               ok["data"] = json::parse(config::to_json(*ctx.current(), reveal));
               json::array pinned;
               for (const auto& k : ctx.pinned) pinned.emplace_back(k);
               ok["pinned"] = std::move(pinned);
               co_await ex.send(pro_ok(std::move(ok)));
             }));

  // What the console needs to render and check each field: type, default, what a valid
  // value is, whether it is secret and which variables override it.
  router.add("GET", "/api/settings/schema",
             require_admin(ctx, [](http::Exchange& ex) -> boost::asio::awaitable<void> {
               json::array fields;
               for (const auto& f : config::schema()) fields.push_back(field_json(f));
               json::object ok;
               ok["data"] = std::move(fields);
               co_await ex.send(pro_ok(std::move(ok)));
             }));

  router.add(
      "POST", "/api/settings",
      require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
        auto body = parse_object(ex.request().body);
        if (!body) {
          co_await ex.send(pro_error(
              400, "expected a JSON object {\"global_config\":{...},\"grok_config\":{...}}"));
          co_return;
        }
        // A named operation: GCC 12 mishandles closures that are temporaries
        // of a co_await expression.
        auto save = ctx.blocking->run(
            [&ctx, posted = std::move(*body)] { return save_settings(ctx, posted); });
        auto result = co_await std::move(save);
        if (result.status != 200) {
          co_await ex.send(
              pro_error(result.status, result.message, result.param, "invalid_setting"));
          co_return;
        }
        json::object ok;
        ok["message"] = result.message;
        co_await ex.send(pro_ok(std::move(ok)));
      }));

  router.add("GET", "/api/storage/mode",
             require_admin(ctx, [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
               std::string mode = ctx.current()->storage.mode;
               for (auto& c : mode)
                 c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
               json::object ok;
               ok["mode"] = mode;
               ok["data"] = {{"mode", mode}};
               co_await ex.send(pro_ok(std::move(ok)));
             }));
}

}  // namespace g2a::admin
