#include "dispatcher/storage/conninfo.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

namespace centinela::storage {
namespace {

struct FreeOptions {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

// libpq's quoting: single quotes, with backslash and quote escaped by a backslash.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// Whether server options such as "-c statement_timeout=0" or "--statement-timeout=5s" set it.
bool sets_statement_timeout(std::string_view options) {
  for (const std::string_view name : {"statement_timeout", "statement-timeout"}) {
    for (auto at = options.find(name); at != std::string_view::npos; at = options.find(name, at + 1)) {
      const char before = at == 0 ? ' ' : options[at - 1];
      if (before == ' ' || before == 'c' || before == '-') return true;
    }
  }
  return false;
}

// libpq's parse errors quote the offending part of the string (missing "=" after "..."), which
// may be a piece of the password: keep the explanation and short quotes such as "=", drop the
// longer quoted parts.
std::string without_quoted_parts(char* error) {
  const std::string message = error ? error : "out of memory";
  PQfreemem(error);
  std::string out;
  std::size_t from = 0;
  for (auto open = message.find('"'); open != std::string::npos; open = message.find('"', from)) {
    const auto close = message.find('"', open + 1);
    if (close == std::string::npos) break;
    out += message.substr(from, open - from);
    out += close - open - 1 <= 2 ? message.substr(open, close - open + 1) : "\"...\"";
    from = close + 1;
  }
  out += message.substr(from);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

struct Parsed {
  std::vector<std::pair<std::string, std::string>> set;  // in libpq's order
  std::map<std::string, std::string> envvar_of;          // keyword -> its environment variable
};

Parsed parse(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, FreeOptions> options(PQconninfoParse(conninfo.c_str(), &error));
  if (!options) {
    throw std::invalid_argument("database.url does not parse: " + without_quoted_parts(error));
  }
  Parsed out;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (o->val) out.set.emplace_back(o->keyword, o->val);
    if (o->envvar) out.envvar_of[o->keyword] = o->envvar;
  }
  return out;
}

}  // namespace

ConnectionDefaults connection_defaults(const config::DatabaseConfig& db) {
  ConnectionDefaults d;
  // libpq counts whole seconds: round up, so "2500ms" never becomes a shorter wait.
  d.connect_timeout = std::chrono::ceil<std::chrono::seconds>(db.connect_timeout);
  d.statement_timeout = db.statement_timeout;
  return d;
}

std::string with_connection_defaults(const std::string& conninfo, const ConnectionDefaults& d,
                                     const EnvLookup& getenv) {
  Parsed parsed = parse(conninfo);
  const auto given = [&](const std::string& key) -> std::optional<std::string> {
    for (const auto& [k, v] : parsed.set)
      if (k == key) return v;
    if (const auto env = parsed.envvar_of.find(key); env != parsed.envvar_of.end())
      if (const char* value = getenv(env->second.c_str())) return std::string(value);
    return std::nullopt;
  };
  std::vector<std::pair<std::string, std::string>> added;
  const auto add_default = [&](const std::string& key, const std::string& value) {
    if (!given(key)) added.emplace_back(key, value);
  };
  add_default("connect_timeout", std::to_string(d.connect_timeout.count()));
  add_default("keepalives", "1");
  add_default("keepalives_idle", std::to_string(d.keepalives_idle_s));
  add_default("keepalives_interval", std::to_string(d.keepalives_interval_s));
  add_default("keepalives_count", std::to_string(d.keepalives_count));
  add_default("tcp_user_timeout", std::to_string(d.tcp_user_timeout.count()));
  if (d.statement_timeout.count() > 0) {
    const std::string options = given("options").value_or("");
    if (!sets_statement_timeout(options)) {
      std::erase_if(parsed.set, [](const auto& kv) { return kv.first == "options"; });
      added.emplace_back("options", (options.empty() ? "" : options + " ") + "-c statement_timeout=" +
                                        std::to_string(d.statement_timeout.count()));
    }
  }
  std::string out;
  for (const auto& list : {parsed.set, added}) {
    for (const auto& [key, value] : list) {
      if (!out.empty()) out += ' ';
      out += key + "=" + quoted(value);
    }
  }
  return out;
}

}  // namespace centinela::storage
