#include "signer_client.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

extern "C" const g2a_plugin_v1* g2a_plugin_entry_v1(const g2a_host_v1* host);

namespace g2a::test {

void DoneRecorder::fn(void* user, g2a_status st, g2a_str message) {
  auto* self = static_cast<DoneRecorder*>(user);
  std::lock_guard lock(self->mu_);
  self->calls_.push_back({st, std::string(message.data ? message.data : "", message.len)});
}

std::vector<DoneRecorder::Call> DoneRecorder::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

size_t DoneRecorder::count() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

SignerClient::SignerClient(FakeHost& host, const std::string& config_json) : host_(host) {
  host_.set_config(config_json);
  plugin_ = g2a_plugin_entry_v1(host_.host());
  if (!plugin_) throw std::runtime_error("no plugin descriptor");
  api_ = static_cast<const g2a_signer_v1*>(plugin_->get_interface(G2A_KIND_SIGNER));
  g2a_buf err{nullptr, 0};
  create_status_ = plugin_->create(host_.host(), host_.ctx(), &inst_, &err);
  create_error_ = host_.adopt(err);
  if (create_status_ != G2A_OK) inst_ = nullptr;
}

SignerClient::~SignerClient() {
  destroy();
}

void SignerClient::destroy() {
  if (inst_) plugin_->destroy(inst_);
  inst_ = nullptr;
}

SignResult SignerClient::sign(const std::string& method, const std::string& path, int64_t now_ms) {
  g2a_sign_request req{
      sizeof(g2a_sign_request), {method.data(), method.size()}, {path.data(), path.size()}, now_ms};
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  SignResult r;
  r.status = api_->sign(inst_, &req, &out, &err);
  r.value = r.status == G2A_OK ? host_.adopt(out) : host_.adopt(err);
  if (r.status != G2A_OK) host_.adopt(out);
  return r;
}

g2a_status SignerClient::prepare(bool force, DoneRecorder& done) {
  return api_->prepare(inst_, force ? 1 : 0, &DoneRecorder::fn, &done);
}

boost::json::object SignerClient::status() {
  g2a_buf out{nullptr, 0};
  if (api_->status(inst_, &out) != G2A_OK) throw std::runtime_error("status failed");
  return boost::json::parse(host_.adopt(out)).as_object();
}

}  // namespace g2a::test
