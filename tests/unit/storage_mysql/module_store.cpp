#include "module_store.hpp"

#include <dlfcn.h>

namespace g2a::test {
namespace {

g2a_str s(const std::string& v) {
  return g2a_str{v.data(), v.size()};
}

int collect(void* user, g2a_str key, g2a_str json) {
  static_cast<Pairs*>(user)->emplace_back(std::string(key.data, key.len),
                                          std::string(json.data, json.len));
  return 0;
}

int collect_bucket(void* user, const g2a_log_bucket* b) {
  static_cast<std::vector<g2a_log_bucket>*>(user)->push_back(*b);
  return 0;
}

g2a_log_filter raw(const Filter& f) {
  g2a_log_filter out{};
  out.struct_size = sizeof out;
  out.sso = s(f.sso);
  out.model = s(f.model);
  out.success = f.success;
  out.start_ms = f.start_ms;
  out.end_ms = f.end_ms;
  return out;
}

}  // namespace

ModuleStore::ModuleStore(const char* module, TestHost& host) : host_(host) {
  lib_ = dlopen(module, RTLD_NOW | RTLD_LOCAL);
  if (!lib_) {
    error_ = dlerror();
    return;
  }
  auto entry = reinterpret_cast<g2a_plugin_entry_fn>(dlsym(lib_, G2A_ENTRY_SYMBOL));
  plugin_ = entry ? entry(host.host()) : nullptr;
  if (!plugin_) {
    error_ = "no plugin descriptor";
    return;
  }
  g2a_buf err{nullptr, 0};
  create_status_ = plugin_->create(host.host(), host.ctx(), &inst_, &err);
  error_ = host.adopt(err);
  if (create_status_ == G2A_OK)
    api_ = static_cast<const g2a_storage_v1*>(plugin_->get_interface(G2A_KIND_STORAGE));
}

ModuleStore::~ModuleStore() {
  if (inst_) plugin_->destroy(inst_);
  // The module stays loaded: libmariadb keeps process-wide state.
}

g2a_status ModuleStore::done(g2a_status st, g2a_buf& err) {
  std::string message = host_.adopt(err);
  std::lock_guard lock(mu_);
  status_ = st;
  last_error_ = std::move(message);
  return st;
}

std::optional<std::string> ModuleStore::get(const std::string& c, const std::string& k) {
  g2a_buf out{nullptr, 0}, err{nullptr, 0};
  g2a_status st = done(api_->doc_get(inst_, s(c), s(k), &out, &err), err);
  std::string v = host_.adopt(out);
  if (st != G2A_OK) return std::nullopt;
  return v;
}

g2a_status ModuleStore::put(const std::string& c, const std::string& k, const std::string& json) {
  g2a_buf err{nullptr, 0};
  return done(api_->doc_put(inst_, s(c), s(k), s(json), &err), err);
}

g2a_status ModuleStore::del(const std::string& c, const std::string& k) {
  g2a_buf err{nullptr, 0};
  return done(api_->doc_delete(inst_, s(c), s(k), &err), err);
}

Pairs ModuleStore::list(const std::string& c, const std::string& prefix) {
  Pairs out;
  g2a_buf err{nullptr, 0};
  done(api_->doc_list(inst_, s(c), s(prefix), &collect, &out, &err), err);
  return out;
}

g2a_status ModuleStore::batch(const std::vector<Write>& writes) {
  std::vector<g2a_doc_write> raw_writes;
  for (const auto& w : writes)
    raw_writes.push_back(
        {sizeof(g2a_doc_write), s(w.collection), s(w.key), s(w.json), w.is_delete ? 1 : 0});
  g2a_buf err{nullptr, 0};
  return done(api_->doc_write_batch(inst_, raw_writes.data(), raw_writes.size(), &err), err);
}

std::vector<std::string> ModuleStore::collections() {
  Pairs out;
  g2a_buf err{nullptr, 0};
  done(api_->doc_collections(inst_, &collect, &out, &err), err);
  std::vector<std::string> names;
  for (auto& [k, v] : out) names.push_back(k);
  return names;
}

int ModuleStore::claim(const std::string& name, const std::string& owner, uint32_t lease_ms) {
  int32_t acquired = -1;
  g2a_buf err{nullptr, 0};
  done(api_->claim(inst_, s(name), s(owner), lease_ms, &acquired, &err), err);
  return acquired;
}

g2a_status ModuleStore::release(const std::string& name, const std::string& owner) {
  g2a_buf err{nullptr, 0};
  return done(api_->release(inst_, s(name), s(owner), &err), err);
}

g2a_status ModuleStore::append(const std::vector<std::string>& records) {
  std::vector<g2a_str> raw_records;
  for (const auto& r : records) raw_records.push_back(s(r));
  g2a_buf err{nullptr, 0};
  return done(api_->log_append(inst_, raw_records.data(), raw_records.size(), &err), err);
}

Pairs ModuleStore::query(const Filter& f, uint64_t offset, uint64_t limit, uint64_t* total) {
  Pairs out;
  g2a_log_filter r = raw(f);
  g2a_buf err{nullptr, 0};
  done(api_->log_query(inst_, &r, offset, limit, &collect, &out, total, &err), err);
  return out;
}

g2a_log_stats ModuleStore::stats(const Filter& f, int64_t today_start_ms) {
  g2a_log_stats out{};
  out.struct_size = sizeof out;
  g2a_log_filter r = raw(f);
  g2a_buf err{nullptr, 0};
  done(api_->log_stats(inst_, &r, today_start_ms, &out, &err), err);
  return out;
}

std::vector<g2a_log_bucket> ModuleStore::timeseries(const Filter& f, int64_t bucket_ms,
                                                    int64_t offset_ms) {
  std::vector<g2a_log_bucket> out;
  g2a_log_filter r = raw(f);
  g2a_buf err{nullptr, 0};
  done(api_->log_timeseries(inst_, &r, bucket_ms, offset_ms, &collect_bucket, &out, &err), err);
  return out;
}

std::vector<std::string> ModuleStore::models() {
  Pairs out;
  g2a_buf err{nullptr, 0};
  done(api_->log_models(inst_, &collect, &out, &err), err);
  std::vector<std::string> names;
  for (auto& [k, v] : out) names.push_back(k);
  return names;
}

uint64_t ModuleStore::trim(uint64_t keep) {
  uint64_t deleted = 0;
  g2a_buf err{nullptr, 0};
  done(api_->log_trim(inst_, keep, &deleted, &err), err);
  return deleted;
}

g2a_status ModuleStore::ping() {
  g2a_buf err{nullptr, 0};
  return done(api_->ping(inst_, &err), err);
}

std::string ModuleStore::describe() {
  g2a_buf out{nullptr, 0};
  api_->describe(inst_, &out);
  return host_.adopt(out);
}

}  // namespace g2a::test
