// The exported entry point of storage-mysql.so.

#include <grok2api/plugin.hpp>

#include "mysql_storage.hpp"

G2A_DECLARE_PLUGIN(g2a::storage_mysql::MysqlStorage, "storage-mysql", "0.1.0", "grok2api",
                   "Documents, call logs and claims in a MySQL or MariaDB database, shared by "
                   "several gateway instances",
                   G2A_FLAG_BLOCKING | G2A_FLAG_THREAD_SAFE | G2A_FLAG_SHARED_STORE)
