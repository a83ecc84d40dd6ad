// The remote strategy: values are fetched ahead by prepare and refills, and sign() only
// takes them from the pool, never waiting for the remote signer.
#include <boost/json/parse.hpp>
#include <set>

#include "signer_fixture.hpp"

namespace g2a::test {
namespace {

using Remote = SignerTest;

const std::string kIndex = pages::kBase + "/index";
const std::string kSignerUrl = "https://signer.test/sign";

// Answers remote POSTs with distinct 70-byte values, counting them.
class RemoteSite {
 public:
  explicit RemoteSite(FakeHost& host) : host_(host) {}
  // Answers every queued request: remote POSTs with fresh values, others from routes.
  void run() {
    for (;;) {
      auto log = host_.log();
      if (host_.pending() == 0) return;
      // The oldest queued request is the first of the log not yet answered.
      const FakeRequest& next = log[answered_++];
      if (next.url == kSignerUrl) {
        statsig::Bytes raw(70, static_cast<uint8_t>(++served_));
        host_.answer_next(
            FakeResponse{200, "{\"x-statsig-id\":\"" + statsig::base64_encode(raw, false) + "\"}"});
      } else {
        host_.answer_next(route(next.url));
      }
    }
  }
  int served() const { return served_; }

 private:
  std::optional<FakeResponse> route(const std::string& url) {
    if (url == kIndex) return FakeResponse{404, pages::page(pages::vector_page())};
    return std::nullopt;
  }
  FakeHost& host_;
  size_t answered_ = 0;
  int served_ = 0;
};

std::string remote_config(const std::string& extra = "") {
  return R"("strategy":"remote","remote_batch":2,"remote_url":")" + kSignerUrl + "\"" +
         (extra.empty() ? "" : "," + extra);
}

TEST_F(Remote, PrepareReadsTheMetaAndFetchesValuesAhead) {
  RemoteSite site(host);
  SignerClient signer(host, config(remote_config()));
  ASSERT_TRUE(signer.created()) << signer.create_error();
  DoneRecorder done;
  signer.prepare(false, done);
  site.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_OK) << done.calls()[0].message;
  EXPECT_EQ(site.served(), 2);

  auto log = host.log();
  ASSERT_EQ(log.size(), 3u);  // the page (no chunks needed), then two POSTs
  EXPECT_EQ(log[0].url, kIndex);
  const FakeRequest& post = log[1];
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.header("Content-Type"), "application/json");
  auto body = boost::json::parse(post.body).as_object();
  EXPECT_EQ(body.at("method").as_string(), "POST");
  EXPECT_EQ(body.at("path").as_string(), vector::kPath);
  EXPECT_EQ(body.at("environment").at("metaContent").as_string(), vector::kSeed);

  auto st = signer.status();
  EXPECT_EQ(field(st, "strategy"), "remote");
  EXPECT_EQ(field(st, "ready"), "true");
  EXPECT_EQ(field(st, "remote_cached"), "2");
}

TEST_F(Remote, EachValueIsHandedOutOnceAndRefillsNeverBlock) {
  RemoteSite site(host);
  SignerClient signer(host, config(remote_config()));
  DoneRecorder done;
  signer.prepare(false, done);
  site.run();

  std::set<std::string> values;
  auto first = signer.sign("POST", vector::kPath, kNowMs);
  ASSERT_EQ(first.status, G2A_OK);
  values.insert(first.value);
  EXPECT_EQ(host.pending(), 0u);  // one left of a batch of two: no refill yet
  auto second = signer.sign("POST", vector::kPath, kNowMs);
  ASSERT_EQ(second.status, G2A_OK);
  values.insert(second.value);
  // Empty now: a refill is under way, and sign() did not wait for it.
  EXPECT_EQ(host.pending(), 2u);
  auto empty = signer.sign("POST", vector::kPath, kNowMs);
  EXPECT_EQ(empty.status, G2A_RETRY);
  EXPECT_NE(empty.value.find("no remote x-statsig-id cached"), std::string::npos);

  // The host's answer to RETRY: prepare, then sign again.
  DoneRecorder again;
  signer.prepare(false, again);
  EXPECT_EQ(host.pending(), 2u);  // joined the refill in flight
  site.run();
  ASSERT_EQ(again.count(), 1u);
  EXPECT_EQ(again.calls()[0].status, G2A_OK);
  auto third = signer.sign("POST", vector::kPath, kNowMs);
  ASSERT_EQ(third.status, G2A_OK);
  EXPECT_TRUE(values.insert(third.value).second);
  EXPECT_EQ(values.size(), 3u);
  EXPECT_EQ(host.requests_to(kIndex), 1u);  // refills reuse the page's meta
}

TEST_F(Remote, NewPathsAreLearnedFromSign) {
  RemoteSite site(host);
  SignerClient signer(host, config(remote_config()));
  DoneRecorder done;
  signer.prepare(false, done);
  site.run();
  auto r = signer.sign("POST", "/rest/rate-limits?x=1", kNowMs);
  EXPECT_EQ(r.status, G2A_RETRY);
  DoneRecorder again;
  signer.prepare(false, again);
  site.run();
  EXPECT_EQ(signer.sign("POST", "/rest/rate-limits", kNowMs).status, G2A_OK);
  bool asked = false;
  for (const auto& req : host.log())
    if (req.url == kSignerUrl && req.body.find("/rest/rate-limits") != std::string::npos)
      asked = true;
  EXPECT_TRUE(asked);
}

TEST_F(Remote, ValuesExpire) {
  RemoteSite site(host);
  SignerClient signer(host, config(remote_config(R"("remote_max_age_s":30)")));
  DoneRecorder done;
  signer.prepare(false, done);
  site.run();
  TestHost::advance_clock(31'000);
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs + 31'000).status, G2A_RETRY);
}

TEST_F(Remote, BadAnswersFailPrepare) {
  pages::serve_vector_site(host);
  host.serve(kSignerUrl, {200, "{\"x-statsig-id\":\"c2hvcnQ=\"}"});
  SignerClient signer(host, config(remote_config()));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].status, G2A_IO_ERROR);
  EXPECT_NE(done.calls()[0].message.find("70-byte"), std::string::npos);
  EXPECT_EQ(signer.sign("POST", vector::kPath, kNowMs).status, G2A_RETRY);
}

TEST_F(Remote, ErrorsNeverShowRemoteCredentials) {
  pages::serve_vector_site(host);
  SignerClient signer(
      host,
      config(R"("strategy":"remote","remote_url":"https://u:secret@signer.test/sign?key=k2")"));
  DoneRecorder done;
  signer.prepare(false, done);
  host.run();
  ASSERT_EQ(done.count(), 1u);
  EXPECT_EQ(done.calls()[0].message.find("secret"), std::string::npos);
  EXPECT_EQ(done.calls()[0].message.find("k2"), std::string::npos);
  for (const auto& m : host.messages()) EXPECT_EQ(m.text.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace g2a::test
