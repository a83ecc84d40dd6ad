// /api/logs/timeseries's buckets: storage-file answers from its index (ABI 1.1), and a
// plugin built against ABI 1.0 (a storage table without log_timeseries) gets the same
// buckets from the core reading its records in pages.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>

#include "core/calllog/timeseries.hpp"
#include "core/plugin/manager.hpp"
#include "support/temp_dir.hpp"
#include "unit/tokens/store_env.hpp"

namespace g2a::calllog {
namespace {

const g2a_storage_v1* g_real_table = nullptr;

g2a_status fail_if_called(void*, const g2a_log_filter*, int64_t, int64_t, g2a_log_bucket_fn, void*,
                          g2a_buf*) {
  ADD_FAILURE() << "the host read log_timeseries past a 1.0 table's struct_size";
  return G2A_INTERNAL;
}

// storage-file's table as a plugin built against ABI 1.0 would give it.
const void* abi_1_0_interface(uint32_t kind) {
  static g2a_storage_v1 table;
  if (kind != G2A_KIND_STORAGE) return nullptr;
  table = *g_real_table;
  table.struct_size = G2A_MIN_STORAGE_SIZE;
  table.log_timeseries = &fail_if_called;
  return &table;
}

struct Row {
  int64_t start;
  uint64_t calls, failures;
  double median;
  bool operator==(const Row&) const = default;
};

std::vector<Row> rows(const std::vector<g2a_log_bucket>& in) {
  std::vector<Row> out;
  for (const auto& b : in) out.push_back({b.start_ms, b.calls, b.failures, b.median_latency});
  return out;
}

class TimeseriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> records;
    // 3,000 records over 50 hours, every 7th failed, latencies of 0.1 to 9.9 s.
    for (int i = 0; i < 3000; ++i)
      records.push_back(fmt::format(
          R"({{"id":"r{}","timestamp":{},"sso_full":"token-{}","model":"{}","success":{},"response_time":{}}})",
          i, 1'700'000'000'000 + int64_t{i} * 60'000, i % 5, i % 2 ? "grok-4" : "grok-3",
          i % 7 ? "true" : "false", 0.1 * (i % 99 + 1)));
    env.store().log_append(records);
    g_real_table = &env.store().table();
    const plugin::LoadedPlugin& real = *env.plugins().find("storage-file");
    older_plugin.id = real.id;
    older_plugin.descriptor = real.descriptor;
    older_plugin.descriptor.get_interface = &abi_1_0_interface;
    older_plugin.instance = real.instance;
  }

  g2a::test::TempDir dir;
  boost::asio::io_context io;
  runtime::BlockingPool blocking{1};
  tokens::test::StoreEnv env{G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking};
  plugin::LoadedPlugin older_plugin;
};

TEST_F(TimeseriesTest, AnAbi10StorageGetsTheSameBucketsFromTheCore) {
  storage::Store older(older_plugin, blocking);
  g2a_log_filter all{sizeof(g2a_log_filter), {"", 0}, {"", 0}, -1, 0, 0};
  EXPECT_FALSE(older.log_timeseries(all, 3'600'000, 0));  // the 1.0 table has no such field
  ASSERT_TRUE(env.store().log_timeseries(all, 3'600'000, 0));

  LogScanFilter filters[4];
  filters[1].success = 0;
  filters[2].sso = "TOKEN-3";
  filters[2].model = "grok-4";
  filters[3].start_ms = 1'700'000'000'000 + 600 * 60'000;
  filters[3].end_ms = 1'700'000'000'000 + 2400 * 60'000;
  for (const auto& f : filters)
    for (int64_t bucket : {60'000LL, 3'600'000LL, 86'400'000LL}) {
      auto from_index = rows(log_timeseries(env.store(), f, bucket, 8 * 3'600'000));
      auto from_records = rows(log_timeseries(older, f, bucket, 8 * 3'600'000));
      EXPECT_FALSE(from_index.empty());
      EXPECT_EQ(from_index, from_records) << "bucket " << bucket;
    }
  // Hour buckets: 50 hours of one call a minute.
  auto hours = log_timeseries(env.store(), {}, 3'600'000, 0);
  uint64_t calls = 0;
  for (const auto& b : hours) calls += b.calls;
  EXPECT_EQ(calls, 3000u);
  EXPECT_GE(hours.size(), 50u);
  EXPECT_LE(hours.size(), 51u);
}

}  // namespace
}  // namespace g2a::calllog
