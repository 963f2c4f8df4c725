// The YAML shape of the configuration, one table of keys per section (config/example.yaml
// documents every key).
#include "config/parse.hpp"

#include <cctype>
#include <string>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

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
                 r.field("shutdown_grace", s.shutdown_grace)});
}

void read_database(YamlReader& r, const std::string& path, const YAML::Node& node,
                   DatabaseConfig& d, const EnvLookup& env) {
  r.read_fields(path, node, {r.field("url", d.url), r.field("pool_threads", d.pool_threads)});
  if (d.url.find("${") == std::string::npos) return;
  // The URL may carry a password, so it may name variables: "...password=${CENTINELA_DB_PASSWORD}".
  const std::string url_path = child_path(path, "url");
  Interpolated resolved = interpolate_env(d.url, env);
  if (!resolved.syntax_error.empty()) {
    r.error(url_path, resolved.syntax_error, "reference variables as ${NAME}");
    return;
  }
  for (const auto& name : resolved.unset)
    r.error(url_path, fmt::format("environment variable {} is not set", name),
            fmt::format("export {} before starting Centinela", name));
  d.url = std::move(resolved.text);
}

void read_region(YamlReader& r, const std::string& path, const YAML::Node& node, Region& region) {
  r.read_fields(path, node,
                {r.field("id", region.id), r.field("name", region.name),
                 r.field("parent", region.parent), r.field("keywords", region.keywords),
                 r.field("zip_codes", region.zip_codes)});
}

void read_operator(YamlReader& r, const std::string& path, const YAML::Node& node, Operator& op) {
  r.read_fields(path, node,
                {r.field("name", op.name), r.field("phone", op.phone),
                 r.field("regions", op.regions), r.field("api_token_hash", op.api_token_hash)});
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
       r.field("default_language", c.default_language),
       r.field("organization_contact", c.organization_contact),
       r.field("intake_token_hash", c.intake_token_hash),
       {"verification",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("confirmations_required", c.verification.confirmations_required)});
        }},
       {"alerts",
        [&](const std::string& p, const Node& n) {
          r.read_fields(p, n,
                        {r.field("expiry", c.alerts.expiry),
                         r.field("fanout_chunk", c.alerts.fanout_chunk),
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
  }
  out.errors = std::move(r.problems());
  return out;
}

}  // namespace centinela::config
