// Report ids that an operator can type on a phone keypad: five characters from an alphabet
// without look-alikes (no 0/O, 1/I/L), random so they reveal nothing about report volume.
#pragma once

#include <string>
#include <string_view>

namespace centinela::queue {

inline constexpr std::size_t report_code_length = 5;
std::string new_report_code();

// Whether an (upper-cased) word could be a report code: the right length and alphabet. Operators
// text "what do I do?" too; only a word shaped like a code makes WHAT a checklist entry.
bool looks_like_report_code(std::string_view word);

}  // namespace centinela::queue
