// Test helpers for running centinela-fake-provider as a real process: the process itself, a
// small HTTP(S) client with deadlines, and a loopback listener that collects status callbacks.
#pragma once

#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <sys/types.h>

namespace centinela::fake_provider::testing {

namespace http = boost::beast::http;

struct TestPki {
  std::string dir;  // ca.pem, server.pem/.key, wrong.pem/.key
  std::string ca() const { return dir + "/ca.pem"; }
  std::string server_cert() const { return dir + "/server.pem"; }
  std::string server_key() const { return dir + "/server.key"; }
  std::string wrong_cert() const { return dir + "/wrong.pem"; }
  std::string wrong_key() const { return dir + "/wrong.key"; }
};
TestPki make_test_pki();  // runs tests/support/make_test_ca.sh once into the build tree

inline constexpr const char* test_account_sid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* test_auth_token = "test-token-0123456789";

// A temporary directory removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class FakeProviderProcess {
 public:
  // Starts the binary on 127.0.0.1:0 (HTTP and HTTPS with `cert`/`key`) plus `extra_args`, and
  // waits for its ready file. Throws std::runtime_error if it does not come up within 10 s.
  FakeProviderProcess(const TestPki& pki, std::vector<std::string> extra_args = {},
                      std::string cert = {}, std::string key = {});
  ~FakeProviderProcess();  // SIGKILL if still running
  FakeProviderProcess(const FakeProviderProcess&) = delete;
  FakeProviderProcess& operator=(const FakeProviderProcess&) = delete;

  unsigned short http_port() const { return http_port_; }
  unsigned short https_port() const { return https_port_; }
  std::string record_path() const { return dir_.path() + "/record.jsonl"; }
  // SIGTERM, then waits up to 5 s. Returns the exit status, or -1 on a signal or a hang.
  int stop();

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  unsigned short http_port_ = 0;
  unsigned short https_port_ = 0;
};

// Runs the binary with `args` to completion (5 s at most) and returns its exit status.
int run_fake_provider_to_exit(const std::vector<std::string>& args);

struct Reply {
  boost::system::error_code ec;  // set when no answer came (dropped connection, TLS refusal)
  http::response<http::string_body> res;
  unsigned status() const { return ec ? 0 : res.result_int(); }  // 0: no answer
};

// One keep-alive connection, plain or TLS (verified against `ca_file`, host name checked).
class TestClient {
 public:
  static TestClient plain(unsigned short port);
  static TestClient tls(unsigned short port, const std::string& ca_file, std::string host = "127.0.0.1");
  ~TestClient();
  TestClient(TestClient&&) noexcept;

  Reply request(http::verb verb, const std::string& target, const std::string& body = {},
                const std::map<std::string, std::string>& headers = {});
  Reply get(const std::string& target) { return request(http::verb::get, target); }
  Reply post_json(const std::string& target, const std::string& json);
  // POST Messages.json with Basic auth and a form body.
  Reply send_sms(const std::vector<std::pair<std::string, std::string>>& form,
                 const std::string& auth_token = test_auth_token);

 private:
  struct Impl;
  explicit TestClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ReceivedCallback {
  std::string target;
  std::string host;
  std::string signature;  // X-Twilio-Signature
  std::string content_type;
  std::string body;
};

// Accepts HTTP on 127.0.0.1:0 in its own thread and answers 200 to everything.
class CallbackListener {
 public:
  CallbackListener();
  ~CallbackListener();
  unsigned short port() const { return port_; }
  // Waits until at least n callbacks arrived; returns what arrived (maybe fewer on timeout).
  std::vector<ReceivedCallback> wait_for(std::size_t n, std::chrono::milliseconds timeout);

 private:
  // Member coroutines, not lambdas: a lambda's captures die with the closure, before the frame.
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket sock);

  boost::asio::io_context ioc_{1};
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  unsigned short port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ReceivedCallback> received_;
  std::thread thread_;
};

}  // namespace centinela::fake_provider::testing
