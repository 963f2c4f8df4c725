#include "dispatcher/core/sms_text.hpp"

#include <cstdint>

namespace centinela {
namespace {

constexpr char32_t replacement = 0xFFFD;

// Decodes one code point at `i` (advancing it); an invalid or truncated sequence gives U+FFFD and
// skips one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  int extra = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    ++i;
    return replacement;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) {  // truncated at the end
    ++i;
    return replacement;
  }
  for (int k = 1; k <= extra; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++i;
      return replacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not characters.
  static constexpr char32_t minimum[] = {0, 0x80, 0x800, 0x10000};
  if (cp < minimum[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++i;
    return replacement;
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_direction_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C;
}

std::size_t units_of(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// Byte length of the longest prefix within `max_units`, preferring a cut after a space late in it.
std::size_t prefix_bytes(std::string_view s, std::size_t max_units) {
  std::size_t units = 0;
  std::size_t i = 0;
  std::size_t last_space_end = 0;
  std::size_t last_space_units = 0;
  while (i < s.size()) {
    std::size_t next = i;
    const char32_t cp = next_code_point(s, next);
    if (units + units_of(cp) > max_units) break;
    units += units_of(cp);
    i = next;
    if (cp == ' ') {
      last_space_end = i;
      last_space_units = units;
    }
  }
  if (i < s.size() && last_space_end > 0 && last_space_units * 10 >= max_units * 9) return last_space_end;
  return i;
}

}  // namespace

std::string sanitize_forwarded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || is_direction_control(cp)) continue;
    append_utf8(out, cp);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::size_t sms_length(std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) units += units_of(next_code_point(utf8, i));
  return units;
}

std::string sms_prefix(std::string_view utf8, std::size_t max_units) {
  return std::string(utf8.substr(0, prefix_bytes(utf8, max_units)));
}

std::string fit_text(std::string_view utf8, std::size_t max_units, std::string_view marker) {
  if (sms_length(utf8) <= max_units) return std::string(utf8);
  const std::size_t marker_units = sms_length(marker);
  if (marker_units >= max_units) return sms_prefix(utf8, max_units);
  std::string out = sms_prefix(utf8, max_units - marker_units);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(marker);
}

std::vector<std::string> split_text(std::string_view utf8, std::size_t max_units) {
  std::vector<std::string> parts;
  if (max_units == 0) return parts;
  while (!utf8.empty()) {
    std::size_t bytes = prefix_bytes(utf8, max_units);
    if (bytes == 0) bytes = utf8.size();  // cannot happen with max_units >= 2; never loop forever
    auto part = utf8.substr(0, bytes);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    parts.emplace_back(part);
    utf8.remove_prefix(bytes);
    while (!utf8.empty() && utf8.front() == ' ') utf8.remove_prefix(1);
  }
  return parts;
}

}  // namespace centinela
