#include "dispatcher/queue/report_code.hpp"

#include <sodium.h>

#include <string_view>

namespace centinela::queue {

namespace {

// No 0/O, 1/I/L: codes are read aloud and typed on phones.
constexpr std::string_view alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

}  // namespace

std::string new_report_code() {
  std::string code(report_code_length, ' ');
  for (auto& c : code) c = alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
  return code;
}

bool looks_like_report_code(std::string_view word) {
  return word.size() == report_code_length && word.find_first_not_of(alphabet) == std::string_view::npos;
}

}  // namespace centinela::queue
