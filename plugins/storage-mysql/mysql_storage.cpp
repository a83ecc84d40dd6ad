#include "mysql_storage.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <call_log_index.hpp>
#include <call_log_record.hpp>
#include <charconv>
#include <unordered_map>

#include "call_log_sql.hpp"
#include "document_sql.hpp"
#include "pro_import.hpp"
#include "schema.hpp"
#include "sql_text.hpp"

namespace g2a::storage_mysql {
namespace {

constexpr std::size_t kDefaultPoolSize = 4;
constexpr std::size_t kMaxPoolSize = 256;
constexpr std::size_t kStatementBytes = 1 << 20;  // per INSERT of call logs
constexpr uint64_t kTrimChunk = 10000;            // rows per DELETE of a trim
constexpr std::size_t kMaxClaimNameBytes = 255;

struct Config {
  std::string database_url;
  std::size_t pool_size = kDefaultPoolSize;
};

Config read_config(const g2a::Host& host) {
  Config out;
  boost::json::value v;
  try {
    v = boost::json::parse(host.config_json());
  } catch (const std::exception& e) {
    throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("storage-mysql: bad config: {}", e.what()));
  }
  const boost::json::object* o = v.if_object();
  const boost::json::value* url = o ? o->if_contains("database_url") : nullptr;
  if (!url || !url->is_string() || url->get_string().empty())
    throw g2a::Error(G2A_BAD_ARGUMENT,
                     "storage-mysql: database_url is not set (set storage.database_url to "
                     "mysql://user:pass@host:port/db)");
  out.database_url = std::string(url->get_string());
  if (const boost::json::value* size = o->if_contains("pool_size")) {
    if (!size->is_int64() || size->get_int64() < 1 ||
        size->get_int64() > static_cast<int64_t>(kMaxPoolSize))
      throw g2a::Error(
          G2A_BAD_ARGUMENT,
          fmt::format("storage-mysql: pool_size must be an integer from 1 to {}", kMaxPoolSize));
    out.pool_size = static_cast<std::size_t>(size->get_int64());
  }
  return out;
}

int64_t to_int64(const std::optional<std::string>& text) {
  if (!text) return 0;
  int64_t v = 0;
  std::from_chars(text->data(), text->data() + text->size(), v);
  return v;
}

uint64_t to_uint64(const std::optional<std::string>& text) {
  return static_cast<uint64_t>(to_int64(text));
}

void check_claim_args(std::string_view name, std::string_view owner) {
  if (name.empty() || owner.empty())
    throw g2a::Error(G2A_BAD_ARGUMENT, "claim: name and owner must not be empty");
  if (name.size() > kMaxClaimNameBytes || owner.size() > kMaxClaimNameBytes)
    throw g2a::Error(G2A_BAD_ARGUMENT, fmt::format("claim: name and owner must be at most {} bytes",
                                                   kMaxClaimNameBytes));
}

}  // namespace

MysqlStorage::MysqlStorage(g2a::Host host) : host_(host) {
  Config config = read_config(host_);
  MysqlUrl url = parse_mysql_url(config.database_url);
  pool_ = std::make_unique<ConnectionPool>(std::move(url), config.pool_size);
  prepare_database();
}

void MysqlStorage::prepare_database() {
  const MysqlUrl& url = pool_->url();
  Connection boot(url);
  boot.open(false);
  use_or_create_database(boot);
  int before = 0;
  ProImportSummary imported;
  with_schema_lock(boot, url.database, [&] {
    before = migrate_schema(boot);
    imported = import_pro_tables(boot, checker_);
  });
  if (before == kSchemaVersion)
    host_.info(fmt::format("{}: schema version {}", url.describe(), kSchemaVersion));
  else if (before == 0)
    host_.info(fmt::format("{}: created the g2a_ tables (schema version {})", url.describe(),
                           kSchemaVersion));
  else
    host_.info(fmt::format("{}: upgraded the schema from version {} to {}", url.describe(), before,
                           kSchemaVersion));
  for (const auto& line : imported.infos) host_.info(fmt::format("{}: {}", url.describe(), line));
  for (const auto& line : imported.warnings)
    host_.warn(fmt::format("{}: {}", url.describe(), line));
}

