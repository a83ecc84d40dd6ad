#include "core/admin/token_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>

#include "core/admin/auth.hpp"
#include "core/admin/pro_response.hpp"
#include "core/ops/logging.hpp"
#include "core/ops/mask.hpp"
#include "core/tokens/account_prep.hpp"
#include "core/tokens/pro_view.hpp"
#include "core/tokens/token_pool.hpp"
#include "core/upstream/grok/grok_client.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::admin {
namespace json = boost::json;
namespace grok = upstream::grok;
using boost::asio::awaitable;
using tokens::Pool;
using tokens::TokenPool;

namespace {

std::string string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A list of strings, or nullopt when the member is missing or holds something else.
std::optional<std::vector<std::string>> string_list(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return std::nullopt;
    out.emplace_back(e.as_string());
  }
  return out;
}

std::optional<int64_t> parse_int(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

const char* kTypes = "token_type must be sso, ssoNormal, ssoSuper or ssoHeavy";

// The token_type of a body: missing means ssoNormal (the Pro default pool).
std::optional<Pool> body_pool(const json::object& o) {
  const auto* v = o.if_contains("token_type");
  if (!v || v->is_null()) return Pool::kNormal;
  if (!v->is_string()) return std::nullopt;
  return tokens::pool_from_name(v->as_string());
}

std::string trimmed(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

json::array step_list(const tokens::PrepResult& r) {
  json::array steps;
  for (const auto& s : r.steps)
    steps.push_back(json::object{{"step", s.name}, {"ok", s.ok}, {"detail", s.detail}});
  return steps;
}

struct Deps {
  app::AppContext& ctx;
  TokenPool& pool;
  grok::GrokClient* grok;
  tokens::EgressFor egress;
};

awaitable<void> list_tokens(Deps& d, http::Exchange& ex) {
  const auto& req = ex.request();
  auto number = [&](const char* name, int64_t fallback) -> std::optional<int64_t> {
    auto v = req.query_param(name);
    if (!v || v->empty()) return fallback;
    return parse_int(*v);
  };
  auto page = number("page", 1), page_size = number("page_size", 10), limit = number("limit", 0);
  if (!page || *page < 1 || !page_size || *page_size < 1 || !limit) {
    co_await ex.send(pro_error(400, "page and page_size must be integers >= 1, limit an integer",
                               "page", "INVALID_PARAMETER"));
    co_return;
  }
  std::string sort = req.query_param("sort").value_or("");
  if (!sort.empty() && sort != "created_desc" && sort != "created_asc") {
    co_await ex.send(
        pro_error(400, "sort must be created_desc or created_asc", "sort", "INVALID_PARAMETER"));
    co_return;
  }
  std::optional<Pool> only_pool;
  if (auto t = req.query_param("token_type"); t && !t->empty()) {
    only_pool = tokens::pool_from_name(*t);
    if (!only_pool) {
      co_await ex.send(pro_error(400, kTypes, "token_type", "INVALID_TYPE"));
      co_return;
    }
  }
  std::string status = req.query_param("status").value_or("");
  if (!status.empty() && status != tokens::kLabelUnused && status != tokens::kLabelLimited &&
      status != tokens::kLabelExpired && status != tokens::kLabelActive) {
    co_await ex.send(pro_error(400, "status must be 未使用, 限流中, 失效 or 正常", "status",
                               "INVALID_PARAMETER"));
    co_return;
  }
  std::string tag = req.query_param("tag").value_or("");

  int64_t now = d.pool.now_ms();
  std::vector<tokens::TokenView> rows;
  auto all = d.pool.snapshot();
  for (auto& v : all) {
    if (only_pool && v.pool != *only_pool) continue;
    if (!status.empty() && tokens::status_label(v.record, v.pool, now) != status) continue;
    if (!tag.empty() &&
        std::find(v.record.tags.begin(), v.record.tags.end(), tag) == v.record.tags.end())
      continue;
    rows.push_back(std::move(v));
  }
  if (!sort.empty())
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      return sort == "created_asc" ? a.record.created_time < b.record.created_time
                                   : a.record.created_time > b.record.created_time;
    });
  size_t begin = 0, end = rows.size();
  if (*limit > 0) {
    end = std::min(end, static_cast<size_t>(*limit));  // no paging with a limit (Pro)
  } else {
    auto size = static_cast<uint64_t>(*page_size), skip = static_cast<uint64_t>(*page - 1);
    begin = skip > rows.size() / size ? rows.size() : static_cast<size_t>(skip * size);
    end = begin + std::min<uint64_t>(size, rows.size() - begin);
  }
  json::array data;
  for (size_t i = begin; i < end; ++i) data.push_back(tokens::token_info(rows[i], now));
  json::object ok;
  ok["data"] = std::move(data);
  ok["total"] = static_cast<int64_t>(rows.size());
  ok["page"] = *page;
  ok["page_size"] = *page_size;
  co_await ex.send(pro_ok(std::move(ok)));
}

