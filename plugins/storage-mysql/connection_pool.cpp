#include "connection_pool.hpp"

namespace g2a::storage_mysql {

ConnectionPool::ConnectionPool(MysqlUrl url, std::size_t size) : url_(std::move(url)) {
  if (size == 0) size = 1;
  for (std::size_t i = 0; i < size; ++i) {
    all_.push_back(std::make_unique<Connection>(url_));
    idle_.push_back(all_.back().get());
  }
}

ConnectionPool::Lease::Lease(ConnectionPool& pool) : pool_(pool) {
  std::unique_lock lock(pool_.mu_);
  pool_.freed_.wait(lock, [&] { return !pool_.idle_.empty(); });
  conn_ = pool_.idle_.back();
  pool_.idle_.pop_back();
}

ConnectionPool::Lease::~Lease() {
  {
    std::lock_guard lock(pool_.mu_);
    pool_.idle_.push_back(conn_);
  }
  pool_.freed_.notify_one();
}

}  // namespace g2a::storage_mysql
