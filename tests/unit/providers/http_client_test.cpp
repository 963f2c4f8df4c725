// The provider HTTP client against local sockets only: the loopback rule, transport errors within
// their deadlines, keep-alive reuse and the connection cap. The HTTPS path with a test CA is
// exercised by the fake provider tests (tests/fake_provider/).
#include <chrono>

#include <gtest/gtest.h>

#include "providers/common/http_client.hpp"
#include "tests/unit/providers/loopback_server.hpp"

namespace centinela {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

HttpClientOptions options_for(std::string base_url) {
  HttpClientOptions o;
  o.base_url = std::move(base_url);
  o.connect_timeout = 1s;
  o.request_timeout = 300ms;
  return o;
}

TEST(HttpClient, PlainHttpOnlyToLoopback) {
  asio::io_context io;
  for (const char* refused : {"http://api.twilio.com", "http://10.0.0.1:8080", "http://127.0.0.1.nip.io",
                              "http://0.0.0.0:80", "ftp://127.0.0.1", "not a url", "https://user:pw@api.twilio.com",
                              "https://api.twilio.com/base?x=1"}) {
    SCOPED_TRACE(refused);
    EXPECT_THROW(HttpClient(io.get_executor(), options_for(refused)), std::invalid_argument);
  }
  for (const char* allowed : {"https://api.twilio.com", "http://127.0.0.1:1", "http://127.5.5.5:8080/prefix",
                              "http://localhost:8080", "http://[::1]:8080"}) {
    SCOPED_TRACE(allowed);
    EXPECT_NO_THROW(HttpClient(io.get_executor(), options_for(allowed)));
  }
}

TEST(HttpClient, RefusalMessageExplainsTheRule) {
  asio::io_context io;
  try {
    HttpClient c(io.get_executor(), options_for("http://api.twilio.com"));
    FAIL() << "plain http to a public host was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, MissingCaFileFailsConstruction) {
  asio::io_context io;
  auto o = options_for("https://api.twilio.com");
  o.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(HttpClient(io.get_executor(), o), std::runtime_error);
}

TEST(HttpClient, ClosedPortIsATransportErrorNothingSent) {
  asio::io_context io;
  unsigned short port = 0;
  {
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed again: nothing listens there now
  HttpClient client(io.get_executor(), options_for("http://127.0.0.1:" + std::to_string(port)));
  HttpResult result;
  const auto start = Clock::now();
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    result = co_await client.request("POST", "/x", {}, "a=1");
  }));
  EXPECT_TRUE(result.transport_failed());
  EXPECT_FALSE(result.request_sent) << "a refused connection cannot have delivered anything";
  EXPECT_EQ(result.status, 0);
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(HttpClient, SilentServerTimesOut) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  server.delay = 5s;  // reads the request, answers far too late
  HttpClient client(io.get_executor(), options_for(server.base_url()));
  HttpResult result;
  const auto start = Clock::now();
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    result = co_await client.request("GET", "/slow", {}, "");
    server.stop();
  }));
  const auto elapsed = Clock::now() - start;
  EXPECT_TRUE(result.transport_failed());
  EXPECT_TRUE(result.request_sent) << "the request was written: the server may have acted on it";
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(client.idle_connections(), 0u) << "a timed-out connection is never reused";
}

asio::awaitable<void> fetch_one(HttpClient& client, std::string target, HttpResult& out, int& finished, int total,
                                asio::steady_timer& all_done) {
  // The headers are a named variable: g++ 12 cannot keep an initializer_list's array alive
  // across a co_await ("array used as initializer").
  HttpHeaders headers{{"X-Test", "1"}};
  out = co_await client.request("GET", std::move(target), std::move(headers), "");
  if (++finished == total) all_done.cancel();
}

