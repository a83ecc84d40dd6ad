// LogScan reads every matching record once, newest first, in pages, with equal timestamps
// across page edges, and ignores records appended after it started.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "core/calllog/log_scan.hpp"
#include "support/temp_dir.hpp"
#include "unit/tokens/store_env.hpp"

namespace g2a::calllog {
namespace {
namespace json = boost::json;

std::string rec(const std::string& id, int64_t ts, bool success = true) {
  return fmt::format(R"({{"id":"{}","timestamp":{},"sso_full":"tok","model":"m","success":{}}})",
                     id, ts, success ? "true" : "false");
}

class LogScanTest : public ::testing::Test {
 protected:
  // Every id the scan returns, pages joined; pages records the page sizes.
  std::vector<std::string> drain(LogScan& scan, std::vector<size_t>* pages = nullptr) {
    std::vector<std::string> out;
    for (auto page = scan.next(); !page.empty(); page = scan.next()) {
      if (pages) pages->push_back(page.size());
      for (const auto& r : page) out.push_back(json::parse(r).at("id").as_string().c_str());
    }
    return out;
  }
  g2a::test::TempDir dir;
  boost::asio::io_context io;
  runtime::BlockingPool blocking{1};
  tokens::test::StoreEnv env{G2A_PLUGIN_DIR, dir.path(), io.get_executor(), blocking};
};

TEST_F(LogScanTest, PagesCrossEqualTimestampsWithoutRepeatsOrGaps) {
  // Three records share t=2000 and two share t=3000; arrival order breaks ties.
  env.store().log_append({rec("a", 1000), rec("b1", 2000), rec("b2", 2000), rec("b3", 2000),
                          rec("c1", 3000), rec("c2", 3000), rec("d", 4000)});
  for (uint64_t size : {1u, 2u, 3u, 4u, 7u, 100u}) {
    LogScan scan(env.store(), {}, 10'000, size);
    std::vector<size_t> pages;
    EXPECT_EQ(drain(scan, &pages),
              (std::vector<std::string>{"d", "c2", "c1", "b3", "b2", "b1", "a"}))
        << "page size " << size;
    for (size_t n : pages) EXPECT_LE(n, size);
    EXPECT_TRUE(scan.next().empty());
  }
}

TEST_F(LogScanTest, AppliesTheFilterAndItsTimeBounds) {
  env.store().log_append({rec("a", 1000, false), rec("b", 2000), rec("c", 3000, false),
                          rec("d", 4000, false), rec("e", 5000, false)});
  LogScanFilter failed;
  failed.success = 0;
  failed.start_ms = 2000;
  failed.end_ms = 4000;
  LogScan scan(env.store(), failed, 10'000, 1);
  EXPECT_EQ(drain(scan), (std::vector<std::string>{"d", "c"}));
  // The end is the earlier of the filter's and now.
  LogScan until_now(env.store(), {}, 3000, 2);
  EXPECT_EQ(drain(until_now), (std::vector<std::string>{"c", "b", "a"}));
  LogScanFilter empty_range;
  empty_range.start_ms = 4500;
  empty_range.end_ms = 4200;
  LogScan none(env.store(), empty_range, 10'000, 2);
  EXPECT_TRUE(none.next().empty());
}

// Calls that finish during an export (timestamps after its start) neither show up nor
// shift its pages, even at the timestamp where a page ended.
TEST_F(LogScanTest, RecordsAppendedDuringTheScanDoNotShiftIt) {
  env.store().log_append({rec("a", 1000), rec("b", 2000), rec("c", 3000), rec("d", 3000)});
  LogScan scan(env.store(), {}, 3000, 2);
  auto first = scan.next();
  ASSERT_EQ(first.size(), 2u);  // d, c
  env.store().log_append({rec("late", 3500), rec("later", 9000)});
  std::vector<std::string> rest = drain(scan);
  EXPECT_EQ(rest, (std::vector<std::string>{"b", "a"}));
}

}  // namespace
}  // namespace g2a::calllog
