// The error catalogue of grok.com (spec: grok-upstream-current §3): each documented answer
// is read as the right problem, and each problem leads to the documented action.
#include <gtest/gtest.h>

#include "core/upstream/grok/headers.hpp"
#include "core/upstream/grok/identity.hpp"
#include "core/upstream/grok/problem.hpp"

namespace g2a::upstream::grok {
namespace {

Problem http(long status, std::string_view body, Headers headers = {}) {
  return diagnose_http(status, body, headers).problem;
}

TEST(ErrorCatalogue, HttpAnswers) {
  EXPECT_EQ(http(200, "{}"), Problem::kNone);
  EXPECT_EQ(
      http(403,
           R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})"),
      Problem::kAntiBot);
  EXPECT_EQ(
      http(403,
           R"({"error":{"code":7,"message":"This page is out of date. Reload to continue."}})"),
      Problem::kPageOutOfDate);
  EXPECT_EQ(http(403, "<!DOCTYPE html><title>Just a moment...</title>"), Problem::kCloudflare);
  EXPECT_EQ(http(403, ""), Problem::kCloudflare);
  EXPECT_EQ(http(403, "odd", {{"cf-mitigated", "challenge"}}), Problem::kCloudflare);
  EXPECT_EQ(http(403, R"({"code":7,"message":"User is blocked [WKE=unauthorized:blocked-user]"})"),
            Problem::kBlocked);
  EXPECT_EQ(http(403, R"({"code":"unauthorized:blocked-user","error":"User is blocked"})"),
            Problem::kBlocked);
  EXPECT_EQ(http(401, "{}"), Problem::kUnauthenticated);
  EXPECT_EQ(http(429, R"({"error":{"message":"Too many requests"}})"), Problem::kRateLimited);
  EXPECT_EQ(http(429, R"({"code":8,"message":"x [WKE=account:birth-date-change-limit-reached]"})"),
            Problem::kNone);
  EXPECT_EQ(http(500, "oops"), Problem::kServerError);
  EXPECT_EQ(http(400, R"({"error":{"message":"bad"}})"), Problem::kRejected);
}

TEST(ErrorCatalogue, StreamErrors) {
  EXPECT_EQ(
      diagnose_stream_error("", "You've reached your usage limit. Please try again later.").problem,
      Problem::kUsageLimit);
  EXPECT_EQ(diagnose_stream_error("8", "too many requests").problem, Problem::kRateLimited);
  EXPECT_EQ(diagnose_stream_error("anti_bot", "anti-bot rejected").problem, Problem::kAntiBot);
  EXPECT_EQ(diagnose_stream_error("", "User is blocked: Bot abuse").problem, Problem::kBlocked);
  EXPECT_EQ(diagnose_stream_error("rate_limit", "").problem, Problem::kUsageLimit);
}

TEST(ErrorCatalogue, Remedies) {
  EXPECT_TRUE(remedy_for(Problem::kAntiBot).resign_and_retry);
  EXPECT_TRUE(remedy_for(Problem::kPageOutOfDate).resign_and_retry);
  EXPECT_TRUE(remedy_for(Problem::kCloudflare).refresh_clearance);
  EXPECT_TRUE(remedy_for(Problem::kCloudflare).proxy_failure);
  EXPECT_TRUE(remedy_for(Problem::kBlocked).disable_token);
  EXPECT_TRUE(remedy_for(Problem::kUnauthenticated).disable_token);
  EXPECT_TRUE(remedy_for(Problem::kRateLimited).cool_down_token);
  EXPECT_EQ(remedy_for(Problem::kRateLimited).client_status, 429);
  EXPECT_EQ(remedy_for(Problem::kUsageLimit).client_type, "rate_limit_error");
  EXPECT_EQ(remedy_for(Problem::kBlocked).client_status, 503);
  EXPECT_EQ(remedy_for(Problem::kTransport).client_status, 504);
  EXPECT_FALSE(remedy_for(Problem::kRejected).try_another_token);
}

TEST(Headers, ClientHintsFollowTheUserAgent) {
  auto hints = client_hints(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36");
  ASSERT_EQ(hints.size(), 3u);
  EXPECT_NE(hints[0].second.find("v=\"131\""), std::string::npos);
  EXPECT_EQ(hints[2].second, "\"Windows\"");
  EXPECT_TRUE(client_hints("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                  .empty());
}

TEST(Headers, StatsigOnlyWhereTheSiteWantsIt) {
  Account a{"tok", "uid-1"};
  Egress e;
  e.user_agent = "UA";
  e.cf_cookies = {{"cf_clearance", "c"}, {"other", "x"}};
  auto find = [](const Headers& h, std::string_view n) { return std::string(find_header(h, n)); };
  auto rest = build_headers(CallKind::kRestChat, a, e, {"SIG", ""});
  EXPECT_EQ(find(rest, "x-statsig-id"), "SIG");
  EXPECT_EQ(find(rest, "Cookie"), "sso=tok; sso-rw=tok; cf_clearance=c");
  EXPECT_EQ(find(rest, "Referer"), "https://grok.com/");
  EXPECT_EQ(find(rest, "x-xai-request-id").size(), 36u);
  auto upload =
      build_headers(CallKind::kUploadImagine, a, e, {"", "multipart/form-data; boundary=b"});
  EXPECT_EQ(find(upload, "x-statsig-id"), "");
  EXPECT_EQ(find(upload, "x-xai-request-id"), "");
  EXPECT_EQ(find(upload, "Referer"), "https://grok.com/imagine");
  // accounts.x.ai: its own Origin and page, no statsig, no request id, no CF cookies.
  auto tos = build_headers(CallKind::kAccountsGrpc, a, e, {"SIG", ""});
  EXPECT_EQ(find(tos, "x-statsig-id"), "");
  EXPECT_EQ(find(tos, "x-xai-request-id"), "");
  EXPECT_EQ(find(tos, "Cookie"), "sso=tok; sso-rw=tok");
  EXPECT_EQ(find(tos, "Origin"), "https://accounts.x.ai");
  EXPECT_EQ(find(tos, "Referer"), "https://accounts.x.ai/accept-tos");
  EXPECT_EQ(find(tos, "Content-Type"), "application/grpc-web+proto");
  EXPECT_EQ(find(tos, "x-grpc-web"), "1");
  EXPECT_EQ(find(tos, "x-user-agent"), "connect-es/2.1.1");
  auto ws = build_headers(CallKind::kWebSocket, a, e);
  EXPECT_EQ(ws.size(), 6u);
  EXPECT_EQ(find(ws, "Cookie"), "sso=tok; sso-rw=tok; cf_clearance=c; x-userid=uid-1");
}

TEST(ErrorCatalogue, WhatCountsAsTheChatGatewayRefusingATurn) {
  auto http = [](long status, std::string_view body) { return diagnose_http(status, body, {}); };
  EXPECT_TRUE(chat_gateway_refused(
      http(403, R"({"error":{"code":7,"message":"Request rejected by anti-bot rules."}})")));
  EXPECT_TRUE(chat_gateway_refused(http(
      403, R"({"error":{"code":7,"message":"This page is out of date. Reload to continue."}})")));
  EXPECT_TRUE(chat_gateway_refused(http(500, R"({"error":{"code":13,"message":"internal"}})")));
  EXPECT_TRUE(chat_gateway_refused(http(404, R"({"error":"gone"})")));
  EXPECT_TRUE(chat_gateway_refused(diagnose_stream_error("anti_bot", "anti-bot rejected")));
  // The account's own problems, the egress, and in-stream server errors are not refusals.
  EXPECT_FALSE(chat_gateway_refused(http(401, "{}")));
  EXPECT_FALSE(chat_gateway_refused(
      http(403, R"({"code":7,"message":"User is blocked [WKE=unauthorized:blocked-user]"})")));
  EXPECT_FALSE(chat_gateway_refused(http(429, R"({"error":{"code":8,"message":"Too many"}})")));
  EXPECT_FALSE(chat_gateway_refused(http(403, "<!DOCTYPE html><title>Just a moment...</title>")));
  EXPECT_FALSE(chat_gateway_refused(diagnose_stream_error("rate_limit", "usage limit")));
  EXPECT_FALSE(chat_gateway_refused(diagnose_stream_error("internal", "Internal error")));
  EXPECT_FALSE(chat_gateway_refused(Diagnosis{Problem::kTransport, 0, "reset"}));
}

}  // namespace
}  // namespace g2a::upstream::grok
