// Flag parsing for centinela-fake-provider (see options.hpp).
#include "tests/fake_provider/options.hpp"

#include <charconv>

#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider {

const char* const usage_text =
    "usage: centinela-fake-provider [--http 127.0.0.1:0] [--https 127.0.0.1:0 --tls-cert F --tls-key K]\n"
    "  [--ready-file P] [--record F] [--request-log F] [--account-sid AC..] [--auth-token T]\n"
    "  [--callback-delay-ms N] [--no-callbacks] [--callback-concurrency N] [--max-pending-callbacks N]\n"
    "  [--opted-out +1555...,+1...]\n"
    "  [--latency-ms N] [--fail-next-429 K] [--fail-next-500 K] [--drop-next K]\n"
    "  [--ratio-429 X] [--ratio-500 X] [--ratio-drop X] [--seed N] [--retry-after-s N]\n"
    "  [--every-nth-429 N] [--every-nth-500 N]\n"
    "Impersonates Twilio's Messages API on loopback only. Control: POST /_control, GET /_messages,\n"
    "GET /_stats, POST /_reset.\n";

namespace {

template <class T>
bool parse_number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

// Start-up fault flags share the /_control keys: --fail-next-429 -> "fail_next_429".
constexpr std::string_view int_fault_flags[] = {"--latency-ms",    "--fail-next-429", "--fail-next-500",
                                                "--drop-next",     "--seed",          "--retry-after-s",
                                                "--every-nth-429", "--every-nth-500"};
constexpr std::string_view ratio_fault_flags[] = {"--ratio-429", "--ratio-500", "--ratio-drop"};

std::string control_key(std::string_view flag) {
  std::string key(flag.substr(2));
  for (char& c : key)
    if (c == '-') c = '_';
  return key;
}

bool contains(const auto& list, std::string_view flag) {
  for (std::string_view f : list)
    if (f == flag) return true;
  return false;
}

}  // namespace

bool is_loopback(const boost::asio::ip::address& a) {
  if (a.is_v4()) return (a.to_v4().to_uint() >> 24) == 127;
  return a.to_v6().is_loopback();
}

std::optional<ListenAddress> parse_listen(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(std::string(host), ec);
  unsigned short p = 0;
  if (ec || !parse_number(port, p) || !is_loopback(addr)) return std::nullopt;
  return ListenAddress{addr, p};
}

std::string format_listen(const boost::asio::ip::address& a, unsigned short port) {
  return a.is_v6() ? "[" + a.to_string() + "]:" + std::to_string(port) : a.to_string() + ":" + std::to_string(port);
}

std::variant<Options, std::string> parse_options(const std::vector<std::string_view>& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    if (flag == "--no-callbacks") { o.callbacks = false; continue; }
    if (flag == "--help" || flag == "-h") return std::string(usage_text);
    if (i + 1 >= args.size()) return std::string(flag) + " needs a value\n" + usage_text;
    const std::string_view value = args[++i];
    const std::string bad = "bad value for " + std::string(flag) + ": " + std::string(value);
    if (flag == "--http" || flag == "--https") {
      auto l = parse_listen(value);
      if (!l) return bad + " (want a loopback address such as 127.0.0.1:0 or [::1]:0)";
      (flag == "--http" ? o.http : o.https) = *l;
    } else if (flag == "--tls-cert") { o.tls_cert = value;
    } else if (flag == "--tls-key") { o.tls_key = value;
    } else if (flag == "--ready-file") { o.ready_file = value;
    } else if (flag == "--record") { o.record_file = value;
    } else if (flag == "--request-log") { o.request_log_file = value;
    } else if (flag == "--account-sid") { o.account_sid = value;
    } else if (flag == "--auth-token") { o.auth_token = value;
    } else if (flag == "--callback-delay-ms") {
      long ms = 0;
      if (!parse_number(value, ms) || ms < 0) return bad;
      o.callback_delay = std::chrono::milliseconds(ms);
    } else if (flag == "--callback-concurrency") {
      if (!parse_number(value, o.callback_concurrency) || o.callback_concurrency == 0) return bad;
    } else if (flag == "--max-pending-callbacks") {
      if (!parse_number(value, o.max_pending_callbacks)) return bad;
    } else if (flag == "--opted-out") {
      for (std::string_view rest = value; !rest.empty();) {
        const auto comma = rest.find(',');
        const std::string_view number = rest.substr(0, comma);
        if (!is_e164(number)) return bad + " (want E.164 numbers separated by commas)";
        o.opted_out.emplace(number);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
    } else if (contains(int_fault_flags, flag)) {
      std::uint64_t n = 0;
      if (!parse_number(value, n)) return bad;
      o.faults[control_key(flag)] = n;
    } else if (contains(ratio_fault_flags, flag)) {
      double x = 0;
      if (!parse_number(value, x)) return bad;
      o.faults[control_key(flag)] = x;
    } else {
      return "unknown flag " + std::string(flag) + "\n" + usage_text;
    }
  }
  if (!o.http && !o.https) return std::string("give --http and/or --https (see --help)");
  if (o.https && (o.tls_cert.empty() || o.tls_key.empty())) return std::string("--https needs --tls-cert and --tls-key");
  if (o.auth_token.empty() || o.account_sid.empty()) return std::string("--account-sid and --auth-token must not be empty");
  return o;
}

}  // namespace centinela::fake_provider
