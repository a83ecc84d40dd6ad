// Drives a signer-statsig instance through its C ABI, as the host does.
#pragma once

#include <grok2api/plugin.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fake_host.hpp"

namespace g2a::test {

struct SignResult {
  g2a_status status = G2A_OK;
  std::string value;  // the header value, or the error message
};

// Records prepare's done calls.
class DoneRecorder {
 public:
  struct Call {
    g2a_status status;
    std::string message;
  };
  static void fn(void* user, g2a_status st, g2a_str message);
  std::vector<Call> calls() const;
  size_t count() const;

 private:
  mutable std::mutex mu_;
  std::vector<Call> calls_;
};

class SignerClient {
 public:
  // Creates an instance with `config_json` as its table; check created().
  SignerClient(FakeHost& host, const std::string& config_json);
  ~SignerClient();
  SignerClient(const SignerClient&) = delete;
  SignerClient& operator=(const SignerClient&) = delete;

  bool created() const { return inst_ != nullptr; }
  g2a_status create_status() const { return create_status_; }
  const std::string& create_error() const { return create_error_; }

  SignResult sign(const std::string& method, const std::string& path, int64_t now_ms);
  g2a_status prepare(bool force, DoneRecorder& done);
  boost::json::object status();
  // Destroys the instance now (the destructor does it otherwise).
  void destroy();

 private:
  FakeHost& host_;
  const g2a_plugin_v1* plugin_ = nullptr;
  const g2a_signer_v1* api_ = nullptr;
  void* inst_ = nullptr;
  g2a_status create_status_ = G2A_OK;
  std::string create_error_;
};

}  // namespace g2a::test
