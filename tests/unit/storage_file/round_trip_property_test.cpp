// Property: any sequence of writes, then flush, destroy and re-create from the same
// directory, shows the same state, and that state is what a simple model predicts.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "storage_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_host.hpp"

namespace g2a::test {
namespace {

const std::vector<std::string> kCollections = {
    "tokens", "proxies", "proxy_assignments", "video_tasks", "settings", "sessions", "misc-2"};

rc::Gen<std::string> text_gen() {
  // Fragments that exercise escaping and UTF-8.
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                          "a", "Z", "0", " ", "\"", "\\", "\n", "é", "主", "/", "\t")),
                      [](const std::vector<std::string>& parts) {
                        std::string out;
                        for (const auto& p : parts) out += p;
                        return out;
                      });
}

std::string json_string(const std::string& s) {
  return boost::json::serialize(boost::json::value(boost::json::string(s)));
}

rc::Gen<std::string> object_gen() {
  return rc::gen::apply(
      [](int n, const std::string& s, bool b, double d, std::vector<int> list) {
        std::string items;
        for (int i : list) items += (items.empty() ? "" : ",") + std::to_string(i);
        return fmt::format(R"({{"n": {}, "s": {}, "b": {}, "d": {}, "list": [{}], "none": null}})",
                           n, json_string(s), b ? "true" : "false",
                           boost::json::serialize(boost::json::value(d)), items);
      },
      rc::gen::inRange(-1000, 1000), text_gen(), rc::gen::arbitrary<bool>(),
      rc::gen::element(0.5, 1.0, -2.25, 1e-5, 1e16, 123.456),
      rc::gen::container<std::vector<int>>(rc::gen::inRange(-5, 5)));
}

rc::Gen<std::string> key_gen(const std::string& collection) {
  auto small = rc::gen::map(rc::gen::inRange(0, 6), [](int i) { return "k" + std::to_string(i); });
  if (collection == "tokens")
    return rc::gen::apply(
        [](const std::string& pool, const std::string& k) { return pool + "/" + k; },
        rc::gen::element<std::string>("ssoNormal", "ssoSuper"), small);
  return small;
}

