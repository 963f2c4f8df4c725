// Checks of SMS providers: known types, the credentials each type needs, sender numbers and
// rates, and transport settings that keep provider traffic encrypted.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/suggest.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

struct ProviderType {
  std::string_view name;
  std::vector<std::string_view> credentials;  // all required, no others accepted
};

const std::array<ProviderType, 2>& provider_types() {
  static const std::array<ProviderType, 2> types{
      ProviderType{"console", {}},
      ProviderType{"twilio", {"account_sid", "auth_token"}},
  };
  return types;
}

const ProviderType* find_type(std::string_view name) {
  for (const auto& t : provider_types())
    if (t.name == name) return &t;
  return nullptr;
}

// The host of "http://127.0.0.1:9000/x" -> "127.0.0.1"; of "http://[::1]:9000" -> "::1".
std::string_view url_host(std::string_view url) {
  const auto scheme_end = url.find("://");
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.starts_with("[")) return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find_first_of(":/?#"));
}

// "localhost", "::1" or a dotted 127.x.x.x address (not "127.example.org").
bool is_loopback(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

void check_base_url(Reporter& r, const std::string& path, const std::string& url) {
  if (url.starts_with("https://") && url.size() > 8) return;
  if (url.starts_with("http://") && url.size() > 7) {
    // Credentials and member numbers cross this connection: plain HTTP only to a local fake.
    if (!is_loopback(url_host(url)))
      r.error(path, "plain http:// is allowed only for a loopback address",
              "use https://, or http://127.0.0.1:PORT for the fake provider in tests");
    return;
  }
  r.error(path, "must be an https:// URL (plain http:// is allowed only for a loopback address)",
          "leave it out to use the provider's own API address; http://127.0.0.1:PORT is for the fake provider in tests");
}

void check_credentials(Reporter& r, const std::string& path, const Provider& p,
                       const ProviderType& type) {
  for (const auto& needed : type.credentials) {
    if (!p.credentials.contains(std::string{needed}))
      r.error(fmt::format("{}.credentials.{}", path, needed),
              fmt::format("{} providers need credentials.{}", p.type, needed),
              fmt::format("add {}: \"${{NAME}}\" under credentials and set NAME in the "
                          "environment",
                          needed));
  }
  for (const auto& [key, _] : p.credentials) {
    if (std::find(type.credentials.begin(), type.credentials.end(), key) == type.credentials.end())
      r.error(fmt::format("{}.credentials.{}", path, key),
              fmt::format("{} providers take no credential \"{}\"", p.type, key),
              suggestion_hint(key, type.credentials));
  }
}

void check_senders(Reporter& r, const std::string& path, const Provider& p,
                   std::map<std::string, std::string>& number_owner) {
  if (p.senders.empty())
    r.error(path + ".senders", "at least one sender number is required",
            "the numbers texts are sent from, each with its messages_per_second");
  for (std::size_t i = 0; i < p.senders.size(); ++i) {
    const Sender& s = p.senders[i];
    const std::string sender_path = fmt::format("{}.senders[{}]", path, i);
    if (!is_canonical_e164(s.number)) {
      r.error(sender_path + ".number", "is not a valid phone number written in E.164",
              "write '+', the country code and the number, no spaces: \"+12135550100\"");
    } else if (auto [it, fresh] = number_owner.emplace(s.number, sender_path); !fresh) {
      r.error(sender_path + ".number", fmt::format("same sender number as {}", it->second),
              "inbound texts are routed by the number they were sent to");
    }
    if (!(std::isfinite(s.messages_per_second) && s.messages_per_second > 0))
      r.error(sender_path + ".messages_per_second", "must be greater than zero",
              "the sender's rate limit at the provider, e.g. 1 for a US long code");
  }
}

void check_provider(Reporter& r, const std::string& path, const Provider& p,
                    std::map<std::string, std::string>& number_owner) {
  std::vector<std::string_view> type_names;
  for (const auto& t : provider_types()) type_names.push_back(t.name);
  const ProviderType* type = find_type(p.type);
  if (p.type.empty()) {
    r.error(path + ".type", "is required", suggestion_hint(p.type, type_names));
  } else if (type == nullptr) {
    r.error(path + ".type", fmt::format("unknown provider type \"{}\"", p.type),
            suggestion_hint(p.type, type_names));
  }
  if (type != nullptr) check_credentials(r, path, p, *type);
  check_senders(r, path, p, number_owner);
  if (p.max_connections < 1) r.error(path + ".max_connections", "must be at least 1");
  if (p.type == "console") {
    if (p.output_file.empty())
      r.error(path + ".output_file", "is required for console providers",
              "e.g. \"var/console-outbox.jsonl\"");
    // Settings a console provider would silently ignore are more likely a mistaken type.
    if (!p.base_url.empty()) r.error(path + ".base_url", "applies only to HTTP providers");
    if (!p.ca_file.empty()) r.error(path + ".ca_file", "applies only to HTTP providers");
  } else if (type != nullptr) {
    if (!p.output_file.empty())
      r.error(path + ".output_file", "applies only to console providers");
    if (!p.base_url.empty()) check_base_url(r, path + ".base_url", p.base_url);
  }
}

}  // namespace

void validate_providers(Reporter& r, const Config& c) {
  if (c.providers.empty()) {
    r.error("providers", "at least one provider is required",
            "for a first run use a console provider: it writes texts to a file");
    return;
  }
  std::map<std::string, std::string> name_owner;
  std::map<std::string, std::string> number_owner;
  for (std::size_t i = 0; i < c.providers.size(); ++i) {
    const Provider& p = c.providers[i];
    const std::string path = fmt::format("providers[{}]", i);
    if (p.name.empty()) {
      r.error(path + ".name", "is required", "used in webhook URLs, e.g. \"twilio\"");
    } else if (!is_plain_id(p.name)) {
      r.error(path + ".name", fmt::format("\"{}\" is not a valid provider name", p.name),
              "use lower-case letters, digits and '-': it appears in webhook URLs");
    } else if (auto [it, fresh] = name_owner.emplace(p.name, path); !fresh) {
      r.error(path + ".name", fmt::format("duplicate provider name \"{}\" (also {})", p.name,
                                          it->second));
    }
    check_provider(r, path, p, number_owner);
  }
  // The console provider trusts every inbound webhook (there is no provider to sign them) and
  // "sends" to a file. Beside a real provider it would take a share of real alerts and open an
  // unauthenticated door for forged operator commands, so it only ever runs alone.
  if (c.providers.size() > 1) {
    for (std::size_t i = 0; i < c.providers.size(); ++i) {
      if (c.providers[i].type == "console")
        r.error(fmt::format("providers[{}].type", i), "a console provider cannot run beside other providers",
                "remove it when a real provider is configured; it is for trying Centinela out");
    }
  }
  const bool console = !c.providers.empty() && c.providers.front().type == "console";
  const auto host = c.server.listen.substr(0, c.server.listen.rfind(':'));
  if (console && host != "127.0.0.1" && host != "localhost" && host != "[::1]")
    r.error("server.listen", "a console provider only runs on a loopback address",
            "its webhooks are unsigned: anyone who can reach the port could forge operator commands");
}

}  // namespace centinela::config::detail
