// The host's side of g2a_log_sink_v1: batches in order, one in flight, G2A_RETRY resends
// the same batch after a backoff, G2A_DROP and an over-full queue count as dropped, a
// failed submit is a retry, and done may come before submit returns or later.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/calllog/sink_feed.hpp"

namespace g2a::calllog {
namespace {

using Clock = SinkFeed::Clock;

// A scripted sink: answers each batch with the next status (or holds done when asked).
struct FakeSink {
  std::vector<std::vector<std::string>> batches;
  std::vector<g2a_status> answers;  // consumed in order; G2A_OK when empty
  bool hold = false;                // keep done for later
  bool fail_submit = false;
  g2a_done_fn held_done = nullptr;
  void* held_user = nullptr;

  static g2a_status submit(void* inst, const g2a_str* records, size_t count, g2a_done_fn done,
                           void* user) {
    auto* s = static_cast<FakeSink*>(inst);
    if (s->fail_submit) return G2A_IO_ERROR;
    std::vector<std::string> b;
    for (size_t i = 0; i < count; ++i) b.emplace_back(records[i].data, records[i].len);
    s->batches.push_back(std::move(b));
    if (s->hold) {
      s->held_done = done;
      s->held_user = user;
      return G2A_OK;
    }
    g2a_status st = G2A_OK;
    if (!s->answers.empty()) {
      st = s->answers.front();
      s->answers.erase(s->answers.begin());
    }
    done(user, st, {"", 0});
    return G2A_OK;
  }
};

const g2a_log_sink_v1 kTable{sizeof(g2a_log_sink_v1), &FakeSink::submit};

std::vector<std::string> recs(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back("{\"id\":\"r" + std::to_string(i) + "\"}");
  return out;
}

TEST(SinkFeed, DeliversInOrderedBatches) {
  FakeSink sink;
  SinkFeed feed("fake", &kTable, &sink);
  feed.add(recs(1, 5));
  while (feed.pump(2)) {
  }
  ASSERT_EQ(sink.batches.size(), 3u);
  EXPECT_EQ(sink.batches[0], recs(1, 2));
  EXPECT_EQ(sink.batches[2], recs(5, 5));
  EXPECT_EQ(feed.counters().delivered, 5u);
  EXPECT_EQ(feed.pending(), 0u);
}

TEST(SinkFeed, RetryResendsTheSameBatchAfterTheBackoff) {
  FakeSink sink;
  sink.answers = {G2A_RETRY, G2A_RETRY};
  SinkFeed feed("fake", &kTable, &sink);
  feed.add(recs(1, 3));
  auto t = Clock::now();
  EXPECT_TRUE(feed.pump(2, t));
  EXPECT_FALSE(feed.pump(2, t));  // backing off
  EXPECT_TRUE(feed.pump(2, t + std::chrono::seconds(1)));
  EXPECT_FALSE(feed.pump(2, t + std::chrono::seconds(1)));  // the backoff doubled
  EXPECT_TRUE(feed.pump(2, t + std::chrono::seconds(60)));
  ASSERT_EQ(sink.batches.size(), 3u);
  EXPECT_EQ(sink.batches[0], recs(1, 2));
  EXPECT_EQ(sink.batches[2], recs(1, 2));
  auto c = feed.counters();
  EXPECT_EQ(c.retried, 2u);
  EXPECT_EQ(c.delivered, 2u);
  EXPECT_EQ(feed.pending(), 1u);
}

TEST(SinkFeed, DropAndAFailedSubmitAreCounted) {
  FakeSink sink;
  sink.answers = {G2A_DROP};
  SinkFeed feed("fake", &kTable, &sink);
  feed.add(recs(1, 2));
  EXPECT_TRUE(feed.pump(10));
  EXPECT_EQ(feed.counters().dropped, 2u);
  EXPECT_EQ(feed.pending(), 0u);
  sink.fail_submit = true;
  feed.add(recs(3, 3));
  auto t = Clock::now();
  EXPECT_TRUE(feed.pump(10, t));
  EXPECT_EQ(feed.counters().retried, 1u);  // a failed submit is a retry
  EXPECT_EQ(feed.pending(), 1u);
}

TEST(SinkFeed, OneBatchInFlightAndTheQueueIsBounded) {
  FakeSink sink;
  sink.hold = true;
  SinkFeed feed("fake", &kTable, &sink, 3);
  feed.add(recs(1, 2));
  EXPECT_TRUE(feed.pump(2));
  EXPECT_TRUE(feed.in_flight());
  feed.add(recs(3, 6));        // 6 queued, 2 in flight, cap 3: r3..r5 go, r6 stays
  EXPECT_FALSE(feed.pump(2));  // still in flight
  EXPECT_EQ(feed.counters().dropped, 3u);
  sink.held_done(sink.held_user, G2A_OK, {"", 0});  // done arrives later
  EXPECT_EQ(feed.counters().delivered, 2u);
  sink.hold = false;
  EXPECT_TRUE(feed.pump(2));
  EXPECT_EQ(sink.batches.back(), recs(6, 6));
}

}  // namespace
}  // namespace g2a::calllog
