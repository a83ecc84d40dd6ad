// The log-webhook module loaded through its C ABI, delivering to a real Node receiver that
// verifies signatures with its own crypto. Every wait is on a done callback, never a clock.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "node_server.hpp"
#include "server_process.hpp"
#include "support/loaded_module.hpp"
#include "support/temp_dir.hpp"
#include "webhook_sink.hpp"

namespace g2a::test {
namespace {

namespace json = boost::json;

constexpr const char* kSecret = "whsec-0123456789abcdef";

struct Outcome {
  g2a_status status;
  std::string message;
};

// The Node receiver as a child process on port 0.
class Receiver {
 public:
  Receiver() : server_(G2A_NODE, G2A_WEBHOOK_RECEIVER, {kSecret}) {}
  std::string url(const std::string& path) const { return server_.url(path); }
  json::array received() { return server_.get_json("/received").as_array(); }

 private:
  NodeServer server_;
};

// One instance of the module, created with a config table.
class Sink : public LoadedModule<g2a_log_sink_v1> {
 public:
  explicit Sink(const std::string& config)
      : LoadedModule(G2A_LOG_WEBHOOK_MODULE, G2A_KIND_LOG_SINK, config) {}

  Outcome submit(const std::vector<std::string>& records) {
    std::vector<g2a_str> raw;
    for (const auto& r : records) raw.push_back(g2a_str{r.data(), r.size()});
    std::promise<Outcome> promise;
    auto future = promise.get_future();
    g2a_done_fn done = [](void* user, g2a_status st, g2a_str msg) {
      static_cast<std::promise<Outcome>*>(user)->set_value(
          Outcome{st, std::string(msg.data ? msg.data : "", msg.len)});
    };
    g2a_status st = table()->submit(instance(), raw.data(), raw.size(), done, &promise);
    EXPECT_EQ(st, G2A_OK);
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return future.get();
  }
};

std::string record(int id, bool success) {
  return "{\"id\":\"r" + std::to_string(id) +
         "\",\"timestamp\":1700000000000,\"model\":\"grok-4\"," +
         "\"success\":" + (success ? "true" : "false") + "}";
}

std::string receiver_config(const std::string& fields) {
  return "{\"receivers\":[{" + fields + "}]}";
}

std::vector<std::string> ids_of(const json::array& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.emplace_back(r.at("id").as_string());
  return out;
}

std::vector<std::string> ndjson_ids(std::string_view body) {
  std::vector<std::string> out;
  while (!body.empty()) {
    auto nl = body.find('\n');
    EXPECT_NE(nl, std::string_view::npos) << "every NDJSON line ends with a newline";
    out.emplace_back(json::parse(body.substr(0, nl)).at("id").as_string());
    body.remove_prefix(nl + 1);
  }
  return out;
}

TEST(LogWebhook, JsonArrayBatchesAreSplitSignedAndVerifiedByNodeCrypto) {
  Receiver receiver;
  Sink sink(receiver_config("\"url\":\"" + receiver.url("/hook?token=abc") +
                            "\",\"format\":\"json\",\"batch_size\":2,\"secret\":\"" + kSecret +
                            "\",\"headers\":{\"X-Team\":\"ops\"}"));
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  auto outcome = sink.submit(
      {record(1, true), record(2, false), record(3, true), record(4, true), record(5, false)});
  EXPECT_EQ(outcome.status, G2A_OK) << outcome.message;

  auto got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  std::vector<std::string> ids;
  for (const auto& d : got) {
    const auto& headers = d.at("headers").as_object();
    EXPECT_EQ(d.at("signature").as_string(), "valid");
    EXPECT_EQ(headers.at("content-type").as_string(), "application/json");
    EXPECT_EQ(headers.at("x-team").as_string(), "ops");
    auto batch = json::parse(d.at("body").as_string()).as_array();
    EXPECT_LE(batch.size(), 2u);
    for (auto& id : ids_of(batch)) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5"}));
  for (const auto& m : sink.host().base().messages()) {
    EXPECT_EQ(m.text.find(kSecret), std::string::npos) << m.text;
    EXPECT_EQ(m.text.find("token=abc"), std::string::npos) << m.text;
  }
}

TEST(LogWebhook, NdjsonFailuresOnlyBesideAnUnsignedReceiverOfEverything) {
  Receiver receiver;
  Sink sink("{\"receivers\":[{\"url\":\"" + receiver.url("/failures") +
            "\",\"format\":\"ndjson\",\"records\":\"failures\",\"secret\":\"" + kSecret +
            "\"},{\"url\":\"" + receiver.url("/all") + "\"}]}");
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  auto outcome =
      sink.submit({record(1, true), record(2, false), record(3, true), record(4, false)});
  EXPECT_EQ(outcome.status, G2A_OK) << outcome.message;

  auto got = receiver.received();
  ASSERT_EQ(got.size(), 2u);
  for (const auto& d : got) {
    std::string path(d.at("path").as_string());
    if (path == "/failures") {
      EXPECT_EQ(d.at("signature").as_string(), "valid");
      EXPECT_EQ(d.at("headers").at("content-type").as_string(), "application/x-ndjson");
      EXPECT_EQ(ndjson_ids(d.at("body").as_string()), (std::vector<std::string>{"r2", "r4"}));
    } else {
      EXPECT_EQ(path, "/all");
      EXPECT_EQ(d.at("signature").as_string(), "unsigned");
      EXPECT_EQ(ids_of(json::parse(d.at("body").as_string()).as_array()),
                (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
    }
  }
}

TEST(LogWebhook, NothingSelectedIsDeliveredAsNothing) {
  Receiver receiver;
  Sink sink(receiver_config("\"url\":\"" + receiver.url("/x") + "\",\"records\":\"failures\""));
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  EXPECT_EQ(sink.submit({record(1, true)}).status, G2A_OK);
  EXPECT_TRUE(receiver.received().empty());
}

TEST(LogWebhook, ReceiverStatusChoosesRetryOrDrop) {
  Receiver receiver;
  const std::vector<std::pair<int, g2a_status>> cases = {
      {200, G2A_OK},    {204, G2A_OK},   {500, G2A_RETRY}, {503, G2A_RETRY}, {408, G2A_RETRY},
      {429, G2A_RETRY}, {400, G2A_DROP}, {401, G2A_DROP},  {404, G2A_DROP},  {413, G2A_DROP}};
  for (auto [status, expected] : cases) {
    Sink sink(
        receiver_config("\"url\":\"" + receiver.url("/status/" + std::to_string(status)) + "\""));
    ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
    auto outcome = sink.submit({record(status, false)});
    EXPECT_EQ(outcome.status, expected) << "HTTP " << status << ": " << outcome.message;
    if (expected != G2A_OK) {
      EXPECT_NE(outcome.message.find("HTTP " + std::to_string(status)), std::string::npos)
          << outcome.message;
    }
  }
  EXPECT_EQ(receiver.received().size(), cases.size());
}

TEST(LogWebhook, OneReceiverRetryingMakesTheHostResendTheBatch) {
  Receiver receiver;
  Sink sink("{\"receivers\":[{\"url\":\"" + receiver.url("/status/400") + "\"},{\"url\":\"" +
            receiver.url("/status/502") + "\"},{\"url\":\"" + receiver.url("/ok") + "\"}]}");
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  EXPECT_EQ(sink.submit({record(1, false)}).status, G2A_RETRY);
}

TEST(LogWebhook, ATimeoutIsRetried) {
  Receiver receiver;
  Sink sink(receiver_config("\"url\":\"" + receiver.url("/hang") + "\",\"timeout_ms\":300"));
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  auto outcome = sink.submit({record(1, false)});
  EXPECT_EQ(outcome.status, G2A_RETRY);
  EXPECT_NE(outcome.message.find("timed out"), std::string::npos) << outcome.message;
  EXPECT_EQ(receiver.received().size(), 1u);
}

TEST(LogWebhook, AReceiverThatIsDownIsRetried) {
  std::string url;
  {
    Receiver gone;
    url = gone.url("/hook");
  }  // the receiver exits: its port now refuses connections
  Sink sink(receiver_config("\"url\":\"" + url + "\""));
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  auto outcome = sink.submit({record(1, false)});
  EXPECT_EQ(outcome.status, G2A_RETRY);
  EXPECT_NE(outcome.message.find("connection failed"), std::string::npos) << outcome.message;
}

TEST(LogWebhook, WithoutReceiversItLoadsAndSendsNothing) {
  Sink sink("{}");
  ASSERT_EQ(sink.create_status(), G2A_OK) << sink.create_error();
  EXPECT_EQ(sink.submit({record(1, false)}).status, G2A_OK);
  EXPECT_TRUE(sink.host().base().logged("no [[plugins.log-webhook.receivers]] configured"));
}

TEST(LogWebhook, SettingsErrorsNameTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"receivers\":{\"url\":\"http://h/\"}}",
       "plugins.log-webhook.receivers: must be an array of tables"},
      {receiver_config("\"format\":\"json\""), "plugins.log-webhook.receivers[0].url: is required"},
      {receiver_config("\"url\":\"ftp://example.com/x\""),
       "plugins.log-webhook.receivers[0].url: only http:// and https://"},
      {receiver_config("\"url\":\"http://h/\",\"format\":\"xml\""),
       "plugins.log-webhook.receivers[0].format: must be \"json\""},
      {receiver_config("\"url\":\"http://h/\",\"records\":\"errors\""),
       "plugins.log-webhook.receivers[0].records: must be \"all\" or \"failures\""},
      {receiver_config("\"url\":\"http://h/\",\"batch_size\":0"),
       "plugins.log-webhook.receivers[0].batch_size: must be between 1 and 10000"},
      {receiver_config("\"url\":\"http://h/\",\"timeout_ms\":\"5s\""),
       "plugins.log-webhook.receivers[0].timeout_ms: must be an integer"},
      {receiver_config("\"url\":\"http://h/\",\"secret\":7"),
       "plugins.log-webhook.receivers[0].secret: must be a string"},
      {receiver_config("\"url\":\"http://h/\",\"headers\":{\"X-A\":\"a\\r\\nb\"}"),
       "plugins.log-webhook.receivers[0].headers.X-A: must not contain line breaks"},
      {receiver_config("\"url\":\"http://h/\",\"secrte\":\"x\""),
       "plugins.log-webhook.receivers[0].secrte: unknown key"},
  };
  for (const auto& [config, message] : cases) {
    Sink sink(config);
    EXPECT_EQ(sink.create_status(), G2A_BAD_ARGUMENT) << config;
    EXPECT_NE(sink.create_error().find(message), std::string::npos)
        << config << " -> " << sink.create_error();
  }
}

TEST(LogWebhook, ClassifyFollowsTheSinkDoneSemantics) {
  using webhook::classify;
  EXPECT_EQ(classify(G2A_TIMEOUT, 0), G2A_RETRY);
  EXPECT_EQ(classify(G2A_IO_ERROR, 0), G2A_RETRY);
  EXPECT_EQ(classify(G2A_OK, 201), G2A_OK);
  EXPECT_EQ(classify(G2A_OK, 599), G2A_RETRY);
  EXPECT_EQ(classify(G2A_OK, 302), G2A_DROP);
  EXPECT_EQ(classify(G2A_OK, 422), G2A_DROP);
}

}  // namespace
}  // namespace g2a::test