// POST /api/tokens/add and /delete: {"tokens":[...],"token_type":...}.
awaitable<void> add_or_delete(Deps& d, http::Exchange& ex, bool add) {
  auto body = parse_object(ex.request().body);
  if (!body) {
    co_await ex.send(
        pro_error(400, "expected a JSON object {\"tokens\":[...],\"token_type\":...}"));
    co_return;
  }
  auto pool = body_pool(*body);
  if (!pool) {
    co_await ex.send(pro_error(400, kTypes, "token_type", "INVALID_TYPE"));
    co_return;
  }
  auto list = string_list(*body, "tokens");
  std::vector<std::string> wanted;
  if (list)
    for (auto& t : *list)
      if (auto s = trimmed(std::move(t)); !s.empty()) wanted.push_back(std::move(s));
  if (wanted.empty()) {
    co_await ex.send(
        pro_error(400, "tokens must be a non-empty list of token strings", "tokens", "NO_TOKENS"));
    co_return;
  }
  size_t count = add ? d.pool.add(wanted, *pool) : d.pool.remove(wanted, *pool);
  auto save = d.pool.save();
  co_await std::move(save);
  json::object ok;
  ok["message"] = (add ? "成功添加" : "成功删除") + std::to_string(count) + "个Token";
  ok["count"] = static_cast<int64_t>(count);
  co_await ex.send(pro_ok(std::move(ok)));
}

// POST /api/tokens/tags and /note: {"token","token_type",...}.
awaitable<void> edit_token(Deps& d, http::Exchange& ex, bool tags) {
  auto body = parse_object(ex.request().body);
  if (!body) {
    co_await ex.send(pro_error(400, "expected a JSON object {\"token\",\"token_type\",...}"));
    co_return;
  }
  if (!body_pool(*body)) {
    co_await ex.send(pro_error(400, kTypes, "token_type", "INVALID_TYPE"));
    co_return;
  }
  std::string sso = trimmed(string_field(*body, "token"));
  json::object ok;
  bool found = false;
  if (tags) {
    auto list = string_list(*body, "tags");
    if (!list) {
      co_await ex.send(
          pro_error(400, "tags must be a list of strings", "tags", "INVALID_PARAMETER"));
      co_return;
    }
    found = d.pool.set_tags(sso, *list);
    if (auto v = d.pool.find(sso)) {
      json::array kept;
      for (const auto& t : v->record.tags) kept.emplace_back(t);
      ok["tags"] = std::move(kept);
    }
    ok["message"] = "标签更新成功";
  } else {
    const auto* n = body->if_contains("note");
    if (n && !n->is_string() && !n->is_null()) {
      co_await ex.send(pro_error(400, "note must be a string", "note", "INVALID_PARAMETER"));
      co_return;
    }
    std::string note = n && n->is_string() ? std::string(n->as_string()) : std::string();
    found = d.pool.set_note(sso, note);
    ok["note"] = note;
    ok["message"] = "备注更新成功";
  }
  if (!found) {
    co_await ex.send(pro_error(404, "Token不存在 (token not in the pool)", "token", "NOT_FOUND"));
    co_return;
  }
  auto save = d.pool.save();
  co_await std::move(save);
  co_await ex.send(pro_ok(std::move(ok)));
}

// What a refusal says about a token, as the Pro test answered it.
std::pair<const char*, int> error_type(grok::Problem p) {
  switch (p) {
    case grok::Problem::kUnauthenticated:
      return {"expired", 401};
    case grok::Problem::kBlocked:
      return {"blocked", 403};
    case grok::Problem::kRateLimited:
    case grok::Problem::kUsageLimit:
      return {"limited", 429};
    default:
      return {"unknown", 0};
  }
}

