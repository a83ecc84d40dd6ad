// The built video-grok-imagine.so loads like the host loads it and answers a generation.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "support/loaded_module.hpp"
#include "video_fixtures.hpp"

namespace g2a::test {
namespace {

TEST(VideoGrokImagineModule, ExportsADescriptorThatWorks) {
  LoadedModule<g2a_model_adapter_v1> module(G2A_VIDEO_GROK_IMAGINE_MODULE, G2A_KIND_MODEL_ADAPTER,
                                            R"({"preset":"normal"})");
  ASSERT_EQ(module.create_status(), G2A_OK) << module.create_error();
  EXPECT_STREQ(module.descriptor().id, "video-grok-imagine");
  EXPECT_EQ(module.descriptor().abi_version, uint32_t{G2A_ABI_VERSION});
  EXPECT_EQ(module.descriptor().kinds, uint32_t{G2A_KIND_MODEL_ADAPTER});
  EXPECT_EQ(module.descriptor().flags, uint32_t{G2A_FLAG_THREAD_SAFE});
  auto* api = module.table();
  ASSERT_NE(api, nullptr);
  TestHost& host = module.host().base();
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  ASSERT_EQ(api->models(module.instance(), &out), G2A_OK);
  EXPECT_EQ(boost::json::parse(host.adopt(out)).as_array().size(), 3u);

  std::string req = video_request();
  void* turn = nullptr;
  g2a_buf plan{nullptr, 0};
  ASSERT_EQ(api->begin(module.instance(), {req.data(), req.size()}, &turn, &plan, &err), G2A_OK)
      << host.adopt(err);
  AdapterTurn t(host, api, turn, host.adopt(plan));
  EXPECT_EQ(plan_body(t).at("message"), "a red fox running through snow --mode=normal");
  auto log = play(t, spec_video_body());
  EXPECT_EQ(log.of("video").size(), 1u);

  // A refusal carries its message through the C ABI.
  std::string bad = video_request({{"seconds", 11}});
  EXPECT_EQ(api->begin(module.instance(), {bad.data(), bad.size()}, &turn, &plan, &err),
            G2A_BAD_ARGUMENT);
  EXPECT_NE(host.adopt(err).find("seconds"), std::string::npos);
}

}  // namespace
}  // namespace g2a::test
