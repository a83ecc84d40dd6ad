// prepare() through the C ABI: the page and chunks come from the fake host, answered only
// when the test runs it, so every interleaving here is deterministic.
#include <set>
#include <thread>

#include "signer_fixture.hpp"

namespace g2a::test {
namespace {

using Prepare = SignerTest;

const std::string kIndex = pages::kBase + "/index";
const std::string kRoot = pages::kBase + "/";
const std::string kWebpack = pages::kBase + "/_next/static/chunks/webpack-0a1b2c.js";
const std::string kGenerator = pages::kBase + "/_next/static/chunks/app/page-9f8e7d.js";

TEST_F(Prepare, ReadsPageAndChunksThenSignsLikeTheVector) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  ASSERT_TRUE(signer.created()) << signer.create_error();
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_RETRY);
  EXPECT_EQ(field(signer.status(), "ready"), "false");

  DoneRecorder done;
  ASSERT_EQ(signer.prepare(false, done), G2A_OK);
  EXPECT_EQ(done.count(), 0u);  // asynchronous: nothing answered yet
  EXPECT_EQ(host.pending(), 1u);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;

  auto st = signer.status();
  EXPECT_EQ(field(st, "strategy"), "local");
  EXPECT_EQ(field(st, "ready"), "true");
  EXPECT_EQ(field(st, "indices"), R"({"group":5,"segment":12,"time":[8,20,29]})");
  EXPECT_EQ(field(st, "indices_source"), "chunk");
  EXPECT_EQ(field(st, "build").size(), 12u);
  EXPECT_EQ(field(st, "prepared_at_ms"), std::to_string(kNowMs));
  EXPECT_EQ(field(st, "last_error"), "<absent>");

  auto r = signer.sign("POST", vector::kPath + "?rid=1", kNowMs);
  ASSERT_EQ(r.status, G2A_OK) << r.value;
  EXPECT_TRUE(is_vector_value(r.value, "POST", vector::kPath, kNowMs));
  auto lower = signer.sign("post", vector::kPath, kNowMs);
  EXPECT_TRUE(is_vector_value(lower.value, "POST", vector::kPath, kNowMs));

  // /index had everything; chunks were fetched in page order up to the generator.
  std::vector<std::string> urls;
  for (const auto& req : host.log()) urls.push_back(req.url);
  EXPECT_EQ(urls, (std::vector<std::string>{
                      kIndex, kWebpack,
                      pages::kBase + "/_next/static/chunks/main-app-3d4e5f.js?v=2", kGenerator}));
}

TEST_F(Prepare, PageRequestsLookLikeANavigation) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config(R"("cookie":"cf_clearance=c1","proxy_url":"socks5://p:1")"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  auto log = host.log();
  ASSERT_GE(log.size(), 2u);
  const FakeRequest& page = log[0];
  EXPECT_EQ(page.method, "GET");
  EXPECT_EQ(page.header("Accept").value_or("").rfind("text/html", 0), 0u);
  EXPECT_EQ(page.header("Sec-Fetch-Dest"), "document");
  EXPECT_EQ(page.header("Sec-Fetch-Mode"), "navigate");
  EXPECT_EQ(page.header("Upgrade-Insecure-Requests"), "1");
  EXPECT_NE(page.header("User-Agent").value_or("").find("Chrome/"), std::string::npos);
  EXPECT_EQ(page.header("Cookie"), "cf_clearance=c1");
  EXPECT_FALSE(page.header("Accept-Encoding"));
  EXPECT_EQ(page.proxy_url, "socks5://p:1");
  const FakeRequest& chunk = log[1];
  EXPECT_EQ(chunk.header("Sec-Fetch-Dest"), "script");
  EXPECT_EQ(chunk.header("Referer"), kIndex);
}

TEST_F(Prepare, UserAgentFromConfig) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config(R"("user_agent":"Mozilla/5.0 Test/1")"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  EXPECT_EQ(host.log().at(0).header("User-Agent"), "Mozilla/5.0 Test/1");
}

