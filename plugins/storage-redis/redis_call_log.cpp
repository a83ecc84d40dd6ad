#include "redis_call_log.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "call_log_record.hpp"
#include "call_log_scripts.hpp"
#include "log_member.hpp"
#include "redis_keys.hpp"

namespace g2a::storage_redis {
namespace {

// How long a batch stays marked as applied: longer than any retry of it.
constexpr std::string_view kBatchTtlMs = "600000";

// ARGV[1..5] of the filtering scripts.
struct FilterArgs {
  std::string min, max, success, sso, model;
  explicit FilterArgs(const LogFilter& f)
      : min(f.start_ms != 0 ? score_text(f.start_ms) : "-inf"),
        max(f.end_ms != 0 ? score_text(f.end_ms) : "+inf"),
        success(f.success == 0   ? "0"
                : f.success == 1 ? "1"
                                 : "-1"),
        sso(lower_ascii(f.sso)),
        model(lower_ascii(f.model)) {}
  std::vector<std::string_view> argv() const { return {min, max, success, sso, model}; }
};

std::vector<std::string_view> log_keys() {
  return {kLogTimeKey, kLogFailedKey, kLogRecordsKey, kLogModelsKey};
}

std::string random_batch_id() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", gen(), gen());
}

uint64_t to_count(const RedisConnection& c, const redisReply* r, std::string_view what) {
  int64_t n = reply_integer(c, r, what);
  if (n < 0) c.fail(what, "a negative count");
  return static_cast<uint64_t>(n);
}

}  // namespace

void RedisCallLog::append(const std::vector<std::string_view>& records) {
  if (records.empty()) return;
  std::vector<std::string> args;
  args.reserve(1 + records.size() * 4);
  args.emplace_back(kBatchTtlMs);
  for (std::string_view text : records) {
    storage_file::CallLogRecord r = storage_file::parse_call_log_record(text);
    args.push_back(score_text(r.timestamp));
    args.push_back(log_member_tail(r));
    args.push_back(r.model);
    args.push_back(std::move(r.line));
  }
  std::string batch = log_batch_key(random_batch_id());
  std::vector<std::string_view> keys{kLogSeqKey,     kLogTimeKey,   kLogFailedKey,
                                     kLogRecordsKey, kLogModelsKey, batch};
  std::vector<std::string_view> argv(args.begin(), args.end());
  // The batch marker makes a resend after a lost reply a no-op, so this may be retried.
  pool_.run("script log_append", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = call_log_scripts().append.run(c, keys, argv);
    reply_integer(c, r.get(), "script log_append");
  });
}

uint64_t RedisCallLog::query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                             std::vector<std::pair<std::string, std::string>>& page) {
  FilterArgs f(filter);
  std::vector<std::string_view> argv = f.argv();
  std::string offset_text = std::to_string(offset), limit_text = std::to_string(limit);
  argv.push_back(offset_text);
  argv.push_back(limit_text);
  std::vector<std::string_view> keys{kLogTimeKey, kLogFailedKey, kLogRecordsKey};
  std::vector<std::string> lines;
  uint64_t total = pool_.run("script log_query", Retry::kOnce, [&](RedisConnection& c) {
    lines.clear();
    Reply r = call_log_scripts().query.run(c, keys, argv);
    auto items = reply_array(c, r.get(), "script log_query");
    if (items.empty()) c.fail("script log_query", "an empty reply");
    uint64_t n = to_count(c, items[0], "script log_query");
    for (std::size_t i = 1; i < items.size(); ++i)
      lines.push_back(reply_string(c, items[i], "script log_query").value_or(""));
    return n;
  });
  page.reserve(lines.size());
  for (auto& line : lines) {
    std::string id = storage_file::call_log_record_id(line);
    page.emplace_back(std::move(id), std::move(line));
  }
  return total;
}

LogStats RedisCallLog::stats(const LogFilter& filter, int64_t today_start_ms) {
  FilterArgs f(filter);
  std::vector<std::string_view> argv = f.argv();
  std::string today = score_text(today_start_ms);
  argv.push_back(today);
  std::vector<std::string_view> keys{kLogTimeKey, kLogFailedKey};
  return pool_.run("script log_stats", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = call_log_scripts().stats.run(c, keys, argv);
    auto items = reply_array(c, r.get(), "script log_stats");
    if (items.size() != 3) c.fail("script log_stats", "expected three counts");
    LogStats out;
    out.total = to_count(c, items[0], "script log_stats");
    out.success = to_count(c, items[1], "script log_stats");
    out.today_total = to_count(c, items[2], "script log_stats");
    out.failed = out.total - out.success;
    return out;
  });
}

std::vector<LogBucket> RedisCallLog::timeseries(const LogFilter& filter, int64_t bucket_ms,
                                                int64_t utc_offset_ms) {
  FilterArgs f(filter);
  std::vector<std::string_view> argv = f.argv();
  std::string bucket = std::to_string(bucket_ms), offset = std::to_string(utc_offset_ms);
  argv.push_back(bucket);
  argv.push_back(offset);
  std::vector<std::string_view> keys{kLogTimeKey, kLogFailedKey};
  return pool_.run("script log_timeseries", Retry::kOnce, [&](RedisConnection& c) {
    Reply r = call_log_scripts().timeseries.run(c, keys, argv);
    auto items = reply_array(c, r.get(), "script log_timeseries");
    if (items.size() % 4 != 0) c.fail("script log_timeseries", "a partial bucket");
    std::vector<LogBucket> out;
    out.reserve(items.size() / 4);
    auto text = [&](std::size_t i) {
      return reply_string(c, items[i], "script log_timeseries").value_or("0");
    };
    for (std::size_t i = 0; i < items.size(); i += 4) {
      LogBucket b;
      b.start_ms = std::strtoll(text(i).c_str(), nullptr, 10);
      b.calls = std::strtoull(text(i + 1).c_str(), nullptr, 10);
      b.failures = std::strtoull(text(i + 2).c_str(), nullptr, 10);
      b.median_latency = std::strtod(text(i + 3).c_str(), nullptr);
      out.push_back(b);
    }
    return out;
  });
}

std::vector<std::string> RedisCallLog::models() {
  std::vector<std::string> out =
      pool_.run("HGETALL g2a:log:models", Retry::kOnce, [&](RedisConnection& c) {
        Reply r = c.call({"HGETALL", kLogModelsKey}, "HGETALL g2a:log:models");
        auto items = reply_array(c, r.get(), "HGETALL g2a:log:models");
        std::vector<std::string> models;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
          std::string model = reply_string(c, items[i], "HGETALL").value_or("");
          std::string count = reply_string(c, items[i + 1], "HGETALL").value_or("0");
          if (!model.empty() && std::strtoll(count.c_str(), nullptr, 10) > 0)
            models.push_back(std::move(model));
        }
        return models;
      });
  std::sort(out.begin(), out.end());
  return out;
}

uint64_t RedisCallLog::trim(uint64_t keep_newest) {
  std::string keep = std::to_string(keep_newest);
  std::vector<std::string_view> keys = log_keys();
  // Not retried: a second run would report 0 for what the first removed.
  return pool_.run("script log_trim", Retry::kNever, [&](RedisConnection& c) {
    Reply r = call_log_scripts().trim.run(c, keys, {keep});
    return to_count(c, r.get(), "script log_trim");
  });
}

}  // namespace g2a::storage_redis
