// The exported entry point of storage-redis.so.

#include <grok2api/plugin.hpp>

#include "redis_storage.hpp"

G2A_DECLARE_PLUGIN(g2a::storage_redis::RedisStorage, "storage-redis", "0.1.0", "grok2api",
                   "Redis (hiredis): documents, call logs and claims as g2a:* keys, shared by "
                   "several gateway instances",
                   G2A_FLAG_BLOCKING | G2A_FLAG_THREAD_SAFE | G2A_FLAG_SHARED_STORE)
