// Requests and upstream transcripts for the adapter tests: the examples of
// grok-upstream-current.md §2.1/§2.2 and the exact frames and lines of the simulator
// (tests/simulator/lib/mgw.js, rest_chat.js), written out by hand.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapter_client.hpp"

namespace g2a::test {

// A chat turn request for `transport`; fields of `extra` replace the defaults
// (mode "fast", one user message "hello there", temporary).
std::string chat_request(std::string_view transport, const boost::json::object& extra = {});

// The frames of the plan, parsed ("send" of the ws plan).
std::vector<boost::json::object> plan_frames(const AdapterTurn& turn);
boost::json::object to_object(std::string_view json_text);

// mgw server frames.
std::string session_created(std::string_view conv, std::string_view client_event_id);
std::string conversation_attached(std::string_view conv);
// Answers the plan's session.create like the simulator; returns the frames the adapter
// sends once both acknowledgements arrived (conversation.item.create, response.create).
std::vector<std::string> handshake(AdapterTurn& turn, std::string_view conv);

// §2.1 "Example server lines" after the handshake (conversation conv_1).
std::vector<std::string> spec_mgw_events();
// A simulator mgw turn for a prompt that asks to think and search ("think then search
// grok 4.6"), answer "You said: think then search grok 4.6".
std::vector<std::string> sim_mgw_search_turn(std::string_view response_id);
// The simulator's mgw lite-image turn: two images, progress 50 then 100 each.
std::vector<std::string> sim_mgw_drawing_turn(std::string_view response_id);

// §2.2 example body (bare NDJSON, one object per line).
std::string spec_rest_body();
// A simulator REST body with thinking, search, an inline citation tag, two streamed images,
// the answer "You said: think, search and Drawing: cats" and the closing lines.
std::string sim_rest_body();

}  // namespace g2a::test
