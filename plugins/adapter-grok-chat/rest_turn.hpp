// One chat turn over REST (spec §2.2): the plan is the POST; the body's NDJSON lines are
// read as they arrive, in pieces split anywhere.
#pragma once

#include <grok2api/plugin.hpp>
#include <string>
#include <string_view>

#include "answer_stream.hpp"
#include "ndjson_lines.hpp"
#include "rest_response.hpp"
#include "turn_request.hpp"

namespace g2a::grok_chat {

class RestTurn final : public g2a::AdapterTurn {
 public:
  RestTurn(const TurnRequest& req, std::string_view prompt);

  // {"transport":"http","call":"rest_chat","method":"POST","path":"...","body":"..."}.
  std::string plan() const { return plan_; }

  std::string feed(std::string_view data) override;
  std::string finish() override;

 private:
  void on_line(std::string_view line);

  std::string plan_;
  plugin_common::LineSplitter splitter_;
  RestIds ids_;
  AnswerStream out_;
};

}  // namespace g2a::grok_chat
