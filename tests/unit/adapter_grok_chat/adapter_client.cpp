#include "adapter_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

// Linked into the test from plugins/adapter-grok-chat/plugin_entry.cpp.
extern "C" const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host);

namespace g2a::test {
namespace {

boost::json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(v.is_object()) << text;
  return v.is_object() ? v.get_object() : boost::json::object();
}

}  // namespace

AdapterTurn::AdapterTurn(TestHost& host, const g2a_model_adapter_v1* api, void* turn,
                         std::string plan)
    : host_(host), api_(api), turn_(turn), plan_(std::move(plan)) {}

AdapterTurn::~AdapterTurn() {
  api_->end(turn_);
}

boost::json::object AdapterTurn::plan() const {
  return parse_object(plan_);
}

boost::json::object AdapterTurn::take(g2a_status st, g2a_buf& out, g2a_buf& err) {
  std::string message = host_.adopt(err);
  std::string text = host_.adopt(out);
  EXPECT_EQ(st, G2A_OK) << message;
  auto actions = parse_object(text);
  EXPECT_TRUE(actions.contains("send") && actions.contains("events") && actions.contains("close"))
      << text;
  return actions;
}

boost::json::object AdapterTurn::feed(std::string_view data) {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = api_->feed(turn_, g2a_str{data.data(), data.size()}, &out, &err);
  return take(st, out, err);
}

boost::json::object AdapterTurn::finish() {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = api_->finish(turn_, &out, &err);
  return take(st, out, err);
}

AdapterClient::AdapterClient(TestHost& host) : host_(host) {
  plugin_ = g2a_plugin_entry_v1(host.host());
  if (!plugin_) return;
  api_ = static_cast<const g2a_model_adapter_v1*>(plugin_->get_interface(G2A_KIND_MODEL_ADAPTER));
  g2a_buf err{nullptr, 0};
  if (plugin_->create(host.host(), host.ctx(), &inst_, &err) != G2A_OK) inst_ = nullptr;
  host.adopt(err);
}

AdapterClient::~AdapterClient() {
  if (inst_) plugin_->destroy(inst_);
}

std::string AdapterClient::models() {
  g2a_buf out{nullptr, 0};
  EXPECT_EQ(api_->models(inst_, &out), G2A_OK);
  return host_.adopt(out);
}

std::unique_ptr<AdapterTurn> AdapterClient::begin(std::string_view request, BeginFailure* failure) {
  void* turn = nullptr;
  g2a_buf plan{nullptr, 0}, err{nullptr, 0};
  g2a_status st = api_->begin(inst_, g2a_str{request.data(), request.size()}, &turn, &plan, &err);
  std::string message = host_.adopt(err);
  std::string plan_text = host_.adopt(plan);
  if (st != G2A_OK) {
    if (failure) *failure = BeginFailure{st, message};
    return nullptr;
  }
  return std::make_unique<AdapterTurn>(host_, api_, turn, std::move(plan_text));
}

std::vector<boost::json::object> events_of(const boost::json::object& actions) {
  std::vector<boost::json::object> out;
  if (const auto* events = actions.if_contains("events"); events && events->is_array())
    for (const auto& e : events->get_array())
      if (e.is_object()) out.push_back(e.get_object());
  return out;
}

std::vector<std::string> sends_of(const boost::json::object& actions) {
  std::vector<std::string> out;
  if (const auto* send = actions.if_contains("send"); send && send->is_array())
    for (const auto& f : send->get_array())
      if (f.is_string()) out.emplace_back(f.get_string());
  return out;
}

bool closes(const boost::json::object& actions) {
  const auto* c = actions.if_contains("close");
  return c && c->is_bool() && c->get_bool();
}

void EventLog::add(const boost::json::object& actions) {
  for (auto& e : events_of(actions)) events_.push_back(std::move(e));
}

std::vector<boost::json::object> EventLog::of(std::string_view type) const {
  std::vector<boost::json::object> out;
  for (const auto& e : events_)
    if (const auto* t = e.if_contains("type"); t && t->is_string() && t->get_string() == type)
      out.push_back(e);
  return out;
}

std::string EventLog::joined(std::string_view type) const {
  std::string out;
  for (const auto& e : of(type))
    if (const auto* t = e.if_contains("text"); t && t->is_string()) out += t->get_string();
  return out;
}

std::vector<std::string> EventLog::summary() const {
  // Adjacent text (or reasoning) pieces are merged: how text is cut is not part of a turn.
  std::vector<std::string> out;
  std::string last_type;
  for (const auto& e : events_) {
    std::string type(e.at("type").as_string());
    if ((type == "text" || type == "reasoning") && type == last_type) {
      out.back() += std::string(e.at("text").as_string());
      continue;
    }
    boost::json::object rest;
    for (const auto& kv : e)
      if (kv.key() != "type") rest[kv.key()] = kv.value();
    std::string line = type + ":";
    if (type == "text" || type == "reasoning")
      line += std::string(e.at("text").as_string());
    else
      line += boost::json::serialize(rest);
    out.push_back(line);
    last_type = type;
  }
  return out;
}

}  // namespace g2a::test
