// The grok.com simulator (tests/simulator, Node.js) as a child process for tests, with
// its control API.
#pragma once

#include <memory>
#include <string>

#include "server_process.hpp"

namespace g2a::test {

class SimulatorProcess {
 public:
  // nullptr with a reason when Node.js or the simulator's packages are missing.
  static std::unique_ptr<SimulatorProcess> start(std::string* why_not);
  ~SimulatorProcess();

  const std::string& grok() const { return grok_; }          // http://127.0.0.1:P
  const std::string& assets() const { return assets_; }      // http://127.0.0.1:Q
  const std::string& accounts() const { return accounts_; }  // accounts.x.ai: http://127.0.0.1:R

  // POST /__sim/<path> with a JSON body; returns the answer body (throws on non-2xx).
  std::string control(const std::string& path, const std::string& json = "{}");
  // GET /__sim/<path>.
  std::string query(const std::string& path);
  // The violations recorded so far ("[]" when none).
  std::string violations() { return query("violations"); }

 private:
  SimulatorProcess() = default;
  std::unique_ptr<ServerProcess> process_;
  std::string grok_, assets_, accounts_;
};

}  // namespace g2a::test