TEST_F(Prepare, FallsBackToTheRootPageWhenIndexLacksTheMeta) {
  pages::serve_vector_site(host);
  host.serve(kIndex, {404, "<html><title>Not found</title></html>"});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
  EXPECT_EQ(host.requests_to(kIndex), 1u);
  EXPECT_EQ(host.requests_to(kRoot), 1u);
  EXPECT_TRUE(is_vector_value(signer.sign("POST", vector::kPath, kNowMs).value, "POST",
                              vector::kPath, kNowMs));
}

TEST_F(Prepare, NoMetaAnywhereFails) {
  host.serve(kIndex, {404, "<html>404</html>"});
  host.serve(kRoot, {403, "<html>Just a moment...</html>"});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_PARSE_FAILURE);
  EXPECT_NE(done.calls()[0].message.find("grok-site-verification"), std::string::npos);
  EXPECT_NE(done.calls()[0].message.find("HTTP 403"), std::string::npos);
  auto st = signer.status();
  EXPECT_EQ(field(st, "ready"), "false");
  EXPECT_NE(field(st, "last_error").find("grok-site-verification"), std::string::npos);
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_RETRY);
}

TEST_F(Prepare, SeedOfTheWrongLengthFailsBeforeAnyChunkIsFetched) {
  pages::PageSpec spec = pages::vector_page();
  spec.meta_tag = pages::meta_tag("QUJDREVG");  // 6 bytes
  host.serve(kIndex, {404, pages::page(spec)});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_PARSE_FAILURE);
  EXPECT_NE(done.calls()[0].message.find("6 bytes"), std::string::npos);
  EXPECT_EQ(host.log().size(), 1u);
}

TEST_F(Prepare, MissingCurvesFail) {
  pages::PageSpec spec = pages::vector_page();
  spec.curves_json.clear();
  host.serve(kIndex, {404, pages::page(spec)});
  host.serve(kRoot, {200, pages::page(spec)});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_PARSE_FAILURE);
  EXPECT_NE(done.calls()[0].message.find("curves"), std::string::npos);
}

TEST_F(Prepare, ConfiguredIndicesReplaceChunkScraping) {
  pages::serve_vector_site(host);
  host.unserve(kGenerator);  // the generator chunk is gone
  SignerClient signer(host, config(R"("indices":{"group":5,"segment":12,"time":[8,20,29]})"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
  EXPECT_EQ(host.log().size(), 1u);  // the page only
  EXPECT_EQ(field(signer.status(), "indices_source"), "config");
  EXPECT_TRUE(is_vector_value(signer.sign("POST", vector::kPath, kNowMs).value, "POST",
                              vector::kPath, kNowMs));
}

TEST_F(Prepare, MissingGeneratorChunkWithoutConfiguredIndicesFails) {
  pages::serve_vector_site(host);
  host.serve(kGenerator, {200, pages::decoy_chunk()});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_PARSE_FAILURE);
  EXPECT_NE(done.calls()[0].message.find("1645e3"), std::string::npos);
  EXPECT_NE(done.calls()[0].message.find("indices"), std::string::npos);
}

TEST_F(Prepare, ChunkFailuresAreSkipped) {
  pages::serve_vector_site(host);
  host.serve(kWebpack, {500, "oops"});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
}

TEST_F(Prepare, FollowsALoaderChunkToTheGenerator) {
  pages::PageSpec spec = pages::vector_page();
  spec.scripts = {"/_next/static/chunks/webpack-0a1b2c.js", "/_next/static/chunks/loader-1.js"};
  host.serve(kIndex, {404, pages::page(spec)});
  host.serve(kWebpack, {200, pages::decoy_chunk()});
  host.serve(pages::kBase + "/_next/static/chunks/loader-1.js",
             {200, pages::loader_chunk("static/chunks/7301-gen.js")});
  host.serve(pages::kBase + "/_next/static/chunks/7301-gen.js",
             {200, pages::generator_chunk(5, 12, {8, 20, 29})});
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
  EXPECT_EQ(host.requests_to(pages::kBase + "/_next/static/chunks/7301-gen.js"), 1u);
}

TEST_F(Prepare, ChunkFetchesAreBounded) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config(R"("max_chunks":2)"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_NE(done.calls()[0].status, G2A_OK);
  EXPECT_EQ(host.requests_to(kGenerator), 0u);
  EXPECT_NE(done.calls()[0].message.find("2 of the page's chunks"), std::string::npos);
}

TEST_F(Prepare, TransportFailureIsAnIoError) {
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_IO_ERROR);
  EXPECT_NE(done.calls()[0].message.find("connection refused"), std::string::npos);
}

