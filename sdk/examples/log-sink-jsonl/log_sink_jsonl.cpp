// Example log-sink plugin: appends every call-log record to a JSON-lines file.
//
// [plugins.log-sink-jsonl]
// file = "/var/log/grok2api/calls.jsonl"
#include <grok2api/plugin.hpp>

#include <fstream>
#include <mutex>

class JsonlSink : public g2a::LogSink {
 public:
  explicit JsonlSink(g2a::Host host) : host_(host) {
    auto file = host_.config_value("file");
    // config values arrive as JSON: a string is quoted.
    path_ = file && file->size() >= 2 ? file->substr(1, file->size() - 2)
                                      : host_.path(G2A_PATH_LOGS) + "/calls.jsonl";
    out_.open(path_, std::ios::app);
    if (!out_) throw g2a::Error(G2A_IO_ERROR, "cannot open " + path_);
    host_.info("writing call-log records to " + path_);
  }

  void submit(const std::vector<std::string_view>& records, g2a_done_fn done, void* user) override {
    std::lock_guard lock(mutex_);
    for (auto r : records) out_ << r << '\n';
    out_.flush();
    // RETRY asks the host to send the same batch again later.
    done(user, out_ ? G2A_OK : G2A_RETRY, g2a::str(out_ ? "" : "write failed"));
  }

 private:
  g2a::Host host_;
  std::string path_;
  std::mutex mutex_;
  std::ofstream out_;
};

G2A_DECLARE_PLUGIN(JsonlSink, "log-sink-jsonl", "1.0.0", "grok2api examples",
                   "Appends call-log records to a JSON-lines file", G2A_FLAG_THREAD_SAFE)
