// Parser for "2h", "90s", "500ms", "1h30m" and bare integer seconds.
#include "config/duration.hpp"

#include <cctype>
#include <cstdint>

namespace centinela::config {
namespace {

// Ten years: far beyond any timeout or expiry, and small enough that no sum can overflow.
constexpr std::int64_t max_total_ms = 10LL * 365 * 24 * 3600 * 1000;

std::optional<std::int64_t> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 3600 * 1000;
  return std::nullopt;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  bool bare_number = true;
  while (i < text.size()) {
    if (!is_digit(text[i])) return std::nullopt;
    std::int64_t amount = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      amount = amount * 10 + (text[i] - '0');
      if (amount > max_total_ms) return std::nullopt;
    }
    const std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) {
      // A bare integer is seconds, but only on its own: "1h30" is more likely a slip than 1h+30s.
      if (!bare_number || i != text.size()) return std::nullopt;
      total = amount * 1000;
      break;
    }
    bare_number = false;
    const auto scale = unit_ms(unit);
    if (!scale) return std::nullopt;
    total += amount * *scale;
    if (total > max_total_ms) return std::nullopt;
  }
  if (total > max_total_ms) return std::nullopt;
  return std::chrono::milliseconds{total};
}

}  // namespace centinela::config
