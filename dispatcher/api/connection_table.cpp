#include "dispatcher/api/connection_table.hpp"

#include <algorithm>

namespace centinela::api {

namespace ip = boost::asio::ip;

Room room_needed(int open, int max_open, int open_from_peer, int max_per_peer, bool trusted) {
  if (!trusted && max_per_peer > 0 && open_from_peer >= max_per_peer) return Room::from_peer;
  if (open >= max_open) return Room::from_anyone;
  return Room::none;
}

struct ConnectionTable::Connection {
  ip::address key;
  tcp::socket* socket = nullptr;
  bool evicted = false;
  std::optional<std::list<Connection*>::iterator> idle_at;  // its place in State::idle
};

struct ConnectionTable::State {
  Limits limits;
  std::list<Connection> connections;
  std::list<Connection*> idle;       // oldest first
  std::map<ip::address, int> per_peer;  // open connections by peer key
  int open = 0;                      // evicted ones excluded: their descriptor is already free
  Counters counters;

  void uncount(const Connection& c) {
    --open;
    if (const auto it = per_peer.find(c.key); it != per_peer.end() && --it->second <= 0) per_peer.erase(it);
  }

  void evict(Connection& c, bool for_newcomer = true) {
    if (c.idle_at) idle.erase(*c.idle_at);
    c.idle_at.reset();
    c.evicted = true;
    uncount(c);
    boost::system::error_code ignored;  // closing cancels its pending read: the session ends
    c.socket->close(ignored);
    if (for_newcomer) ++counters.evicted_idle;
  }

  // The connection idle the longest (of `key`, when given). One whose next request has already
  // arrived, unread yet, is not idle: closing it would drop that request.
  Connection* oldest_idle(const ip::address* key) {
    for (Connection* c : idle) {
      if (key && c->key != *key) continue;
      boost::system::error_code ec;
      if (c->socket->available(ec) > 0) continue;
      return c;
    }
    return nullptr;
  }
};

ConnectionTable::Entry::Entry(std::shared_ptr<State> state, std::list<Connection>::iterator at)
    : state_(std::move(state)), at_(at) {}

ConnectionTable::Entry::Entry(Entry&& other) noexcept : state_(std::move(other.state_)), at_(other.at_) {}

ConnectionTable::Entry::~Entry() {
  if (!state_) return;  // moved from
  Connection& c = *at_;
  if (c.idle_at) state_->idle.erase(*c.idle_at);
  if (!c.evicted) state_->uncount(c);
  state_->connections.erase(at_);
}

void ConnectionTable::Entry::idle() {
  Connection& c = *at_;
  if (c.evicted || c.idle_at) return;
  c.idle_at = state_->idle.insert(state_->idle.end(), &c);
}

void ConnectionTable::Entry::busy() {
  Connection& c = *at_;
  if (!c.idle_at) return;
  state_->idle.erase(*c.idle_at);
  c.idle_at.reset();
}

bool ConnectionTable::Entry::evicted() const { return at_->evicted; }

ConnectionTable::ConnectionTable(Limits limits) : state_(std::make_shared<State>()) {
  state_->limits = std::move(limits);
}

ip::address ConnectionTable::peer_key(const ip::address& remote) {
  if (!remote.is_v6()) return remote;
  const auto v6 = remote.to_v6();
  if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6);
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return ip::address_v6(bytes);
}

bool ConnectionTable::trusted(const ip::address& remote) const {
  const auto& blocks = state_->limits.trusted;
  if (blocks.empty()) return false;
  ip::address address = remote;
  if (remote.is_v6() && remote.to_v6().is_v4_mapped()) address = ip::make_address_v4(ip::v4_mapped, remote.to_v6());
  return std::any_of(blocks.begin(), blocks.end(), [&](const config::AddressBlock& b) {
    if (address.is_v4()) return config::block_contains(b, address.to_v4().to_bytes());
    return config::block_contains(b, address.to_v6().to_bytes());
  });
}

ConnectionTable::Admission ConnectionTable::admit(const ip::address& remote, tcp::socket& socket) {
  State& s = *state_;
  const ip::address key = peer_key(remote);
  const auto from_peer = s.per_peer.find(key);
  const Room room = room_needed(s.open, s.limits.max_open, from_peer == s.per_peer.end() ? 0 : from_peer->second,
                                s.limits.max_per_peer, trusted(remote));
  if (room != Room::none) {
    Connection* victim = s.oldest_idle(room == Room::from_peer ? &key : nullptr);
    if (!victim) {
      ++(room == Room::from_peer ? s.counters.refused_peer : s.counters.refused_busy);
      return {std::nullopt, room};
    }
    s.evict(*victim);
  }
  s.connections.push_back(Connection{key, &socket});
  ++s.open;
  ++s.per_peer[key];
  Entry entry(state_, std::prev(s.connections.end()));
  entry.idle();  // nothing read yet: the first to go is still whoever has waited longer
  return {std::move(entry), Room::none};
}

bool ConnectionTable::shed_idle() {
  Connection* victim = state_->oldest_idle(nullptr);
  if (victim) state_->evict(*victim);
  return victim != nullptr;
}

void ConnectionTable::close_idle() {
  while (!state_->idle.empty()) state_->evict(*state_->idle.front(), false);
}

int ConnectionTable::open() const { return state_->open; }

const ConnectionTable::Counters& ConnectionTable::counters() const { return state_->counters; }

}  // namespace centinela::api
