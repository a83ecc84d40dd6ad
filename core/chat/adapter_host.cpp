#include "core/chat/adapter_host.hpp"
#include "core/plugin/host_buffer.hpp"

#include <stdexcept>

#include "core/plugin/host_context.hpp"
#include "core/plugin/manager.hpp"

namespace g2a::chat {
namespace {

[[noreturn]] void fail(const char* what, g2a_status st, g2a_buf& err) {
  std::string msg = plugin::take_buffer(err);
  throw std::runtime_error(std::string("model adapter ") + what +
                           " failed: " + (msg.empty() ? "status " + std::to_string(st) : msg));
}

}  // namespace

AdapterHost::AdapterHost(plugin::LoadedPlugin& p)
    : plugin_(p),
      table_(static_cast<const g2a_model_adapter_v1*>(p.table(G2A_KIND_MODEL_ADAPTER))) {
  if (!table_) throw std::invalid_argument("plugin " + p.id + " provides no model adapter");
}

const std::string& AdapterHost::plugin_id() const {
  return plugin_.id;
}

std::string AdapterHost::models() {
  g2a_buf out{nullptr, 0};
  if (table_->models(plugin_.instance, &out) != G2A_OK) return "[]";
  return plugin::take_buffer(out);
}

std::unique_ptr<AdapterHost::Turn> AdapterHost::begin(const std::string& request,
                                                      std::string& plan) {
  void* turn = nullptr;
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st =
      table_->begin(plugin_.instance, {request.data(), request.size()}, &turn, &out, &err);
  if (st != G2A_OK) {
    plugin::take_buffer(out);
    fail("begin", st, err);
  }
  plugin::take_buffer(err);
  plan = plugin::take_buffer(out);
  return std::make_unique<Turn>(table_, turn);
}

AdapterHost::Turn::~Turn() {
  table_->end(turn_);
}

std::string AdapterHost::Turn::feed(std::string_view data) {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = table_->feed(turn_, {data.data(), data.size()}, &out, &err);
  if (st != G2A_OK) {
    plugin::take_buffer(out);
    fail("feed", st, err);
  }
  plugin::take_buffer(err);
  return plugin::take_buffer(out);
}

std::string AdapterHost::Turn::finish() {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = table_->finish(turn_, &out, &err);
  if (st != G2A_OK) {
    plugin::take_buffer(out);
    fail("finish", st, err);
  }
  plugin::take_buffer(err);
  return plugin::take_buffer(out);
}

}  // namespace g2a::chat
