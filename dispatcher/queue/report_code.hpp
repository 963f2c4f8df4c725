// Report ids that an operator can type on a phone keypad: five characters from an alphabet
// without look-alikes (no 0/O, 1/I/L), random so they reveal nothing about report volume.
#pragma once

#include <string>

namespace centinela::queue {

inline constexpr std::size_t report_code_length = 5;
std::string new_report_code();

}  // namespace centinela::queue
