/* Compiled as strict C99: the public header must not depend on C++ or newer C. */
#include <grok2api/plugin.h>

int g2a_c99_header_check(void) {
  return (int)sizeof(g2a_host_v1) > 0;
}
