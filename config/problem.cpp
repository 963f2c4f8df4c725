// Formatting of config problems and the path -> YAML position map.
#include "config/problem.hpp"

#include <fmt/format.h>

namespace centinela::config {

std::string format_problem(const ConfigProblem& problem) {
  std::string out = problem.file.empty() ? std::string{"<config>"} : problem.file;
  if (problem.line > 0) out += fmt::format(":{}:{}", problem.line, problem.column);
  out += problem.severity == Severity::error ? ": error: " : ": warning: ";
  if (!problem.path.empty()) out += problem.path + ": ";
  out += problem.message;
  if (!problem.hint.empty()) out += fmt::format(" (hint: {})", problem.hint);
  return out;
}

void SourceMap::record(std::string path, SourcePosition position) {
  if (!position.known()) return;
  positions_.insert_or_assign(std::move(path), position);
}

SourcePosition SourceMap::find(std::string_view path) const {
  for (;;) {
    if (auto it = positions_.find(path); it != positions_.end()) return it->second;
    if (path.empty()) return {};
    path = parent_path(path);
  }
}

std::string_view parent_path(std::string_view path) {
  const auto cut = path.find_last_of(".[");
  return cut == std::string_view::npos ? std::string_view{} : path.substr(0, cut);
}

bool path_is_within(std::string_view path, std::string_view ancestor) {
  if (ancestor.empty()) return true;
  if (!path.starts_with(ancestor)) return false;
  return path.size() == ancestor.size() || path[ancestor.size()] == '.' ||
         path[ancestor.size()] == '[';
}

}  // namespace centinela::config
