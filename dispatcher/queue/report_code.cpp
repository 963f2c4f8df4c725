#include "dispatcher/queue/report_code.hpp"

#include <sodium.h>

#include <string_view>

namespace centinela::queue {

std::string new_report_code() {
  static constexpr std::string_view alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string code(report_code_length, ' ');
  for (auto& c : code) c = alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
  return code;
}

}  // namespace centinela::queue
