// A realistic Pro-format call log for the call-log benchmark: ~50 SSO tokens, 10 models,
// ~5% failures with the error messages the gateway writes, timestamps spread over the 30
// days before `now_ms`, oldest first (as the Pro service saves them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace g2a::bench {

class CallLogData {
 public:
  CallLogData(int64_t now_ms, uint32_t seed);

  // Writes {"logs":[...],"meta":{...}} with `count` records; returns the file's size.
  uint64_t write_pro_file(const std::filesystem::path& path, uint64_t count);

  // A 12-character piece of token i's middle (a filter that matches that token only).
  std::string sso_substring(size_t i) const;
  const std::string& model(size_t i) const { return models_[i % models_.size()]; }
  std::string describe() const;

 private:
  void append_record(std::string& out, int64_t timestamp);

  int64_t now_ms_;
  std::mt19937_64 rng_;
  std::vector<std::string> tokens_;
  std::vector<std::string> models_;
};

}  // namespace g2a::bench
