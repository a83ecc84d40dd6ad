#include "call_log_data.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace g2a::bench {
namespace {

constexpr int64_t kSpanMs = 30LL * 86'400'000;
constexpr size_t kTokens = 50;
constexpr double kFailureRate = 0.05;

const char* const kModels[] = {"grok-3",           "grok-3-fast",  "grok-3-mini", "grok-4",
                               "grok-4-fast",      "grok-4-heavy", "grok-4.1",    "grok-4.1-fast",
                               "grok-imagine-0.9", "grok-2-image"};

struct Failure {
  int status;
  const char* type;
  const char* message;
};
const Failure kFailures[] = {
    {429, "rate_limited", "Too many requests: the token's quota for grok-4 is used up (429)"},
    {403, "upstream_forbidden",
     R"(grok.com answered 403: {\"error\":{\"code\":7,\"message\":\"Request rejected by anti-bot rules.\"}})"},
    {401, "token_invalid", "SSO token rejected by grok.com (401): the session has expired"},
    {502, "upstream_error", "upstream closed the connection before the answer ended"},
    {504, "upstream_timeout", "no answer from grok.com within 120 s (connect 10 s, read 120 s)"},
    {500, "proxy_error", "proxy socks5h://10.20.0.7:1080 failed: connection refused"},
};

const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

std::string random_text(std::mt19937_64& rng, size_t n) {
  std::string s(n, ' ');
  for (char& c : s) c = kAlphabet[rng() % 64];
  return s;
}

std::string uuid4(std::mt19937_64& rng) {
  static const char hex[] = "0123456789abcdef";
  std::string s(36, '-');
  for (size_t i = 0; i < 36; ++i)
    if (i != 8 && i != 13 && i != 18 && i != 23) s[i] = hex[rng() % 16];
  s[14] = '4';
  return s;
}

}  // namespace

CallLogData::CallLogData(int64_t now_ms, uint32_t seed) : now_ms_(now_ms), rng_(seed) {
  // grok.com's sso cookie is a JWT: header.payload.signature, about 180 characters.
  for (size_t i = 0; i < kTokens; ++i)
    tokens_.push_back("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoi" +
                      random_text(rng_, 80) + "." + random_text(rng_, 43));
  for (const char* m : kModels) models_.emplace_back(m);
}

std::string CallLogData::sso_substring(size_t i) const {
  return tokens_[i % tokens_.size()].substr(70, 12);
}

std::string CallLogData::describe() const {
  return std::to_string(kTokens) + " SSO tokens, " + std::to_string(models_.size()) + " models, ~" +
         std::to_string(static_cast<int>(kFailureRate * 100)) +
         "% failures, timestamps over 30 days";
}

void CallLogData::append_record(std::string& out, int64_t timestamp) {
  // A few tokens and models carry most of the traffic, as in a real pool.
  std::geometric_distribution<size_t> skew(0.08);
  const std::string& sso = tokens_[skew(rng_) % tokens_.size()];
  const std::string& model = models_[skew(rng_) % models_.size()];
  bool image = model.find("image") != std::string::npos;
  bool ok = std::uniform_real_distribution<double>(0, 1)(rng_) >= kFailureRate;
  const Failure& f = kFailures[rng_() % std::size(kFailures)];
  std::lognormal_distribution<double> latency(1.2, 0.8);
  double rt = std::round(latency(rng_) * 1000) / 1000;
  double fb = std::round(rt * 0.3 * 1000) / 1000;
  bool stream = rng_() % 4 != 0;
  char buf[2048];
  std::string media = "[]";
  if (ok && image)
    media = "[\"https://assets.grok.com/users/" + uuid4(rng_) + "/generated/" + uuid4(rng_) +
            "/image.jpg\"]";
  std::string proxy =
      rng_() % 3 == 0 ? "" : "socks5h://10.20.0." + std::to_string(rng_() % 20) + ":1080";
  int n = std::snprintf(
      buf, sizeof buf,
      "{\"id\": \"%s\", \"timestamp\": %lld, \"sso\": \"%.10s****\", \"sso_full\": \"%s\", "
      "\"model\": \"%s\", \"success\": %s, \"status_code\": %d, \"upstream_status\": %d, "
      "\"token_consumed\": 1, \"response_time\": %.3f, \"first_byte_time\": %.3f, "
      "\"error_type\": \"%s\", \"error_message\": \"%s\", \"proxy_used\": \"%s\", "
      "\"media_urls\": %s, \"stream\": %s, \"request_id\": \"%s\", \"token_type\": \"%s\", "
      "\"client_ip\": \"10.1.%d.%d\", \"api_key_name\": \"%s\", \"path\": \"%s\"}",
      uuid4(rng_).c_str(), static_cast<long long>(timestamp), sso.c_str(), sso.c_str(),
      model.c_str(), ok ? "true" : "false", ok ? 200 : f.status, ok ? 200 : f.status, rt, fb,
      ok ? "" : f.type, ok ? "" : f.message, proxy.c_str(), media.c_str(),
      stream ? "true" : "false", uuid4(rng_).c_str(), rng_() % 5 == 0 ? "super" : "normal",
      static_cast<int>(rng_() % 256), static_cast<int>(rng_() % 256),
      rng_() % 2 ? "default" : "team-app",
      image ? "/v1/images/generations" : "/v1/chat/completions");
  out.append(buf, static_cast<size_t>(n));
}

uint64_t CallLogData::write_pro_file(const std::filesystem::path& path, uint64_t count) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  std::string chunk = "{\"logs\": [";
  int64_t first = now_ms_ - kSpanMs;
  for (uint64_t i = 0; i < count; ++i) {
    // Evenly spread, oldest first, with some records sharing a millisecond.
    int64_t ts = first + static_cast<int64_t>(static_cast<double>(kSpanMs) *
                                              static_cast<double>(i) / static_cast<double>(count));
    if (i) chunk += ", ";
    append_record(chunk, ts);
    if (chunk.size() > (1 << 20)) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      chunk.clear();
    }
  }
  chunk += "], \"meta\": {\"total_count\": " + std::to_string(count) +
           ", \"last_save\": " + std::to_string(now_ms_) + "}}";
  out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return std::filesystem::file_size(path);
}

}  // namespace g2a::bench
