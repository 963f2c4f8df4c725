// What an inbound text asks for, decided by pure functions: one for operators (who verify
// reports), one for everyone else (members and reporters). Nothing here touches the database.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "dispatcher/core/region_tree.hpp"
#include "dispatcher/intake/vocabulary.hpp"

namespace centinela::intake {

// --- Operators -------------------------------------------------------------------------------
struct ConfirmCommand {          // YES <id> [summary]
  std::string report_code;       // upper-cased
  std::string summary;           // every word after the id: what members read; may be empty
  // When the summary's first word is a region keyword: its region, and the summary without it.
  // Whether it names the region or is part of the words is the report's business (Confirmation).
  std::string region_id;
  std::string summary_after_region;
};
struct MoveCommand {             // MOVE <id> <region keyword>
  std::string report_code;
  std::string region_id;         // empty: the keyword is not a region's
};
struct FullTextCommand {         // FULL <id>: the report's whole text, in as many texts as it takes
  std::string report_code;
};
struct RejectCommand {           // NO <id> [reason]
  std::string report_code;
  std::string reason;
};
struct FileReportCommand {       // REPORT <text>, DRILL <text>
  std::string text;
  bool exercise = false;         // DRILL: the report and its alert are an exercise
};
struct DutyCommand {             // ON / OFF
  bool on_call = true;
};
struct ClaimCommand {            // CLAIM <id>
  std::string report_code;
};
struct NoteCommand {             // NOTE <id> <text>
  std::string report_code;
  std::string text;
};
struct EvidenceCommand {         // WHAT|WHERE|WHEN|AGENCY|VEHICLES|HOW <id> <text>
  std::string report_code;
  std::string field;             // a config::evidence_fields name
  std::string text;
};
struct AdvisoryCommand {         // ADVISORY <id> [summary]
  std::string report_code;
  std::string summary;
};
struct AskReporterCommand {      // MORE <id> <question>
  std::string report_code;
  std::string question;
};
enum class FollowUp { update, clear, retract };
struct FollowUpCommand {         // UPDATE <id> <text>, CLEAR <id> [text], RETRACT <id> [text]
  FollowUp kind = FollowUp::update;
  std::string report_code;
  std::string text;
};
struct ApproveCommand {          // APPROVE <id>: the second approver of a held UPDATE
  std::string report_code;
};
struct OperatorHelpCommand {};   // anything else
using OperatorCommand =
    std::variant<ConfirmCommand, RejectCommand, FileReportCommand, DutyCommand, ClaimCommand, NoteCommand,
                 EvidenceCommand, AdvisoryCommand, AskReporterCommand, FollowUpCommand, ApproveCommand,
                 MoveCommand, FullTextCommand, OperatorHelpCommand>;

OperatorCommand parse_operator_sms(std::string_view body, const RegionTree& regions);

// --- Members and the public ------------------------------------------------------------------
struct JoinCommand {             // JOIN <region keyword> [language]
  std::string region_id;
  std::string language;          // empty: keep the member's, or the default for a new member
};
struct ConfirmJoinCommand {};    // YES / SÍ: the second step of the double opt-in
struct LeaveCommand {            // LEAVE <region keyword>, SALIR <region keyword>
  std::string region_id;
};
struct LeaveNearMissCommand {};  // LEAVE alone, or with a keyword we do not know
struct OptOutCommand {};         // STOP, every other opt-out word, and plain requests ("no más mensajes")
struct OptInCommand {};          // START, UNSTOP
struct HelpCommand {};           // HELP, INFO, AYUDA
struct NearMissCommand {};       // "JION", "JOIN NOWHERE": answer with the valid keywords
struct LanguageCommand {         // a bare language keyword: "ES", "ESPAÑOL"
  std::string language;
};
struct SightingReport {          // anything else is a report of a sighting
  std::string text;
};
using MemberCommand =
    std::variant<JoinCommand, ConfirmJoinCommand, LeaveCommand, LeaveNearMissCommand, OptOutCommand,
                 OptInCommand, HelpCommand, NearMissCommand, LanguageCommand, SightingReport>;

MemberCommand parse_member_sms(std::string_view body, const RegionTree& regions, const Vocabulary& vocabulary);

}  // namespace centinela::intake
