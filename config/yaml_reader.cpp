// yaml-cpp tree -> plain values, collecting every problem with its line and column.
#include "config/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "config/duration.hpp"
#include "config/suggest.hpp"

namespace centinela::config::detail {
namespace {

std::string_view describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

// Values quoted back in messages are cut short: a wrong-typed field may hold a paragraph.
std::string quoted(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  if (text.size() > max_shown) return fmt::format("\"{}...\"", text.substr(0, max_shown));
  return fmt::format("\"{}\"", text);
}

template <class Int>
bool parse_whole(std::string_view text, Int& out) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

constexpr std::string_view duration_hint =
    "write a duration like \"90s\", \"15m\", \"2h\", \"500ms\", \"1h30m\" or whole seconds";

}  // namespace

SourcePosition position_of(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0, editors from 1
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string{key} : fmt::format("{}.{}", parent, key);
}

std::string item_path(const std::string& parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

void YamlReader::error(std::string path, std::string message, std::string hint) {
  const SourcePosition where = positions_.find(path);
  error_at(where, std::move(path), std::move(message), std::move(hint));
}

void YamlReader::error_at(SourcePosition where, std::string path, std::string message,
                          std::string hint) {
  problems_.push_back(ConfigProblem{file_, where.line, where.column, std::move(path),
                                    std::move(message), std::move(hint), Severity::error});
}

void YamlReader::read_entries(const std::string& path, const YAML::Node& node,
                              const std::function<void(const Entry&)>& on_entry) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    error(path, fmt::format("expected a mapping of names to values, found {}", describe(node)));
    return;
  }
  std::map<std::string, SourcePosition> seen;
  for (const auto& entry : node) {
    const SourcePosition key_at = position_of(entry.first.Mark());
    if (!entry.first.IsScalar()) {
      error_at(key_at, path, "keys must be plain names");
      continue;
    }
    const std::string key = entry.first.Scalar();
    const std::string entry_path = child_path(path, key);
    if (auto [it, fresh] = seen.emplace(key, key_at); !fresh) {
      error_at(key_at, entry_path,
               fmt::format("duplicate key \"{}\" (first given on line {})", key, it->second.line),
               "remove one of them: YAML would silently keep only one");
      continue;
    }
    // A key with no value (`parent:`) has its mark on the next token: point at the key instead.
    const SourcePosition value_at = position_of(entry.second.Mark());
    positions_.record(entry_path, entry.second.IsNull() || !value_at.known() ? key_at : value_at);
    on_entry(Entry{entry_path, key, key_at, entry.second});
  }
}

void YamlReader::read_fields(const std::string& path, const YAML::Node& node,
                             const std::vector<Field>& fields) {
  std::vector<std::string_view> known;
  for (const auto& f : fields) known.push_back(f.key);
  read_entries(path, node, [&](const Entry& e) {
    for (const auto& f : fields) {
      if (f.key == e.key) {
        f.read(e.path, e.value);
        return;
      }
    }
    const std::string where = path.empty() ? std::string{"at the top level"} : "in " + path;
    error_at(e.key_at, e.path, fmt::format("unknown key \"{}\" {}", e.key, where),
             suggestion_hint(e.key, known));
  });
}

void YamlReader::read_list(const std::string& path, const YAML::Node& node, const NodeReader& read) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    error(path, fmt::format("expected a list, found {}", describe(node)),
          "start each item on its own line with \"- \"");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = item_path(path, i);
    positions_.record(p, position_of(node[i].Mark()));
    read(p, node[i]);
  }
}

bool YamlReader::expect_scalar(const std::string& path, const YAML::Node& node,
                               std::string_view wanted) {
  if (node.IsScalar()) return true;
  error(path, fmt::format("expected {}, found {}", wanted, describe(node)));
  return false;
}

void YamlReader::read(const std::string& path, const YAML::Node& node, std::string& out) {
  if (node.IsNull()) {
    out.clear();  // `key:` with nothing after it: empty, and required fields say so in validate
    return;
  }
  if (expect_scalar(path, node, "a string")) out = node.Scalar();
}

void YamlReader::read(const std::string& path, const YAML::Node& node, int& out) {
  if (!expect_scalar(path, node, "an integer")) return;
  if (!parse_whole(node.Scalar(), out))
    error(path, fmt::format("expected an integer, found {}", quoted(node.Scalar())));
}

void YamlReader::read(const std::string& path, const YAML::Node& node, std::optional<int>& out) {
  int value = 0;
  const auto errors_before = problems_.size();
  read(path, node, value);
  if (problems_.size() == errors_before) out = value;
}

void YamlReader::read(const std::string& path, const YAML::Node& node, long long& out) {
  if (!expect_scalar(path, node, "an integer")) return;
  if (!parse_whole(node.Scalar(), out))
    error(path, fmt::format("expected an integer, found {}", quoted(node.Scalar())));
}

void YamlReader::read(const std::string& path, const YAML::Node& node, std::size_t& out) {
  if (!expect_scalar(path, node, "a non-negative integer")) return;
  if (!parse_whole(node.Scalar(), out))
    error(path, fmt::format("expected a non-negative integer, found {}", quoted(node.Scalar())));
}

void YamlReader::read(const std::string& path, const YAML::Node& node, double& out) {
  if (!expect_scalar(path, node, "a number")) return;
  double value = 0;
  if (!parse_whole(node.Scalar(), value) || !std::isfinite(value)) {
    error(path, fmt::format("expected a number, found {}", quoted(node.Scalar())));
    return;
  }
  out = value;
}

void YamlReader::read(const std::string& path, const YAML::Node& node,
                      std::chrono::milliseconds& out) {
  if (!expect_scalar(path, node, "a duration")) return;
  if (auto d = parse_duration(node.Scalar())) {
    out = *d;
  } else {
    error(path, fmt::format("expected a duration, found {}", quoted(node.Scalar())),
          std::string{duration_hint});
  }
}

void YamlReader::read(const std::string& path, const YAML::Node& node, std::chrono::seconds& out) {
  std::chrono::milliseconds ms{-1};
  read(path, node, ms);
  if (ms.count() < 0) return;  // already reported
  if (ms.count() % 1000 != 0) {
    error(path, fmt::format("expected whole seconds, found {}", quoted(node.Scalar())),
          "this setting has a resolution of one second");
    return;
  }
  out = std::chrono::duration_cast<std::chrono::seconds>(ms);
}

void YamlReader::read(const std::string& path, const YAML::Node& node,
                      std::vector<std::string>& out) {
  out.clear();
  read_list(path, node, [&](const std::string& item, const YAML::Node& value) {
    if (expect_scalar(item, value, "a string")) out.push_back(value.Scalar());
  });
}

}  // namespace centinela::config::detail
