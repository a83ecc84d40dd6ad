// However the network cuts a body, the adapter reports the same turn; whatever it is fed,
// it never throws and always ends the turn exactly once.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "chat_fixtures.hpp"
#include "render_tags.hpp"
#include "support/cut_points.hpp"

namespace g2a::test {
namespace {

std::vector<std::string> summary_of(const std::string& request, std::string_view body,
                                    const std::vector<size_t>& at) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(request);
  RC_ASSERT(turn != nullptr);
  EventLog log;
  size_t from = 0;
  for (size_t cut : at) {
    log.add(turn->feed(body.substr(from, cut - from)));
    from = cut;
  }
  log.add(turn->feed(body.substr(from)));
  log.add(turn->finish());
  return log.summary();
}

std::string with_data_prefixes(const std::string& ndjson) {
  std::string out;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t nl = ndjson.find('\n', start);
    out += "data: " + ndjson.substr(start, nl - start) + "\r\n\r\n";
    start = nl + 1;
  }
  return out + "data: [DONE]\r\n";
}

RC_GTEST_PROP(GrokChatSplitProperty, AnySplitOfTheSimulatorBodyGivesTheSameEvents, ()) {
  static const std::string body = sim_rest_body();
  static const std::string request = chat_request("rest");
  static const auto whole = summary_of(request, body, {});
  RC_ASSERT(summary_of(request, body, *cut_points(body.size())) == whole);
}

RC_GTEST_PROP(GrokChatSplitProperty, AnySplitOfADataPrefixedBodyGivesTheSameEvents, ()) {
  static const std::string body = with_data_prefixes(spec_rest_body());
  static const std::string request = chat_request("rest");
  static const auto whole = summary_of(request, spec_rest_body(), {});
  RC_ASSERT(summary_of(request, body, *cut_points(body.size())) == whole);
}

RC_GTEST_PROP(GrokChatSplitProperty, ArbitraryBytesEndTheTurnExactlyOnce, ()) {
  // Fragments of real lines recombined at random, fed in random pieces.
  auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "{\"result\":{\"response\":{\"token\":\"a\",\"messageTag\":\"final\"}}}", "\n",
      "data: ", "{\"result\":", "{\"response\":", "\"modelResponse\":{\"message\":\"m\"}", "}", "{",
      "[DONE]", "\"isSoftStop\":true", ",", "\"error\":{\"code\":8,\"message\":\"x\"}",
      "<grok:render>", "é", "\xff", " ", "\r"));
  std::string body;
  for (const auto& p : parts) body += p;
  auto summary = summary_of(chat_request("rest"), body, *cut_points(body.size()));
  size_t ends = std::count_if(summary.begin(), summary.end(), [](const std::string& s) {
    return s.rfind("done:", 0) == 0 || s.rfind("error:", 0) == 0;
  });
  RC_ASSERT(ends == 1u);
  RC_ASSERT(summary.back().rfind("done:", 0) == 0 || summary.back().rfind("error:", 0) == 0);
}

RC_GTEST_PROP(GrokChatSplitProperty, MgwMessagesNeverThrow, (const std::string& message)) {
  TestHost host;
  AdapterClient client(host);
  auto turn = client.begin(chat_request("ws"));
  RC_ASSERT(turn != nullptr);
  EventLog log;
  log.add(turn->feed(message));
  log.add(turn->finish());
  RC_ASSERT(log.of("error").size() + log.of("done").size() == 1u);
}

RC_GTEST_PROP(GrokChatSplitProperty, RenderTagFilterIgnoresHowTextIsCut, ()) {
  auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "<grok:render card_id=\"c\" type=\"render_inline_citation\">", "</grok:render>",
      "<grok:render type=\"x\"/>", "<", "<g", "<grok:rendered>", "text ", "é", ">", "/", "</b>"));
  std::string text;
  for (const auto& p : parts) text += p;
  auto filter_all = [](std::string_view s, const std::vector<size_t>& at) {
    g2a::grok_chat::TagFilter f;
    std::string out;
    size_t from = 0;
    for (size_t cut : at) {
      out += f.push(s.substr(from, cut - from));
      from = cut;
    }
    out += f.push(s.substr(from));
    return out + f.flush();
  };
  std::string whole = filter_all(text, {});
  RC_ASSERT(filter_all(text, *cut_points(text.size())) == whole);
  RC_ASSERT(whole.find("<grok:render ") == std::string::npos ||
            whole.find("</grok:render>") == std::string::npos);
}

}  // namespace
}  // namespace g2a::test