TEST_F(Prepare, HostRefusingHttpCompletesSynchronously) {
  host.refuse_http(G2A_UNSUPPORTED);
  SignerClient signer(host, config());
  DoneRecorder done;
  ASSERT_EQ(signer.prepare(false, done), G2A_OK);
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_IO_ERROR);
}

TEST_F(Prepare, ConcurrentCallsShareOneFetch) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder a, b, c;
  signer.prepare(false, a);
  signer.prepare(false, b);
  signer.prepare(true, c);
  EXPECT_EQ(host.pending(), 1u);
  EXPECT_EQ(field(signer.status(), "preparing"), "true");
  host.run();
  for (auto* d : {&a, &b, &c}) {
    ASSERT_EQ(d->count(), 1u);
    EXPECT_EQ(d->calls()[0].status, G2A_OK);
  }
  EXPECT_EQ(host.requests_to(kIndex), 1u);
  EXPECT_EQ(host.requests_to(kGenerator), 1u);
  EXPECT_EQ(field(signer.status(), "preparing"), "false");
}

TEST_F(Prepare, ConcurrentCallsFromThreadsShareOneFetch) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  std::vector<DoneRecorder> done(8);
  std::vector<std::thread> threads;
  for (auto& d : done) threads.emplace_back([&] { signer.prepare(false, d); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(host.pending(), 1u);
  host.run();
  for (auto& d : done) {
    ASSERT_EQ(d.count(), 1u);
    EXPECT_EQ(d.calls()[0].status, G2A_OK);
  }
}

TEST_F(Prepare, ReadySignerAnswersAtOnce) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder first, second;
  signer.prepare(false, first);
  host.run();
  size_t requests = host.log().size();
  signer.prepare(false, second);
  ASSERT_EQ(second.count(), 1u);
  EXPECT_EQ(second.calls()[0].status, G2A_OK);
  EXPECT_EQ(host.log().size(), requests);
}

TEST_F(Prepare, StaleBuildIsRefreshedInTheBackground) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config(R"("refresh_interval_s":60)"));
  DoneRecorder first, second;
  signer.prepare(false, first);
  host.run();
  TestHost::advance_clock(61'000);
  signer.prepare(false, second);
  ASSERT_EQ(second.count(), 1u);  // answered from the old build
  EXPECT_EQ(host.pending(), 1u);  // while the page is re-read
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs + 61'000).status, G2A_OK);
  host.run();
  EXPECT_EQ(host.requests_to(kIndex), 2u);
}

TEST_F(Prepare, ForceDiscardsTheBuildFirst) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder first, forced;
  signer.prepare(false, first);
  host.run();
  ASSERT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_OK);
  signer.prepare(true, forced);
  EXPECT_EQ(forced.count(), 0u);
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_RETRY);
  EXPECT_EQ(field(signer.status(), "ready"), "false");
  host.run();
  ASSERT_EQ(forced.count(), 1u);
  EXPECT_EQ(forced.calls()[0].status, G2A_OK);
  EXPECT_EQ(host.requests_to(kIndex), 2u);
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_OK);
}

TEST_F(Prepare, TimerRefreshSwapsTheBuildOnlyWhenTheNewOneIsReady) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  EXPECT_EQ(host.timer_period(), std::optional<uint32_t>(3600u * 1000));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();

  // The site rotates its seed; the timer re-reads it.
  std::string new_seed(64, 'A');
  pages::PageSpec spec = pages::vector_page();
  spec.meta_tag = pages::meta_tag(new_seed);
  host.serve(kIndex, {404, pages::page(spec)});
  host.fire_timers();
  EXPECT_GT(host.pending(), 0u);
  // Until the new build is in, the old seed signs.
  auto during = signer.sign("POST", vector::kPath, kNowMs);
  EXPECT_TRUE(is_vector_value(during.value, "POST", vector::kPath, kNowMs));
  host.run();
  auto after = statsig::base64_decode(signer.sign("POST", vector::kPath, kNowMs).value).value();
  EXPECT_EQ(after[1] ^ after[0], 0);  // seed byte 0 of "AAAA..." is 0
  EXPECT_EQ(host.requests_to(kIndex), 2u);
}

