// Internal to the loader: walks a yaml-cpp tree into plain values, recording every problem
// (unknown key, wrong type, duplicate) with its position instead of stopping at the first, and
// recording each node's position so the validator can point at it later.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/problem.hpp"

namespace centinela::config::detail {

SourcePosition position_of(const YAML::Mark& mark);

class YamlReader {
 public:
  using NodeReader = std::function<void(const std::string& path, const YAML::Node& value)>;
  struct Field {
    std::string_view key;
    NodeReader read;
  };

  YamlReader(std::string file, SourceMap& positions)
      : file_(std::move(file)), positions_(positions) {}

  std::vector<ConfigProblem>& problems() { return problems_; }

  // Reports at the recorded position of `path` (or its nearest recorded ancestor).
  void error(std::string path, std::string message, std::string hint = {});
  void error_at(SourcePosition where, std::string path, std::string message, std::string hint = {});

  // A mapping with a fixed set of keys: each known key is handed to its reader, each unknown or
  // repeated key is an error (a typo must not silently keep a default). Null reads as empty.
  void read_fields(const std::string& path, const YAML::Node& node, const std::vector<Field>& fields);
  struct Entry {
    std::string path;        // "templates.es"
    std::string key;         // "es"
    SourcePosition key_at;   // where the key is written: for "unknown key" problems
    const YAML::Node& value;
  };
  // A mapping with free keys (languages, credential names): on_entry(entry) for each.
  void read_entries(const std::string& path, const YAML::Node& node,
                    const std::function<void(const Entry&)>& on_entry);
  // A list: read(path[i], item) for each item. Null reads as an empty list.
  void read_list(const std::string& path, const YAML::Node& node, const NodeReader& read);

  // Scalar readers: on a wrong type they report it and leave `out` unchanged.
  void read(const std::string& path, const YAML::Node& node, std::string& out);
  void read(const std::string& path, const YAML::Node& node, int& out);
  void read(const std::string& path, const YAML::Node& node, std::optional<int>& out);
  void read(const std::string& path, const YAML::Node& node, long long& out);
  void read(const std::string& path, const YAML::Node& node, std::size_t& out);
  void read(const std::string& path, const YAML::Node& node, double& out);
  void read(const std::string& path, const YAML::Node& node, std::chrono::milliseconds& out);
  void read(const std::string& path, const YAML::Node& node, std::chrono::seconds& out);
  void read(const std::string& path, const YAML::Node& node, std::vector<std::string>& out);

  // A table row that reads `key` into `out` with the matching reader above.
  template <class T>
  Field field(std::string_view key, T& out) {
    return Field{key, [this, &out](const std::string& path, const YAML::Node& value) {
                   read(path, value, out);
                 }};
  }

 private:
  bool expect_scalar(const std::string& path, const YAML::Node& node, std::string_view wanted);

  std::string file_;
  SourceMap& positions_;
  std::vector<ConfigProblem> problems_;
};

// "providers[0].senders" + 1 -> "providers[0].senders[1]"; "" + "server" -> "server".
std::string child_path(const std::string& parent, std::string_view key);
std::string item_path(const std::string& parent, std::size_t index);

}  // namespace centinela::config::detail
