// The YAML shape of the configuration, one table of keys per section (config/example.yaml
// documents every key).
#include "config/parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/suggest.hpp"
#include "config/time_zone.hpp"
#include "config/yaml_reader.hpp"

namespace centinela::config {
namespace {

using detail::child_path;
using detail::YamlReader;

void read_server(YamlReader& r, const std::string& path, const YAML::Node& node, ServerConfig& s) {
  r.read_fields(path, node,
                {r.field("listen", s.listen), r.field("public_base_url", s.public_base_url),
                 r.field("max_body_bytes", s.max_body_bytes),
                 r.field("read_timeout", s.read_timeout), r.field("write_timeout", s.write_timeout),
                 r.field("shutdown_grace", s.shutdown_grace),
                 r.field("max_connections", s.max_connections), r.field("idle_timeout", s.idle_timeout),
                 r.field("max_connections_per_address", s.max_connections_per_address),
                 r.field("trusted_proxies", s.trusted_proxies)});
}

// "${NAME}" references in a value that may differ per deployment (a database password, a provider
// API address) are replaced from the environment; a missing variable is an error naming it.
void resolve_env_refs(YamlReader& r, const std::string& path, std::string& value, const EnvLookup& env) {
  if (value.find("${") == std::string::npos) return;
  Interpolated resolved = interpolate_env(value, env);
  if (!resolved.syntax_error.empty()) {
    r.error(path, resolved.syntax_error, "reference variables as ${NAME}");
    return;
  }
  for (const auto& name : resolved.unset)
    r.error(path, fmt::format("environment variable {} is not set", name),
            fmt::format("export {} before starting Centinela", name));
  value = std::move(resolved.text);
}

void read_database(YamlReader& r, const std::string& path, const YAML::Node& node,
                   DatabaseConfig& d, const EnvLookup& env) {
  r.read_fields(path, node,
                {r.field("url", d.url), r.field("pool_threads", d.pool_threads),
                 r.field("connect_timeout", d.connect_timeout),
                 r.field("statement_timeout", d.statement_timeout),
                 r.field("call_timeout", d.call_timeout)});
  // The URL may carry a password, so it may name variables: "...password=${CENTINELA_DB_PASSWORD}".
  resolve_env_refs(r, child_path(path, "url"), d.url, env);
}

void read_region(YamlReader& r, const std::string& path, const YAML::Node& node, Region& region) {
  r.read_fields(path, node,
                {r.field("id", region.id), r.field("name", region.name),
                 r.field("parent", region.parent), r.field("keywords", region.keywords),
                 r.field("zip_codes", region.zip_codes),
                 r.field("confirmations_required", region.confirmations_required),
                 r.field("time_zone", region.time_zone)});
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Names are matched case-insensitively: "Coordinator" is as clear as "coordinator".
void read_role(YamlReader& r, const std::string& path, const YAML::Node& node, OperatorRole& role) {
  static constexpr std::array<std::pair<std::string_view, OperatorRole>, 3> roles{
      {{"responder", OperatorRole::responder},
       {"backup", OperatorRole::backup},
       {"coordinator", OperatorRole::coordinator}}};
  std::string text;
  r.read(path, node, text);
  if (!node.IsScalar()) return;  // a list or mapping: already reported
  for (const auto& [name, value] : roles) {
    if (name == lower(text)) {
      role = value;
      return;
    }
  }
  const std::vector<std::string_view> names{"responder", "backup", "coordinator"};
  std::string hint = "a role is one of: responder, backup, coordinator";
  if (auto close = closest_match(text, names); !close.empty())
    hint = fmt::format("did you mean \"{}\"? {}", close, hint);
  r.error(path, fmt::format("unknown role \"{}\"", text), hint);
}

// Day words of a shift, 0 = Sunday. The shorthands stand for several days at once.
std::vector<int> days_named(std::string_view word) {
  static constexpr std::array<std::string_view, 7> short_names{"sun", "mon", "tue", "wed",
                                                                "thu", "fri", "sat"};
  static constexpr std::array<std::string_view, 7> long_names{
      "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (int d = 0; d < 7; ++d)
    if (word == short_names[d] || word == long_names[d]) return {d};
  if (word == "daily") return {0, 1, 2, 3, 4, 5, 6};
  if (word == "weekdays") return {1, 2, 3, 4, 5};
  if (word == "weekends") return {0, 6};
  return {};
}

// `days: [mon, tue]`, or one word alone: `days: weekdays`. Problems are reported under the
// days path itself (at the offending word), so validation's "needs a day" is not echoed.
void read_days(YamlReader& r, const std::string& path, const YAML::Node& node,
               std::vector<int>& days) {
  const auto add = [&](const YAML::Node& item) {
    if (!item.IsScalar()) {
      r.error_at(detail::position_of(item.Mark()), path, "expected a day name, found a list or mapping",
                 "write days like [mon, tue] or one of daily, weekdays, weekends");
      return;
    }
    const std::vector<int> named = days_named(lower(item.Scalar()));
    if (named.empty()) {
      const std::vector<std::string_view> words{"sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                                "daily", "weekdays", "weekends"};
      std::string hint = "days are sun, mon, tue, wed, thu, fri, sat, or daily, weekdays, weekends";
      if (auto close = closest_match(lower(item.Scalar()), words); !close.empty())
        hint = fmt::format("did you mean \"{}\"? {}", close, hint);
      r.error_at(detail::position_of(item.Mark()), path,
                 fmt::format("unknown day \"{}\"", item.Scalar()), hint);
      return;
    }
    days.insert(days.end(), named.begin(), named.end());
  };
  days.clear();
  if (node.IsScalar()) {
    add(node);
  } else {
    r.read_list(path, node, [&](const std::string&, const YAML::Node& item) { add(item); });
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
}

// "18:00", "6:30" -> minutes after midnight. 24-hour clock; midnight is "00:00", and a shift may
// end at "24:00" (the end of its day: 1440) so that a whole day needs no lost minute.
std::optional<int> parse_clock(std::string_view text, bool is_end) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
    return std::nullopt;
  int hours = 0;
  int minutes = 0;
  for (const char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    hours = hours * 10 + (c - '0');
  }
  for (const char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    minutes = minutes * 10 + (c - '0');
  }
  if (is_end && hours == 24 && minutes == 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

// An unreadable or missing time is left as -1, which validation also rejects at the same path,
// so the loader drops that echo instead of complaining about a made-up midnight.
void read_clock(YamlReader& r, const std::string& path, const YAML::Node& node, bool is_end,
                int& minute) {
  minute = -1;
  std::string text;
  r.read(path, node, text);
  if (!node.IsScalar()) return;
  if (auto parsed = parse_clock(text, is_end)) {
    minute = *parsed;
  } else {
    r.error(path, fmt::format("expected a time like \"18:00\", found \"{}\"", text),
            is_end ? "24-hour clock, HH:MM; \"24:00\" is the end of the day"
                   : "24-hour clock, HH:MM; midnight is \"00:00\"");
  }
}

void read_shift(YamlReader& r, const std::string& path, const YAML::Node& node, Shift& shift) {
  bool has_start = false;
  bool has_end = false;
  r.read_fields(path, node,
                {{"days", [&](const std::string& p, const YAML::Node& n) { read_days(r, p, n, shift.days); }},
                 {"start",
                  [&](const std::string& p, const YAML::Node& n) {
                    has_start = true;
                    read_clock(r, p, n, false, shift.start_minute);
                  }},
                 {"end", [&](const std::string& p, const YAML::Node& n) {
                    has_end = true;
                    read_clock(r, p, n, true, shift.end_minute);
                  }}});
  if (!node.IsMap()) return;  // already reported
  // Midnight is a plausible start, so a forgotten time must not silently become one.
  if (!has_start) {
    shift.start_minute = -1;
    r.error(child_path(path, "start"), "is required", "when the shift starts, e.g. \"18:00\"");
  }
  if (!has_end) {
    shift.end_minute = -1;
    r.error(child_path(path, "end"), "is required",
            "when the shift ends, e.g. \"06:00\" (before the start: the next morning)");
  }
}

void read_operator(YamlReader& r, const std::string& path, const YAML::Node& node, Operator& op) {
  using Node = YAML::Node;
  r.read_fields(
      path, node,
      {r.field("name", op.name), r.field("phone", op.phone), r.field("regions", op.regions),
       r.field("api_token_hash", op.api_token_hash),
       {"role", [&](const std::string& p, const Node& n) { read_role(r, p, n, op.role); }},
       {"schedule", [&](const std::string& p, const Node& n) {
          r.read_list(p, n, [&](const std::string& item, const Node& shift) {
            read_shift(r, item, shift, op.schedule.emplace_back());
          });
        }}});
}

void read_observer(YamlReader& r, const std::string& path, const YAML::Node& node, Observer& o) {
  r.read_fields(path, node,
                {r.field("name", o.name), r.field("phone", o.phone), r.field("regions", o.regions)});
}

void read_sender(YamlReader& r, const std::string& path, const YAML::Node& node, Sender& sender) {
  r.read_fields(path, node,
                {r.field("number", sender.number),
                 r.field("messages_per_second", sender.messages_per_second)});
}

// "twilio-main" + "auth_token" -> "TWILIO_MAIN_AUTH_TOKEN": the variable name we suggest.
std::string suggested_env_name(std::string_view provider, std::string_view key) {
  std::string out = fmt::format("{}_{}", provider.empty() ? "PROVIDER" : provider, key);
  for (auto& c : out)
    c = std::isalnum(static_cast<unsigned char>(c))
            ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
            : '_';
  return out;
}

struct RawSecret {
  std::string path;
  std::string key;
  std::string text;  // as written in YAML: must be "${NAME}"; never quoted back in a message
};

// Secrets live in the environment only: a literal in the file is refused (it would end up in
// git, backups and bug reports), and a missing variable is named (its value never is).
void resolve_secrets(YamlReader& r, const std::vector<RawSecret>& secrets, Provider& p,
                     const EnvLookup& env) {
  for (const auto& s : secrets) {
    const std::string suggested = suggested_env_name(p.name, s.key);
    const auto name = whole_env_reference(s.text);
    if (!name) {
      r.error(s.path,
              fmt::format("credential \"{}\" must be an environment variable reference, not a "
                          "literal value",
                          s.key),
              fmt::format("write {}: \"${{{}}}\" and set {} in the environment", s.key, suggested,
                          suggested));
      continue;
    }
    const auto value = env(*name);
    if (!value) {
      r.error(s.path, fmt::format("environment variable {} is not set", *name),
              fmt::format("export {} before starting Centinela", *name));
    } else if (value->empty()) {
      r.error(s.path, fmt::format("environment variable {} is set but empty", *name),
              fmt::format("give {} the provider's {}", *name, s.key));
    } else {
      p.credentials[s.key] = *value;
    }
  }
}

void read_provider(YamlReader& r, const std::string& path, const YAML::Node& node, Provider& p,
                   const EnvLookup& env) {
  std::vector<RawSecret> secrets;
  const auto read_credentials = [&](const std::string& cred_path, const YAML::Node& value) {
    r.read_entries(cred_path, value, [&](const YamlReader::Entry& e) {
      std::string raw;
      r.read(e.path, e.value, raw);
      secrets.push_back({e.path, e.key, std::move(raw)});
    });
  };
  const auto read_senders = [&](const std::string& list_path, const YAML::Node& value) {
    r.read_list(list_path, value, [&](const std::string& item, const YAML::Node& sender) {
      read_sender(r, item, sender, p.senders.emplace_back());
    });
  };
  r.read_fields(path, node,
                {r.field("name", p.name), r.field("type", p.type), r.field("base_url", p.base_url),
                 {"credentials", read_credentials}, {"senders", read_senders},
                 r.field("output_file", p.output_file), r.field("ca_file", p.ca_file),
                 r.field("max_connections", p.max_connections)});
  resolve_secrets(r, secrets, p, env);  // after the fields, so the hint can use the name
  resolve_env_refs(r, child_path(path, "base_url"), p.base_url, env);
  if (p.type == "console" && p.output_file.empty()) p.output_file = default_console_output;
}

void read_templates(YamlReader& r, const std::string& path, const YAML::Node& node,
                    std::map<std::string, LanguageTemplates>& templates) {
  r.read_entries(path, node, [&](const YamlReader::Entry& language) {
    auto& by_key = templates[language.key];
    r.read_entries(language.path, language.value, [&](const YamlReader::Entry& text) {
      r.read(text.path, text.value, by_key[text.key]);
    });
  });
}

// A languages: section replaces the built-in keywords, so a network can drop a language it does
// not serve (or rename its keywords) without inheriting ours.
void read_languages(YamlReader& r, const std::string& path, const YAML::Node& node,
                    std::map<std::string, LanguageKeywords>& languages) {
  r.read_entries(path, node, [&](const YamlReader::Entry& language) {
    auto& entry = languages[language.key];
    r.read_fields(language.path, language.value, {r.field("keywords", entry.keywords)});
  });
}

void read_rate_limit(YamlReader& r, const std::string& path, const YAML::Node& node, RateLimit& limit) {
  r.read_fields(path, node, {r.field("max_reports", limit.max_reports), r.field("window", limit.window)});
}

void read_flood(YamlReader& r, const std::string& path, const YAML::Node& node, FloodPolicy& f) {
  using Node = YAML::Node;
  r.read_fields(
      path, node,
      {{"per_sender", [&](const std::string& p, const Node& n) { read_rate_limit(r, p, n, f.per_sender); }},
       {"per_region", [&](const std::string& p, const Node& n) { read_rate_limit(r, p, n, f.per_region); }},
       r.field("blocklist", f.blocklist), r.field("low_trust_rejections", f.low_trust_rejections),
       {"burst", [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("window", f.burst.window), r.field("new_reporters", f.burst.new_reporters),
                         r.field("max_operator_pages_per_window", f.burst.max_operator_pages_per_window)});
        }}});
}

void read_document(YamlReader& r, const YAML::Node& root, Config& c, const EnvLookup& env) {
  using Node = YAML::Node;
  const auto list_of = [&r](auto& items, auto read_item) {
    return [&r, &items, read_item](const std::string& path, const Node& value) {
      r.read_list(path, value, [&](const std::string& item, const Node& node) {
        read_item(r, item, node, items.emplace_back());
      });
    };
  };
  r.read_fields(
      "", root,
      {{"server", [&](const std::string& p, const Node& n) { read_server(r, p, n, c.server); }},
       {"database",
        [&](const std::string& p, const Node& n) { read_database(r, p, n, c.database, env); }},
       r.field("default_language", c.default_language), r.field("time_zone", c.time_zone),
       r.field("organization_contact", c.organization_contact),
       r.field("intake_token_hash", c.intake_token_hash),
       {"verification",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("confirmations_required", c.verification.confirmations_required),
                         r.field("second_approver_above", c.verification.second_approver_above),
                         r.field("claim_lease", c.verification.claim_lease),
                         r.field("required_evidence", c.verification.required_evidence)});
        }},
       {"escalation",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("unclaimed_after", c.escalation.unclaimed_after),
                         r.field("undecided_after", c.escalation.undecided_after)});
        }},
       {"incidents",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n, {r.field("window", c.incidents.window)});
        }},
       {"relay",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n, {r.field("window", c.relay.window)});
        }},
       {"exercise",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n, {r.field("test_group", c.exercise.test_group)});
        }},
       {"alerts",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("expiry", c.alerts.expiry),
                         r.field("fanout_chunk", c.alerts.fanout_chunk),
                         r.field("reply_expiry", c.alerts.reply_expiry),
                         r.field("max_attempts", c.alerts.max_attempts)});
        }},
       {"members",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("join_confirmation_window", c.members.join_confirmation_window),
                         r.field("opt_out_words", c.members.opt_out_words)});
        }},
       {"flood", [&](const std::string& p, const Node& n) { read_flood(r, p, n, c.flood); }},
       {"languages",
        [&](const std::string& p, const Node& n) { read_languages(r, p, n, c.languages); }},
       {"regions", list_of(c.regions, read_region)},
       {"operators", list_of(c.operators, read_operator)},
       {"observers", list_of(c.observers, read_observer)},
       {"providers",
        [&](const std::string& p, const Node& n) {
          r.read_list(p, n, [&](const std::string& item, const Node& node) {
            read_provider(r, item, node, c.providers.emplace_back(), env);
          });
        }},
       {"templates",
        [&](const std::string& p, const Node& n) { read_templates(r, p, n, c.templates); }}});
}

}  // namespace

ParsedConfig parse_config(std::string_view text, std::string_view name, const EnvLookup& env) {
  ParsedConfig out;
  out.config.source_path = std::string{name};
  YamlReader r{std::string{name}, out.positions};
  YAML::Node root;
  try {
    root = YAML::Load(std::string{text});
  } catch (const YAML::Exception& e) {
    // Broken syntax: nothing below it can be trusted, so this is the only problem reported.
    r.error_at(detail::position_of(e.mark), "", fmt::format("invalid YAML: {}", e.msg),
               "check the indentation and quoting around this position");
    out.errors = std::move(r.problems());
    return out;
  }
  if (root.IsNull()) {
    r.error_at({}, "", "the configuration is empty",
               "start from config/example.yaml, which documents every key");
  } else if (!root.IsMap()) {
    r.error_at(detail::position_of(root.Mark()), "",
               "the top level must be a mapping of keys (server:, regions:, ...)");
  } else {
    read_document(r, root, out.config, env);
    if (out.config.time_zone.empty()) {
      out.config.time_zone = machine_time_zone(env);
      out.config.time_zone_from_machine = true;
    }
  }
  out.errors = std::move(r.problems());
  return out;
}

}  // namespace centinela::config
