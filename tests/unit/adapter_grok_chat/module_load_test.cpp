// The built adapter-grok-chat.so loads like the host loads it and answers a whole turn.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <grok2api/plugin.h>

#include <string>

#include "support/test_host.hpp"

namespace g2a::test {
namespace {

TEST(GrokChatModule, ExportsADescriptorThatWorks) {
  TestHost host;
  int64_t before = TestHost::live_allocations();
  void* lib = ::dlopen(G2A_ADAPTER_GROK_CHAT_MODULE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<g2a_plugin_entry_fn>(::dlsym(lib, G2A_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr) << ::dlerror();
  const g2a_plugin_v1* plugin = entry(host.host());
  ASSERT_NE(plugin, nullptr);
  EXPECT_STREQ(plugin->id, "adapter-grok-chat");
  EXPECT_EQ(plugin->kinds, uint32_t{G2A_KIND_MODEL_ADAPTER});
  EXPECT_EQ(plugin->flags, uint32_t{G2A_FLAG_THREAD_SAFE});
  EXPECT_EQ(plugin->get_interface(G2A_KIND_SIGNER), nullptr);
  auto* api =
      static_cast<const g2a_model_adapter_v1*>(plugin->get_interface(G2A_KIND_MODEL_ADAPTER));
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->struct_size, sizeof(g2a_model_adapter_v1));

  void* inst = nullptr;
  g2a_buf err{nullptr, 0};
  ASSERT_EQ(plugin->create(host.host(), host.ctx(), &inst, &err), G2A_OK) << host.adopt(err);
  g2a_buf out{nullptr, 0};
  ASSERT_EQ(api->models(inst, &out), G2A_OK);
  EXPECT_NE(host.adopt(out).find("\"grok-chat\""), std::string::npos);

  std::string req =
      R"({"kind":"chat","mode":"fast","transport":"rest","messages":[{"role":"user","content":"hi"}]})";
  void* turn = nullptr;
  g2a_buf plan{nullptr, 0};
  ASSERT_EQ(api->begin(inst, {req.data(), req.size()}, &turn, &plan, &err), G2A_OK)
      << host.adopt(err);
  EXPECT_NE(host.adopt(plan).find("/rest/app-chat/conversations/new"), std::string::npos);
  std::string line = R"({"result":{"response":{"token":"Hi","messageTag":"final"}}})"
                     "\n";
  ASSERT_EQ(api->feed(turn, {line.data(), line.size()}, &out, &err), G2A_OK);
  EXPECT_NE(host.adopt(out).find("\"text\":\"Hi\""), std::string::npos);
  ASSERT_EQ(api->finish(turn, &out, &err), G2A_OK);
  EXPECT_NE(host.adopt(out).find("\"type\":\"done\""), std::string::npos);
  api->end(turn);

  // A refused request: an error message, no turn.
  std::string bad = "{}";
  turn = nullptr;
  EXPECT_EQ(api->begin(inst, {bad.data(), bad.size()}, &turn, &plan, &err), G2A_BAD_ARGUMENT);
  EXPECT_FALSE(host.adopt(err).empty());
  EXPECT_EQ(turn, nullptr);
  plugin->destroy(inst);
  ::dlclose(lib);
  EXPECT_EQ(TestHost::live_allocations(), before);
}

}  // namespace
}  // namespace g2a::test
