#include "support/call_log_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace g2a::test {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains_ci(const std::string& hay, const std::string& needle) {
  return lower(hay).find(lower(needle)) != std::string::npos;
}

}  // namespace

std::string log_record(const std::string& id, int64_t ts, const std::string& sso_full,
                       const std::string& model, bool success, const std::string& sso,
                       const std::string& extra) {
  return fmt::format(
      R"({{"id":"{}","timestamp":{},"sso":"{}","sso_full":"{}","model":"{}","success":{},"status_code":{}{}}})",
      id, ts, sso, sso_full, model, success ? "true" : "false", success ? 200 : 429, extra);
}

std::vector<std::string> sample_records() {
  return {log_record("r1", 1000, "AbcToken1", "grok-4-fast", true),
          log_record("r2", 2000, "abctoken2", "grok-4-heavy", false),
          log_record("r3", 3000, "", "grok-imagine-0.9", true, "XyzShort****"),
          log_record("r4", 4000, "AbcToken1", "Grok-4-Fast", false),
          log_record("r5", 5000, "other", "grok-3", true),
          log_record("r6", 6000, "AbcToken1", "grok-4-fast", true)};
}

std::vector<std::string> ids(const QueryResult& r) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.first);
  return out;
}

std::string json_of(const Rec& r) {
  std::string rt = r.rt_ms < 0 ? "" : fmt::format(R"(,"response_time":{})", r.rt_ms / 1000.0);
  return fmt::format(
      R"({{"id":"{}","timestamp":{},"sso":"{}","sso_full":"{}","model":"{}","success":{}{}}})",
      r.id, r.ts, r.sso, r.sso_full, r.model, r.success ? "true" : "false", rt);
}

std::vector<Rec> oldest_first(const std::vector<Rec>& arrived) {
  std::vector<Rec> v = arrived;
  std::stable_sort(v.begin(), v.end(), [](const Rec& a, const Rec& b) { return a.ts < b.ts; });
  return v;
}

bool matches(const Rec& r, const LogQuery& f) {
  const std::string& sso = r.sso_full.empty() ? r.sso : r.sso_full;
  if (!f.sso.empty() && !contains_ci(sso, f.sso)) return false;
  if (!f.model.empty() && !contains_ci(r.model, f.model)) return false;
  if (f.success >= 0 && r.success != (f.success == 1)) return false;
  if (f.start_ms != 0 && r.ts < f.start_ms) return false;
  if (f.end_ms != 0 && r.ts > f.end_ms) return false;
  return true;
}

rc::Gen<Rec> rec_gen() {
  return rc::gen::apply(
      [](int ts, int sso, int model, bool success, int rt_ms, bool full) {
        const char* ssos[] = {"AbcToken1", "abctoken2", "XYZ-other", "token-10", ""};
        const char* models[] = {"grok-4-fast", "Grok-4-Heavy", "grok-3", "grok-imagine", ""};
        Rec r;
        r.ts = ts;
        r.sso_full = full ? ssos[sso] : "";
        r.sso = full ? "" : ssos[sso];
        r.model = models[model];
        r.success = success;
        r.rt_ms = rt_ms;
        return r;
      },
      rc::gen::inRange(1, 40), rc::gen::inRange(0, 5), rc::gen::inRange(0, 5),
      rc::gen::arbitrary<bool>(), rc::gen::inRange(-1, 5000), rc::gen::arbitrary<bool>());
}

rc::Gen<LogQuery> filter_gen() {
  return rc::gen::apply(
      [](int sso, int model, int success, int start, int end) {
        const char* ssos[] = {"", "abc", "TOKEN", "-1", "zzz"};
        const char* models[] = {"", "GROK-4", "heavy", "3", "x"};
        LogQuery f;
        f.sso = ssos[sso];
        f.model = models[model];
        f.success = success;
        f.start_ms = start;
        f.end_ms = end;
        return f;
      },
      rc::gen::inRange(0, 5), rc::gen::inRange(0, 5), rc::gen::inRange(-1, 2),
      rc::gen::inRange(0, 30), rc::gen::element(0, 10, 25, 40));
}

void check(StorageClient& store, const std::vector<Rec>& arrived, const LogQuery& f,
           uint64_t offset, uint64_t limit) {
  std::vector<Rec> sorted = oldest_first(arrived);
  std::vector<std::string> want;
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it)
    if (matches(*it, f)) want.push_back(it->id);
  QueryResult got = store.query(f, offset, limit);
  RC_ASSERT(got.total == want.size());
  std::vector<std::string> got_ids;
  for (const auto& row : got.rows) got_ids.push_back(row.first);
  std::vector<std::string> want_page;
  for (uint64_t i = offset; i < want.size() && want_page.size() < limit; ++i)
    want_page.push_back(want[i]);
  RC_ASSERT(got_ids == want_page);

  g2a_log_stats st = store.stats(f, 20);
  uint64_t ok = 0, today = 0;
  for (const auto& r : sorted)
    if (matches(r, f)) {
      ok += r.success;
      today += r.ts >= 20;
    }
  RC_ASSERT(st.total == want.size());
  RC_ASSERT(st.success == ok);
  RC_ASSERT(st.failed == want.size() - ok);
  RC_ASSERT(st.today_total == today);

  // Buckets of 7 ms: calls and failures per bucket.
  std::map<int64_t, std::pair<uint64_t, uint64_t>> buckets;
  for (const auto& r : sorted)
    if (matches(r, f)) {
      auto& b = buckets[r.ts / 7 * 7];
      ++b.first;
      b.second += r.success ? 0 : 1;
    }
  auto series = store.timeseries(f, 7);
  RC_ASSERT(series.size() == buckets.size());
  std::size_t i = 0;
  for (const auto& [start, counts] : buckets) {
    RC_ASSERT(series[i].start_ms == start);
    RC_ASSERT(series[i].calls == counts.first);
    RC_ASSERT(series[i].failures == counts.second);
    ++i;
  }
}

void trim_and_check(StorageClient& store, std::vector<Rec>& arrived, uint64_t keep_newest) {
  std::vector<Rec> sorted = oldest_first(arrived);
  uint64_t drop = sorted.size() > keep_newest ? sorted.size() - keep_newest : 0;
  RC_ASSERT(store.trim(keep_newest) == drop);
  std::vector<std::string> gone;
  for (uint64_t i = 0; i < drop; ++i) gone.push_back(sorted[i].id);
  std::erase_if(arrived, [&](const Rec& r) {
    return std::find(gone.begin(), gone.end(), r.id) != gone.end();
  });
}

void append_batches(StorageClient& store, std::vector<std::vector<Rec>>& batches,
                    const std::vector<int>& trims, std::vector<Rec>& arrived, int& next_id,
                    const std::function<void(std::size_t)>& after_append) {
  for (std::size_t b = 0; b < batches.size(); ++b) {
    std::vector<std::string> texts;
    for (auto& r : batches[b]) {
      r.id = fmt::format("r{}", next_id++);
      texts.push_back(json_of(r));
      arrived.push_back(r);
    }
    if (!texts.empty()) RC_ASSERT(store.append(texts) == G2A_OK);
    if (after_append) after_append(b);
    // Trimming drops the oldest (by timestamp, then arrival) beyond the count kept.
    if (trims[b] >= 0) trim_and_check(store, arrived, static_cast<uint64_t>(trims[b]));
  }
}

}  // namespace g2a::test
