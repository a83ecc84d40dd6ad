// The token pool seen as a chat TokenSource.
#pragma once

#include "core/chat/token_source.hpp"

namespace g2a::tokens {
class TokenPool;
}

namespace g2a::chat {

class PoolTokenSource final : public TokenSource {
 public:
  explicit PoolTokenSource(tokens::TokenPool& pool) : pool_(pool) {}
  std::unique_ptr<TokenLease> acquire(const TokenRequirement& req,
                                      const std::set<std::string>& exclude) override;
  void report(const std::string& sso, const std::string& mode,
              const upstream::grok::Diagnosis& outcome) override;
  std::optional<int64_t> next_available_ms(const TokenRequirement& req) override;

 private:
  tokens::TokenPool& pool_;
};

}  // namespace g2a::chat
