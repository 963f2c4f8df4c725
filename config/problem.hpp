// What the config loader and validator report: one problem per finding, with the YAML position
// of the offending node so `centinela check-config` can print file:line:column like a compiler.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace centinela::config {

enum class Severity { error, warning };

struct ConfigProblem {
  std::string file;    // the config file (or the name given to load_config_from_string)
  int line = 0;        // 1-based; 0 when unknown (e.g. a Config built in code)
  int column = 0;      // 1-based; 0 when unknown
  std::string path;    // where in the document: "regions[2].parent", "templates.es.alert"
  std::string message;
  std::string hint;    // how to fix it; may be empty
  Severity severity = Severity::error;
};

// "config/example.yaml:12:7: error: regions[1].parent: unknown region \"la-nort\"
//  (hint: did you mean \"la-north\"?)" — one line, compiler style, so editors can jump to it.
std::string format_problem(const ConfigProblem& problem);

struct SourcePosition {
  int line = 0;    // 1-based; 0: unknown
  int column = 0;  // 1-based
  bool known() const { return line > 0; }
};

// Document path -> position of the node, filled by the loader. The validator works on plain
// Config values and looks positions up here by the same paths, so it needs no YAML.
class SourceMap {
 public:
  void record(std::string path, SourcePosition position);
  // The position of `path`, else of its nearest recorded ancestor: a missing key is reported
  // at the mapping that should have held it. Unknown when nothing on the way was recorded.
  SourcePosition find(std::string_view path) const;

 private:
  std::map<std::string, SourcePosition, std::less<>> positions_;
};

// "regions[2].parent" -> "regions[2]" -> "regions" -> "".
std::string_view parent_path(std::string_view path);

// True when `path` is `ancestor` itself or lies below it ("regions[1].id" is under "regions").
bool path_is_within(std::string_view path, std::string_view ancestor);

}  // namespace centinela::config