TEST_F(Prepare, FailedRefreshKeepsTheWorkingBuild) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  host.serve(kIndex, {404, "gone"});
  host.serve(kRoot, {404, "gone"});
  host.fire_timers();
  host.run();
  auto st = signer.status();
  EXPECT_EQ(field(st, "ready"), "true");
  EXPECT_NE(field(st, "last_error").find("grok-site-verification"), std::string::npos);
  EXPECT_TRUE(is_vector_value(signer.sign("POST", vector::kPath, kNowMs).value, "POST",
                              vector::kPath, kNowMs));
}

TEST_F(Prepare, DestroyWhilePreparingFailsTheCallerOnceAndCancels) {
  pages::serve_vector_site(host);
  auto signer = std::make_unique<SignerClient>(host, config());
  DoneRecorder done;
  signer->prepare(false, done);
  EXPECT_EQ(host.pending(), 1u);
  signer->destroy();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_TIMEOUT);
  EXPECT_EQ(host.pending(), 0u);  // cancelled
  EXPECT_EQ(host.timers(), 0u);   // stopped
  host.run();
  EXPECT_EQ(done.count(), 1u);
}

TEST_F(Prepare, LateAnswersAfterDestroyAreDropped) {
  pages::serve_vector_site(host);
  host.ignore_cancel(true);
  auto signer = std::make_unique<SignerClient>(host, config());
  DoneRecorder done;
  signer->prepare(false, done);
  signer->destroy();
  size_t messages = host.messages().size();
  EXPECT_EQ(host.pending(), 1u);
  EXPECT_EQ(host.run(), 1u);         // answered after destroy: nothing happens
  EXPECT_EQ(host.log().size(), 1u);  // no chunk fetch followed
  EXPECT_EQ(host.messages().size(), messages);
  EXPECT_EQ(done.count(), 1u);
}

TEST_F(Prepare, TwoHundredFiftySixValuesPerSecondThenRetry) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  std::set<std::string> values;
  std::set<int> nonces;
  for (int i = 0; i < 256; ++i) {
    auto r = signer.sign("POST", vector::kPath, kNowMs + i);  // all within one second
    ASSERT_EQ(r.status, G2A_OK) << i << ": " << r.value;
    EXPECT_TRUE(is_vector_value(r.value, "POST", vector::kPath, kNowMs));
    values.insert(r.value);
    nonces.insert(statsig::base64_decode(r.value).value()[0]);
  }
  EXPECT_EQ(values.size(), 256u);
  EXPECT_EQ(nonces.size(), 256u);
  auto exhausted = signer.sign("POST", vector::kPath, kNowMs);
  EXPECT_EQ(exhausted.status, G2A_RETRY);
  EXPECT_NE(exhausted.value.find("next second"), std::string::npos);
  // Another path, or the next second, signs again.
  EXPECT_EQ(signer.sign("POST", "/rest/rate-limits", kNowMs).status, G2A_OK);
  TestHost::advance_clock(1000);
  auto next = signer.sign("POST", vector::kPath, kNowMs + 1000);
  ASSERT_EQ(next.status, G2A_OK);
  EXPECT_EQ(values.count(next.value), 0u);
}

TEST_F(Prepare, ConcurrentSignersNeverRepeatAValue) {
  pages::serve_vector_site(host);
  SignerClient signer(host, config());
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  std::mutex mu;
  std::vector<std::string> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 80; ++i) {
        auto r = signer.sign("POST", vector::kPath, kNowMs);
        if (r.status == G2A_OK) mine.push_back(r.value);
      }
      std::lock_guard lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(all.size(), 256u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 256u);
}

}  // namespace
}  // namespace g2a::test
