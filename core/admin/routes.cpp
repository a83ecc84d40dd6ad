#include "core/admin/routes.hpp"

#include <openssl/crypto.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/admin/sessions.hpp"
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

  json::object saved;
  for (auto& [key, doc] : ctx.store->list("settings")) {
    json::error_code ec;
    auto v = json::parse(doc, ec);
    if (!ec && v.is_object()) saved[key] = v.as_object();
  }
  std::vector<std::string> touched;
  for (const auto& [raw_section, values] : posted) {
    std::string section = section_name(raw_section);
    if (section == "storage" || section == "plugins")
      return {400, "[" + section + "] cannot be changed at runtime; edit setting.toml", section};
    if (!values.is_object())
      return {400, "expected an object of settings for " + std::string(raw_section),
              std::string(raw_section)};
    auto* cur_sec = revealed.if_contains(section);
    auto* masked_sec = masked.if_contains(section);
    if (!cur_sec) return {400, "unknown settings section '" + section + "'", section};
    for (const auto& [key, value] : values.as_object()) {
      std::string full = section + "." + std::string(key);
      const json::value* cur = cur_sec->as_object().if_contains(key);
      const json::value* shown = masked_sec ? masked_sec->as_object().if_contains(key) : nullptr;
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

}  // namespace

void add_admin_routes(http::Router& router, app::AppContext& ctx) {
  router.add("POST", "/api/login", [&ctx](http::Exchange& ex) -> boost::asio::awaitable<void> {
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
    if (!equal_secret(field("username"), settings->global.admin_username) ||
        !equal_secret(field("password"), settings->global.admin_password)) {
      co_await ex.send(pro_error(401, "用户名或密码错误 (wrong username or password)", {},
                                 "INVALID_CREDENTIALS"));
      co_return;
    }
    std::string token = co_await ctx.sessions->create(settings->global.admin_username);
    json::object ok;
    ok["token"] = token;
    ok["message"] = "登录成功";
    co_await ex.send(pro_ok(std::move(ok)));
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
