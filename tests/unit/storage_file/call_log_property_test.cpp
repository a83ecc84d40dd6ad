// Property: whatever records arrive (in or out of timestamp order, many sharing a
// millisecond, mixed case), with trims in between and a reopen, queries, stats and
// timeseries give what a plain list predicts: case-insensitive substrings, inclusive times,
// newest first with equal timestamps newest-arrived first, the oldest trimmed first.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "storage_client.hpp"
#include "support/call_log_model.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::test {
namespace {

RC_GTEST_PROP(StorageFileCallLogProperty, QueriesMatchAPlainList, ()) {
  // Small sizes: each case opens the plugin twice (a few dozen records say it all).
  auto batches = *rc::gen::resize(30, rc::gen::container<std::vector<std::vector<Rec>>>(
                                          rc::gen::container<std::vector<Rec>>(rec_gen())));
  auto trims = *rc::gen::container<std::vector<int>>(batches.size(), rc::gen::inRange(-1, 30));
  auto filters = *rc::gen::container<std::vector<LogQuery>>(filter_gen());
  TempDir tmp;
  TestHost host((tmp.path() / "data").string());
  std::vector<Rec> arrived;
  int next_id = 0;
  {
    auto store = open_file_storage(host);
    RC_ASSERT(store != nullptr);
    append_batches(*store, batches, trims, arrived, next_id, [&](std::size_t b) {
      if (b % 2) RC_ASSERT(store->flush() == G2A_OK);
    });
    for (const auto& f : filters) check(*store, arrived, f, 0, UINT64_MAX);
  }
  // The same after a reopen (marked lines skipped, offsets read back).
  auto store = open_file_storage(host);
  RC_ASSERT(store != nullptr);
  check(*store, arrived, LogQuery{}, 0, UINT64_MAX);
  for (const auto& f : filters) check(*store, arrived, f, 1, 3);
  RC_ASSERT(store->trim(arrived.size() / 2) == arrived.size() - arrived.size() / 2);
}

}  // namespace
}  // namespace g2a::test