std::string MysqlStorage::describe() {
  return pool_->url().describe();
}

void MysqlStorage::ping() {
  std::lock_guard lock(ping_mu_);
  if (!ping_conn_) ping_conn_ = std::make_unique<Connection>(pool_->url(), Timeouts{3, 3});
  // A connection lost since the last ping is reopened once; a failed connect is final.
  for (int attempt = 0;; ++attempt) {
    if (!ping_conn_->is_open()) ping_conn_->open();
    try {
      ping_conn_->exec("DO 1", "ping");
      return;
    } catch (const DatabaseError& e) {
      ping_conn_->close();
      if (!e.lost() || attempt > 0) throw;
    }
  }
}

// ---- documents ----

std::optional<std::string> MysqlStorage::doc_get(std::string_view collection,
                                                 std::string_view key) {
  checker_.check_name(collection, key);
  DocTarget t = target_of(collection);
  std::string sql = fmt::format("SELECT doc FROM {} WHERE {}doc_key = {}", t.table,
                                t.collection_cond, hex_literal(key));
  return pool_->run([&](Connection& c) { return c.query_value(sql, "read document"); });
}

void MysqlStorage::doc_put(std::string_view collection, std::string_view key,
                           std::string_view json) {
  CheckedWrite w = checker_.check(collection, key, &json);
  pool_->run([&](Connection& c) { c.exec(document_write_sql(c, w), "write document"); });
}

void MysqlStorage::doc_delete(std::string_view collection, std::string_view key) {
  CheckedWrite w = checker_.check(collection, key, nullptr);
  pool_->run([&](Connection& c) { c.exec(document_write_sql(c, w), "delete document"); });
}

void MysqlStorage::doc_list(std::string_view collection, std::string_view key_prefix, DocVisitor fn,
                            void* user) {
  checker_.check_name(collection);
  DocTarget t = target_of(collection);
  std::string cond = t.collection_cond;
  if (!key_prefix.empty())
    cond += fmt::format("doc_key LIKE {} ESCAPE '{}' AND ", hex_literal(like_prefix(key_prefix)),
                        kLikeEscape);
  std::string sql =
      fmt::format("SELECT doc_key, doc FROM {} WHERE {}1 ORDER BY doc_key", t.table, cond);
  std::vector<Row> rows = pool_->run([&](Connection& c) { return c.query(sql, "list documents"); });
  // Visited after the connection went back to the pool: a visitor may call storage again.
  for (const Row& row : rows)
    if (!fn(user, row[0].value_or(""), row[1].value_or(""))) break;
}

void MysqlStorage::doc_write_batch(const std::vector<DocWrite>& writes) {
  std::vector<CheckedWrite> checked;
  checked.reserve(writes.size());
  for (const DocWrite& w : writes)
    checked.push_back(checker_.check(w.collection, w.key, w.is_delete ? nullptr : &w.json));
  if (checked.empty()) return;
  pool_->run([&](Connection& c) {
    c.transaction("write documents", [&] {
      for (const CheckedWrite& w : checked) c.exec(document_write_sql(c, w), "write documents");
    });
  });
}

std::vector<std::string> MysqlStorage::doc_collections() {
  std::string sql;
  for (const auto& t : collection_tables())
    sql += fmt::format("SELECT {} FROM DUAL WHERE EXISTS (SELECT 1 FROM {}) UNION ALL ",
                       hex_literal(t.collection), t.table);
  sql += "SELECT DISTINCT collection FROM g2a_documents";
  std::vector<Row> rows =
      pool_->run([&](Connection& c) { return c.query(sql, "list collections"); });
  std::vector<std::string> names;
  for (const Row& row : rows) names.push_back(row[0].value_or(""));
  std::sort(names.begin(), names.end());
  return names;
}

