#include "core/tokens/account_prep.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "core/http/message.hpp"
#include "core/upstream/grok/grok_client.hpp"

namespace g2a::tokens {
namespace grok = upstream::grok;

namespace {

uint32_t random_u32() {
  uint32_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1)
    v = static_cast<uint32_t>(std::time(nullptr));
  return v;
}

}  // namespace

std::string random_birth_date(int64_t now_ms) {
  time_t now = static_cast<time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&now, &tm);
  int age = 20 + static_cast<int>(random_u32() % 20);  // 20..39 years and some days
  int year = tm.tm_year + 1900 - age - 1;
  int month = 1 + static_cast<int>(random_u32() % 12);
  int day = 1 + static_cast<int>(random_u32() % 28);
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT16:00:00.000Z", year, month, day);
  return out;
}

std::string nsfw_request_body() {
  std::string feature = "always_show_nsfw_content";
  std::string msg;
  msg += "\x0a\x02\x10\x01";  // field 1: {field 2: 1}
  msg += '\x12';              // field 2: {field 1: feature}
  msg += static_cast<char>(feature.size() + 2);
  msg += '\x0a';
  msg += static_cast<char>(feature.size());
  msg += feature;
  std::string frame(4, '\0');
  frame += static_cast<char>(msg.size());
  return frame + msg;
}

std::string tos_request_body() {
  return std::string("\x00\x00\x00\x00\x02\x10\x01", 7);
}

std::optional<GrpcStatus> grpc_web_status(const upstream::HttpResponse& answer) {
  if (auto code = answer.head.header("grpc-status"); !code.empty()) {
    GrpcStatus st;
    st.code = std::atoi(code.c_str());
    st.message = http::percent_decode(answer.head.header("grpc-message"));
    return st;
  }
  return grpc_web_status(answer.body);
}

std::optional<GrpcStatus> grpc_web_status(std::string_view body) {
  size_t pos = 0;
  while (pos + 5 <= body.size()) {
    auto flag = static_cast<unsigned char>(body[pos]);
    size_t len = (static_cast<size_t>(static_cast<unsigned char>(body[pos + 1])) << 24) |
                 (static_cast<size_t>(static_cast<unsigned char>(body[pos + 2])) << 16) |
                 (static_cast<size_t>(static_cast<unsigned char>(body[pos + 3])) << 8) |
                 static_cast<size_t>(static_cast<unsigned char>(body[pos + 4]));
    if (pos + 5 + len > body.size()) return std::nullopt;
    std::string_view payload = body.substr(pos + 5, len);
    pos += 5 + len;
    if (!(flag & 0x80)) continue;
    // Trailer frame: "name:value\r\n" lines.
    GrpcStatus st;
    bool found = false;
    size_t at = 0;
    while (at < payload.size()) {
      size_t eol = payload.find("\r\n", at);
      std::string_view line = payload.substr(at, eol == std::string_view::npos ? eol : eol - at);
      at = eol == std::string_view::npos ? payload.size() : eol + 2;
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = line.substr(0, colon), value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (name == "grpc-status") {
        st.code = std::atoi(std::string(value).c_str());
        found = true;
      } else if (name == "grpc-message") {
        st.message = http::percent_decode(value);
      }
    }
    if (found) return st;
  }
  return std::nullopt;
}

boost::asio::awaitable<PrepResult> prepare_account(grok::GrokClient& client, grok::Account account,
                                                   grok::Egress egress, std::string birth_date) {
  PrepResult result;
  // Each step: the path, body and kind; an UpstreamError of kNone means "already done".
  struct Call {
    const char* name;
    const char* path;
    std::string body;
    grok::CallKind kind;
  };
  std::vector<Call> calls;
  calls.push_back({"tos_accounts", "/auth_mgmt.AuthManagement/SetTosAcceptedVersion",
                   tos_request_body(), grok::CallKind::kAccountsGrpc});
  calls.push_back(
      {"tos", "/rest/auth/set-tos-accepted", R"({"tosVersion":5})", grok::CallKind::kAccountRest});
  calls.push_back({"birth_date", "/rest/auth/set-birth-date",
                   R"({"birthDate":")" + birth_date + R"("})", grok::CallKind::kAccountRest});
  calls.push_back({"nsfw", "/auth_mgmt.AuthManagement/UpdateUserFeatureControls",
                   nsfw_request_body(), grok::CallKind::kGrpcWeb});
  for (const auto& c : calls) {
    PrepStep step;
    step.name = c.name;
    upstream::HttpResponse answer;
    try {
      auto op = client.rest_answer(account, egress, c.path, c.body, c.kind);
      answer = co_await std::move(op);
      step.ok = true;
      step.detail = "done";
    } catch (const grok::UpstreamError& e) {
      if (e.diagnosis().problem == grok::Problem::kNone) {
        step.ok = true;
        step.detail = "already set";
      } else {
        result.refused = e.diagnosis();
        step.detail =
            std::string(grok::to_string(e.diagnosis().problem)) + ": " + e.diagnosis().message;
      }
    } catch (const std::exception& e) {
      step.detail = e.what();
    }
    const bool grpc = c.kind == grok::CallKind::kGrpcWeb || c.kind == grok::CallKind::kAccountsGrpc;
    if (step.ok && grpc) {
      if (auto st = grpc_web_status(answer); st && st->code != 0) {
        step.ok = false;
        step.detail = "grpc-status " + std::to_string(st->code) + ": " + st->message;
      }
    }
    result.steps.push_back(step);
    if (!step.ok) co_return result;
  }
  result.ok = true;
  co_return result;
}

}  // namespace g2a::tokens
