// Durations as people write them in YAML: "2h", "15m", "90s", "500ms", "1h30m", or a bare
// integer meaning seconds.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace centinela::config {

// nullopt for anything else (negative, fractional, unknown unit, empty, absurdly large), so the
// loader can report the node instead of silently guessing.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace centinela::config
