// One chat turn over the mgw WebSocket (spec §2.1). The plan opens the socket with
// session.create; the item and response.create frames follow only once the server has both
// acknowledged the session (session.created for our event_id) and attached the
// conversation. Each server message is then translated into neutral events.
#pragma once

#include <boost/json/value.hpp>
#include <grok2api/plugin.hpp>
#include <map>
#include <string>
#include <string_view>

#include "answer_stream.hpp"
#include "turn_request.hpp"

namespace g2a::grok_chat {

class MgwTurn final : public g2a::AdapterTurn {
 public:
  MgwTurn(TurnRequest req, std::string prompt);

  // {"transport":"ws","call":"chat_gateway","send":[session.create],"heartbeat":{...}}.
  std::string plan() const;

  std::string feed(std::string_view data) override;
  std::string finish() override;

 private:
  enum class AnswerForm { kUnknown, kChunk, kDelta };

  void on_event(const boost::json::value& envelope, const boost::json::value& event);
  void on_attached(const boost::json::value& envelope, const boost::json::value& event);
  void on_error(const boost::json::value& event);
  void on_chunk(const boost::json::value& chunk);
  void on_output(const boost::json::value& output);
  void on_done(const boost::json::value& event);
  void answer(std::string_view text, AnswerForm form);
  void start_if_ready();

  TurnRequest req_;
  std::string prompt_;
  std::string event_id_;
  bool created_ = false, attached_ = false, started_ = false;
  std::string conversation_id_, response_id_;
  AnswerForm form_ = AnswerForm::kUnknown;
  std::map<std::string, std::string, std::less<>> titles_;  // url -> title from results
  AnswerStream out_;
};

}  // namespace g2a::grok_chat