// POST /api/tokens/test: the session, then the quotas (fast, heavy for heavy accounts,
// quota_info), applied to the pool.
awaitable<void> test_token(Deps& d, http::Exchange& ex) {
  auto body = parse_object(ex.request().body);
  std::string sso = body ? trimmed(string_field(*body, "token")) : std::string();
  if (sso.empty()) {
    co_await ex.send(pro_error(400, "expected {\"token\",\"token_type\"}", "token"));
    co_return;
  }
  if (!body_pool(*body)) {
    co_await ex.send(pro_error(400, kTypes, "token_type", "INVALID_TYPE"));
    co_return;
  }
  if (!d.grok) {
    co_await ex.send(pro_error(503, "the grok.com client is not available (no signer plugin)", {},
                               "UPSTREAM_UNAVAILABLE"));
    co_return;
  }
  bool pooled = d.pool.find(sso).has_value();
  grok::Account account;
  account.sso = sso;
  grok::Egress via = d.egress(sso);
  grok::SessionInfo info;
  tokens::QuotaReading fast;
  std::optional<grok::Diagnosis> refused;
  std::string trouble;
  try {
    auto session = d.grok->session(account, via);
    info = co_await std::move(session);
    auto read_fast = tokens::read_mode_quota(*d.grok, account, via, "fast", d.pool.now_ms());
    fast = co_await std::move(read_fast);
    d.pool.apply_quota(sso, fast);
    auto view = d.pool.find(sso);
    if (view && view->record.detected_tier == tokens::Tier::kHeavy) {
      auto read_heavy = tokens::read_mode_quota(*d.grok, account, via, "heavy", d.pool.now_ms());
      auto heavy = co_await std::move(read_heavy);
      d.pool.apply_quota(sso, heavy);
    }
  } catch (const grok::UpstreamError& e) {
    refused = e.diagnosis();
  } catch (const std::exception& e) {
    trouble = e.what();
  }
  if (!refused && trouble.empty()) {
    // Media quotas are extra: their failure does not fail the test.
    try {
      auto read_media = tokens::read_media_quota(*d.grok, account, via, d.pool.now_ms());
      auto media = co_await std::move(read_media);
      for (const auto& r : media) d.pool.apply_quota(sso, r);
    } catch (const std::exception& e) {
      ops::logger("TokenPool")
          ->info("test of {}: quota_info failed: {}", ops::mask_token(sso), e.what());
    }
  }
  if (refused && pooled) {
    tokens::Outcome o = tokens::Outcome::failure(*refused, "fast");
    o.quota_read = true;
    d.pool.report(sso, o);
  }
  if (!refused && trouble.empty() && pooled)
    d.pool.apply_refresh_verdict(sso, d.ctx.current()->global.token_zero_expire_threshold);
  auto save = d.pool.save();
  co_await std::move(save);

  if (refused || !trouble.empty()) {
    auto [type, code] = refused ? error_type(refused->problem) : std::pair{"unknown", 0};
    std::string why = refused
                          ? std::string(grok::to_string(refused->problem)) + ": " + refused->message
                          : trouble;
    if (std::string_view(type) == "unknown") {
      // The test could not be made (Cloudflare, anti-bot, network, 5xx): not a verdict.
      auto r = pro_error(502, "Token测试失败: " + why, {}, "TEST_FAILED");
      auto v = json::parse(r.body);
      v.as_object()["data"] =
          json::object{{"valid", false}, {"error_type", "unknown"}, {"error", why}};
      r.body = json::serialize(v);
      co_await ex.send(std::move(r));
      co_return;
    }
    json::object out;
    out["success"] = false;
    out["message"] = std::string(code == 401   ? "Token已失效"
                                 : code == 403 ? "Token已被封禁"
                                               : "Token已限流") +
                     " (" + why + ")";
    out["data"] =
        json::object{{"valid", false}, {"error_type", type}, {"error_code", code}, {"error", why}};
    co_await ex.send(http::json_response(200, json::serialize(out)));
    co_return;
  }
  json::object data;
  data["valid"] = true;
  data["remaining_queries"] = fast.remaining;
  data["limit"] = fast.total;
  data["user_id"] = info.user_id;
  data["email"] = info.email;
  if (auto v = d.pool.find(sso)) {
    auto full = tokens::token_info(*v, d.pool.now_ms());
    data["tier"] = full["tier"];
    data["quotas"] = full["quotas"];
    data["status"] = full["status"];
  }
  json::object ok;
  ok["message"] = "Token有效";
  ok["data"] = std::move(data);
  co_await ex.send(pro_ok(std::move(ok)));
}

