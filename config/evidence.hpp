// The verification checklist an operator fills while checking a report. The names are what
// operators text ("AGENCY K7Q3M ICE vests") and what verification.required_evidence lists.
#pragma once

#include <array>
#include <string_view>

namespace centinela::config {

inline constexpr std::array<std::string_view, 6> evidence_fields{
    "what",           // what was seen
    "where",          // the exact place
    "when",           // when it was seen
    "agency",         // agency, uniforms, insignia
    "vehicles",       // vehicles, plates
    "corroboration",  // how it was corroborated (a second witness, a photo, a call back)
};

inline bool is_evidence_field(std::string_view name) {
  for (const auto f : evidence_fields)
    if (f == name) return true;
  return false;
}

}  // namespace centinela::config
