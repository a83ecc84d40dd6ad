// The host's side of g2a_log_sink_v1: batches in order, one in flight, G2A_RETRY resends
// the same batch after a backoff, G2A_DROP and an over-full queue count as dropped, a
// failed submit is a retry, and done may come before submit returns or later.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "core/calllog/event_feed.hpp"
#include "core/calllog/sink_feed.hpp"

namespace g2a::calllog {
namespace {

using Clock = SinkFeed::Clock;

// A scripted sink: answers each batch with the next status (or holds done when asked).
struct FakeSink {
  std::vector<std::vector<std::string>> batches;
  std::vector<g2a_status> answers;  // consumed in order; G2A_OK when empty
  bool hold = false;                // keep done for later
  std::string message;              // what done says with a status other than G2A_OK
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
    done(user, st, st == G2A_OK ? g2a_str{"", 0} : g2a_str{s->message.data(), s->message.size()});
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
  EXPECT_FALSE(feed.pump(2, t));                           // backing off
  EXPECT_TRUE(feed.pump(2, t + std::chrono::seconds(1)));  // 0.5 s, jittered to 0.25..0.5 s
  // The backoff doubled to 1 s: with its jitter, at least 0.5 s from now.
  EXPECT_FALSE(feed.pump(2, t + std::chrono::milliseconds(400)));
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

TEST(SinkFeed, TheLastErrorKeepsTheSinksWordsWithoutCredentials) {
  FakeSink sink;
  sink.answers = {G2A_RETRY, G2A_OK};
  sink.message = "receivers[0] https://user:pw@hooks.example/in?key=k123: HTTP 503";
  SinkFeed feed("fake", &kTable, &sink);
  EXPECT_TRUE(feed.last_error().message.empty());
  feed.add(recs(1, 1));
  auto t = Clock::now();
  EXPECT_TRUE(feed.pump(5, t));
  auto err = feed.last_error();
  EXPECT_EQ(err.message, "receivers[0] https://user:****@hooks.example/in?****: HTTP 503");
  EXPECT_GT(err.at_ms, 1'700'000'000'000);
  EXPECT_TRUE(feed.pump(5, t + std::chrono::seconds(1)));
  EXPECT_EQ(feed.counters().delivered, 1u);
  EXPECT_EQ(feed.last_error().message, err.message);  // the last error stays until the next
  sink.answers = {G2A_DROP};
  sink.message = "";
  feed.add(recs(2, 2));
  EXPECT_TRUE(feed.pump(5));
  EXPECT_EQ(feed.last_error().message, "dropped");  // a sink that says nothing
}

TEST(SinkFeed, EveryRecordIsDeliveredDroppedOrPendingWhateverTheBound) {
  // Batches in flight, retries, drops and bound changes in a fixed pseudo-random mix:
  // delivered + dropped + pending always equals what was added.
  FakeSink sink;
  sink.hold = true;
  SinkFeed feed("fake", &kTable, &sink, 4);
  uint64_t added = 0;
  unsigned seed = 7;
  auto next = [&seed](unsigned n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
  };
  auto t = Clock::now();
  for (int step = 0; step < 2000; ++step) {
    switch (next(5)) {
      case 0: {
        int n = static_cast<int>(next(7));
        feed.add(recs(static_cast<int>(added) + 1, static_cast<int>(added) + n));
        added += static_cast<uint64_t>(n);
        break;
      }
      case 1:
        t += std::chrono::minutes(1);  // past any backoff
        feed.pump(1 + next(5), t);
        break;
      case 2:
        if (sink.held_done) {
          g2a_status outcomes[] = {G2A_OK, G2A_RETRY, G2A_DROP};
          auto done = std::exchange(sink.held_done, nullptr);
          done(sink.held_user, outcomes[next(3)], {"", 0});
        }
        break;
      case 3:
        feed.set_max_pending(1 + next(10));
        break;
      default:
        break;
    }
    auto c = feed.counters();
    ASSERT_EQ(c.delivered + c.dropped + feed.pending(), added) << "step " << step;
    ASSERT_LE(feed.pending(), std::max<size_t>(feed.max_pending(), 5)) << "step " << step;
  }
  EXPECT_GT(feed.counters().dropped, 0u);
  EXPECT_GT(feed.counters().delivered, 0u);
}

TEST(EventFeed, EverySinkGetsTheEventAsJsonBesideTheRecords) {
  FakeSink a, b;
  a.hold = b.hold = true;
  std::vector<std::unique_ptr<SinkFeed>> sinks;
  sinks.push_back(std::make_unique<SinkFeed>("a", &kTable, &a));
  sinks.push_back(std::make_unique<SinkFeed>("b", &kTable, &b));
  EventFeed events(sinks);
  StateEvent e;
  e.event = std::string(event::kProxyUnhealthy);
  e.proxy = "http://user:secret@10.0.0.1:3128";
  e.reason = "3 connection failures";
  events.emit(e);
  events.emit(e);
  EXPECT_EQ(events.emitted(), 2u);
  for (auto* s : {&a, &b}) {
    auto& feed = *sinks[s == &a ? 0 : 1];
    EXPECT_EQ(feed.pending(), 2u);
    EXPECT_TRUE(feed.pump(10));
    ASSERT_EQ(s->batches.size(), 1u);
    auto first = boost::json::parse(s->batches[0][0]).as_object();
    auto second = boost::json::parse(s->batches[0][1]).as_object();
    EXPECT_EQ(first.at("type"), "event");
    EXPECT_EQ(first.at("event"), "proxy.unhealthy");
    EXPECT_EQ(first.at("proxy"), "http://user:****@10.0.0.1:3128");
    EXPECT_EQ(first.at("sso"), "");
    EXPECT_EQ(first.at("id").as_string().size(), 36u);
    EXPECT_NE(first.at("id"), second.at("id"));  // each emit is its own event
    EXPECT_GT(first.at("timestamp").as_int64(), 1'700'000'000'000);
  }
}

TEST(SinkFeed, RetriesWaitAJitteredShareOfTheBackoff) {
  // Each wait is between half and all of the backoff (0.5 s doubling to 30 s), and the
  // waits of feeds failing at the same moment differ.
  std::set<int64_t> first_waits;
  for (int i = 0; i < 20; ++i) {
    FakeSink sink;
    sink.answers = {G2A_RETRY};
    SinkFeed feed("fake", &kTable, &sink);
    feed.add(recs(1, 1));
    auto before = Clock::now();
    ASSERT_TRUE(feed.pump(1, before));
    auto after = Clock::now();
    auto ms = [](Clock::duration d) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    EXPECT_GE(ms(feed.retry_at() - before), 250);
    EXPECT_LE(ms(feed.retry_at() - after), 500);
    first_waits.insert(ms(feed.retry_at() - before));
  }
  EXPECT_GT(first_waits.size(), 1u);
}

}  // namespace
}  // namespace g2a::calllog
