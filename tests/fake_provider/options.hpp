// Command-line flags of centinela-fake-provider, parsed by a pure function so that a bad flag is
// a clear message and exit code 2 before any socket opens.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

namespace centinela::fake_provider {

struct ListenAddress {
  boost::asio::ip::address address;
  unsigned short port = 0;  // 0: the kernel picks a free port
};

struct Options {
  std::optional<ListenAddress> http;
  std::optional<ListenAddress> https;
  std::string tls_cert;
  std::string tls_key;
  std::string ready_file;
  std::string record_file;  // empty: messages are kept in memory only
  // Every Messages request as it arrived, whatever its answer: {"at_ms","from","outcome"}. Tests
  // measure pacing and holds from it (a rejected request must not leave during a Retry-After).
  std::string request_log_file;
  // Defaults let a developer start the fake by hand; tests always pass their own.
  std::string account_sid = "AC00000000000000000000000000000000";
  std::string auth_token = "fake-auth-token";
  std::chrono::milliseconds callback_delay{50};
  bool callbacks = true;
  std::size_t callback_concurrency = 16;  // keep-alive connections used for status callbacks
  std::size_t max_pending_callbacks = 10'000;
  std::unordered_set<std::string> opted_out;
  nlohmann::json faults = nlohmann::json::object();  // the start-up /_control body
};

// Test harnesses must never reach a real host: only 127.0.0.0/8 and ::1 are accepted.
bool is_loopback(const boost::asio::ip::address& a);

// "127.0.0.1:0" or "[::1]:8080"; nullopt when malformed or not loopback.
std::optional<ListenAddress> parse_listen(std::string_view text);
std::string format_listen(const boost::asio::ip::address& a, unsigned short port);

// args excludes the program name. Returns the options or a message for stderr.
std::variant<Options, std::string> parse_options(const std::vector<std::string_view>& args);

extern const char* const usage_text;

}  // namespace centinela::fake_provider
