// The built signer-statsig.so loads like the host loads it and exports one working entry.
#include <dlfcn.h>

#include "signer_fixture.hpp"

namespace g2a::test {
namespace {

using SignerModule = SignerTest;

TEST_F(SignerModule, ExportsADescriptorThatWorks) {
  void* lib = ::dlopen(G2A_SIGNER_STATSIG_MODULE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<g2a_plugin_entry_fn>(::dlsym(lib, G2A_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr) << ::dlerror();
  const g2a_plugin_v1* plugin = entry(host.host());
  ASSERT_NE(plugin, nullptr);
  EXPECT_STREQ(plugin->id, "signer-statsig");
  EXPECT_EQ(plugin->kinds, uint32_t{G2A_KIND_SIGNER});
  EXPECT_EQ(plugin->flags, uint32_t{G2A_FLAG_THREAD_SAFE});  // not blocking
  EXPECT_EQ(plugin->get_interface(G2A_KIND_STORAGE), nullptr);
  auto* api = static_cast<const g2a_signer_v1*>(plugin->get_interface(G2A_KIND_SIGNER));
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->struct_size, sizeof(g2a_signer_v1));

  host.set_config(config(R"("strategy":"fixed","x_statsig_id":"abc")"));
  void* inst = nullptr;
  g2a_buf err{nullptr, 0};
  ASSERT_EQ(plugin->create(host.host(), host.ctx(), &inst, &err), G2A_OK) << host.adopt(err);
  g2a_sign_request req{sizeof(g2a_sign_request), {"POST", 4}, {"/x", 2}, kNowMs};
  g2a_buf out{nullptr, 0};
  ASSERT_EQ(api->sign(inst, &req, &out, &err), G2A_OK);
  EXPECT_EQ(host.adopt(out), "abc");
  g2a_buf status{nullptr, 0};
  ASSERT_EQ(api->status(inst, &status), G2A_OK);
  EXPECT_NE(host.adopt(status).find("\"strategy\":\"fixed\""), std::string::npos);
  plugin->destroy(inst);
  ::dlclose(lib);
}

}  // namespace
}  // namespace g2a::test
