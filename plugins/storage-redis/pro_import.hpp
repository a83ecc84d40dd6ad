// The one-time import of the Pro service's keys in the same database: grok:tokens (the
// token.json blob) becomes "tokens" documents "<pool>/<sso>" (absent ones only), and
// grok:settings (the settings blob) the "settings" sections when ours are empty. The
// conversion is storage-file's own loader. g2a:meta:pro_import marks it done; the Pro
// keys are never written.
#pragma once

#include <grok2api/plugin.hpp>

#include "connection_pool.hpp"
#include "redis_documents.hpp"

namespace g2a::storage_redis {

void import_pro_keys_once(ConnectionPool& pool, RedisDocuments& docs, const g2a::Host& host);

}  // namespace g2a::storage_redis
