// A plain-list model of the call-log contract (g2a_storage_v1 log_*), for RapidCheck
// properties: case-insensitive substrings, inclusive times, newest first with equal
// timestamps newest-arrived first, the oldest trimmed first.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "support/storage_client.hpp"

namespace g2a::test {

// A call-log record as the gateway writes one; extra is appended inside the object
// (",\"response_time\":1.5").
std::string log_record(const std::string& id, int64_t ts, const std::string& sso_full,
                       const std::string& model, bool success, const std::string& sso = "",
                       const std::string& extra = "");
// The sample r1..r6 at t=1000..6000: mixed-case tokens and models, r3 with only "sso",
// r2 and r4 failed.
std::vector<std::string> sample_records();
// The ids of a query's rows, in order.
std::vector<std::string> ids(const QueryResult& r);

struct Rec {
  std::string id;
  int64_t ts;
  std::string sso_full, sso, model;
  bool success;
  int rt_ms;  // < 0: no response_time
};

std::string json_of(const Rec& r);
// The model: records in arrival order; "oldest first" is a stable sort by timestamp.
std::vector<Rec> oldest_first(const std::vector<Rec>& arrived);
bool matches(const Rec& r, const LogQuery& f);
rc::Gen<Rec> rec_gen();
rc::Gen<LogQuery> filter_gen();
// RC_ASSERTs that store's query (paged by offset/limit), stats and 7 ms timeseries for f
// are what the model predicts from the records that arrived.
void check(StorageClient& store, const std::vector<Rec>& arrived, const LogQuery& f,
           uint64_t offset, uint64_t limit);
// Trims store to keep_newest, RC_ASSERTs the count the model predicts, and drops the
// trimmed records from arrived.
void trim_and_check(StorageClient& store, std::vector<Rec>& arrived, uint64_t keep_newest);

// Appends each batch (ids r<next_id>...), calls after_append(b) if given, then trims to
// trims[b] when that is >= 0 (trim_and_check); arrived follows what the store holds.
void append_batches(StorageClient& store, std::vector<std::vector<Rec>>& batches,
                    const std::vector<int>& trims, std::vector<Rec>& arrived, int& next_id,
                    const std::function<void(std::size_t)>& after_append = {});

}  // namespace g2a::test
