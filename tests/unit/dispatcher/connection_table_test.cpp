// api::ConnectionTable: a full server makes room by closing the connection idle the longest (of
// the newcomer's own address when that address is over its limit), never a busy one.
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "dispatcher/api/connection_table.hpp"

namespace centinela::api {
namespace {

namespace ip = boost::asio::ip;
using tcp = ip::tcp;

TEST(RoomNeeded, PerAddressLimitFirstThenTheServersCap) {
  EXPECT_EQ(room_needed(0, 10, 0, 0, false), Room::none);
  EXPECT_EQ(room_needed(9, 10, 9, 0, false), Room::none) << "no per-address limit";
  EXPECT_EQ(room_needed(10, 10, 1, 0, false), Room::from_anyone);
  EXPECT_EQ(room_needed(5, 10, 2, 2, false), Room::from_peer);
  EXPECT_EQ(room_needed(10, 10, 2, 2, false), Room::from_peer) << "its own idle one makes room for both";
  EXPECT_EQ(room_needed(5, 10, 2, 2, true), Room::none) << "a trusted proxy is not limited";
  EXPECT_EQ(room_needed(10, 10, 2, 2, true), Room::from_anyone) << "but the cap still holds";
}

// Sockets that are open (so closing them shows) but never connected: nothing to read.
class Table : public ::testing::Test {
 protected:
  tcp::socket& socket() {
    sockets_.push_back(std::make_unique<tcp::socket>(io_));
    sockets_.back()->open(tcp::v4());
    return *sockets_.back();
  }
  ConnectionTable::Entry admit(ConnectionTable& t, const char* address, tcp::socket& s) {
    auto a = t.admit(ip::make_address(address), s);
    if (!a.entry) throw std::runtime_error(std::string("refused: ") + address);
    return std::move(*a.entry);
  }

