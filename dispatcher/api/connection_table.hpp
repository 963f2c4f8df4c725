// Who holds the HTTP server's connections, which of them are idle (waiting for their next
// request), and who may come in. A full server makes room by closing the connection idle the
// longest, so idle sockets can never lock out a webhook, and accepting never waits. Network
// thread only (no locks). Sockets are closed here, never read: Beast stays in http_server.cpp.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "config/address_block.hpp"

namespace centinela::api {

// What a newcomer needs before it may be admitted: nothing, a slot of its own address (over
// max_per_peer), or any slot (the server is at max_open). Pure, for tests.
enum class Room { none, from_peer, from_anyone };
Room room_needed(int open, int max_open, int open_from_peer, int max_per_peer, bool trusted);

class ConnectionTable {
 public:
  using tcp = boost::asio::ip::tcp;
  struct Limits {
    int max_open = 1024;
    int max_per_peer = 0;  // 0: no limit
    std::vector<config::AddressBlock> trusted;  // exempt from max_per_peer
  };
  struct Counters {  // since the start; for the log
    long long evicted_idle = 0;
    long long refused_busy = 0;
    long long refused_peer = 0;
  };

 private:
  struct Connection;
  struct State;

 public:
  // One admitted connection, registered idle. Move-only; unregisters when destroyed.
  class Entry {
   public:
    Entry(Entry&& other) noexcept;
    Entry& operator=(Entry&&) = delete;
    ~Entry();
    void idle();           // waiting for the next request: may be closed to make room
    void busy();           // a request is being read, handled or answered
    bool evicted() const;  // its socket was closed to make room for a newcomer

   private:
    friend class ConnectionTable;
    Entry(std::shared_ptr<State> state, std::list<Connection>::iterator at);
    std::shared_ptr<State> state_;
    std::list<Connection>::iterator at_;
  };
  struct Admission {
    std::optional<Entry> entry;  // empty: refused
    Room refused_for = Room::none;
  };

  explicit ConnectionTable(Limits limits);

  // Admits the connection from `remote` on `socket` (which must outlive its Entry), closing an
  // idle connection first when the newcomer needs room; refuses it when nobody is idle.
  Admission admit(const boost::asio::ip::address& remote, tcp::socket& socket);
  // Closes the connection idle the longest (out of descriptors); false when none is idle.
  bool shed_idle();
  void close_idle();  // shutting down: every idle connection
  int open() const;
  const Counters& counters() const;

  // The key connections are counted under: IPv4-mapped addresses as IPv4, IPv6 by /64 (what one
  // subscriber usually holds).
  static boost::asio::ip::address peer_key(const boost::asio::ip::address& remote);

 private:
  bool trusted(const boost::asio::ip::address& remote) const;
  std::shared_ptr<State> state_;
};

}  // namespace centinela::api
