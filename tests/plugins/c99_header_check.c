/* Compiled as strict C99: the public header must not depend on C++ or newer C. */
#include <grok2api/plugin.h>

int g2a_c99_header_check(void) {
  /* ABI 1.2's clearance kind is part of the C99 contract too. */
  g2a_cookie cookie = {{"cf_clearance", 12}, {"v", 1}};
  g2a_clearance_result result = {sizeof(g2a_clearance_result), {"", 0}, &cookie, 1, 0};
  return (int)sizeof(g2a_host_v1) > 0 && (int)sizeof(g2a_clearance_v1) > 0 &&
         result.cookie_count == 1 && G2A_KIND_CLEARANCE == (1u << 5);
}
