// Internal to validation: the problem collector shared by the per-section checks, and those
// checks (validate_regions.cpp, validate_operators.cpp, validate_providers.cpp,
// validate_templates.cpp, validate_members.cpp, validate_flood.cpp, validate_workflow.cpp,
// validate_time_zones.cpp).
#pragma once

#include <string>
#include <string_view>

#include "config/validate.hpp"

namespace centinela::config::detail {

class Reporter {
 public:
  Reporter(const Config& config, const SourceMap& positions, ValidationReport& out)
      : file_(config.source_path), positions_(positions), out_(out) {}

  void error(std::string path, std::string message, std::string hint = {}) {
    add(out_.errors, Severity::error, std::move(path), std::move(message), std::move(hint));
  }
  void warning(std::string path, std::string message, std::string hint = {}) {
    add(out_.warnings, Severity::warning, std::move(path), std::move(message), std::move(hint));
  }
  // "line 12" or "regions[3]" when the config did not come from a file: for "first defined at".
  std::string describe_location(std::string_view path) const;

 private:
  void add(std::vector<ConfigProblem>& list, Severity severity, std::string path,
           std::string message, std::string hint);

  std::string file_;
  const SourceMap& positions_;
  ValidationReport& out_;
};

// True when parse_phone accepts `text` and it is already written in canonical E.164: numbers
// are compared with the From of inbound texts, so "(213) 555-0100" would never match.
bool is_canonical_e164(std::string_view text);

void validate_regions(Reporter& r, const Config& c);
void validate_operators(Reporter& r, const Config& c);
void validate_providers(Reporter& r, const Config& c);
void validate_templates(Reporter& r, const Config& c);
void validate_members(Reporter& r, const Config& c);
void validate_flood(Reporter& r, const Config& c);
void validate_workflow(Reporter& r, const Config& c);
void validate_time_zones(Reporter& r, const Config& c);

}  // namespace centinela::config::detail
