// However the network cuts a video stream, the adapter reports the same events; whatever it
// is fed, it never fails a call and ends the generation exactly once.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "support/cut_points.hpp"
#include "video_fixtures.hpp"

namespace g2a::test {
namespace {

std::vector<std::string> summary_of(std::string_view body, const std::vector<size_t>& at) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(video_request());
  RC_ASSERT(turn != nullptr);
  return play(*turn, body, at).summary();
}

// The spec stream, its SSE form, and the moderated one, each cut anywhere.
RC_GTEST_PROP(VideoGrokImagineSplit, AnyCutGivesTheSameEvents, ()) {
  std::string sse;
  for (char c : spec_video_body())
    sse += c == '\n' ? std::string("\r\n\r\ndata: ") : std::string(1, c);
  const std::string bodies[] = {spec_video_body(), "data: " + sse, moderated_video_body()};
  const auto& body = bodies[*rc::gen::inRange<size_t>(0, 3)];
  auto whole = summary_of(body, {});
  auto at = *cut_points(body.size());
  RC_ASSERT(summary_of(body, at) == whole);
}

// Arbitrary bytes, or the fixture with arbitrary bytes spliced in: every call answers
// actions, the events end with exactly one "done" (after a "video") or one "error", and
// progress stays in 0..100.
RC_GTEST_PROP(VideoGrokImagineSplit, AnyInputEndsTheGenerationOnce, ()) {
  std::string body =
      *rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                      rc::gen::map(rc::gen::arbitrary<std::string>(), [](std::string junk) {
                        std::string b = spec_video_body();
                        b.insert(b.size() / 2, junk);
                        return b;
                      }));
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(video_request());
  RC_ASSERT(turn != nullptr);
  auto log = play(*turn, body, *cut_points(body.size()));
  size_t terminal = 0;
  std::string last;
  for (const auto& e : log.all()) {
    std::string type(e.at("type").as_string());
    if (type == "progress") {
      auto p = e.at("progress").to_number<int>();
      RC_ASSERT(p >= 0 && p <= 100);
    }
    if (type == "done") RC_ASSERT(last == "video");
    if (type == "done" || type == "error") ++terminal;
    last = type;
  }
  RC_ASSERT(terminal == 1u);
  RC_ASSERT(last == "done" || last == "error");
}

}  // namespace
}  // namespace g2a::test
