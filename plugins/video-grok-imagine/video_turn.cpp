#include "video_turn.hpp"

#include <boost/json/serialize.hpp>

namespace g2a::grok_imagine {

std::string VideoTurn::feed(std::string_view data) {
  stream_.feed(data);
  return actions();
}

std::string VideoTurn::finish() {
  stream_.finish();
  return actions();
}

std::string VideoTurn::actions() {
  return boost::json::serialize(boost::json::object{
      {"send", boost::json::array()}, {"events", stream_.take()}, {"close", stream_.terminal()}});
}

}  // namespace g2a::grok_imagine