rc::Gen<std::string> doc_gen(const std::string& collection) {
  if (collection == "proxy_assignments")
    return rc::gen::map(rc::gen::inRange(1, 4),
                        [](int i) { return fmt::format(R"("socks5h://p{}:1080")", i); });
  if (collection == "sessions" || collection == "misc-2")
    return rc::gen::oneOf(
        object_gen(), rc::gen::map(text_gen(), json_string),
        rc::gen::map(rc::gen::inRange(-9, 9), [](int i) { return std::to_string(i); }),
        rc::gen::just(std::string("[1, [2, {}], null]")));
  return object_gen();
}

struct Write {
  std::string collection, key, json;
  bool is_delete = false;
};

rc::Gen<Write> write_gen() {
  return rc::gen::mapcat(rc::gen::elementOf(kCollections), [](const std::string& c) {
    return rc::gen::apply(
        [c](const std::string& key, const std::string& json, bool del) {
          return Write{c, key, json, del};
        },
        key_gen(c), doc_gen(c), rc::gen::weightedElement<bool>({{4, false}, {1, true}}));
  });
}

struct Op {
  enum Kind { kWrite, kBatch, kLogs, kFlush, kTrim } kind = kWrite;
  std::vector<Write> writes;
  std::vector<std::pair<int64_t, bool>> logs;  // timestamp, success
  uint64_t keep = 0;
};

rc::Gen<Op> op_gen() {
  auto write = rc::gen::map(write_gen(), [](Write w) {
    Op op;
    op.kind = Op::kWrite;
    op.writes.push_back(std::move(w));
    return op;
  });
  auto batch =
      rc::gen::map(rc::gen::container<std::vector<Write>>(write_gen()), [](std::vector<Write> ws) {
        Op op;
        op.kind = Op::kBatch;
        op.writes = std::move(ws);
        return op;
      });
  auto logs = rc::gen::map(rc::gen::container<std::vector<std::pair<int64_t, bool>>>(rc::gen::pair(
                               rc::gen::inRange<int64_t>(1, 50), rc::gen::arbitrary<bool>())),
                           [](std::vector<std::pair<int64_t, bool>> l) {
                             Op op;
                             op.kind = Op::kLogs;
                             op.logs = std::move(l);
                             return op;
                           });
  auto flush = rc::gen::just([] {
    Op op;
    op.kind = Op::kFlush;
    return op;
  }());
  auto trim = rc::gen::map(rc::gen::inRange<uint64_t>(0, 20), [](uint64_t keep) {
    Op op;
    op.kind = Op::kTrim;
    op.keep = keep;
    return op;
  });
  return rc::gen::weightedOneOf<Op>({{6, write}, {2, batch}, {2, logs}, {1, flush}, {1, trim}});
}

// Everything a caller can observe.
struct Snapshot {
  std::map<std::string, Docs> docs;
  std::vector<std::pair<std::string, std::string>> logs;
  uint64_t total = 0, success = 0;
  std::vector<std::string> models;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(StorageClient& store) {
  Snapshot s;
  for (const auto& c : kCollections) s.docs[c] = store.list(c);
  QueryResult all = store.query({});
  s.logs = all.rows;
  s.total = all.total;
  s.success = store.stats({}).success;
  s.models = store.models();
  return s;
}

// The expected state, kept independently of the plugin.
struct Model {
  std::map<std::string, std::map<std::string, boost::json::value>> docs;
  std::vector<std::pair<int64_t, std::string>> logs;  // timestamp order, ties by arrival
  int next_log = 0;

  void apply(const Write& w) {
    if (w.is_delete)
      docs[w.collection].erase(w.key);
    else
      docs[w.collection][w.key] = boost::json::parse(w.json);
  }
  std::string add_log(int64_t ts, bool success) {
    std::string id = "log" + std::to_string(next_log++);
    std::string line =
        fmt::format(R"({{"id":"{}","timestamp":{},"sso_full":"tok{}","model":"m{}","success":{}}})",
                    id, ts, ts % 3, ts % 4, success ? "true" : "false");
    auto at = std::upper_bound(logs.begin(), logs.end(), ts,
                               [](int64_t t, const auto& e) { return t < e.first; });
    logs.insert(at, {ts, line});
    return line;
  }
  void trim(uint64_t keep) {
    if (logs.size() > keep)
      logs.erase(logs.begin(), logs.end() - static_cast<std::ptrdiff_t>(keep));
  }
};

void check_against_model(StorageClient& store, const Model& model) {
  for (const auto& c : kCollections) {
    Docs docs = store.list(c);
    auto it = model.docs.find(c);
    std::size_t expected = it == model.docs.end() ? 0 : it->second.size();
    RC_ASSERT(docs.size() == expected);
    for (const auto& [key, json] : docs) {
      RC_ASSERT(it != model.docs.end());
      auto doc = it->second.find(key);
      RC_ASSERT(doc != it->second.end());
      RC_ASSERT(boost::json::parse(json) == doc->second);
    }
  }
  QueryResult all = store.query({});
  RC_ASSERT(all.total == model.logs.size());
  for (std::size_t i = 0; i < model.logs.size(); ++i)
    RC_ASSERT(all.rows[i].second == model.logs[model.logs.size() - 1 - i].second);
}

RC_GTEST_PROP(StorageFileProperty, ReopenShowsTheSameState, ()) {
  auto ops = *rc::gen::container<std::vector<Op>>(op_gen());
  TempDir tmp;
  TestHost host((tmp.path() / "data").string());
  Model model;
  Snapshot before;
  {
    auto store = open_file_storage(host);
    RC_ASSERT(store != nullptr);
    for (const Op& op : ops) {
      switch (op.kind) {
        case Op::kWrite: {
          const Write& w = op.writes[0];
          g2a_status st = w.is_delete ? store->del(w.collection, w.key)
                                      : store->put(w.collection, w.key, w.json);
          RC_ASSERT(st == G2A_OK);
          model.apply(w);
          break;
        }
        case Op::kBatch: {
          std::vector<StorageClient::Write> writes;
          for (const auto& w : op.writes)
            writes.push_back({w.collection, w.key, w.json, w.is_delete});
          RC_ASSERT(store->batch(writes) == G2A_OK);
          for (const auto& w : op.writes) model.apply(w);
          break;
        }
        case Op::kLogs: {
          std::vector<std::string> lines;
          for (auto [ts, ok] : op.logs) lines.push_back(model.add_log(ts, ok));
          RC_ASSERT(store->append(lines) == G2A_OK);
          break;
        }
        case Op::kFlush:
          RC_ASSERT(store->flush() == G2A_OK);
          break;
        case Op::kTrim:
          store->trim(op.keep);
          model.trim(op.keep);
          break;
      }
    }
    check_against_model(*store, model);
    before = snapshot(*store);
    RC_ASSERT(store->flush() == G2A_OK);
  }
  auto store = open_file_storage(host);
  RC_ASSERT(store != nullptr);
  RC_ASSERT(snapshot(*store) == before);
}

}  // namespace
}  // namespace g2a::test
