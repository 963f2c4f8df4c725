// What an inbound text asks for, decided by pure functions: one for operators (who verify
// reports), one for everyone else (members and reporters). Nothing here touches the database.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "dispatcher/core/region_tree.hpp"

namespace centinela::intake {

// --- Operators -------------------------------------------------------------------------------
struct ConfirmCommand {          // YES <id> [region keyword] [summary]
  std::string report_code;       // upper-cased
  std::string region_id;         // set when the word after the id is a region keyword
  std::string summary;           // the operator's words for members; may be empty
};
struct RejectCommand {           // NO <id> [reason]
  std::string report_code;
  std::string reason;
};
struct FileReportCommand {       // REPORT <text>
  std::string text;
};
struct OperatorHelpCommand {};   // anything else
using OperatorCommand =
    std::variant<ConfirmCommand, RejectCommand, FileReportCommand, OperatorHelpCommand>;

OperatorCommand parse_operator_sms(std::string_view body, const RegionTree& regions);

// --- Members and the public ------------------------------------------------------------------
struct JoinCommand {             // JOIN <region keyword> [language]
  std::string region_id;
  std::string language;          // empty: keep the member's, or the default for a new member
};
struct OptOutCommand {};         // STOP and every other opt-out word, English and Spanish
struct OptInCommand {};          // START, UNSTOP
struct HelpCommand {};           // HELP, INFO, AYUDA
struct NearMissCommand {};       // "JION", "JOIN NOWHERE": answer with the valid keywords
struct LanguageCommand {         // a bare language keyword: "ES", "ESPAÑOL"
  std::string language;
};
struct SightingReport {          // anything else is a report of a sighting
  std::string text;
};
using MemberCommand = std::variant<JoinCommand, OptOutCommand, OptInCommand, HelpCommand,
                                   NearMissCommand, LanguageCommand, SightingReport>;

// `languages` are the configured template languages ("en", "es").
MemberCommand parse_member_sms(std::string_view body, const RegionTree& regions,
                               const std::set<std::string>& languages);

// The language a folded word names, if it names a configured one: "ES", "ESPANOL", "SPANISH".
std::string language_from_word(std::string_view folded_word, const std::set<std::string>& languages);

}  // namespace centinela::intake
