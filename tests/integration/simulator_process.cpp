#include "simulator_process.hpp"
#include "support/test_paths.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <stdexcept>

#include "http_client.hpp"

namespace g2a::test {
namespace fs = std::filesystem;

std::unique_ptr<SimulatorProcess> SimulatorProcess::start(std::string* why_not) {
  fs::path dir = fs::path(source_dir()) / "tests" / "simulator";
  std::string node;
  for (const char* p : {"/usr/bin/node", "/usr/local/bin/node"})
    if (access(p, X_OK) == 0) node = p;
  if (node.empty()) {
    if (why_not) *why_not = "Node.js is not installed (scripts/install-deps.sh --test)";
    return nullptr;
  }
  if (!fs::exists(dir / "node_modules" / "ws")) {
    if (why_not) *why_not = "the simulator's packages are missing: npm ci --prefix tests/simulator";
    return nullptr;
  }
  std::unique_ptr<SimulatorProcess> sim(new SimulatorProcess());
  ServerConfig config(dir.string(), "", {"--quiet"}, {}, false);
  config.binary = node;
  config.argv0_args = {(dir / "server.js").string(),
                       "--host",
                       "127.0.0.1",
                       "--port",
                       "0",
                       "--assets-port",
                       "0",
                       "--accounts-port",
                       "0"};
  sim->process_ = std::make_unique<ServerProcess>(config);
  if (!sim->process_->wait_for_output("\"control\"")) {
    if (why_not) *why_not = "the simulator did not start: " + sim->process_->output();
    return nullptr;
  }
  std::string out = sim->process_->output();
  auto start = out.find("{\"grok\"");
  auto end = out.find('\n', start);
  auto v = boost::json::parse(out.substr(start, end - start));
  sim->grok_ = std::string(v.at("grok").as_string());
  sim->assets_ = std::string(v.at("assets").as_string());
  sim->accounts_ = std::string(v.at("accounts").as_string());
  sim->control("config", R"({"chunk_delay_ms":0,"video_step_ms":0,"imagine_step_ms":0})");
  return sim;
}

SimulatorProcess::~SimulatorProcess() {
  if (process_) process_->stop(SIGTERM);
}

std::string SimulatorProcess::control(const std::string& path, const std::string& json) {
  HttpClient http;
  auto r = http.post_json(grok_ + "/__sim/" + path, json);
  if (r.status < 200 || r.status >= 300)
    throw std::runtime_error("simulator " + path + " answered " + std::to_string(r.status) + ": " +
                             r.body + r.error);
  return r.body;
}

std::string SimulatorProcess::query(const std::string& path) {
  HttpClient http;
  return http.get(grok_ + "/__sim/" + path).body;
}

}  // namespace g2a::test
