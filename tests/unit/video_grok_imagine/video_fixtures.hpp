// Requests and upstream bodies for the video adapter tests: the example stream of
// grok-upstream-current.md §2.6 and the lines the simulator writes (tests/simulator/lib/
// media.js handleVideo), written out by hand.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapter_client.hpp"

namespace g2a::test {

// A video turn request; fields of `extra` replace the defaults (model sora-2, prompt
// "a red fox running through snow", 6 s, 720x1280, tier super).
std::string video_request(const boost::json::object& extra = {});

boost::json::object to_object(std::string_view json_text);
// The plan's body, parsed.
boost::json::object plan_body(const AdapterTurn& turn);

// §2.6 "Progress and result": progress 1 then 95, then the result line, then a token line.
std::string spec_video_body();
// What the simulator sends for a moderated prompt.
std::string moderated_video_body();

// Feeds `body` cut at `cuts` (sorted offsets), then finishes; every action collected.
EventLog play(AdapterTurn& turn, std::string_view body, const std::vector<size_t>& cuts = {});

}  // namespace g2a::test
