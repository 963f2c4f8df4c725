// Entry point of validation, plus the checks of the scalar sections (server, database,
// policies, tokens); the list sections have their own files.
#include "config/validate.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "config/address_block.hpp"
#include "config/validate_detail.hpp"
#include "providers/common/phone.hpp"

namespace centinela::config {
namespace detail {

void Reporter::add(std::vector<ConfigProblem>& list, Severity severity, std::string path,
                   std::string message, std::string hint) {
  const SourcePosition where = positions_.find(path);
  list.push_back(ConfigProblem{file_, where.line, where.column, std::move(path), std::move(message),
                               std::move(hint), severity});
}

std::string Reporter::describe_location(std::string_view path) const {
  const SourcePosition where = positions_.find(path);
  return where.known() ? fmt::format("line {}", where.line) : std::string{path};
}

bool is_canonical_e164(std::string_view text) {
  const auto parsed = centinela::parse_phone(text);
  return parsed && parsed->e164 == text;
}

}  // namespace detail

namespace {

// Beyond this a typo is likelier than a server (and the descriptors would not be there).
constexpr int max_connections_limit = 1'000'000;

bool is_port(std::string_view text) {
  unsigned port = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return !text.empty() && ec == std::errc{} && ptr == text.data() + text.size() && port <= 65535;
}

// "127.0.0.1:8080", "0.0.0.0:443", "[::1]:8080", "localhost:0" (port 0: pick a free one).
bool is_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view host = text.substr(0, colon);
  if (host.front() == '[' && host.back() != ']') return false;
  return is_port(text.substr(colon + 1));
}

void validate_connection_limits(detail::Reporter& r, const ServerConfig& s) {
  if (s.max_connections < 1 || s.max_connections > max_connections_limit)
    r.error("server.max_connections", fmt::format("must be between 1 and {}", max_connections_limit),
            "each costs a file descriptor; the default 1024 suits a small server");
  if (s.idle_timeout.count() <= 0) r.error("server.idle_timeout", "must be longer than zero", "e.g. \"5s\"");
  const int per_address = per_address_limit(s);
  if (per_address < 0) {
    r.error("server.max_connections_per_address", "must not be negative", "0 turns the limit off");
  } else if (per_address > s.max_connections) {
    r.error("server.max_connections_per_address", "must not exceed server.max_connections",
            "0 turns the limit off");
  }
  for (std::size_t i = 0; i < s.trusted_proxies.size(); ++i) {
    if (!parse_address_block(s.trusted_proxies[i]))
      r.error(fmt::format("server.trusted_proxies[{}]", i),
              fmt::format("\"{}\" is not an IP address or CIDR block", s.trusted_proxies[i]),
              "e.g. \"127.0.0.1\", \"10.0.0.0/8\" or \"2001:db8::/32\" (no host bits after the prefix, no names)");
  }
  if (!s.trusted_proxies.empty() && s.trusted_proxies != ServerConfig::default_trusted_proxies() && per_address == 0)
    r.warning("server.trusted_proxies", "has no effect while server.max_connections_per_address is 0",
              "set a per-address limit, or remove the list");
}

void validate_server(detail::Reporter& r, const ServerConfig& s) {
  if (!is_listen_address(s.listen))
    r.error("server.listen", fmt::format("\"{}\" is not a host:port address", s.listen),
            "e.g. \"127.0.0.1:8080\", \"0.0.0.0:8080\" or \"[::1]:8080\"");
  const std::string_view url = s.public_base_url;
  if (!(url.starts_with("http://") || url.starts_with("https://")) ||
      url.find("://") + 3 == url.size()) {
    r.error("server.public_base_url", "must be an http:// or https:// URL",
            "the address providers use to reach this server, e.g. \"https://alerts.example.org\"");
  } else if (url.ends_with("/")) {
    // Webhook URLs are built as base + "/webhooks/...", and providers sign the exact URL.
    r.error("server.public_base_url", "must not end with \"/\"", "remove the trailing slash");
  }
  if (s.max_body_bytes == 0) r.error("server.max_body_bytes", "must be at least 1");
  if (s.read_timeout.count() <= 0) r.error("server.read_timeout", "must be longer than zero");
  if (s.write_timeout.count() <= 0) r.error("server.write_timeout", "must be longer than zero");
  if (s.shutdown_grace.count() < 0) r.error("server.shutdown_grace", "must not be negative");
  validate_connection_limits(r, s);
}

void validate_database_timeouts(detail::Reporter& r, const DatabaseConfig& d) {
  // libpq waits without end for 0 and treats 1 s as 2 s: only a real bound is accepted.
  if (d.connect_timeout < std::chrono::seconds{2})
    r.error("database.connect_timeout", "must be at least 2s",
            "libpq's minimum; a short bound (e.g. \"3s\") turns a dead server into a quick 503");
  if (d.call_timeout.count() > 0 && d.statement_timeout.count() > 0 && d.call_timeout <= d.statement_timeout) {
    // A call holds several statements; cutting it first would turn the server's clean cancel
    // into a lost connection.
    r.error("database.call_timeout", "must be longer than database.statement_timeout",
            "e.g. twice as long, or 0 to never cut a call");
  }
}

void validate_general(detail::Reporter& r, const Config& c) {
  if (c.database.url.empty())
    r.error("database.url", "is required", "a libpq connection string or postgresql:// URL");
  if (c.database.pool_threads < 1) r.error("database.pool_threads", "must be at least 1");
  validate_database_timeouts(r, c.database);
  if (c.organization_contact.empty())
    r.error("organization_contact", "is required",
            "who runs this network and how to reach them: HELP replies quote it");
  if (c.intake_token_hash.empty()) {
    r.error("intake_token_hash", "is required",
            "run `centinela hash-token` and paste the sha256:... it prints");
  } else if (!is_token_hash(c.intake_token_hash)) {
    r.error("intake_token_hash", "must be \"sha256:\" followed by 64 lower-case hex digits",
            "run `centinela hash-token` and paste what it prints; never the token itself");
  }
  if (c.verification.confirmations_required < 1)
    r.error("verification.confirmations_required", "must be at least 1",
            "an unverified report must never become an alert");
  if (c.alerts.expiry.count() <= 0) r.error("alerts.expiry", "must be longer than zero");
  if (c.alerts.fanout_chunk == 0) r.error("alerts.fanout_chunk", "must be at least 1");
  if (c.alerts.reply_expiry.count() <= 0) r.error("alerts.reply_expiry", "must be longer than zero");
  // Kept readable so older files still load, but a count of attempts failed texts for good during
  // a provider outage while their alert had hours to live.
  if (c.alerts.max_attempts != 0)
    r.warning("alerts.max_attempts",
              "no longer has an effect: a text is retried on every transient provider error until its alert "
              "expires (alerts.expiry), then marked expired",
              "remove the key");
}

}  // namespace

bool is_token_hash(std::string_view text) {
  constexpr std::string_view prefix = "sha256:";
  if (!text.starts_with(prefix) || text.size() != prefix.size() + 64) return false;
  for (const char c : text.substr(prefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_plain_id(std::string_view text) {
  if (text.empty()) return false;
  const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(text.front())) return false;
  for (const char c : text)
    if (!(lower_or_digit(c) || c == '-' || c == '_')) return false;
  return true;
}

ValidationReport validate(const Config& config, const SourceMap& positions) {
  ValidationReport report;
  detail::Reporter r{config, positions, report};
  validate_server(r, config.server);
  validate_general(r, config);
  detail::validate_regions(r, config);
  detail::validate_operators(r, config);
  detail::validate_providers(r, config);
  detail::validate_templates(r, config);
  detail::validate_members(r, config);
  detail::validate_flood(r, config);
  detail::validate_workflow(r, config);
  detail::validate_time_zones(r, config);
  return report;
}

}  // namespace centinela::config
