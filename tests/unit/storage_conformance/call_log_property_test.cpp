// Property: random call-log records (ties, out of order, mixed case, missing fields) and
// random filters give on every backend what a plain list predicts (support/call_log_model).
#include <fmt/format.h>
#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>

#include <cstdlib>
#include <sstream>

#include "conformance_fixture.hpp"
#include "support/call_log_model.hpp"

namespace g2a::test {
namespace {

TEST_P(StorageConformance, CallLogQueriesMatchAPlainListModel) {
  int next_id = 0;
  // One store for every case (a database per case would be slow): each case starts by
  // clearing the log, which is itself part of the contract.
  auto property = [&] {
    RC_ASSERT(store->trim(0) == store->query({}).total);
    RC_ASSERT(store->query({}).total == 0u);
    auto batches = *rc::gen::resize(20, rc::gen::container<std::vector<std::vector<Rec>>>(
                                            rc::gen::container<std::vector<Rec>>(rec_gen())));
    auto trims = *rc::gen::container<std::vector<int>>(batches.size(), rc::gen::inRange(-1, 30));
    auto filters = *rc::gen::resize(10, rc::gen::container<std::vector<LogQuery>>(filter_gen()));
    std::vector<Rec> arrived;
    append_batches(*store, batches, trims, arrived, next_id);
    check(*store, arrived, LogQuery{}, 0, UINT64_MAX);
    for (const auto& f : filters) {
      check(*store, arrived, f, 0, UINT64_MAX);
      check(*store, arrived, f, 1, 3);
    }
  };
  // 30 cases unless RC_PARAMS says otherwise: each costs a few hundred round trips to a
  // database server.
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  if (!std::getenv("RC_PARAMS")) params.maxSuccess = 30;
  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "call-log answers match the model on " + GetParam();
  const auto result = rc::detail::checkTestable(property, metadata, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream message;
    rc::detail::printResultMessage(result, message);
    FAIL() << message.str();
  }
}

}  // namespace
}  // namespace g2a::test
