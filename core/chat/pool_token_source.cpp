#include "core/chat/pool_token_source.hpp"

#include "core/tokens/token_pool.hpp"

namespace g2a::chat {
namespace {

tokens::ModelRequirement requirement(const TokenRequirement& req) {
  tokens::ModelRequirement r;
  r.mode = req.mode;
  r.media = req.media;
  r.tier_from_pool = req.tier_from_pool;
  for (const auto& t : req.tiers)
    if (auto tier = tokens::tier_from_string(t)) r.tiers.insert(*tier);
  return r;
}

class PoolLease final : public TokenLease {
 public:
  explicit PoolLease(tokens::Lease lease) : lease_(std::move(lease)) {}
  const std::string& sso() const override { return lease_.sso(); }
  std::string_view token_type() const override { return tokens::pool_name(lease_.pool()); }
  std::string_view tier() const override {
    return tokens::to_string(lease_.tier() ? *lease_.tier() : tokens::pool_hint(lease_.pool()));
  }

 private:
  tokens::Lease lease_;
};

}  // namespace

std::unique_ptr<TokenLease> PoolTokenSource::acquire(const TokenRequirement& req,
                                                     const std::set<std::string>& exclude) {
  auto lease = pool_.acquire(requirement(req), exclude);
  if (!lease) return nullptr;
  return std::make_unique<PoolLease>(std::move(*lease));
}

void PoolTokenSource::report(const std::string& sso, const std::string& mode,
                             const upstream::grok::Diagnosis& d) {
  pool_.report(sso, d.problem == upstream::grok::Problem::kNone
                        ? tokens::Outcome::success(mode)
                        : tokens::Outcome::failure(d, mode));
}

std::optional<int64_t> PoolTokenSource::next_available_ms(const TokenRequirement& req) {
  return pool_.next_available_ms(requirement(req));
}

}  // namespace g2a::chat
