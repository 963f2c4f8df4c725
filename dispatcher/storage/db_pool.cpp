#include "dispatcher/storage/db_pool.hpp"

#include <pqxx/pqxx>

namespace centinela::storage {
namespace {

// One connection per thread and pool. A thread belongs to exactly one pool (or is a caller of
// run_blocking), so keying by owner keeps two pools in one test process apart.
struct ThreadConnection {
  const DbPool* owner = nullptr;
  std::unique_ptr<pqxx::connection> conn;
};
thread_local ThreadConnection this_thread_connection;

}  // namespace

DbPool::DbPool(std::string conninfo, int threads)
    : conninfo_(std::move(conninfo)), pool_(static_cast<std::size_t>(threads < 1 ? 1 : threads)) {}

DbPool::~DbPool() { pool_.join(); }

pqxx::connection& DbPool::acquire() {
  auto& tc = this_thread_connection;
  if (tc.owner != this || !tc.conn || !tc.conn->is_open()) {
    tc.conn.reset();
    tc.conn = std::make_unique<pqxx::connection>(conninfo_);
    tc.owner = this;
  }
  return *tc.conn;
}

void DbPool::release_if_broken() {
  auto& tc = this_thread_connection;
  if (tc.owner == this && tc.conn && !tc.conn->is_open()) tc.conn.reset();
}

}  // namespace centinela::storage
