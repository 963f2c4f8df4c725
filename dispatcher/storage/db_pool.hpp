// Every libpqxx 6 call blocks, so the database gets threads of its own: coroutines hop onto the
// pool with run(), the work runs there on that thread's connection, and the coroutine resumes on
// its own executor. The HTTP and sender threads never wait on PostgreSQL.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "providers/common/net.hpp"

#include <pqxx/connection>

namespace centinela::storage {

struct DbPoolOptions {
  // A call (fn below) still running after this has its socket shut down, so libpq returns
  // (broken_connection) and the thread is free again: for a server that accepts connections and
  // never answers, which statement_timeout (sent to that server) cannot catch. 0: never.
  std::chrono::milliseconds call_timeout{0};
  // After a failed connection attempt (or a call cut by the watchdog), calls needing a new
  // connection fail at once for this long, and one retries at a time: a request during an outage
  // gets its 503 now, not after queueing behind connect_timeout after connect_timeout.
  std::chrono::milliseconds reconnect_pause{1'000};
};

class DbPool {
 public:
  DbPool(std::string conninfo, int threads, DbPoolOptions options = {});
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

  struct CallSlot;  // what the watchdog knows of one thread's call in progress

 private:
  // Marks this thread's call as running (for the watchdog) while it lives.
  class CallScope {
   public:
    CallScope(DbPool& pool, pqxx::connection& c) : pool_(pool) { pool_.begin_call(c); }
    ~CallScope() { pool_.end_call(); }
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

   private:
    DbPool& pool_;
  };

  template <class R, class Fn>
  R with_connection(Fn& fn) {
    pqxx::connection& c = acquire();
    try {
      const CallScope scope(*this, c);  // ends before release_if_broken may close the socket
      return fn(c);
    } catch (...) {
      release_if_broken();
      throw;
    }
  }
  pqxx::connection& acquire();  // this thread's connection, opened on first use
  std::unique_ptr<pqxx::connection> connect();
  void release_if_broken();
  void begin_call(pqxx::connection& c);
  void end_call();
  void watch();  // the watchdog thread: cuts calls older than call_timeout

  std::string conninfo_;
  DbPoolOptions options_;
  std::mutex slots_mutex_;
  std::vector<std::shared_ptr<CallSlot>> slots_;
  std::atomic<std::int64_t> unreachable_at_{0};  // steady_clock ticks of the last failure; 0: reachable
  std::atomic<bool> connecting_after_failure_{false};
  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool stopping_ = false;
  std::thread watchdog_;
  asio::thread_pool pool_;  // last: its threads stop (joined in the destructor) before the rest goes
};

}  // namespace centinela::storage
