// Strategy selection: fixed, x1, and what "auto" falls back to when local signing fails.
#include <set>

#include "signer_fixture.hpp"

namespace g2a::test {
namespace {

using Strategies = SignerTest;

const std::string kIndex = pages::kBase + "/index";
const std::string kRoot = pages::kBase + "/";
const std::string kRemote = "https://signer.test/sign";

std::string decoded(const std::string& b64) {
  auto raw = statsig::base64_decode(b64);
  return raw ? std::string(raw->begin(), raw->end()) : "<not base64>";
}

// A 70-byte value the fake remote signer hands out, different for each n.
std::string remote_value(int n) {
  statsig::Bytes raw(70, static_cast<uint8_t>(n));
  return statsig::base64_encode(raw, false);
}

void serve_page_without_curves(FakeHost& host) {
  pages::PageSpec spec = pages::vector_page();
  spec.curves_json.clear();
  host.serve(kIndex, {404, pages::page(spec)});
  host.serve(kRoot, {200, pages::page(spec)});
}

TEST_F(Strategies, FixedWhenDynamicStatsigIsOff) {
  SignerClient signer(host, config(R"("dynamic_statsig":false,"x_statsig_id":"FIXED-VALUE")"));
  ASSERT_TRUE(signer.created()) << signer.create_error();
  auto r = signer.sign("POST", vector::kPath, kNowMs);
  EXPECT_EQ(r.status, G2A_OK);
  EXPECT_EQ(r.value, "FIXED-VALUE");
  DoneRecorder done;
  signer.prepare(true, done);
  ASSERT_EQ(done.count(), 1u);  // nothing to fetch
  EXPECT_EQ(done.calls()[0].status, G2A_OK);
  EXPECT_TRUE(host.log().empty());
  EXPECT_EQ(host.timers(), 0u);
  auto st = signer.status();
  EXPECT_EQ(field(st, "strategy"), "fixed");
  EXPECT_EQ(field(st, "configured"), "auto");
  EXPECT_EQ(field(st, "ready"), "true");
}

TEST_F(Strategies, ExplicitFixed) {
  SignerClient signer(host, config(R"("strategy":"fixed","x_statsig_id":"V")"));
  EXPECT_EQ(signer.sign("GET", "/x", kNowMs).value, "V");
}

TEST_F(Strategies, X1ValuesAreBase64OfTheBrowsersFallbackMessage) {
  SignerClient signer(host, config(R"("strategy":"x1")"));
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto r = signer.sign("POST", vector::kPath, kNowMs);
    ASSERT_EQ(r.status, G2A_OK);
    std::string msg = decoded(r.value);
    EXPECT_EQ(msg.size(), 72u);
    EXPECT_EQ(msg.rfind("x1:TypeError: Cannot read properties of undefined (reading '", 0), 0u)
        << msg;
    EXPECT_EQ(msg.substr(msg.size() - 2), "')");
    for (char c : msg.substr(60, 10)) EXPECT_TRUE(c >= 'a' && c <= 'z') << msg;
    seen.insert(r.value);
  }
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(field(signer.status(), "strategy"), "x1");
}

TEST_F(Strategies, AutoUsesLocalWhenItWorks) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config(R"("allow_x1_fallback":true,"remote_url":")" + kRemote + "\""));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  EXPECT_EQ(field(signer.status(), "strategy"), "local");
  EXPECT_EQ(host.requests_to(kRemote), 0u);
}

TEST_F(Strategies, AutoFallsBackToX1OnlyWhenAllowed) {
  serve_page_without_curves(host);
  {
    SignerClient strict(host, config());
    DoneRecorder done;
    strict.prepare(false, done);
    host.run();
    ASSERT_EQ(done.count(), 1u);
    EXPECT_NE(done.calls()[0].status, G2A_OK);
    EXPECT_EQ(strict.sign("POST", vector::kPath, kNowMs).status, G2A_RETRY);
  }
  SignerClient lenient(host, config(R"("allow_x1_fallback":true)"));
  DoneRecorder done;
  lenient.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK);
  auto st = lenient.status();
  EXPECT_EQ(field(st, "strategy"), "x1");
  EXPECT_EQ(field(st, "ready"), "true");
  EXPECT_NE(field(st, "last_error").find("curves"), std::string::npos);
  EXPECT_EQ(decoded(lenient.sign("POST", vector::kPath, kNowMs).value).rfind("x1:", 0), 0u);
  EXPECT_TRUE(host.logged("x1 fallback", G2A_LOG_WARN));
}

TEST_F(Strategies, ExplicitLocalNeverFallsBack) {
  serve_page_without_curves(host);
  SignerClient signer(host, config(R"("strategy":"local","allow_x1_fallback":true)"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_NE(done.calls()[0].status, G2A_OK);
  EXPECT_EQ(field(signer.status(), "strategy"), "local");
}

TEST_F(Strategies, AutoFallsBackToTheRemoteSignerThenX1) {
  serve_page_without_curves(host);
  host.serve(kRemote, {200, "{\"x-statsig-id\":\"" + remote_value(1) + "\"}"});
  SignerClient signer(host, config(R"("remote_batch":1,"remote_url":")" + kRemote + "\""));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
  EXPECT_EQ(field(signer.status(), "strategy"), "remote");
  auto r = signer.sign("POST", vector::kPath, kNowMs);
  EXPECT_EQ(r.status, G2A_OK);
  EXPECT_EQ(r.value, remote_value(1));

  // The remote signer failing too, with x1 allowed, ends on x1.
  host.serve(kRemote, {502, "bad gateway"});
  SignerClient degraded(host,
                        config(R"("allow_x1_fallback":true,"remote_url":")" + kRemote + "\""));
  DoneRecorder done2;
  degraded.prepare(false, done2);
  host.run();
  ASSERT_EQ(done2.count(), 1u);
  EXPECT_EQ(done2.calls()[0].status, G2A_OK);
  auto st = degraded.status();
  EXPECT_EQ(field(st, "strategy"), "x1");
  EXPECT_NE(field(st, "last_error").find("HTTP 502"), std::string::npos);
}

TEST_F(Strategies, AutoReturnsToLocalWhenTheSiteIsReadableAgain) {
  serve_page_without_curves(host);
  SignerClient signer(host, config(R"("allow_x1_fallback":true)"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(field(signer.status(), "strategy"), "x1");
  pages::serve_vector_site(host);
  host.fire_timers();
  host.run();
  auto st = signer.status();
  EXPECT_EQ(field(st, "strategy"), "local");
  EXPECT_EQ(field(st, "last_error"), "<absent>");
  EXPECT_TRUE(is_vector_value(signer.sign("POST", vector::kPath, kNowMs).value, "POST",
                              vector::kPath, kNowMs));
}

TEST_F(Strategies, BadConfigFailsCreate) {
  SignerClient signer(host, config(R"("strategy":"nope")"));
  EXPECT_FALSE(signer.created());
  EXPECT_EQ(signer.create_status(), G2A_BAD_ARGUMENT);
  EXPECT_NE(signer.create_error().find("strategy"), std::string::npos);
}

}  // namespace
}  // namespace g2a::test