TEST(HttpClient, KeepAliveAndConnectionCap) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  server.delay = 50ms;  // keeps requests overlapping
  server.handler = [](const testing::RecordedRequest& r) {
    return testing::CannedResponse{200, "echo:" + r.target, {{"Retry-After", "3"}}};
  };
  auto o = options_for(server.base_url() + "/base/");
  o.max_connections = 2;
  HttpClient client(io.get_executor(), o);
  std::vector<HttpResult> results(5);
  int finished = 0;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer all_done(ex, Clock::time_point::max());
    for (std::size_t i = 0; i < results.size(); ++i) {
      asio::co_spawn(ex, fetch_one(client, "/r" + std::to_string(i), results[i], finished, 5, all_done), asio::detached);
    }
    error_code ec;
    co_await all_done.async_wait(ec_into(ec));
    // Sequential requests afterwards reuse the pooled connections.
    results.push_back(co_await client.request("GET", "r5", {}, ""));
    server.stop();
  }));
  ASSERT_EQ(finished, 5);
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_FALSE(results[i].transport_failed()) << results[i].error.message();
    EXPECT_EQ(results[i].status, 200);
    EXPECT_EQ(results[i].body, "echo:/base/r" + std::to_string(i));
    EXPECT_EQ(results[i].header("retry-after"), "3");
  }
  EXPECT_EQ(server.max_open, 2) << "never more connections than max_connections";
  EXPECT_EQ(server.connections_accepted, 2) << "keep-alive: later requests reuse the two connections";
  EXPECT_EQ(server.requests[0].headers.at("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(server.requests[0].headers.at("x-test"), "1");
}

TEST(HttpClient, ConnectionCloseAndStaleIdleConnections) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  bool close_next = true;
  server.handler = [&](const testing::RecordedRequest&) {
    testing::CannedResponse res;
    res.close_after = std::exchange(close_next, false);
    return res;
  };
  HttpClient client(io.get_executor(), options_for(server.base_url()));
  std::vector<HttpResult> results;
  std::size_t idle_after_close = 99;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    results.push_back(co_await client.request("GET", "/1", {}, ""));  // answered with Connection: close
    idle_after_close = client.idle_connections();
    results.push_back(co_await client.request("GET", "/2", {}, ""));  // new connection, kept alive
    server.drop_connections();  // the server drops the idle connection
    asio::steady_timer settle(co_await asio::this_coro::executor, 50ms);
    co_await settle.async_wait(use_awaitable);
    results.push_back(co_await client.request("GET", "/3", {}, ""));  // must notice and reconnect
    server.stop();
  }));
  EXPECT_EQ(idle_after_close, 0u);
  for (const auto& r : results) EXPECT_EQ(r.status, 200) << r.error.message();
  EXPECT_EQ(server.connections_accepted, 3);
}

TEST(HttpClient, OversizedAnswerIsATransportError) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  server.handler = [](const testing::RecordedRequest&) { return testing::CannedResponse{200, std::string(4096, 'x')}; };
  auto o = options_for(server.base_url());
  o.max_response_bytes = 1024;
  HttpClient client(io.get_executor(), o);
  HttpResult result;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    result = co_await client.request("GET", "/big", {}, "");
    server.stop();
  }));
  EXPECT_TRUE(result.transport_failed()) << result.status << " " << result.body.size();
  EXPECT_EQ(client.idle_connections(), 0u);
}

// Bodies without a Content-Length are limited while they stream in.
TEST(HttpClient, OversizedChunkedAndUntilCloseAnswersAreTransportErrors) {
  const std::string big(4096, 'x');
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + big + "\r\n0\r\n\r\n";
  const std::string until_close = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big;
  for (const auto& raw : {chunked, until_close}) {
    asio::io_context io;
    testing::LoopbackServer server(io);
    server.handler = [&](const testing::RecordedRequest&) {
      testing::CannedResponse res;
      res.raw = raw;
      res.close_after = true;
      return res;
    };
    auto o = options_for(server.base_url());
    o.max_response_bytes = 1024;
    HttpClient client(io.get_executor(), o);
    HttpResult small_limit;
    ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
      small_limit = co_await client.request("GET", "/big", {}, "");
      server.stop();
    }));
    EXPECT_TRUE(small_limit.transport_failed()) << raw.substr(0, 40);
  }
}

TEST(HttpClient, ChunkedAnswerWithinTheLimitIsRead) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  server.handler = [](const testing::RecordedRequest&) {
    testing::CannedResponse res;
    res.raw = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    return res;
  };
  HttpClient client(io.get_executor(), options_for(server.base_url()));
  HttpResult result;
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    result = co_await client.request("GET", "/chunked", {}, "");
    server.stop();
  }));
  EXPECT_EQ(result.status, 201) << result.error.message();
  EXPECT_EQ(result.body, "abcde");
  EXPECT_EQ(client.idle_connections(), 1u);
}

}  // namespace
}  // namespace centinela
