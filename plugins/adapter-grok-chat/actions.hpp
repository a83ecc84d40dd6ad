// What a turn hands back from feed() and finish(): frames for the upstream, neutral events
// for the client, and whether the upstream may be closed (plugin.h, "Actions").
#pragma once

#include <boost/json/value.hpp>
#include <set>
#include <string>
#include <string_view>

namespace g2a::grok_chat {

class Actions {
 public:
  void send(std::string frame);

  void text(std::string_view text);
  void reasoning(std::string_view text);
  void search(std::string_view query);
  // Each URL is reported once per turn, whichever upstream field named it first.
  void citation(std::string_view url, std::string_view title);
  void image(std::string_view url, int progress);
  void conversation(std::string_view conversation_id, std::string_view response_id);
  // `origin` is "upstream" for grok.com's own errors (code and message as it sent them)
  // or "adapter" for what the adapter concluded (a broken line, an early end).
  void error(std::string_view code, std::string_view message, std::string_view origin);
  void done(std::string_view finish_reason);

  // After done or error nothing more is reported and every answer says close.
  bool terminal() const { return terminal_; }

  // The actions gathered since the last call, as JSON; starts a new batch.
  std::string take();

 private:
  void push(boost::json::object event);

  boost::json::array send_, events_;
  std::set<std::string, std::less<>> citations_, images_;
  bool terminal_ = false;
};

}  // namespace g2a::grok_chat
