#include "dispatcher/storage/db_pool.hpp"

#include <sys/socket.h>

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

namespace centinela::storage {

using Clock = std::chrono::steady_clock;

struct DbPool::CallSlot {
  std::mutex mutex;
  int fd = -1;  // the socket of the call in progress; -1 between calls
  Clock::time_point started;
  bool cut = false;  // the watchdog shut this call's socket down
};

namespace {

// One connection per thread and pool. A thread belongs to exactly one pool (or is a caller of
// run_blocking), so keying by owner keeps two pools in one test process apart.
struct ThreadConnection {
  const DbPool* owner = nullptr;
  std::unique_ptr<pqxx::connection> conn;
  std::shared_ptr<DbPool::CallSlot> slot;
};
thread_local ThreadConnection this_thread_connection;

// libpq's messages span lines and quote host names: one log line, one quoted value.
std::string one_line(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
  std::replace(text.begin(), text.end(), '"', '\'');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

DbPool::DbPool(std::string conninfo, int threads, DbPoolOptions options)
    : conninfo_(std::move(conninfo)),
      options_(options),
      pool_(static_cast<std::size_t>(threads < 1 ? 1 : threads)) {
  if (options_.call_timeout.count() > 0) watchdog_ = std::thread([this] { watch(); });
}

DbPool::~DbPool() {
  pool_.join();
  {
    const std::lock_guard lock(watch_mutex_);
    stopping_ = true;
  }
  watch_wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

std::unique_ptr<pqxx::connection> DbPool::connect() {
  const auto failed_at = unreachable_at_.load();
  if (failed_at != 0) {
    // The database was unreachable a moment ago: one thread retries at a time, once per pause,
    // and the others answer at once instead of each waiting out connect_timeout.
    const auto since = Clock::now() - Clock::time_point(Clock::duration(failed_at));
    if (since < options_.reconnect_pause || connecting_after_failure_.exchange(true))
      throw pqxx::broken_connection("database unreachable a moment ago (not retried yet)");
  }
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo_);
    if (failed_at != 0) {
      spdlog::info("event=db_reconnected");
      unreachable_at_ = 0;
      connecting_after_failure_ = false;
    }
    return conn;
  } catch (const pqxx::broken_connection& e) {
    spdlog::warn("event=db_connect_failed what=\"{}\"", one_line(e.what()));
    unreachable_at_ = Clock::now().time_since_epoch().count();
    connecting_after_failure_ = false;
    throw;
  } catch (...) {
    connecting_after_failure_ = false;  // not an outage (a bug, out of memory): let others try
    throw;
  }
}

pqxx::connection& DbPool::acquire() {
  auto& tc = this_thread_connection;
  if (tc.owner != this) {
    tc.conn.reset();
    tc.slot = std::make_shared<CallSlot>();
    const std::lock_guard lock(slots_mutex_);
    slots_.push_back(tc.slot);
  }
  tc.owner = this;
  if (!tc.conn || !tc.conn->is_open()) {
    tc.conn.reset();
    tc.conn = connect();
  }
  return *tc.conn;
}

void DbPool::release_if_broken() {
  auto& tc = this_thread_connection;
  if (tc.owner == this && tc.conn && !tc.conn->is_open()) tc.conn.reset();
}

void DbPool::begin_call(pqxx::connection& c) {
  auto& slot = *this_thread_connection.slot;
  const std::lock_guard lock(slot.mutex);
  slot.fd = c.sock();
  slot.started = Clock::now();
  slot.cut = false;
}

void DbPool::end_call() {
  auto& tc = this_thread_connection;
  bool cut = false;
  {
    const std::lock_guard lock(tc.slot->mutex);
    tc.slot->fd = -1;
    cut = tc.slot->cut;
  }
  // A call that finished just as it was cut left a connection whose socket is shut: drop it
  // here, or the next call would fail on it for nothing.
  if (cut) tc.conn.reset();
}

void DbPool::watch() {
  const auto limit = options_.call_timeout;
  const auto tick = std::clamp<std::chrono::milliseconds>(limit / 10, std::chrono::milliseconds{50},
                                                          std::chrono::milliseconds{500});
  std::unique_lock lock(watch_mutex_);
  while (!watch_wake_.wait_for(lock, tick, [this] { return stopping_; })) {
    std::vector<std::shared_ptr<CallSlot>> slots;
    {
      const std::lock_guard slots_lock(slots_mutex_);
      slots = slots_;
    }
    const auto now = Clock::now();
    for (const auto& slot : slots) {
      // Under the slot's lock the socket is the running call's: it cannot end (and its
      // connection cannot be closed, freeing the descriptor for reuse) until we let go.
      const std::lock_guard slot_lock(slot->mutex);
      if (slot->fd < 0 || slot->cut || now - slot->started < limit) continue;
      ::shutdown(slot->fd, SHUT_RDWR);  // the blocked recv returns; libpq reports the loss
      slot->cut = true;
      unreachable_at_ = now.time_since_epoch().count();  // reconnecting would most likely hang too
      spdlog::warn("event=db_call_cut limit_ms={} note=\"the database accepted the call but did not answer\"",
                   limit.count());
    }
  }
}

}  // namespace centinela::storage