  boost::asio::io_context io_;
  std::vector<std::unique_ptr<tcp::socket>> sockets_;
};

TEST_F(Table, AFullServerClosesTheConnectionIdleLongest) {
  ConnectionTable t({3, 0, {}});
  auto& sa = socket();
  auto& sb = socket();
  auto& sc = socket();
  auto a = admit(t, "192.0.2.1", sa);
  auto b = admit(t, "192.0.2.2", sb);
  auto c = admit(t, "192.0.2.3", sc);
  a.busy();
  a.idle();  // a's keep-alive wait began after b's and c's
  auto& sd = socket();
  auto d = admit(t, "192.0.2.4", sd);
  EXPECT_TRUE(b.evicted());
  EXPECT_FALSE(sb.is_open());
  EXPECT_FALSE(a.evicted());
  EXPECT_TRUE(sa.is_open());
  EXPECT_EQ(t.open(), 3);
  EXPECT_EQ(t.counters().evicted_idle, 1);
}

TEST_F(Table, BusyConnectionsAreNeverClosedForANewcomer) {
  ConnectionTable t({2, 0, {}});
  auto& sa = socket();
  auto& sb = socket();
  auto a = admit(t, "192.0.2.1", sa);
  auto b = admit(t, "192.0.2.2", sb);
  a.busy();
  b.busy();
  auto refused = t.admit(ip::make_address("192.0.2.3"), socket());
  EXPECT_FALSE(refused.entry);
  EXPECT_EQ(refused.refused_for, Room::from_anyone);
  EXPECT_TRUE(sa.is_open());
  EXPECT_TRUE(sb.is_open());
  EXPECT_EQ(t.counters().refused_busy, 1);
  EXPECT_FALSE(t.shed_idle());
  b.idle();
  EXPECT_TRUE(t.admit(ip::make_address("192.0.2.3"), socket()).entry);
  EXPECT_TRUE(b.evicted());
}

TEST_F(Table, AnAddressOverItsLimitLosesItsOwnIdleConnectionNotOthers) {
  ConnectionTable t({100, 2, {}});
  auto& other = socket();
  auto y = admit(t, "198.51.100.9", other);  // idle longest, but another address
  auto& s1 = socket();
  auto& s2 = socket();
  auto x1 = admit(t, "192.0.2.1", s1);
  auto x2 = admit(t, "192.0.2.1", s2);
  auto x3 = admit(t, "192.0.2.1", socket());
  EXPECT_TRUE(x1.evicted());
  EXPECT_FALSE(y.evicted());
  EXPECT_TRUE(other.is_open());
  x2.busy();
  x3.busy();
  auto refused = t.admit(ip::make_address("192.0.2.1"), socket());
  EXPECT_FALSE(refused.entry);
  EXPECT_EQ(refused.refused_for, Room::from_peer);
  EXPECT_EQ(t.counters().refused_peer, 1);
  EXPECT_TRUE(t.admit(ip::make_address("198.51.100.10"), socket()).entry) << "other addresses are served";
}

TEST_F(Table, TrustedProxiesAreNotLimitedPerAddress) {
  ConnectionTable t({100, 1, {*config::parse_address_block("10.0.0.0/8"), *config::parse_address_block("::1")}});
  std::vector<ConnectionTable::Entry> kept;
  for (int i = 0; i < 5; ++i) kept.push_back(admit(t, "10.1.2.3", socket()));
  for (int i = 0; i < 5; ++i) kept.push_back(admit(t, "::1", socket()));
  for (const auto& e : kept) EXPECT_FALSE(e.evicted());
  auto& s = socket();
  auto first = admit(t, "11.0.0.1", s);
  auto second = admit(t, "11.0.0.1", socket());
  EXPECT_TRUE(first.evicted()) << "an untrusted address still is";
}

TEST_F(Table, PeersAreCountedByIpv4OrIpv6Slash64) {
  EXPECT_EQ(ConnectionTable::peer_key(ip::make_address("::ffff:192.0.2.7")), ip::make_address("192.0.2.7"));
  EXPECT_EQ(ConnectionTable::peer_key(ip::make_address("2001:db8:1:2:aaaa::1")), ip::make_address("2001:db8:1:2::"));
  ConnectionTable t({100, 1, {*config::parse_address_block("192.0.2.7")}});
  auto mapped = admit(t, "::ffff:192.0.2.7", socket());
  auto mapped2 = admit(t, "::ffff:192.0.2.7", socket());
  EXPECT_FALSE(mapped.evicted()) << "a trusted IPv4 address arriving IPv4-mapped is still trusted";
  auto& s = socket();
  auto v6a = admit(t, "2001:db8:1:2::1", s);
  auto v6b = admit(t, "2001:db8:1:2::2", socket());
  EXPECT_TRUE(v6a.evicted()) << "the same /64";
  auto v6c = admit(t, "2001:db8:1:3::1", socket());
  EXPECT_FALSE(v6b.evicted()) << "another /64";
}

TEST_F(Table, EndedConnectionsFreeTheirSlotOnce) {
  ConnectionTable t({2, 2, {}});
  {
    auto a = admit(t, "192.0.2.1", socket());
    auto b = admit(t, "192.0.2.1", socket());
    EXPECT_EQ(t.open(), 2);
    auto c = admit(t, "192.0.2.1", socket());  // evicts a, whose session has not ended yet
    EXPECT_TRUE(a.evicted());
    EXPECT_EQ(t.open(), 2);
  }  // c, b and the evicted a end: each counted once
  EXPECT_EQ(t.open(), 0);
  auto d = admit(t, "192.0.2.1", socket());
  auto e = admit(t, "192.0.2.1", socket());
  EXPECT_FALSE(d.evicted());
  EXPECT_EQ(t.open(), 2);
}

TEST_F(Table, ShuttingDownClosesEveryIdleConnection) {
  ConnectionTable t({10, 0, {}});
  auto& busy_socket = socket();
  auto busy = admit(t, "192.0.2.1", busy_socket);
  busy.busy();
  auto idle1 = admit(t, "192.0.2.2", socket());
  auto idle2 = admit(t, "192.0.2.3", socket());
  t.close_idle();
  EXPECT_TRUE(idle1.evicted());
  EXPECT_TRUE(idle2.evicted());
  EXPECT_FALSE(busy.evicted());
  EXPECT_TRUE(busy_socket.is_open());
  EXPECT_EQ(t.open(), 1);
  EXPECT_EQ(t.counters().evicted_idle, 0) << "not shed for a newcomer";
}

}  // namespace
}  // namespace centinela::api