// POST /api/tokens/prepare: {"token"} or {"tokens":[...]}: TOS, birth date, NSFW.
awaitable<void> prepare(Deps& d, http::Exchange& ex) {
  auto body = parse_object(ex.request().body);
  std::vector<std::string> wanted;
  bool single = false;
  if (body) {
    if (auto list = string_list(*body, "tokens"))
      for (auto& t : *list)
        if (auto s = trimmed(std::move(t)); !s.empty()) wanted.push_back(std::move(s));
    if (auto s = trimmed(string_field(*body, "token")); !s.empty()) {
      single = wanted.empty();
      wanted.push_back(std::move(s));
    }
  }
  if (wanted.empty()) {
    co_await ex.send(pro_error(400, "expected {\"token\"} or {\"tokens\":[...]}", "token"));
    co_return;
  }
  if (!d.grok) {
    co_await ex.send(pro_error(503, "the grok.com client is not available (no signer plugin)", {},
                               "UPSTREAM_UNAVAILABLE"));
    co_return;
  }
  for (const auto& sso : wanted)
    if (!d.pool.find(sso)) {
      co_await ex.send(
          pro_error(404, "Token不存在: " + ops::mask_token(sso), "token", "NOT_FOUND"));
      co_return;
    }
  json::array results;
  size_t prepared = 0;
  for (const auto& sso : wanted) {
    grok::Account account;
    account.sso = sso;
    auto op = tokens::prepare_account(*d.grok, account, d.egress(sso),
                                      tokens::random_birth_date(d.pool.now_ms()));
    auto r = co_await std::move(op);
    if (r.ok) {
      ++prepared;
      d.pool.mark_prepared(sso);
    } else if (r.refused) {
      tokens::Outcome o = tokens::Outcome::failure(*r.refused, "");
      o.quota_read = true;
      d.pool.report(sso, o);
    }
    ops::logger("TokenPool")
        ->info("account preparation of {}: {}", ops::mask_token(sso), r.ok ? "done" : "failed");
    results.push_back(json::object{{"token", sso}, {"prepared", r.ok}, {"steps", step_list(r)}});
  }
  auto save = d.pool.save();
  co_await std::move(save);
  bool all = prepared == wanted.size();
  json::object out;
  out["success"] = all;
  out["message"] = all ? std::string("账号准备完成 (account prepared)")
                       : "账号准备失败: " + std::to_string(wanted.size() - prepared) + " of " +
                             std::to_string(wanted.size()) + " failed";
  if (single)
    out["data"] = results.front();
  else
    out["data"] =
        json::object{{"results", std::move(results)}, {"prepared", static_cast<int64_t>(prepared)}};
  if (!all) {
    // The Pro body on the error envelope: grok.com refused a step.
    auto r = pro_error(502, std::string(out["message"].as_string()), {}, "PREPARE_FAILED");
    auto v = json::parse(r.body);
    v.as_object()["data"] = out["data"];
    r.body = json::serialize(v);
    co_await ex.send(std::move(r));
    co_return;
  }
  co_await ex.send(http::json_response(200, json::serialize(out)));
}

}  // namespace

void add_token_routes(http::Router& router, app::AppContext& ctx, TokenPool& pool,
                      grok::GrokClient* grok, tokens::EgressFor egress) {
  if (!egress) egress = tokens::direct_egress([&ctx] { return ctx.current()->grok.user_agent; });
  auto d = std::make_shared<Deps>(Deps{ctx, pool, grok, std::move(egress)});
  auto route = [&](const char* method, const char* path,
                   std::function<awaitable<void>(Deps&, http::Exchange&)> fn) {
    router.add(method, path,
               require_admin(ctx, [d, fn = std::move(fn)](http::Exchange& ex) -> awaitable<void> {
                 auto op = fn(*d, ex);
                 co_await std::move(op);
               }));
  };
  route("GET", "/api/tokens", list_tokens);
  route("POST", "/api/tokens/add",
        [](Deps& d, http::Exchange& ex) { return add_or_delete(d, ex, true); });
  route("POST", "/api/tokens/delete",
        [](Deps& d, http::Exchange& ex) { return add_or_delete(d, ex, false); });
  route("POST", "/api/tokens/tags",
        [](Deps& d, http::Exchange& ex) { return edit_token(d, ex, true); });
  route("POST", "/api/tokens/note",
        [](Deps& d, http::Exchange& ex) { return edit_token(d, ex, false); });
  route("GET", "/api/tokens/tags/all", [](Deps& d, http::Exchange& ex) -> awaitable<void> {
    json::array tags;
    for (const auto& t : d.pool.all_tags()) tags.emplace_back(t);
    json::object ok;
    ok["data"] = std::move(tags);
    co_await ex.send(pro_ok(std::move(ok)));
  });
  route("POST", "/api/tokens/test", test_token);
  route("POST", "/api/tokens/prepare", prepare);
  route("GET", "/api/stats", [](Deps& d, http::Exchange& ex) -> awaitable<void> {
    json::object ok;
    ok["data"] = tokens::pool_stats(d.pool.snapshot(), d.pool.now_ms());
    co_await ex.send(pro_ok(std::move(ok)));
  });
  route("GET", "/api/stats/remaining", [](Deps& d, http::Exchange& ex) -> awaitable<void> {
    json::object ok;
    ok["data"] = tokens::remaining_stats(d.pool.snapshot(),
                                         d.ctx.current()->global.assumed_chat_quota_per_token);
    co_await ex.send(pro_ok(std::move(ok)));
  });
}

}  // namespace g2a::admin
