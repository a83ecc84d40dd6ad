// The built storage-file.so loads like the host loads it and exports one working entry.
#include <dlfcn.h>

#include "storage_test_fixture.hpp"

namespace g2a::test {
namespace {

using StorageFileModule = StorageFileTest;

TEST_F(StorageFileModule, ModuleExportsADescriptorThatWorks) {
  void* lib = ::dlopen(G2A_STORAGE_FILE_MODULE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << ::dlerror();
  auto entry = reinterpret_cast<g2a_plugin_entry_fn>(::dlsym(lib, G2A_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr) << ::dlerror();

  const g2a_plugin_v1* plugin = entry(host.host());
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->struct_size, sizeof(g2a_plugin_v1));
  EXPECT_EQ(plugin->abi_version, G2A_ABI_VERSION);
  EXPECT_STREQ(plugin->id, "storage-file");
  EXPECT_STREQ(plugin->version, "0.1.0");
  EXPECT_STREQ(plugin->vendor, "grok2api");
  EXPECT_EQ(plugin->kinds, uint32_t{G2A_KIND_STORAGE});
  EXPECT_EQ(plugin->flags, uint32_t{G2A_FLAG_BLOCKING | G2A_FLAG_THREAD_SAFE});
  EXPECT_EQ(plugin->get_interface(G2A_KIND_LOG_SINK), nullptr);

  void* inst = nullptr;
  g2a_buf err{nullptr, 0};
  ASSERT_EQ(plugin->create(host.host(), host.ctx(), &inst, &err), G2A_OK) << host.adopt(err);
  auto* api = static_cast<const g2a_storage_v1*>(plugin->get_interface(G2A_KIND_STORAGE));
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->struct_size, sizeof(g2a_storage_v1));
  g2a_str coll{"sessions", 8}, key{"k", 1}, doc{"[1]", 3};
  EXPECT_EQ(api->doc_put(inst, coll, key, doc, nullptr), G2A_OK);
  plugin->destroy(inst);
  EXPECT_TRUE(std::filesystem::exists(data / "store" / "sessions.json"));

  // A host of another ABI major gets no descriptor.
  g2a_host_v1 other = *host.host();
  other.abi_version = (G2A_ABI_MAJOR + 1) << 16;
  EXPECT_EQ(entry(&other), nullptr);
  ::dlclose(lib);
}

}  // namespace
}  // namespace g2a::test
