// Every libpqxx 6 call blocks, so the database gets threads of its own: coroutines hop onto the
// pool with run(), the work runs there on that thread's connection, and the coroutine resumes on
// its own executor. The HTTP and sender threads never wait on PostgreSQL.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include <boost/asio/thread_pool.hpp>

#include "providers/common/net.hpp"

#include <pqxx/connection>

namespace centinela::storage {

class DbPool {
 public:
  DbPool(std::string conninfo, int threads);
  ~DbPool();  // joins the threads: work already posted finishes first

  // Runs fn(connection&) on a database thread and returns its result to the calling coroutine.
  // Exceptions thrown by fn (SQL errors, a lost server) propagate to the caller; a broken
  // connection is dropped so the next call on that thread reconnects.
  template <class Fn>
  auto run(Fn fn) -> asio::awaitable<std::invoke_result_t<Fn&, pqxx::connection&>> {
    using R = std::invoke_result_t<Fn&, pqxx::connection&>;
    auto on_db_thread = [this, &fn]() -> asio::awaitable<R> {
      co_return with_connection<R>(fn);
    };
    co_return co_await asio::co_spawn(pool_.get_executor(), std::move(on_db_thread),
                                      use_awaitable);
  }

  // Blocking variant for start-up and command-line tools, on the calling thread.
  template <class Fn>
  auto run_blocking(Fn fn) -> std::invoke_result_t<Fn&, pqxx::connection&> {
    using R = std::invoke_result_t<Fn&, pqxx::connection&>;
    return with_connection<R>(fn);
  }

  const std::string& conninfo() const { return conninfo_; }

 private:
  template <class R, class Fn>
  R with_connection(Fn& fn) {
    pqxx::connection& c = acquire();
    try {
      return fn(c);
    } catch (...) {
      release_if_broken();
      throw;
    }
  }
  pqxx::connection& acquire();  // this thread's connection, opened on first use
  void release_if_broken();

  std::string conninfo_;
  asio::thread_pool pool_;
};

}  // namespace centinela::storage