// ---- claims, on the server's clock ----

bool MysqlStorage::claim(std::string_view name, std::string_view owner, uint32_t lease_ms) {
  check_claim_args(name, owner);
  std::string n = hex_literal(name), o = hex_literal(owner);
  // Renew our own or take over an expired one; else create it unless another holds it.
  // Both statements are idempotent, so a replay after a lost connection is harmless.
  std::string take = fmt::format(
      "UPDATE g2a_claims SET owner = {1}, expires_ms = {3} + {2} WHERE name = {0} AND "
      "(owner = {1} OR expires_ms <= {3})",
      n, o, lease_ms, kServerNowMs);
  std::string create = fmt::format(
      "INSERT IGNORE INTO g2a_claims (name, owner, expires_ms) VALUES ({}, {}, {} + {})", n, o,
      kServerNowMs, lease_ms);
  return pool_->run([&](Connection& c) {
    if (c.exec(take, "claim") > 0) return true;
    if (c.exec(create, "claim") > 0) return true;
    // Created meanwhile by someone: ours only if that was us (a replayed call).
    auto holder = c.query_value(fmt::format("SELECT owner FROM g2a_claims WHERE name = {} AND "
                                            "expires_ms > {}",
                                            n, kServerNowMs),
                                "claim");
    return holder && *holder == owner;
  });
}

void MysqlStorage::release(std::string_view name, std::string_view owner) {
  if (name.empty() || owner.empty()) return;
  std::string sql = fmt::format("DELETE FROM g2a_claims WHERE name = {} AND owner = {}",
                                hex_literal(name), hex_literal(owner));
  pool_->run([&](Connection& c) { c.exec(sql, "release claim"); });
}

// ---- call logs ----

void MysqlStorage::log_append(const std::vector<std::string_view>& records) {
  if (records.empty()) return;
  // Checked before any connection is taken, so a bad record changes nothing.
  for (std::string_view r : records) storage_file::parse_call_log_record(r);
  pool_->run(
      [&](Connection& c) {
        c.transaction("append call logs", [&] {
          std::string sql;
          auto send = [&] {
            if (!sql.empty()) c.exec(sql, "append call logs");
            sql.clear();
          };
          for (std::string_view r : records) {
            std::string values = call_log_values(c, r);
            if (!sql.empty() && sql.size() + values.size() > kStatementBytes) send();
            sql += sql.empty()
                       ? fmt::format("INSERT INTO g2a_call_logs {} VALUES ", kCallLogColumns)
                       : std::string(", ");
            sql += values;
          }
          send();
        });
      },
      ConnectionPool::Replay::unless_commit);
}

uint64_t MysqlStorage::log_query(const LogFilter& filter, uint64_t offset, uint64_t limit,
                                 DocVisitor fn, void* user) {
  std::string where = call_log_where(filter);
  std::string count_sql = "SELECT COUNT(*) FROM g2a_call_logs" + where;
  std::string page_sql = fmt::format(
      "SELECT record FROM g2a_call_logs{} ORDER BY ts DESC, seq DESC LIMIT {} OFFSET {}", where,
      limit, offset);
  uint64_t total = 0;
  std::vector<Row> page;
  pool_->run([&](Connection& c) {
    // One snapshot for the count and the page.
    c.transaction("query call logs", [&] {
      total = to_uint64(c.query_value(count_sql, "count call logs"));
      page =
          limit > 0 && offset < total ? c.query(page_sql, "query call logs") : std::vector<Row>{};
    });
  });
  for (const Row& row : page) {
    std::string line = row[0].value_or("");
    std::string id = storage_file::call_log_record_id(line);
    if (!fn(user, id, line)) break;
  }
  return total;
}

