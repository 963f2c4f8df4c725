// Process, client and listener helpers for the fake provider tests (see test_support.hpp).
#include "tests/fake_provider/test_support.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "tests/fake_provider/twilio_wire.hpp"

extern char** environ;

namespace centinela::fake_provider::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

auto ec_into(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }
constexpr auto io_deadline = std::chrono::seconds(5);  // every client op: a hung test fails, not hangs

unsigned short port_of(const std::string& host_port) {
  return static_cast<unsigned short>(std::stoi(host_port.substr(host_port.rfind(':') + 1)));
}

pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  return pid;
}

// Waits for pid up to `limit`; the exit status, or -1 when it died by a signal or did not exit.
int wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

TestPki make_test_pki() {
  const std::string dir = CENTINELA_TEST_PKI_DIR;
  const std::string cmd = "'" + std::string(CENTINELA_MAKE_TEST_CA) + "' '" + dir + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_test_ca.sh failed");
  return TestPki{dir};
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "centinela-fp-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;  // best effort: a leftover temp dir is not worth failing a test over
  std::filesystem::remove_all(path_, ec);
}

FakeProviderProcess::FakeProviderProcess(const TestPki& pki, std::vector<std::string> extra_args, std::string cert,
                                         std::string key) {
  const std::string ready = dir_.path() + "/ready.json";
  std::vector<std::string> args{CENTINELA_FAKE_PROVIDER_BIN, "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                                "--tls-cert", cert.empty() ? pki.server_cert() : cert,
                                "--tls-key", key.empty() ? pki.server_key() : key,
                                "--ready-file", ready, "--record", record_path(),
                                "--account-sid", test_account_sid, "--auth-token", test_auth_token};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(args);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    if (std::ifstream in{ready}) {  // renamed into place whole: never half written
      const auto j = nlohmann::json::parse(in);
      http_port_ = port_of(j.at("http").get<std::string>());
      https_port_ = port_of(j.at("https").get<std::string>());
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("fake provider exited during start-up");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw std::runtime_error("fake provider did not write its ready file");
}

FakeProviderProcess::~FakeProviderProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

int FakeProviderProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int rc = wait_exit(pid_, std::chrono::seconds(5));
  pid_ = -1;
  return rc;
}

int run_fake_provider_to_exit(const std::vector<std::string>& args) {
  std::vector<std::string> all{CENTINELA_FAKE_PROVIDER_BIN};
  all.insert(all.end(), args.begin(), args.end());
  return wait_exit(spawn(all), std::chrono::seconds(5));
}

struct TestClient::Impl {
  asio::io_context ioc{1};
  std::optional<asio::ssl::context> tls_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buf;
  unsigned short port = 0;
  std::string host;
  bool connected = false;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  asio::awaitable<void> connect(error_code& ec) {
    buf.clear();
    if (tls_ctx) {
      tls.emplace(ioc, *tls_ctx);
      tls->set_verify_mode(asio::ssl::verify_peer);
      tls->set_verify_callback(asio::ssl::host_name_verification(host));
    } else {
      plain.emplace(ioc);
    }
    lowest().expires_after(io_deadline);
    co_await lowest().async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec_into(ec));
    if (ec || !tls) co_return;
    co_await tls->async_handshake(asio::ssl::stream_base::client, ec_into(ec));
  }

  asio::awaitable<void> exchange(http::request<http::string_body>& req, Reply& out) {
    error_code ec;
    if (!connected) {
      co_await connect(ec);
      if (ec) { out.ec = ec; co_return; }
      connected = true;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);  // GET /_messages can be big
    lowest().expires_after(io_deadline);
    if (tls) co_await http::async_write(*tls, req, ec_into(ec));
    else co_await http::async_write(*plain, req, ec_into(ec));
    if (!ec) {
      lowest().expires_after(io_deadline);
      if (tls) co_await http::async_read(*tls, buf, parser, ec_into(ec));
      else co_await http::async_read(*plain, buf, parser, ec_into(ec));
    }
    if (ec) { out.ec = ec; connected = false; co_return; }
    out.res = parser.release();
    if (!out.res.keep_alive()) connected = false;
  }
};

TestClient::TestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestClient::~TestClient() = default;
TestClient::TestClient(TestClient&&) noexcept = default;

TestClient TestClient::plain(unsigned short port) {
  auto impl = std::make_unique<Impl>();
  impl->port = port;
  impl->host = "127.0.0.1";
  return TestClient(std::move(impl));
}

TestClient TestClient::tls(unsigned short port, const std::string& ca_file, std::string host) {
  auto impl = std::make_unique<Impl>();
  impl->port = port;
  impl->host = std::move(host);
  impl->tls_ctx.emplace(asio::ssl::context::tls_client);
  impl->tls_ctx->load_verify_file(ca_file);  // only the test CA: a self-signed cert must fail
  return TestClient(std::move(impl));
}

Reply TestClient::request(http::verb verb, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();
  Reply out;
  asio::co_spawn(impl_->ioc, impl_->exchange(req, out), asio::detached);
  impl_->ioc.restart();
  impl_->ioc.run();  // returns when the exchange is done; the deadlines bound it
  return out;
}

Reply TestClient::post_json(const std::string& target, const std::string& json) {
  return request(http::verb::post, target, json, {{"Content-Type", "application/json"}});
}

Reply TestClient::send_sms(const std::vector<std::pair<std::string, std::string>>& form,
                           const std::string& auth_token) {
  const std::string b64 = base64_encode(std::string(test_account_sid) + ":" + auth_token);
  std::string form_body;
  for (const auto& [name, value] : form) {
    if (!form_body.empty()) form_body += '&';
    form_body += name + "=";
    for (const unsigned char c : value) {  // percent-encode everything but alphanumerics
      static constexpr char hex[] = "0123456789ABCDEF";
      if (std::isalnum(c)) form_body += static_cast<char>(c);
      else form_body += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return request(http::verb::post, std::string("/2010-04-01/Accounts/") + test_account_sid + "/Messages.json",
                 form_body,
                 {{"Authorization", "Basic " + b64}, {"Content-Type", "application/x-www-form-urlencoded"}});
}

CallbackListener::CallbackListener() {
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

asio::awaitable<void> CallbackListener::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket sock = co_await acceptor_.async_accept(ec_into(ec));
    if (ec) co_return;
    asio::co_spawn(ioc_, session(std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> CallbackListener::session(tcp::socket sock) {
  beast::tcp_stream stream(std::move(sock));
  beast::flat_buffer buf;
  for (;;) {
    error_code ec;
    http::request<http::string_body> req;
    stream.expires_after(std::chrono::seconds(30));
    co_await http::async_read(stream, buf, req, ec_into(ec));
    if (ec) co_return;
    {
      std::lock_guard lock(mu_);
      received_.push_back({std::string(req.target()), std::string(req[http::field::host]),
                           std::string(req["X-Twilio-Signature"]),
                         std::string(req[http::field::content_type]), req.body()});
    }
    cv_.notify_all();
    http::response<http::string_body> res{http::status::ok, 11};
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, ec_into(ec));
    if (ec) co_return;
  }
}

CallbackListener::~CallbackListener() {
  ioc_.stop();
  thread_.join();
}

std::vector<ReceivedCallback> CallbackListener::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
  return received_;
}

}  // namespace centinela::fake_provider::testing
