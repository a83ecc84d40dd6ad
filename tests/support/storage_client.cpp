#include "storage_client.hpp"

#include <gtest/gtest.h>

namespace g2a::test {
namespace {

g2a_str s(const std::string& v) {
  return g2a_str{v.data(), v.size()};
}

int collect_doc(void* user, g2a_str key, g2a_str json) {
  static_cast<Docs*>(user)->emplace_back(std::string(key.data, key.len),
                                         std::string(json.data, json.len));
  return 0;
}

}  // namespace

g2a_log_filter LogQuery::raw() const {
  g2a_log_filter f{};
  f.struct_size = sizeof f;
  f.sso = s(sso);
  f.model = s(model);
  f.success = success;
  f.start_ms = start_ms;
  f.end_ms = end_ms;
  return f;
}

std::unique_ptr<StorageClient> StorageClient::open(TestHost& host, const g2a_plugin_v1* plugin,
                                                   g2a_status* status, std::string* error) {
  if (!plugin) {
    if (status) *status = G2A_ABI_MISMATCH;
    return nullptr;
  }
  void* inst = nullptr;
  g2a_buf err{nullptr, 0};
  g2a_status st = plugin->create(host.host(), host.ctx(), &inst, &err);
  std::string message = host.adopt(err);
  if (status) *status = st;
  if (error) *error = message;
  if (st != G2A_OK) return nullptr;
  auto* api = static_cast<const g2a_storage_v1*>(plugin->get_interface(G2A_KIND_STORAGE));
  return std::unique_ptr<StorageClient>(new StorageClient(host, plugin, api, inst));
}

StorageClient::~StorageClient() {
  plugin_->destroy(inst_);
}

std::string StorageClient::take_error(g2a_buf& err) {
  return host_.adopt(err);
}

std::optional<std::string> StorageClient::get(const std::string& collection,
                                              const std::string& key) {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = api_->doc_get(inst_, s(collection), s(key), &out, &err);
  take_error(err);
  std::string value = host_.adopt(out);
  if (st == G2A_NOT_FOUND) return std::nullopt;
  EXPECT_EQ(st, G2A_OK);
  return value;
}

g2a_status StorageClient::put(const std::string& collection, const std::string& key,
                              const std::string& json, std::string* error) {
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->doc_put(inst_, s(collection), s(key), s(json), &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

g2a_status StorageClient::del(const std::string& collection, const std::string& key) {
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->doc_delete(inst_, s(collection), s(key), &err);
  take_error(err);
  return st;
}

Docs StorageClient::list(const std::string& collection, const std::string& prefix) {
  Docs docs;
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->doc_list(inst_, s(collection), s(prefix), &collect_doc, &docs, &err);
  EXPECT_EQ(st, G2A_OK) << take_error(err);
  take_error(err);
  return docs;
}

g2a_status StorageClient::list_status(const std::string& collection, const std::string& prefix) {
  Docs docs;
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->doc_list(inst_, s(collection), s(prefix), &collect_doc, &docs, &err);
  take_error(err);
  return st;
}

g2a_status StorageClient::batch(const std::vector<Write>& writes, std::string* error) {
  std::vector<g2a_doc_write> raw;
  for (const auto& w : writes)
    raw.push_back(
        {sizeof(g2a_doc_write), s(w.collection), s(w.key), s(w.json), w.is_delete ? 1 : 0});
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->doc_write_batch(inst_, raw.data(), raw.size(), &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

bool StorageClient::claim(const std::string& name, const std::string& owner, uint32_t lease_ms) {
  int32_t acquired = -1;
  std::string error;
  EXPECT_EQ(try_claim(name, owner, lease_ms, &acquired, &error), G2A_OK) << error;
  return acquired == 1;
}

g2a_status StorageClient::try_claim(const std::string& name, const std::string& owner,
                                    uint32_t lease_ms, int32_t* acquired, std::string* error) {
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->claim(inst_, s(name), s(owner), lease_ms, acquired, &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

void StorageClient::release(const std::string& name, const std::string& owner) {
  g2a_buf err{nullptr, 0};
  EXPECT_EQ(api_->release(inst_, s(name), s(owner), &err), G2A_OK);
  take_error(err);
}

g2a_status StorageClient::append(const std::vector<std::string>& records, std::string* error) {
  std::vector<g2a_str> raw;
  for (const auto& r : records) raw.push_back(s(r));
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->log_append(inst_, raw.data(), raw.size(), &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

QueryResult StorageClient::query(const LogQuery& filter, uint64_t offset, uint64_t limit) {
  QueryResult result;
  g2a_log_filter raw = filter.raw();
  g2a_buf err{nullptr, 0};
  result.status =
      api_->log_query(inst_, &raw, offset, limit, &collect_doc, &result.rows, &result.total, &err);
  EXPECT_EQ(result.status, G2A_OK) << take_error(err);
  take_error(err);
  return result;
}

g2a_log_stats StorageClient::stats(const LogQuery& filter, int64_t today_start_ms) {
  g2a_log_stats out{};
  out.struct_size = sizeof out;
  g2a_log_filter raw = filter.raw();
  g2a_buf err{nullptr, 0};
  EXPECT_EQ(api_->log_stats(inst_, &raw, today_start_ms, &out, &err), G2A_OK);
  take_error(err);
  return out;
}

std::vector<g2a_log_bucket> StorageClient::timeseries(const LogQuery& filter, int64_t bucket_ms,
                                                      int64_t utc_offset_ms, g2a_status* status) {
  std::vector<g2a_log_bucket> out;
  g2a_log_filter raw = filter.raw();
  g2a_buf err{nullptr, 0};
  auto collect = [](void* user, const g2a_log_bucket* b) {
    static_cast<std::vector<g2a_log_bucket>*>(user)->push_back(*b);
    return 0;
  };
  g2a_status st = api_->log_timeseries(inst_, &raw, bucket_ms, utc_offset_ms, collect, &out, &err);
  take_error(err);
  if (status)
    *status = st;
  else
    EXPECT_EQ(st, G2A_OK);
  return out;
}

std::vector<std::string> StorageClient::models() {
  Docs docs;
  g2a_buf err{nullptr, 0};
  EXPECT_EQ(api_->log_models(inst_, &collect_doc, &docs, &err), G2A_OK);
  take_error(err);
  std::vector<std::string> out;
  for (auto& [key, json] : docs) out.push_back(key);
  return out;
}

uint64_t StorageClient::trim(uint64_t keep_newest) {
  uint64_t deleted = 0;
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->log_trim(inst_, keep_newest, &deleted, &err);
  EXPECT_EQ(st, G2A_OK) << take_error(err);
  take_error(err);
  return deleted;
}

g2a_status StorageClient::flush(std::string* error) {
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->flush(inst_, &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

std::string StorageClient::describe() {
  g2a_buf out{nullptr, 0};
  EXPECT_EQ(api_->describe(inst_, &out), G2A_OK);
  return host_.adopt(out);
}

std::vector<std::string> StorageClient::collections() {
  Docs docs;
  g2a_buf err{nullptr, 0};
  EXPECT_EQ(api_->doc_collections(inst_, &collect_doc, &docs, &err), G2A_OK) << take_error(err);
  take_error(err);
  std::vector<std::string> out;
  for (auto& [name, json] : docs) out.push_back(name);
  return out;
}

g2a_status StorageClient::ping(std::string* error) {
  g2a_buf err{nullptr, 0};
  g2a_status st = api_->ping(inst_, &err);
  std::string message = take_error(err);
  if (error) *error = message;
  return st;
}

}  // namespace g2a::test
