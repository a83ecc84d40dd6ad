#include "core/upstream/grok/identity.hpp"

namespace g2a::upstream::grok {

bool is_cloudflare_cookie(std::string_view name) {
  return name == "cf_clearance" || name == "__cf_bm" || name == "_cfuvid" ||
         name.rfind("cf_chl_", 0) == 0;
}

std::string cookie_header(const Account& account, const Egress& egress, bool with_user_id,
                          bool with_cf) {
  std::string c = "sso=" + account.sso + "; sso-rw=" + account.sso;
  if (with_cf)
    for (const auto& [name, value] : egress.cf_cookies)
      if (is_cloudflare_cookie(name) && !value.empty()) c += "; " + name + "=" + value;
  if (with_user_id && !account.user_id.empty()) c += "; x-userid=" + account.user_id;
  return c;
}

}  // namespace g2a::upstream::grok