LogStats MysqlStorage::log_stats(const LogFilter& filter, int64_t today_start_ms) {
  std::string sql = fmt::format(
      "SELECT COUNT(*), COALESCE(SUM(success), 0), COALESCE(SUM(ts >= {}), 0) FROM "
      "g2a_call_logs{}",
      today_start_ms, call_log_where(filter));
  std::vector<Row> rows = pool_->run([&](Connection& c) { return c.query(sql, "call-log stats"); });
  LogStats out;
  if (!rows.empty()) {
    out.total = to_uint64(rows[0][0]);
    out.success = to_uint64(rows[0][1]);
    out.today_total = to_uint64(rows[0][2]);
  }
  out.failed = out.total - out.success;
  return out;
}

bool MysqlStorage::log_timeseries(const LogFilter& filter, int64_t bucket_ms, int64_t utc_offset_ms,
                                  std::vector<LogBucket>& out) {
  if (bucket_ms < 1) throw g2a::Error(G2A_BAD_ARGUMENT, "log_timeseries: bucket_ms must be >= 1");
  std::string n = bucket_number_sql(bucket_ms, utc_offset_ms);
  std::string counts_sql = fmt::format(
      "SELECT {0} AS n, COUNT(*), SUM(success = 0) FROM g2a_call_logs{1} GROUP BY n ORDER BY n", n,
      call_log_where(filter));
  // The medians from the bucket's latencies, fetched narrow (two numbers a row).
  std::string latencies_sql = fmt::format("SELECT {} AS n, response_time FROM g2a_call_logs{}", n,
                                          call_log_where(filter, "response_time IS NOT NULL"));
  std::vector<Row> counts, latencies;
  pool_->run([&](Connection& c) {
    c.transaction("call-log timeseries", [&] {
      counts = c.query(counts_sql, "call-log timeseries");
      latencies = c.query(latencies_sql, "call-log latencies");
    });
  });
  std::unordered_map<int64_t, std::vector<double>> by_bucket;
  for (const Row& row : latencies)
    if (row[1]) by_bucket[to_int64(row[0])].push_back(std::strtod(row[1]->c_str(), nullptr));
  out.clear();
  out.reserve(counts.size());
  for (const Row& row : counts) {
    int64_t number = to_int64(row[0]);
    LogBucket b;
    b.start_ms = number * bucket_ms - utc_offset_ms;
    b.calls = to_uint64(row[1]);
    b.failures = to_uint64(row[2]);
    auto it = by_bucket.find(number);
    if (it != by_bucket.end()) b.median_latency = storage_file::median(it->second);
    out.push_back(b);
  }
  return true;
}

std::vector<std::string> MysqlStorage::log_models() {
  std::vector<Row> rows = pool_->run([](Connection& c) {
    return c.query("SELECT DISTINCT model FROM g2a_call_logs WHERE model <> '' ORDER BY model",
                   "list call-log models");
  });
  std::vector<std::string> models;
  for (const Row& row : rows) models.push_back(row[0].value_or(""));
  return models;
}

uint64_t MysqlStorage::log_trim(uint64_t keep_newest) {
  return pool_->run([&](Connection& c) {
    std::string cond;
    if (keep_newest > 0) {
      // The oldest record kept; everything before it in (ts, seq) order goes.
      std::vector<Row> edge = c.query(
          fmt::format("SELECT ts, seq FROM g2a_call_logs ORDER BY ts DESC, seq DESC LIMIT 1 "
                      "OFFSET {}",
                      keep_newest - 1),
          "trim call logs");
      if (edge.empty()) return uint64_t{0};
      std::string ts = edge[0][0].value_or("0"), seq = edge[0][1].value_or("0");
      cond = fmt::format(" WHERE ts < {0} OR (ts = {0} AND seq < {1})", ts, seq);
    }
    // In chunks, so a big trim does not hold locks on the whole table for long.
    uint64_t deleted = 0;
    for (;;) {
      uint64_t n = c.exec(
          fmt::format("DELETE FROM g2a_call_logs{} ORDER BY ts, seq LIMIT {}", cond, kTrimChunk),
          "trim call logs");
      deleted += n;
      if (n < kTrimChunk) break;
    }
    return deleted;
  });
}

}  // namespace g2a::storage_mysql
